/**
 * Deleting a trace and everything under it, in one transaction. Trace triggers take it out of
 * the per-day trace counts and the session and user rollups; what the batch writer derived from
 * its observations (store/sqlite/write/batch-derived.ts) is taken out here: their per-day usage, and
 * the trace's full-text documents with the observation ids indexed under them.
 */
import type { Database } from 'better-sqlite3';
import type { ObservationIdIndex } from '../search/observation-ids.js';
import { traceKeyOf } from '../write/trace-keys.js';

export type DeleteTrace = (projectId: string, traceId: string) => boolean;

interface UsageRow {
  day: bigint;
  model: string;
  observation_count: bigint;
  input_tokens: bigint;
  output_tokens: bigint;
  total_tokens: bigint;
  total_cost: number;
  first_day_of_model: bigint;
}

export function createTraceDelete(db: Database, observationIds: ObservationIdIndex): DeleteTrace {
  const usageOfTrace = db
    .prepare(
      `SELECT day, model, count(*) AS observation_count,
         sum(CASE WHEN counts_in_trace_totals = 1 THEN coalesce(input_tokens, 0) + coalesce(cached_input_tokens, 0) + coalesce(cache_write_tokens, 0) ELSE 0 END) AS input_tokens,
         sum(CASE WHEN counts_in_trace_totals = 1 THEN coalesce(output_tokens, 0) + coalesce(reasoning_tokens, 0) ELSE 0 END) AS output_tokens,
         sum(CASE WHEN counts_in_trace_totals = 1 THEN coalesce(total_tokens, 0) ELSE 0 END) AS total_tokens,
         sum(CASE WHEN counts_in_trace_totals = 1 THEN coalesce(total_cost, 0) ELSE 0 END) AS total_cost,
         min(day) OVER (PARTITION BY model) AS first_day_of_model
       FROM (SELECT start_time_ns / 86400000000000 AS day, coalesce(model, '') AS model, counts_in_trace_totals,
               input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, total_tokens, total_cost
             FROM observations WHERE project_id = @projectId AND trace_key = ${traceKeyOf('@projectId', '@traceId')})
       GROUP BY day, model`,
    )
    .safeIntegers(true);
  const subtractUsage = db.prepare(`
    UPDATE daily_usage SET
      trace_count = max(0, trace_count - @traces), observation_count = observation_count - @observation_count,
      input_tokens = input_tokens - @input_tokens, output_tokens = output_tokens - @output_tokens,
      total_tokens = total_tokens - @total_tokens, total_cost = total_cost - @total_cost
    WHERE project_id = @projectId AND day = @day AND model = @model`);
  const dropEmptyUsage = db.prepare(
    `DELETE FROM daily_usage WHERE project_id = ? AND day = ? AND model = ? AND observation_count <= 0`,
  );
  const documents = db.prepare(`SELECT doc_id FROM search_docs WHERE project_id = ? AND trace_id = ?`).pluck().safeIntegers(true);
  const unindexWords = db.prepare(`DELETE FROM search_words WHERE rowid = ?`);
  const unindexNoSpace = db.prepare(`DELETE FROM search_cjk WHERE rowid = ?`);
  const keyedTables = ['observations', 'scores', 'trace_tags'];
  const tables = ['search_docs', 'gen_ai_log_messages'];
  const deleteRows = [
    ...keyedTables.map((table) => db.prepare(`DELETE FROM ${table} WHERE project_id = @projectId AND trace_key = ${traceKeyOf('@projectId', '@traceId')}`)),
    ...tables.map((table) => db.prepare(`DELETE FROM ${table} WHERE project_id = @projectId AND trace_id = @traceId`)),
  ];
  const deleteTrace = db.prepare('DELETE FROM traces WHERE project_id = @projectId AND id = @traceId');
  // Last: the rows above are found by it.
  const deleteTraceKey = db.prepare('DELETE FROM trace_keys WHERE project_id = @projectId AND trace_id = @traceId');

  return db.transaction((projectId: string, traceId: string): boolean => {
    for (const row of usageOfTrace.all({ projectId, traceId }) as UsageRow[]) {
      const { first_day_of_model: firstDay, ...usage } = row;
      subtractUsage.run({ projectId, ...usage, traces: row.model !== '' && row.day === firstDay ? 1 : 0 });
      dropEmptyUsage.run(projectId, row.day, row.model);
    }
    for (const docId of documents.all(projectId, traceId) as bigint[]) {
      unindexWords.run(docId);
      unindexNoSpace.run(docId);
      observationIds.remove(docId);
    }
    let removed = deleteTrace.run({ projectId, traceId }).changes > 0;
    for (const statement of deleteRows) removed = statement.run({ projectId, traceId }).changes > 0 || removed;
    deleteTraceKey.run({ projectId, traceId });
    return removed;
  });
}
