/**
 * Retention's store side: deletes traces that started before a cutoff, with everything under
 * them, at most a given number per call, in one transaction (a call is all or nothing, and its
 * size bounds how long it holds locks).
 *
 * - Old traces are found per project through `traces_by_time`, oldest first (project ids by a
 *   loose index scan of the primary key: one seek per project, no scan across projects).
 * - Rows whose trace never arrived (log records, scores or events sent for a trace whose spans
 *   went elsewhere) have no trace row to be found by: once no old trace is left, old
 *   observations, scores and waiting log messages without a trace are deleted by trace id too.
 * - The traces found are then locked, in key order, as the batch writer locks them, and deleted
 *   as `deleteTrace` deletes one (trace-delete.ts).
 * - One collector at a time sweeps: a call first tries the transaction-level advisory lock
 *   RETENTION_LOCK and, held by another collector's sweep, deletes nothing (returns 0, so that
 *   collector's retention waits for its next round instead of racing the other over the same rows).
 */
import type { Pool, PoolClient } from 'pg';
import { lockTraces } from '../write/trace-locks.js';
import { deleteLockedTraces, type TraceKey } from './trace-delete.js';
import { inTransaction } from './transaction.js';

/**
 * The sweep's advisory lock: the two-key form, a key space apart from the one-key trace locks
 * (write/trace-locks.ts) and the migration lock. 0x73706c6e is "spln".
 */
export const RETENTION_LOCK = [0x73706c6e, 1] as const;

/** `NOT EXISTS` a trace row for the row aliased `r`. */
const NO_TRACE = 'NOT EXISTS (SELECT 1 FROM traces t WHERE t.project_id = r.project_id AND t.id = r.trace_id)';

/**
 * Each finder: a table, and a query of one project's trace ids ($1 project, $2 cutoff, $3 limit,
 * $4 ids found already), oldest first where the table has a time index.
 */
const FINDERS: ReadonlyArray<{ table: string; sql: string }> = [
  {
    table: 'traces',
    sql: `SELECT id FROM traces WHERE project_id = $1 AND start_time_ns < $2 AND id <> ALL($4::text[])
      ORDER BY start_time_ns, id LIMIT $3`,
  },
  {
    table: 'observations',
    sql: `SELECT DISTINCT trace_id FROM observations r
      WHERE project_id = $1 AND start_time_ns < $2 AND trace_id <> ALL($4::text[]) AND ${NO_TRACE} LIMIT $3`,
  },
  {
    table: 'scores',
    sql: `SELECT DISTINCT trace_id FROM scores r
      WHERE project_id = $1 AND time_ns < $2 AND trace_id <> ALL($4::text[]) AND ${NO_TRACE} LIMIT $3`,
  },
  {
    table: 'gen_ai_log_messages',
    sql: `SELECT DISTINCT trace_id FROM gen_ai_log_messages r
      WHERE waiting AND project_id = $1 AND time_ns < $2 AND trace_id <> ALL($4::text[]) AND ${NO_TRACE} LIMIT $3`,
  },
];

/** Deletes at most `maxTraces` traces started before the cutoff (and rows of traces never stored older than it); returns how many. */
export async function deleteTracesOlderThan(pool: Pool, cutoffUnixNano: bigint, maxTraces: number): Promise<number> {
  if (maxTraces <= 0) return 0;
  return inTransaction(pool, async (client) => {
    const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', [...RETENTION_LOCK]);
    if (!locked.rows[0]!.locked) return 0;
    const found = new Map<string, string[]>();
    let count = 0;
    for (const { table, sql } of FINDERS) {
      for (let project = await nextProject(client, table, ''); project !== null && count < maxTraces; project = await nextProject(client, table, project)) {
        const already = found.get(project) ?? [];
        const result = await client.query<{ id: string }>(`SELECT ids.id FROM (${sql}) AS ids (id)`, [
          project,
          cutoffUnixNano.toString(),
          maxTraces - count,
          already,
        ]);
        if (result.rows.length === 0) continue;
        found.set(project, [...already, ...result.rows.map((row) => row.id)]);
        count += result.rows.length;
      }
      if (count >= maxTraces) break;
    }
    const traces: TraceKey[] = [...found].flatMap(([projectId, ids]) => ids.map((traceId) => ({ projectId, traceId })));
    await lockTraces(client, traces);
    await deleteLockedTraces(client, traces);
    return traces.length;
  });
}

/** The smallest project id after `after` with rows in `table`: one seek of its primary key. */
async function nextProject(client: PoolClient, table: string, after: string): Promise<string | null> {
  const result = await client.query<{ project_id: string | null }>(`SELECT min(project_id) AS project_id FROM ${table} WHERE project_id > $1`, [after]);
  return result.rows[0]!.project_id;
}
