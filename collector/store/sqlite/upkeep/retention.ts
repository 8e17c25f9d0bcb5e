/**
 * Retention's store side: deletes traces that started before a cutoff, with everything under
 * them, a bounded number per call, then gives freed pages back to the file system.
 *
 * - Old traces are found per project through `traces_by_time` (project ids by a loose index
 *   scan of the primary key: one seek per project), oldest first.
 * - Each is deleted by the same code as `DELETE /api/public/traces/:id` (store/sqlite/upkeep/trace-delete.ts):
 *   observations, scores, tags, GenAI log messages, full-text documents, per-day usage, and by
 *   trigger the per-day trace counts and the session and user rollups.
 * - Rows whose trace never arrived (log records, scores or events sent for a trace whose spans
 *   went elsewhere) have no trace row to be found by: once no old trace is left, old
 *   observations, scores and waiting log messages without a trace are deleted by trace id too.
 * - One call is one transaction, so a call is all or nothing and its size bounds how long it
 *   holds the (single) connection.
 * - With `auto_vacuum = INCREMENTAL` (set when the database is created, store/sqlite/migrate.ts),
 *   free pages are returned with `incremental_vacuum`, a bounded number per call. A file whose
 *   mode is NONE reuses its free pages for new rows, so it stops growing once retention keeps
 *   pace, but it does not shrink without an offline `VACUUM`.
 */
import type { Database } from 'better-sqlite3';
import type { DeleteTrace } from './trace-delete.js';
import { NS_PER_DAY } from '../write/batch-derived.js';

export type DeleteTracesOlderThan = (cutoffUnixNano: bigint, maxTraces: number) => number;

/** Pages given back per call at most (4 MiB with the default 4 KiB pages): bounds the I/O of one call. */
const MAX_VACUUM_PAGES_PER_CALL = 1024;

export function createRetentionDelete(db: Database, deleteTrace: DeleteTrace): DeleteTracesOlderThan {
  const oldTraces = perProject(db, 'traces', `SELECT id FROM traces
    WHERE project_id = ? AND start_time_ns < ? ORDER BY start_time_ns LIMIT ?`);
  const orphans = [
    perProject(db, 'observations', `SELECT DISTINCT trace_id FROM observations o
      WHERE project_id = ? AND start_time_ns < ? AND ${noTrace('o')} LIMIT ?`),
    perProject(db, 'scores', `SELECT DISTINCT trace_id FROM scores s
      WHERE project_id = ? AND time_ns < ? AND ${noTrace('s')} LIMIT ?`),
    perProject(db, 'gen_ai_log_messages', `SELECT DISTINCT trace_id FROM gen_ai_log_messages m
      WHERE waiting = 1 AND project_id = ? AND time_ns < ? AND ${noTrace('m')} LIMIT ?`),
  ];
  const dropEmptyDays = db.prepare(`DELETE FROM daily_traces WHERE day < ? AND trace_count <= 0`);
  const incremental = db.pragma('auto_vacuum', { simple: true }) === 2;

  const deleteBatch = db.transaction((cutoff: bigint, maxTraces: number): number => {
    let deleted = 0;
    for (const find of [oldTraces, ...orphans]) {
      if (deleted >= maxTraces) break;
      for (const [projectId, traceId] of find(cutoff, maxTraces - deleted)) {
        deleteTrace(projectId, traceId);
        deleted++;
      }
    }
    if (deleted > 0) dropEmptyDays.run(cutoff / NS_PER_DAY);
    return deleted;
  });

  return (cutoffUnixNano, maxTraces) => {
    const deleted = deleteBatch.immediate(cutoffUnixNano, maxTraces);
    if (incremental) {
      const freePages = db.pragma('freelist_count', { simple: true }) as number;
      if (freePages > 0) db.pragma(`incremental_vacuum(${Math.min(freePages, MAX_VACUUM_PAGES_PER_CALL)})`);
    }
    return deleted;
  };
}

/** `NOT EXISTS` a trace row for the row aliased `alias`. */
function noTrace(alias: string): string {
  return `NOT EXISTS (SELECT 1 FROM traces t WHERE t.project_id = ${alias}.project_id AND t.id = ${alias}.trace_id)`;
}

/**
 * Runs `sql` (parameters: project id, cutoff, limit; one column: a trace id) for each project
 * with rows in `table`, until `limit` ids are found. Projects come from a loose index scan of the
 * table's primary key, one seek each, so no query ever scans across projects.
 */
function perProject(
  db: Database,
  table: string,
  sql: string,
): (cutoff: bigint, limit: number) => Array<[projectId: string, traceId: string]> {
  const nextProject = db.prepare(`SELECT min(project_id) FROM ${table} WHERE project_id > ?`).pluck();
  const idsOf = db.prepare(sql).pluck();
  return (cutoff, limit) => {
    const found: Array<[string, string]> = [];
    for (let project = nextProject.get('') as string | null; project !== null && found.length < limit;) {
      for (const traceId of idsOf.all(project, cutoff, limit - found.length) as string[]) found.push([project, traceId]);
      project = nextProject.get(project) as string | null;
    }
    return found;
  };
}
