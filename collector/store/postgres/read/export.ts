/**
 * The PostgreSQL side of `spanlite copy` (contract.ts, CopyableStore): projects, exact counts,
 * pages of everything stored under trace ids, and what a target already holds of them, as
 * store/sqlite/read/export.ts answers them. Rows under a trace are found by its id, which leads
 * every table's key after the project. A page is read on one snapshot (snapshot.ts).
 */
import type { Pool } from 'pg';
import type { StoredCounts, TraceCopyState, TraceExport, TraceExportPage } from '../../contract.js';
import { copyStateSql, countStoredSql, groupTraceExports, MESSAGE_COLUMNS, projectIdsSql, toCopyStates, toStoredCounts } from '../../export-rows.js';
import type { CopyStateRow, CountsRow, MessageRow, PageRows } from '../../export-rows.js';
import { OBSERVATION_COLUMNS, SCORE_COLUMNS, TRACE_COLUMNS, toObservationRecord, toScoreRecord, toTraceRecord } from './rows.js';
import type { ObservationRow, ScoreRow, PostgresColumns, TraceRow } from './rows.js';
import { inSnapshot } from './snapshot.js';

export interface ExportReads {
  listProjects(): Promise<string[]>;
  countStored(projectId: string): Promise<StoredCounts>;
  exportTraces(projectId: string, page: TraceExportPage): Promise<TraceExport[]>;
  copyStates(projectId: string, traceIds: readonly string[]): Promise<Map<string, TraceCopyState>>;
}

const STORED_PAGE = `
  SELECT ${TRACE_COLUMNS}, t.fact_ranks FROM traces t
  WHERE t.project_id = $1 AND t.id > $2 ORDER BY t.id LIMIT $3`;

/** Ids with rows in `table` and no stored trace, in id order: each side stops at the page size in its key's order. */
function unstoredIdsOf(table: 'observations' | 'scores' | 'gen_ai_log_messages'): string {
  return `(SELECT DISTINCT r.trace_id FROM ${table} r
    WHERE r.project_id = $1 AND r.trace_id > $2 AND NOT EXISTS (SELECT 1 FROM traces t WHERE t.project_id = r.project_id AND t.id = r.trace_id)
    ORDER BY r.trace_id LIMIT $3)`;
}

const UNSTORED_PAGE = `
  SELECT trace_id FROM (${unstoredIdsOf('observations')} UNION ${unstoredIdsOf('scores')} UNION ${unstoredIdsOf('gen_ai_log_messages')}) ids
  ORDER BY trace_id LIMIT $3`;

const PAGE_IDS = '$2::text[]';
const OBSERVATIONS = `SELECT ${OBSERVATION_COLUMNS} FROM observations o WHERE o.project_id = $1 AND o.trace_id = ANY(${PAGE_IDS})
  ORDER BY o.trace_id, o.start_time_ns, o.id COLLATE "C"`;
const SCORES = `SELECT ${SCORE_COLUMNS} FROM scores s WHERE s.project_id = $1 AND s.trace_id = ANY(${PAGE_IDS})
  ORDER BY s.trace_id, s.time_ns, s.id COLLATE "C"`;
const MESSAGES = `SELECT ${MESSAGE_COLUMNS} FROM gen_ai_log_messages m WHERE m.project_id = $1 AND m.trace_id = ANY(${PAGE_IDS})
  ORDER BY m.trace_id, m.arrival`;
const STATES = copyStateSql({
  ids: `unnest(${PAGE_IDS}) AS k (id)`,
  project: '$1',
  underTrace: (alias) => `${alias}.trace_id = k.id`,
  waiting: 'm.waiting',
});

export function createExportReads(pool: Pool): ExportReads {
  return {
    async listProjects() {
      const result = await pool.query<{ id: string }>(projectIdsSql());
      return result.rows.map((row) => row.id).sort();
    },
    async countStored(projectId) {
      const result = await pool.query<CountsRow<PostgresColumns>>(countStoredSql('$1'), [projectId]);
      return toStoredCounts(result.rows[0]!);
    },
    exportTraces: (projectId, page) =>
      inSnapshot(pool, async (client) => {
        const cursor = [projectId, page.afterTraceId ?? '', page.limit];
        const traceRows = page.part === 'stored' ? (await client.query<TraceRow & { fact_ranks: unknown }>(STORED_PAGE, cursor)).rows : [];
        const traceIds =
          page.part === 'stored'
            ? traceRows.map((row) => row.id)
            : (await client.query<{ trace_id: string }>(UNSTORED_PAGE, cursor)).rows.map((row) => row.trace_id);
        if (traceIds.length === 0) return [];
        const params = [projectId, traceIds];
        const rows: PageRows<PostgresColumns> = {
          traces: traceRows,
          observations: (await client.query<ObservationRow>(OBSERVATIONS, params)).rows,
          scores: (await client.query<ScoreRow>(SCORES, params)).rows,
          messages: (await client.query<MessageRow<PostgresColumns>>(MESSAGES, params)).rows,
        };
        return groupTraceExports(traceIds, rows, { toTraceRecord, toObservationRecord, toScoreRecord });
      }),
    async copyStates(projectId, traceIds) {
      const result = await pool.query<CopyStateRow<PostgresColumns>>(STATES, [projectId, traceIds]);
      return toCopyStates(result.rows);
    },
  };
}
