/**
 * Which score names some trace has more than once (`score_name_repeats`), so that a
 * trace list filtered by one score condition can count its traces cheaply. When no trace repeats
 * the name, the number of traces matching equals the number of scores matching, a count over
 * the score index alone; otherwise each match's trace must be told apart, which sorts them all
 * (measured at 1M traces, a condition matching 50k scores: 6 ms against 51 ms).
 *
 * A name is recorded when a write leaves some trace with two scores of it, and is never
 * forgotten: a deletion that removes the repeat leaves the slower count, which is still exact.
 */
import type { Database } from 'better-sqlite3';
import type { Score } from '../../../model.js';
import { traceKeyOf } from './trace-keys.js';

export interface ScoreRepeats {
  /** After scores are written (in the same transaction): records the names they repeat within their trace. */
  noteWritten(projectId: string, scores: Iterable<Pick<Score, 'traceId' | 'name'>>): void;
  /** False when no trace of the project has two scores of this name. */
  mayRepeat(projectId: string, name: string): boolean;
}

export function createScoreRepeats(db: Database): ScoreRepeats {
  const scoresOfTrace = db
    .prepare<[{ projectId: string; traceId: string; name: string }], number>(
      `SELECT count(*) FROM scores WHERE project_id = @projectId AND trace_key = ${traceKeyOf('@projectId', '@traceId')} AND name = @name`,
    )
    .pluck();
  const recordRepeat = db.prepare(`INSERT INTO score_name_repeats (project_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING`);
  const isRecorded = db.prepare<[string, string], number>(`SELECT 1 FROM score_name_repeats WHERE project_id = ? AND name = ?`).pluck();

  return {
    noteWritten(projectId, scores) {
      const checked = new Set<string>();
      for (const { traceId, name } of scores) {
        const key = `${traceId}\u0000${name}`;
        if (checked.has(key)) continue;
        checked.add(key);
        if (scoresOfTrace.get({ projectId, traceId, name })! > 1) recordRepeat.run(projectId, name);
      }
    },
    mayRepeat: (projectId, name) => isRecorded.get(projectId, name) !== undefined,
  };
}
