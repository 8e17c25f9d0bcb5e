/**
 * The SQLite side of `spanlite copy` (contract.ts, CopyableStore): projects, exact counts, pages
 * of everything stored under trace ids, and what a target already holds of them. Rows under a
 * trace are found by its trace key (write/trace-keys.ts), which every observation and score has:
 * the trace keys table is also what lists the ids of traces not stored. A page is read in one
 * transaction, so a collector committing meanwhile shows in all of it or in none.
 */
import type { Database } from 'better-sqlite3';
import type { StoredCounts, TraceCopyState, TraceExport, TraceExportPage } from '../../contract.js';
import { copyStateSql, countStoredSql, groupTraceExports, MESSAGE_COLUMNS, projectIdsSql, toCopyStates, toStoredCounts } from '../../export-rows.js';
import type { CopyStateRow, CountsRow, MessageRow, PageRows } from '../../export-rows.js';
import { traceKeyOf } from '../write/trace-keys.js';
import { OBSERVATION_COLUMNS, SCORE_COLUMNS, TRACE_COLUMNS, toObservationRecord, toScoreRecord, toTraceRecord } from './rows.js';
import type { ObservationRow, ScoreRow, SqliteColumns, TraceRow } from './rows.js';

export interface ExportReads {
  listProjects(): string[];
  countStored(projectId: string): StoredCounts;
  exportTraces(projectId: string, page: TraceExportPage): TraceExport[];
  copyStates(projectId: string, traceIds: readonly string[]): Map<string, TraceCopyState>;
}

/** The page's trace ids, as a JSON array parameter. */
const PAGE_IDS = `(SELECT value FROM json_each(@ids))`;

export function createExportReads(db: Database): ExportReads {
  const prepare = (sql: string) => db.prepare(sql).safeIntegers(true);
  const projects = db.prepare(projectIdsSql()).pluck();
  const counts = prepare(countStoredSql('@projectId'));
  const storedPage = prepare(`
    SELECT ${TRACE_COLUMNS}, t.fact_ranks FROM traces t
    WHERE t.project_id = @projectId AND t.id > @after ORDER BY t.id LIMIT @limit`);
  // Each side stops at the page size in its own index order: a page never reads the whole table.
  const unstoredPage = db
    .prepare(`
      SELECT trace_id FROM (
        SELECT * FROM (
          SELECT k.trace_id FROM trace_keys k
          WHERE k.project_id = @projectId AND k.trace_id > @after AND NOT EXISTS (SELECT 1 FROM traces t WHERE t.trace_key = k.key)
          ORDER BY k.trace_id LIMIT @limit)
        UNION
        SELECT * FROM (
          SELECT DISTINCT m.trace_id FROM gen_ai_log_messages m
          WHERE m.project_id = @projectId AND m.trace_id > @after
            AND NOT EXISTS (SELECT 1 FROM trace_keys k WHERE k.project_id = m.project_id AND k.trace_id = m.trace_id)
          ORDER BY m.trace_id LIMIT @limit))
      ORDER BY trace_id LIMIT @limit`)
    .pluck();
  const underPage = (table: 'observations' | 'scores', columns: string, alias: 'o' | 's', order: string) =>
    prepare(`
      SELECT ${columns} FROM trace_keys k JOIN ${table} ${alias} ON ${alias}.project_id = k.project_id AND ${alias}.trace_key = k.key
      WHERE k.project_id = @projectId AND k.trace_id IN ${PAGE_IDS} ORDER BY ${order}`);
  const observations = underPage('observations', OBSERVATION_COLUMNS, 'o', 'o.trace_id, o.start_time_ns, o.id');
  const scores = underPage('scores', SCORE_COLUMNS, 's', 's.trace_id, s.time_ns, s.id');
  const messages = prepare(`
    SELECT ${MESSAGE_COLUMNS} FROM gen_ai_log_messages m
    WHERE m.project_id = @projectId AND m.trace_id IN ${PAGE_IDS} ORDER BY m.trace_id, m.arrival`);
  const states = prepare(
    copyStateSql({
      ids: `(SELECT value AS id FROM json_each(@ids)) k`,
      project: '@projectId',
      underTrace: (alias) => `${alias}.trace_key = ${traceKeyOf('@projectId', 'k.id')}`,
      waiting: 'm.waiting = 1',
    }),
  );

  const exportPage = db.transaction((projectId: string, page: TraceExportPage): TraceExport[] => {
    const cursor = { projectId, after: page.afterTraceId ?? '', limit: page.limit };
    const traceRows = page.part === 'stored' ? (storedPage.all(cursor) as Array<TraceRow & { fact_ranks: string }>) : [];
    const traceIds = page.part === 'stored' ? traceRows.map((row) => row.id) : (unstoredPage.all(cursor) as string[]);
    if (traceIds.length === 0) return [];
    const params = { projectId, ids: JSON.stringify(traceIds) };
    const rows: PageRows<SqliteColumns> = {
      traces: traceRows,
      observations: observations.all(params) as ObservationRow[],
      scores: scores.all(params) as ScoreRow[],
      messages: messages.all(params) as Array<MessageRow<SqliteColumns>>,
    };
    return groupTraceExports(traceIds, rows, { toTraceRecord, toObservationRecord, toScoreRecord });
  });

  return {
    listProjects: () => (projects.all() as string[]).sort(),
    countStored: (projectId) => toStoredCounts(counts.get({ projectId }) as CountsRow<SqliteColumns>),
    // Deferred: the transaction takes no write lock, only a snapshot from its first read.
    exportTraces: (projectId, page) => exportPage.deferred(projectId, page),
    copyStates: (projectId, traceIds) =>
      toCopyStates(states.all({ projectId, ids: JSON.stringify(traceIds) }) as Array<CopyStateRow<SqliteColumns>>),
  };
}
