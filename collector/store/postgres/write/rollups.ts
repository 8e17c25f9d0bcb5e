/**
 * The rollup tables (daily_traces, daily_usage, tag_counts, session_stats, user_stats), kept by
 * the batch writer rather than by triggers. A group's changes are summed in memory as its
 * batches commit to their savepoints, then written once at the end of the transaction, table
 * after table and in key order within each: every transaction locks rollup rows in the same
 * order, so writers sharing a day, a session or a tag wait for each other but never deadlock.
 *
 * A session's or user's first and last trace start (and a session's first trace's environment)
 * are read again from the traces after its row is locked, by a statement of its own: any other transaction that changed one of its traces
 * has either committed by then (and that statement sees it) or will lock the row after this one
 * and read them again itself.
 */
import type { PoolClient } from 'pg';
import type { Observation } from '../../../model.js';
import type { TraceChange, TraceRow } from './traces.js';
import { insertRows } from './multi-row.js';
import type { ReplacedObservation } from '../../replaced-observation.js';

/** Unix nanoseconds in one UTC day: `time_ns / NS_PER_DAY` is the day number. */
export const NS_PER_DAY = 86_400_000_000_000n;

/** What one batch stored, as the rollups count it. */
export interface RollupInput {
  projectId: string;
  /** Observations the batch stored (re-sent ones left out, replacing ones in). */
  observations: readonly Observation[];
  /** Stored observations the batch replaced, with what replaced them (also in `observations`). */
  replaced: readonly ReplacedObservation[];
  traces: readonly TraceChange[];
  /** Per tag, how many traces gained it. */
  newTraceTags: ReadonlyMap<string, number>;
  /** `traceId NUL model` of the traces whose first observation on the model the batch stored. */
  firstOnModel: ReadonlySet<string>;
}

export interface Totals {
  traceCount: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
}

export interface Usage extends Totals {
  observationCount: number;
}

/** A group's rollup changes, keyed `project NUL key...`. */
export interface RollupChanges {
  dailyTraces: Map<string, number>;
  dailyUsage: Map<string, Usage>;
  tagCounts: Map<string, number>;
  sessions: Map<string, Totals>;
  users: Map<string, Totals>;
}

export function emptyRollupChanges(): RollupChanges {
  return { dailyTraces: new Map(), dailyUsage: new Map(), tagCounts: new Map(), sessions: new Map(), users: new Map() };
}

/** A rollup change's key: `project NUL key...`. */
export const rollupKey = (...parts: Array<string | bigint>) => parts.join('\u0000');
const key = rollupKey;
const zeroTotals = (): Totals => ({ traceCount: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0 });

function entry<T>(map: Map<string, T>, at: string, make: () => T): T {
  let value = map.get(at);
  if (value === undefined) {
    value = make();
    map.set(at, value);
  }
  return value;
}

/** Adds what a committed batch stored to the group's changes. */
export function addBatchToRollups(changes: RollupChanges, input: RollupInput): void {
  const { projectId } = input;
  for (const { before, after } of input.traces) {
    const dayBefore = before && BigInt(before.start_time_ns) / NS_PER_DAY;
    const dayAfter = BigInt(after.start_time_ns) / NS_PER_DAY;
    if (dayBefore !== dayAfter) {
      if (dayBefore !== null) changes.dailyTraces.set(key(projectId, dayBefore), (changes.dailyTraces.get(key(projectId, dayBefore)) ?? 0) - 1);
      changes.dailyTraces.set(key(projectId, dayAfter), (changes.dailyTraces.get(key(projectId, dayAfter)) ?? 0) + 1);
    }
    moveTrace(changes.sessions, projectId, before, after, 'session_id');
    moveTrace(changes.users, projectId, before, after, 'user_id');
  }
  for (const [tag, traces] of input.newTraceTags) {
    changes.tagCounts.set(key(projectId, tag), (changes.tagCounts.get(key(projectId, tag)) ?? 0) + traces);
  }
  const usageOf = (observation: Observation) =>
    entry(changes.dailyUsage, key(projectId, observation.startTimeUnixNano / NS_PER_DAY, observation.model ?? ''), () => ({
      ...zeroTotals(),
      observationCount: 0,
    }));
  const count = (observation: Observation, sign: 1 | -1) => {
    const usage = usageOf(observation);
    usage.observationCount += sign;
    if (observation.countsInTraceTotals) {
      const tokens = observation.usage;
      usage.inputTokens += sign * ((tokens.input ?? 0) + (tokens.cachedInput ?? 0) + (tokens.cacheWrite ?? 0));
      usage.outputTokens += sign * ((tokens.output ?? 0) + (tokens.reasoning ?? 0));
      usage.totalTokens += sign * (tokens.total ?? 0);
      usage.costUsd += sign * (observation.cost?.total ?? 0);
    }
  };
  for (const { before } of input.replaced) count(before, -1);
  for (const observation of input.observations) count(observation, 1);
  // A trace whose last observation on a model was replaced by one on another model leaves it.
  for (const { before } of input.replaced) if (input.firstOnModel.has(key('left', before.traceId, before.model ?? ''))) usageOf(before).traceCount--;
  // The day of the trace's first observation on the model that this batch stored.
  const counted = new Set<string>();
  for (const observation of input.observations) {
    if (observation.model === null) continue;
    const pair = key(observation.traceId, observation.model);
    if (!input.firstOnModel.has(pair) || counted.has(pair)) continue;
    counted.add(pair);
    changes.dailyUsage.get(key(projectId, observation.startTimeUnixNano / NS_PER_DAY, observation.model))!.traceCount++;
  }
}

/**
 * Takes the trace's old row out of its session's (or user's) sums and adds the new one. A key
 * whose trace changed only its start (or, for a session, its environment) still gets an entry
 * (of zero change): its first and last start, and a session's environment, are read again.
 */
function moveTrace(
  rollup: Map<string, Totals>,
  projectId: string,
  before: TraceRow | null,
  after: TraceRow,
  column: 'session_id' | 'user_id',
): void {
  const unchanged =
    before !== null &&
    before[column] === after[column] &&
    before.start_time_ns === after.start_time_ns &&
    (column === 'user_id' || before.environment === after.environment) &&
    before.total_cost === after.total_cost &&
    before.input_tokens === after.input_tokens &&
    before.output_tokens === after.output_tokens &&
    before.total_tokens === after.total_tokens;
  if (unchanged) return;
  const apply = (row: TraceRow, sign: 1 | -1) => {
    const id = row[column];
    if (id === null) return;
    const totals = entry(rollup, key(projectId, id), zeroTotals);
    totals.traceCount += sign;
    totals.inputTokens += sign * Number(row.input_tokens);
    totals.outputTokens += sign * Number(row.output_tokens);
    totals.totalTokens += sign * Number(row.total_tokens);
    totals.costUsd += sign * (row.total_cost ?? 0);
  };
  if (before) apply(before, -1);
  apply(after, 1);
}

/**
 * Which of the stored observations' (trace, model) pairs have no other stored observation:
 * `traceId NUL model`. A replacement keeping its model is left out (its trace is counted on the
 * model already); a replaced observation's pair that none is left on is given as `left NUL traceId NUL model`.
 */
export async function firstObservationsOnModel(
  client: PoolClient,
  projectId: string,
  stored: readonly Observation[],
  replaced: readonly ReplacedObservation[] = [],
): Promise<Set<string>> {
  const keptModel = new Set(replaced.filter(({ before, after }) => before.model !== null && before.model === after.model).map(({ after }) => after));
  const inBatch = new Map<string, number>();
  for (const observation of stored) {
    const { traceId, model } = observation;
    if (model !== null && !keptModel.has(observation)) inBatch.set(key(traceId, model), (inBatch.get(key(traceId, model)) ?? 0) + 1);
  }
  const left = replaced.filter(({ before, after }) => before.model !== null && before.model !== after.model).map(({ before }) => key(before.traceId, before.model!));
  const pairs = [...new Set([...inBatch.keys(), ...left])].map((pair) => pair.split('\u0000') as [string, string]);
  if (pairs.length === 0) return new Set();
  const result = await client.query<{ trace_id: string; model: string; n: number }>(
    `SELECT pair.trace_id, pair.model, count(o.id)::int AS n
     FROM unnest($2::text[], $3::text[]) AS pair (trace_id, model)
     LEFT JOIN observations o ON o.project_id = $1 AND o.trace_id = pair.trace_id AND o.model = pair.model
     GROUP BY pair.trace_id, pair.model`,
    [projectId, pairs.map(([traceId]) => traceId), pairs.map(([, model]) => model)],
  );
  const found = new Set<string>();
  for (const row of result.rows) {
    const pair = key(row.trace_id, row.model);
    if (inBatch.has(pair) && row.n === inBatch.get(pair)) found.add(pair);
    if (row.n === 0) found.add(key('left', row.trace_id, row.model));
  }
  return found;
}

/** Writes a group's changes, table after table, each in key order. */
export async function writeRollups(client: PoolClient, changes: RollupChanges): Promise<void> {
  const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const split = (at: string) => at.split('\u0000');

  const days = sorted(changes.dailyTraces).filter(([, n]) => n !== 0);
  await insertRows(
    client,
    'INSERT INTO daily_traces (project_id, day, trace_count)',
    days.map(([at, n]) => [...split(at), n]),
    'ON CONFLICT (project_id, day) DO UPDATE SET trace_count = daily_traces.trace_count + excluded.trace_count',
  );

  await insertRows(
    client,
    `INSERT INTO daily_usage (project_id, day, model, trace_count, observation_count, input_tokens, output_tokens,
      total_tokens, total_cost)`,
    sorted(changes.dailyUsage).map(([at, u]) => [
      ...split(at), u.traceCount, u.observationCount, u.inputTokens, u.outputTokens, u.totalTokens, u.costUsd,
    ]),
    `ON CONFLICT (project_id, day, model) DO UPDATE SET
      trace_count = daily_usage.trace_count + excluded.trace_count,
      observation_count = daily_usage.observation_count + excluded.observation_count,
      input_tokens = daily_usage.input_tokens + excluded.input_tokens,
      output_tokens = daily_usage.output_tokens + excluded.output_tokens,
      total_tokens = daily_usage.total_tokens + excluded.total_tokens,
      total_cost = daily_usage.total_cost + excluded.total_cost`,
  );

  await insertRows(
    client,
    'INSERT INTO tag_counts (project_id, tag, trace_count)',
    sorted(changes.tagCounts).map(([at, n]) => [...split(at), n]),
    'ON CONFLICT (project_id, tag) DO UPDATE SET trace_count = tag_counts.trace_count + excluded.trace_count',
  );

  await writeTraceAggregates(client, 'session_stats', 'session_id', sorted(changes.sessions));
  await writeTraceAggregates(client, 'user_stats', 'user_id', sorted(changes.users));
}

async function writeTraceAggregates(
  client: PoolClient,
  table: 'session_stats' | 'user_stats',
  column: 'session_id' | 'user_id',
  changes: Array<[string, Totals]>,
): Promise<void> {
  if (changes.length === 0) return;
  const keys = changes.map(([at]) => at.split('\u0000') as [string, string]);
  // Locks the rows in key order; first and last start are placeholders until read again below.
  await insertRows(
    client,
    `INSERT INTO ${table} (project_id, ${column}, trace_count, first_start_ns, last_start_ns, input_tokens, output_tokens,
      total_tokens, total_cost)`,
    changes.map(([at, t]) => [...at.split('\u0000'), t.traceCount, 0, 0, t.inputTokens, t.outputTokens, t.totalTokens, t.costUsd]),
    `ON CONFLICT (project_id, ${column}) DO UPDATE SET
      trace_count = ${table}.trace_count + excluded.trace_count,
      input_tokens = ${table}.input_tokens + excluded.input_tokens,
      output_tokens = ${table}.output_tokens + excluded.output_tokens,
      total_tokens = ${table}.total_tokens + excluded.total_tokens,
      total_cost = ${table}.total_cost + excluded.total_cost`,
  );
  const keyArrays = [keys.map(([projectId]) => projectId), keys.map(([, id]) => id)];
  await client.query(
    `DELETE FROM ${table} s USING unnest($1::text[], $2::text[]) AS k (project_id, id)
     WHERE s.project_id = k.project_id AND s.${column} = k.id AND s.trace_count <= 0`,
    keyArrays,
  );
  // Each a seek at either end of the (project, key, start) index; ids order as bytes, as SQLite orders text.
  const firstEnvironment =
    table === 'session_stats'
      ? `, environment = coalesce((SELECT t.environment FROM traces t WHERE t.project_id = s.project_id AND t.session_id = s.session_id
           ORDER BY t.start_time_ns, t.id COLLATE "C" LIMIT 1), 'default')`
      : '';
  await client.query(
    `UPDATE ${table} s SET
       first_start_ns = (SELECT min(t.start_time_ns) FROM traces t WHERE t.project_id = s.project_id AND t.${column} = s.${column}),
       last_start_ns = (SELECT max(t.start_time_ns) FROM traces t WHERE t.project_id = s.project_id AND t.${column} = s.${column})
       ${firstEnvironment}
     FROM unnest($1::text[], $2::text[]) AS k (project_id, id)
     WHERE s.project_id = k.project_id AND s.${column} = k.id`,
    keyArrays,
  );
}

/**
 * Deletes the rows of these changes that count nothing any more (a day, model or tag whose
 * traces were all deleted), as if never written. Run after writeRollups, whose upserts hold
 * their rows' locks: a writer adding to one waits, then inserts it anew.
 */
export async function dropEmptyRollups(client: PoolClient, changes: RollupChanges): Promise<void> {
  const columns = (map: Map<string, unknown>, width: number) => {
    const keys = [...map.keys()].map((at) => at.split('\u0000'));
    return Array.from({ length: width }, (_, column) => keys.map((parts) => parts[column]!));
  };
  if (changes.dailyTraces.size > 0) {
    await client.query(
      `DELETE FROM daily_traces r USING unnest($1::text[], $2::bigint[]) AS k (project_id, day)
       WHERE r.project_id = k.project_id AND r.day = k.day AND r.trace_count <= 0`,
      columns(changes.dailyTraces, 2),
    );
  }
  if (changes.dailyUsage.size > 0) {
    await client.query(
      `DELETE FROM daily_usage r USING unnest($1::text[], $2::bigint[], $3::text[]) AS k (project_id, day, model)
       WHERE r.project_id = k.project_id AND r.day = k.day AND r.model = k.model AND r.observation_count <= 0`,
      columns(changes.dailyUsage, 3),
    );
  }
  if (changes.tagCounts.size > 0) {
    await client.query(
      `DELETE FROM tag_counts r USING unnest($1::text[], $2::text[]) AS k (project_id, tag)
       WHERE r.project_id = k.project_id AND r.tag = k.tag AND r.trace_count <= 0`,
      columns(changes.tagCounts, 2),
    );
  }
}
