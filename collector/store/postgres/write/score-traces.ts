/**
 * What a list filtered by one score condition needs to count its traces from the scores alone
 * (read/score-count.ts): the score names some trace repeats (`score_name_repeats`) and the
 * traces that have scores but no row (`unstored_score_traces`). Kept by the writer in the
 * transaction that writes the scores or the trace, under the traces' advisory locks, as the
 * rollups are (no triggers: schema.ts says why).
 */
import type { PoolClient } from 'pg';
import type { Score } from '../../../model.js';

/**
 * After `scores` are written and `newTraceIds` stored for the first time: records the names the
 * scores repeat within their trace, the scores' traces that have no row, and forgets the new
 * traces as unstored.
 */
export async function recordScoreTraces(
  client: PoolClient,
  projectId: string,
  scores: ReadonlyArray<Pick<Score, 'traceId' | 'name'>>,
  newTraceIds: readonly string[],
): Promise<void> {
  if (newTraceIds.length > 0) {
    await client.query(`DELETE FROM unstored_score_traces WHERE project_id = $1 AND trace_id = ANY($2::text[])`, [projectId, newTraceIds]);
  }
  if (scores.length === 0) return;
  const pairs = new Map(scores.map(({ traceId, name }) => [`${traceId}\u0000${name}`, { traceId, name }]));
  const traceIds = [...new Set(scores.map((score) => score.traceId))].sort();
  // Each trace's rows are under its advisory lock, held by this transaction.
  await client.query(
    `INSERT INTO unstored_score_traces (project_id, trace_id)
     SELECT $1, k.trace_id FROM unnest($2::text[]) AS k (trace_id)
     WHERE NOT EXISTS (SELECT 1 FROM traces t WHERE t.project_id = $1 AND t.id = k.trace_id)
     ON CONFLICT DO NOTHING`,
    [projectId, traceIds],
  );
  // In name order, so that two transactions recording the same new names wait rather than deadlock.
  await client.query(
    `INSERT INTO score_name_repeats (project_id, name)
     SELECT DISTINCT $1, s.name FROM unnest($2::text[], $3::text[]) AS k (trace_id, name)
     JOIN scores s ON s.project_id = $1 AND s.trace_id = k.trace_id AND s.name = k.name
     WHERE NOT EXISTS (SELECT 1 FROM score_name_repeats r WHERE r.project_id = $1 AND r.name = k.name)
     GROUP BY s.trace_id, s.name HAVING count(*) > 1
     ORDER BY 2
     ON CONFLICT DO NOTHING`,
    [projectId, [...pairs.values()].map((pair) => pair.traceId), [...pairs.values()].map((pair) => pair.name)],
  );
}
