/**
 * Sets the createdAt and updatedAt of stored traces and scores (contract.ts, CopyableStore):
 * `spanlite copy` keeps its source's, which its own writes set to the time of the copy. No
 * trigger follows these columns.
 */
import type { Database } from 'better-sqlite3';
import type { WriteTimes } from '../../contract.js';

export type RestoreWriteTimes = (projectId: string, times: { traces: readonly WriteTimes[]; scores: readonly WriteTimes[] }) => void;

export function createWriteTimesRestore(db: Database): RestoreWriteTimes {
  const update = (table: 'traces' | 'scores') =>
    db.prepare<[number, number, string, string]>(`UPDATE ${table} SET created_at_ms = ?, updated_at_ms = ? WHERE project_id = ? AND id = ?`);
  const traces = update('traces');
  const scores = update('scores');
  return db.transaction((projectId, times) => {
    for (const trace of times.traces) traces.run(trace.createdAtMs, trace.updatedAtMs, projectId, trace.id);
    for (const score of times.scores) scores.run(score.createdAtMs, score.updatedAtMs, projectId, score.id);
  });
}
