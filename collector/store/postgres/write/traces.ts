/**
 * Trace rows: each merged from its stored row and the batch's contributions with the SQLite
 * engine's fold (store/trace-merge.ts), then written back. The caller holds the traces'
 * advisory locks (trace-locks.ts), so no other writer changes a row between its read and write.
 */
import type { PoolClient } from 'pg';
import type { TraceContribution } from '../../../model.js';
import { DEFAULT_ENVIRONMENT } from '../../contract.js';
import { mergeTraceContribution, type TraceFactsState } from '../../trace-merge.js';
import type { TraceRow as StoredTraceRow } from '../read/rows.js';
import { insertRows } from './multi-row.js';
import { jsonb, jsonText, text } from './values.js';

/** What newly stored observations add to their trace's totals. */
export interface TraceTotalsDelta {
  /** Null when none of them was priced. */
  costUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** A batch's part of one trace: the facts its spans give, and what its new observations add. */
export interface PendingTrace {
  contributions: TraceContribution[];
  delta: TraceTotalsDelta;
}

/**
 * A trace row as the writer reads and writes it: node-postgres gives BIGINT as a decimal string;
 * text is as stored (U+0000 replaced, values.ts), so a row read back compares equal to one written.
 */
export type TraceRow = Omit<StoredTraceRow, 'tags' | 'metadata' | 'created_at_ms' | 'updated_at_ms'> & {
  tags: string[];
  metadata: Record<string, unknown>;
  fact_ranks: Record<string, string>;
};

/** A trace written by a batch: its row before (null when new) and after. */
export interface TraceChange {
  before: TraceRow | null;
  after: TraceRow;
}

const COLUMNS = `id, name, user_id, session_id, release, version, environment, tags, metadata, input, output, public,
  start_time_ns, end_time_ns, total_cost, input_tokens, output_tokens, total_tokens, fact_ranks`;

const UPSERT = `INSERT INTO traces (project_id, ${COLUMNS}, created_at_ms, updated_at_ms)`;
const ON_CONFLICT = `
  ON CONFLICT (project_id, id) DO UPDATE SET
    name = excluded.name, user_id = excluded.user_id, session_id = excluded.session_id, release = excluded.release,
    version = excluded.version, environment = excluded.environment, tags = excluded.tags, metadata = excluded.metadata,
    input = excluded.input, output = excluded.output, public = excluded.public, start_time_ns = excluded.start_time_ns,
    end_time_ns = excluded.end_time_ns, total_cost = excluded.total_cost, input_tokens = excluded.input_tokens,
    output_tokens = excluded.output_tokens, total_tokens = excluded.total_tokens, fact_ranks = excluded.fact_ranks,
    updated_at_ms = excluded.updated_at_ms`;

/**
 * Merges and writes the pending traces. A trace with no stored row and no contribution (only
 * scores or events of it arrived) gets no row yet. Returns each trace written.
 */
export async function writeTraces(
  client: PoolClient,
  projectId: string,
  pending: ReadonlyMap<string, PendingTrace>,
  nowMs: number,
): Promise<TraceChange[]> {
  if (pending.size === 0) return [];
  const stored = await client.query<TraceRow>(`SELECT ${COLUMNS} FROM traces WHERE project_id = $1 AND id = ANY($2::text[])`, [
    projectId,
    [...pending.keys()],
  ]);
  const storedById = new Map(stored.rows.map((row) => [row.id, row]));
  const changes: TraceChange[] = [];
  for (const [traceId, trace] of pending) {
    const before = storedById.get(traceId) ?? null;
    let state = before ? factsState(before) : null;
    for (const contribution of trace.contributions) state = mergeTraceContribution(state, contribution);
    if (state !== null) changes.push({ before, after: traceRow(state, before, trace.delta) });
  }
  const rows = changes.map(({ after: row }) => [
    projectId, row.id, row.name, row.user_id, row.session_id, row.release, row.version, row.environment, row.tags,
    jsonb(row.metadata), row.input, row.output, row.public, row.start_time_ns, row.end_time_ns, row.total_cost,
    row.input_tokens, row.output_tokens, row.total_tokens, jsonb(row.fact_ranks), nowMs, nowMs,
  ]);
  await insertRows(client, UPSERT, rows, ON_CONFLICT);
  return changes;
}

function factsState(row: TraceRow): TraceFactsState {
  const facts: TraceFactsState['facts'] = { tags: row.tags, metadata: row.metadata as TraceFactsState['facts']['metadata'] };
  if (row.name !== null) facts.name = row.name;
  if (row.user_id !== null) facts.userId = row.user_id;
  if (row.session_id !== null) facts.sessionId = row.session_id;
  if (row.release !== null) facts.release = row.release;
  if (row.version !== null) facts.version = row.version;
  if (row.fact_ranks.environment !== undefined) facts.environment = row.environment;
  if (row.input !== null) facts.input = JSON.parse(row.input);
  if (row.output !== null) facts.output = JSON.parse(row.output);
  if (row.fact_ranks.public !== undefined) facts.public = row.public;
  return {
    traceId: row.id,
    facts,
    ranks: row.fact_ranks,
    startTimeUnixNano: BigInt(row.start_time_ns),
    endTimeUnixNano: BigInt(row.end_time_ns),
  };
}

function traceRow(state: TraceFactsState, before: TraceRow | null, delta: TraceTotalsDelta): TraceRow {
  const { facts } = state;
  const add = (stored: string | undefined, added: number) => String(BigInt(stored ?? '0') + BigInt(added));
  return {
    id: state.traceId,
    name: text(facts.name),
    user_id: text(facts.userId),
    session_id: text(facts.sessionId),
    release: text(facts.release),
    version: text(facts.version),
    environment: text(facts.environment) ?? DEFAULT_ENVIRONMENT,
    tags: [...new Set(facts.tags.map((tag) => text(tag)!))],
    metadata: facts.metadata,
    input: jsonText(facts.input),
    output: jsonText(facts.output),
    public: facts.public ?? false,
    start_time_ns: String(state.startTimeUnixNano),
    end_time_ns: String(state.endTimeUnixNano),
    total_cost: delta.costUsd === null ? (before?.total_cost ?? null) : (before?.total_cost ?? 0) + delta.costUsd,
    input_tokens: add(before?.input_tokens, delta.inputTokens),
    output_tokens: add(before?.output_tokens, delta.outputTokens),
    total_tokens: add(before?.total_tokens, delta.totalTokens),
    fact_ranks: state.ranks,
  };
}

/**
 * Adds a row to trace_tags for each tag a trace gained, and returns per tag how many traces
 * gained it (a row already there, from a retry, counts nothing).
 */
export async function writeNewTags(client: PoolClient, projectId: string, changes: readonly TraceChange[]): Promise<Map<string, number>> {
  const rows: string[][] = [];
  for (const { before, after } of changes) {
    const had = new Set(before?.tags ?? []);
    for (const tag of after.tags) if (!had.has(tag)) rows.push([projectId, tag, after.id]);
  }
  const inserted = await insertRows<{ tag: string }>(
    client,
    'INSERT INTO trace_tags (project_id, tag, trace_id)',
    rows,
    'ON CONFLICT DO NOTHING RETURNING tag',
  );
  const gained = new Map<string, number>();
  for (const { tag } of inserted) gained.set(tag, (gained.get(tag) ?? 0) + 1);
  return gained;
}
