/**
 * Deleting traces and everything under them: observations, scores, tags, GenAI log messages and
 * full-text documents, and each trace's share of every rollup (per-day traces and usage, tag
 * counts, session and user sums), so that the store reads as if the traces had never been written.
 *
 * Under the traces' advisory locks (write/trace-locks.ts), taken first, in key order, as the batch
 * writer takes them: a trace is not deleted while a writer merges it, and the rollups are changed
 * by write/rollups.ts in the writer's table and key order, so deletion and writing never deadlock.
 */
import type { Pool, PoolClient } from 'pg';
import { dropEmptyRollups, emptyRollupChanges, NS_PER_DAY, rollupKey, writeRollups, type RollupChanges, type Totals } from '../write/rollups.js';
import { lockTraces } from '../write/trace-locks.js';
import { inTransaction } from './transaction.js';

/** A trace under its project. */
export interface TraceKey {
  projectId: string;
  traceId: string;
}

interface DeletedObservation {
  project_id: string;
  trace_id: string;
  start_time_ns: string;
  model: string | null;
  counts_in_trace_totals: boolean;
  input_tokens: string | null;
  output_tokens: string | null;
  total_tokens: string | null;
  cached_input_tokens: string | null;
  cache_write_tokens: string | null;
  reasoning_tokens: string | null;
  total_cost: number | null;
}

interface DeletedTrace {
  project_id: string;
  id: string;
  start_time_ns: string;
  session_id: string | null;
  user_id: string | null;
  tags: string[];
  input_tokens: string;
  output_tokens: string;
  total_tokens: string;
  total_cost: number | null;
}

/** `DELETE /api/public/traces/:id`: true when anything of the trace was stored. One transaction. */
export async function deleteTrace(pool: Pool, projectId: string, traceId: string): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    await lockTraces(client, [{ projectId, traceId }]);
    return (await deleteLockedTraces(client, [{ projectId, traceId }])) > 0;
  });
}

/**
 * Deletes these traces with everything under them and takes them out of the rollups; returns how
 * many had anything stored. The caller holds their advisory locks, in its transaction.
 */
export async function deleteLockedTraces(client: PoolClient, traces: readonly TraceKey[]): Promise<number> {
  if (traces.length === 0) return 0;
  const keys = [traces.map((t) => t.projectId), traces.map((t) => t.traceId)];
  const found = new Set<string>();
  const changes = emptyRollupChanges();

  const observations = await deleteUnder<DeletedObservation>(
    client,
    'observations',
    keys,
    `project_id, trace_id, start_time_ns, model, counts_in_trace_totals, input_tokens, output_tokens, total_tokens,
     cached_input_tokens, cache_write_tokens, reasoning_tokens, total_cost`,
  );
  subtractUsage(changes, observations);
  for (const row of observations) found.add(rollupKey(row.project_id, row.trace_id));

  for (const table of ['scores', 'gen_ai_log_messages'] as const) {
    for (const row of await deleteUnder<{ project_id: string; trace_id: string }>(client, table, keys, 'project_id, trace_id')) {
      found.add(rollupKey(row.project_id, row.trace_id));
    }
  }
  await deleteSearchDocuments(client, keys);
  await client.query(
    `DELETE FROM unstored_score_traces u USING unnest($1::text[], $2::text[]) AS k (project_id, trace_id)
     WHERE u.project_id = k.project_id AND u.trace_id = k.trace_id`,
    keys,
  );

  const deleted = await client.query<DeletedTrace>(
    `DELETE FROM traces t USING unnest($1::text[], $2::text[]) AS k (project_id, trace_id)
     WHERE t.project_id = k.project_id AND t.id = k.trace_id
     RETURNING t.project_id, t.id, t.start_time_ns, t.session_id, t.user_id, t.tags, t.input_tokens, t.output_tokens,
       t.total_tokens, t.total_cost`,
    keys,
  );
  for (const trace of deleted.rows) {
    found.add(rollupKey(trace.project_id, trace.id));
    subtractTrace(changes, trace);
  }
  await deleteTags(client, changes, deleted.rows);

  await writeRollups(client, changes);
  await clampUsageTraceCounts(client, changes);
  await dropEmptyRollups(client, changes);
  return found.size;
}

/**
 * A trace is counted once per model on the day the writer first stored an observation on it, and
 * uncounted on its earliest such day: for a trace whose observations on one model span days and
 * arrived out of order those differ, and a count must not go below zero (as on SQLite).
 */
async function clampUsageTraceCounts(client: PoolClient, changes: RollupChanges): Promise<void> {
  const keys = [...changes.dailyUsage].filter(([, usage]) => usage.traceCount < 0).map(([at]) => at.split('\u0000'));
  if (keys.length === 0) return;
  await client.query(
    `UPDATE daily_usage r SET trace_count = 0 FROM unnest($1::text[], $2::bigint[], $3::text[]) AS k (project_id, day, model)
     WHERE r.project_id = k.project_id AND r.day = k.day AND r.model = k.model AND r.trace_count < 0`,
    [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
  );
}

/** Deletes the traces' rows of a table keyed by (project_id, trace_id, ...), returning `columns` of each. */
async function deleteUnder<Row extends object>(client: PoolClient, table: string, keys: string[][], columns: string): Promise<Row[]> {
  const result = await client.query<Row>(
    `DELETE FROM ${table} r USING unnest($1::text[], $2::text[]) AS k (project_id, trace_id)
     WHERE r.project_id = k.project_id AND r.trace_id = k.trace_id
     RETURNING ${columns.replace(/(\w+)/g, 'r.$1')}`,
    keys,
  );
  return result.rows;
}

/**
 * The traces' full-text documents (search_docs), which the full-text write path adds beside the
 * batch writer. Whatever else it derives per trace is to be deleted here too.
 */
async function deleteSearchDocuments(client: PoolClient, keys: string[][]): Promise<void> {
  await client.query(
    `DELETE FROM search_docs d USING unnest($1::text[], $2::text[]) AS k (project_id, trace_id)
     WHERE d.project_id = k.project_id AND d.trace_id = k.trace_id`,
    keys,
  );
}

/** Tags are found through the trace rows (trace_tags is keyed by tag first). */
async function deleteTags(client: PoolClient, changes: RollupChanges, traces: readonly DeletedTrace[]): Promise<void> {
  const rows = traces.flatMap((t) => t.tags.map((tag) => [t.project_id, tag, t.id]));
  if (rows.length === 0) return;
  const deleted = await client.query<{ project_id: string; tag: string }>(
    `DELETE FROM trace_tags r USING unnest($1::text[], $2::text[], $3::text[]) AS k (project_id, tag, trace_id)
     WHERE r.project_id = k.project_id AND r.tag = k.tag AND r.trace_id = k.trace_id
     RETURNING r.project_id, r.tag`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
  for (const { project_id: projectId, tag } of deleted.rows) {
    const at = rollupKey(projectId, tag);
    changes.tagCounts.set(at, (changes.tagCounts.get(at) ?? 0) - 1);
  }
}

function subtractTrace(changes: RollupChanges, trace: DeletedTrace): void {
  const day = rollupKey(trace.project_id, BigInt(trace.start_time_ns) / NS_PER_DAY);
  changes.dailyTraces.set(day, (changes.dailyTraces.get(day) ?? 0) - 1);
  for (const [rollup, id] of [[changes.sessions, trace.session_id], [changes.users, trace.user_id]] as const) {
    if (id === null) continue;
    const totals = entry(rollup, rollupKey(trace.project_id, id), zeroTotals);
    totals.traceCount--;
    totals.inputTokens -= Number(trace.input_tokens);
    totals.outputTokens -= Number(trace.output_tokens);
    totals.totalTokens -= Number(trace.total_tokens);
    totals.costUsd -= trace.total_cost ?? 0;
  }
}

/**
 * Takes the observations out of the per-day usage. A trace counts once per model, on the day of
 * its first observation on that model, as in the SQLite engine's deletion.
 */
function subtractUsage(changes: RollupChanges, observations: readonly DeletedObservation[]): void {
  const firstDay = new Map<string, bigint>();
  for (const o of observations) {
    if (o.model === null) continue;
    const pair = rollupKey(o.project_id, o.trace_id, o.model);
    const day = BigInt(o.start_time_ns) / NS_PER_DAY;
    const first = firstDay.get(pair);
    if (first === undefined || day < first) firstDay.set(pair, day);
  }
  for (const [pair, day] of firstDay) {
    const [projectId, , model] = pair.split('\u0000') as [string, string, string];
    entry(changes.dailyUsage, rollupKey(projectId, day, model), zeroUsage).traceCount--;
  }
  const n = (value: string | null) => Number(value ?? 0);
  for (const o of observations) {
    const usage = entry(changes.dailyUsage, rollupKey(o.project_id, BigInt(o.start_time_ns) / NS_PER_DAY, o.model ?? ''), zeroUsage);
    usage.observationCount--;
    if (!o.counts_in_trace_totals) continue;
    usage.inputTokens -= n(o.input_tokens) + n(o.cached_input_tokens) + n(o.cache_write_tokens);
    usage.outputTokens -= n(o.output_tokens) + n(o.reasoning_tokens);
    usage.totalTokens -= n(o.total_tokens);
    usage.costUsd -= o.total_cost ?? 0;
  }
}

const zeroTotals = (): Totals => ({ traceCount: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0 });
const zeroUsage = () => ({ ...zeroTotals(), observationCount: 0 });

function entry<T>(map: Map<string, T>, at: string, make: () => T): T {
  let value = map.get(at);
  if (value === undefined) map.set(at, (value = make()));
  return value;
}
