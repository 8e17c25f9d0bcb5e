/**
 * Deleting a trace and everything under it, in one transaction. The triggers of the query
 * migration take its rows out of the rollups and the full-text index as they go.
 */
import type { Database } from 'better-sqlite3';

export type DeleteTrace = (projectId: string, traceId: string) => boolean;

export function createTraceDelete(db: Database): DeleteTrace {
  const tables = ['observations', 'scores', 'trace_tags', ...optionalTables(db, ['gen_ai_log_messages'])];
  const statements = tables.map((table) => db.prepare(`DELETE FROM ${table} WHERE project_id = ? AND trace_id = ?`));
  const deleteTrace = db.prepare('DELETE FROM traces WHERE project_id = ? AND id = ?');

  return db.transaction((projectId: string, traceId: string): boolean => {
    let removed = deleteTrace.run(projectId, traceId).changes > 0;
    for (const statement of statements) removed = statement.run(projectId, traceId).changes > 0 || removed;
    return removed;
  });
}

/** Tables other features add (GenAI log messages): deleted with the trace when they exist. */
function optionalTables(db: Database, names: readonly string[]): string[] {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck();
  return names.filter((name) => exists.get(name) !== undefined);
}
