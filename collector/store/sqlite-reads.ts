/** The SQLite read path for traces: one trace with everything under it, and filtered lists. */
import type { Database } from 'better-sqlite3';
import type { TraceListQuery, TraceOrderField } from './query-store.js';
import { QueryRejectedError } from './query-store.js';
import type { KeysetPage, TraceDetail, TraceListItem } from './views.js';
import type { Search } from './sqlite-search.js';
import { traceConditions } from './sqlite-trace-filter.js';
import { StatementCache } from './sqlite-statement-cache.js';
import { addAfterCondition, isValidPosition, orderBySql, positionOf, type SortKey } from './sqlite-keyset.js';
import {
  OBSERVATION_COLUMNS,
  SCORE_COLUMNS,
  TRACE_COLUMNS,
  toObservationView,
  toScoreView,
  toTraceView,
  type ObservationRow,
  type ScoreRow,
  type TraceRow,
} from './sqlite-rows.js';

export const TRACE_SORT_KEYS: Record<TraceOrderField, SortKey> = {
  timestamp: { expression: 't.start_time_ns', kind: 'integer', nullable: false, id: 't.id' },
  latency: { expression: '(t.end_time_ns - t.start_time_ns)', kind: 'integer', nullable: false, id: 't.id' },
  totalCost: { expression: 't.total_cost', kind: 'real', nullable: true, id: 't.id' },
  name: { expression: 't.name', kind: 'text', nullable: true, id: 't.id' },
};

/** Filter fields that narrow the list; without any, the count comes from the daily rollup. */
const NARROWING_FIELDS = [
  'userId', 'sessionId', 'name', 'tags', 'environments', 'release', 'version', 'fromTimeUnixNano', 'toTimeUnixNano',
  'level', 'minLatencyMs', 'maxLatencyMs', 'minCostUsd', 'maxCostUsd', 'scores', 'metadata', 'model', 'searchTerms',
] as const satisfies ReadonlyArray<keyof TraceListQuery>;

export interface TraceReads {
  getTrace(projectId: string, traceId: string): TraceDetail | null;
  listTraces(projectId: string, query: TraceListQuery): KeysetPage<TraceListItem>;
}

export function createTraceReads(db: Database, search: Search): TraceReads {
  const selectTrace = db.prepare(`SELECT ${TRACE_COLUMNS} FROM traces t WHERE t.project_id = ? AND t.id = ?`).safeIntegers(true);
  const selectObservations = db
    .prepare(`SELECT ${OBSERVATION_COLUMNS} FROM observations o WHERE o.project_id = ? AND o.trace_id = ? ORDER BY o.start_time_ns, o.id`)
    .safeIntegers(true);
  const selectScores = db
    .prepare(`SELECT ${SCORE_COLUMNS} FROM scores s WHERE s.project_id = ? AND s.trace_id = ? ORDER BY s.time_ns, s.id`)
    .safeIntegers(true);
  const countAllTraces = db
    .prepare(`SELECT coalesce(sum(trace_count), 0) AS n FROM daily_traces WHERE project_id = ?`)
    .safeIntegers(true);
  const statements = new StatementCache(db);

  function getTrace(projectId: string, traceId: string): TraceDetail | null {
    const row = selectTrace.get(projectId, traceId) as TraceRow | undefined;
    if (!row) return null;
    const trace = toTraceView(row);
    const observations = (selectObservations.all(projectId, traceId) as ObservationRow[]).map((o) =>
      toObservationView(o, trace.environment),
    );
    const scores = (selectScores.all(projectId, traceId) as ScoreRow[]).map((s) => toScoreView(s, trace.environment));
    return { ...trace, observations, scores };
  }

  function countTraces(projectId: string, query: TraceListQuery, where: string, params: Record<string, unknown>): number {
    if (!NARROWING_FIELDS.some((field) => query[field] !== undefined)) {
      return Number((countAllTraces.get(projectId) as { n: bigint }).n);
    }
    const row = statements.get(`SELECT count(*) AS n FROM traces t WHERE ${where}`).get(params) as { n: bigint };
    return Number(row.n);
  }

  function listTraces(projectId: string, query: TraceListQuery): KeysetPage<TraceListItem> {
    const key = TRACE_SORT_KEYS[query.orderBy.field];
    const orderBy = `${query.orderBy.field}.${query.orderBy.direction}`;
    const conditions = traceConditions(projectId, query, search);
    const totalItems = countTraces(projectId, query, conditions.sql, conditions.params);

    if (query.after) {
      if (query.after.orderBy !== orderBy || !isValidPosition(key, query.after)) {
        throw new QueryRejectedError('after', `the position was made for orderBy ${query.after.orderBy}, not ${orderBy}`);
      }
      addAfterCondition(conditions, key, query.orderBy.direction, query.after);
    }
    const offset = query.after ? 0 : (query.page - 1) * query.limit;
    const rows = statements
      .get(
        `SELECT ${TRACE_COLUMNS}, ${key.expression} AS sort_value FROM traces t WHERE ${conditions.sql}
         ORDER BY ${orderBySql(key, query.orderBy.direction)} LIMIT @limit OFFSET @offset`,
      )
      .all({ ...conditions.params, limit: query.limit + 1, offset }) as Array<TraceRow & { sort_value: unknown }>;
    const hasMore = rows.length > query.limit;
    if (hasMore) rows.pop();

    const ids = rows.map((row) => row.id);
    const observationIds = idsByTrace(statements, 'observations', projectId, ids);
    const scoreIds = idsByTrace(statements, 'scores', projectId, ids);
    const last = rows.at(-1);
    return {
      data: rows.map((row) => ({
        ...toTraceView(row),
        observations: observationIds.get(row.id) ?? [],
        scores: scoreIds.get(row.id) ?? [],
      })),
      meta: { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) },
      next: hasMore && last ? positionOf(orderBy, key, last.sort_value, last.id) : null,
    };
  }

  return { getTrace, listTraces };
}

function idsByTrace(
  statements: StatementCache,
  table: 'observations' | 'scores',
  projectId: string,
  traceIds: readonly string[],
): Map<string, string[]> {
  const result = new Map<string, string[]>();
  if (traceIds.length === 0) return result;
  const rows = statements
    .get(
      `SELECT trace_id, id FROM ${table} WHERE project_id = ? AND trace_id IN (${traceIds.map(() => '?').join(', ')})
       ORDER BY trace_id, id`,
    )
    .all(projectId, ...traceIds) as Array<{ trace_id: string; id: string }>;
  for (const { trace_id: traceId, id } of rows) {
    const list = result.get(traceId);
    if (list) list.push(id);
    else result.set(traceId, [id]);
  }
  return result;
}
