/** The SQLite read path for traces: one trace with everything under it, and filtered lists. */
import type { Database } from 'better-sqlite3';
import type {
  KeysetPage,
  ScoreSummary,
  TraceDetailRecord,
  TraceFilter,
  TraceListLevel,
  TraceListQuery,
  TraceListRecord,
  TraceOrderField,
} from '../../contract.js';
import { QueryRejectedError } from '../../contract.js';
import type { Search } from '../search/search.js';
import type { ScoreRepeats } from '../write/score-repeats.js';
import { singleSubquery, traceConditions } from './trace-filter.js';
import { createSearchList } from '../search/search-list.js';
import { StatementCache } from '../statement-cache.js';
import { traceKeyOf } from '../write/trace-keys.js';
import { addAfterCondition, isValidPosition, orderBySql, positionOf, type SortKey } from './keyset.js';
import {
  OBSERVATION_COLUMNS,
  SCORE_COLUMNS,
  TRACE_COLUMNS,
  toObservationRecord,
  toScoreRecord,
  toTraceRecord,
  type ObservationRow,
  type ScoreRow,
  type TraceRow,
} from './rows.js';
import { toScoreSummary, type ScoreSummaryRow } from '../../record-rows.js';

export const TRACE_SORT_KEYS: Record<TraceOrderField, SortKey> = {
  timestamp: { expression: 't.start_time_ns', kind: 'integer', nullable: false, id: 't.id' },
  latency: { expression: '(t.end_time_ns - t.start_time_ns)', kind: 'integer', nullable: false, id: 't.id' },
  totalCost: { expression: 't.total_cost', kind: 'real', nullable: true, id: 't.id' },
  name: { expression: 't.name', kind: 'text', nullable: true, id: 't.id' },
};

/** A page probes conditions on other tables when it should find its rows within this many traces. */
const MAX_PROBED_TRACES = 20_000;

/** Filter fields that narrow the list; without any, the count comes from the daily rollup. */
const NARROWING_FIELDS = [
  'userId', 'sessionId', 'name', 'tags', 'environments', 'release', 'version', 'fromTimeUnixNano', 'toTimeUnixNano',
  'level', 'minLatencyMs', 'maxLatencyMs', 'minCostUsd', 'maxCostUsd', 'scores', 'metadata', 'model', 'searchTerms',
] as const satisfies ReadonlyArray<keyof TraceListQuery>;

export interface TraceReads {
  getTrace(projectId: string, traceId: string): TraceDetailRecord | null;
  listTraces(projectId: string, query: TraceListQuery): KeysetPage<TraceListRecord>;
}

export function createTraceReads(db: Database, search: Search, scoreRepeats: ScoreRepeats): TraceReads {
  const selectTrace = db.prepare(`SELECT ${TRACE_COLUMNS} FROM traces t WHERE t.project_id = ? AND t.id = ?`).safeIntegers(true);
  // The unary + keeps the by-time indexes from being chosen to save the sort: without planner
  // statistics (a new database) SQLite would walk every row of the project in time order
  // rather than seek the trace's few rows and sort them.
  const selectObservations = db
    .prepare(
      `SELECT ${OBSERVATION_COLUMNS} FROM observations o
       WHERE o.project_id = @projectId AND o.trace_key = ${traceKeyOf('@projectId', '@traceId')} ORDER BY +o.start_time_ns, o.id`,
    )
    .safeIntegers(true);
  const selectScores = db
    .prepare(
      `SELECT ${SCORE_COLUMNS} FROM scores s
       WHERE s.project_id = @projectId AND s.trace_key = ${traceKeyOf('@projectId', '@traceId')} ORDER BY +s.time_ns, s.id`,
    )
    .safeIntegers(true);
  const countAllTraces = db
    .prepare(`SELECT coalesce(sum(trace_count), 0) AS n FROM daily_traces WHERE project_id = ?`)
    .safeIntegers(true);
  const statements = new StatementCache(db);
  const listBySearch = createSearchList(statements, search);

  function getTrace(projectId: string, traceId: string): TraceDetailRecord | null {
    const row = selectTrace.get(projectId, traceId) as TraceRow | undefined;
    if (!row) return null;
    const trace = toTraceRecord(row);
    const observations = (selectObservations.all({ projectId, traceId }) as ObservationRow[]).map((o) =>
      toObservationRecord(o, trace.environment),
    );
    const scores = (selectScores.all({ projectId, traceId }) as ScoreRow[]).map((s) => toScoreRecord(s, trace.environment));
    return { ...trace, observations, scores };
  }

  /**
   * The number of traces matching, by the cheapest exact route: the daily rollup without
   * filters; the per-tag rollup, or the tag index alone, for tags only; the covering index of a
   * single condition on another table (level, model, score), without reading traces; otherwise
   * a count over the narrow trace indexes. A single score condition on a name no trace repeats
   * counts its matching scores: each is on a different trace. Scores of traces not stored are
   * taken out after.
   */
  function countTraces(projectId: string, query: TraceListQuery, narrowing: ReadonlyArray<keyof TraceFilter>): number {
    const count = (sql: string, params: Record<string, unknown>) => Number((statements.get(sql).get(params) as { n: bigint }).n);
    if (narrowing.length === 0) return Number((countAllTraces.get(projectId) as { n: bigint }).n);
    if (narrowing.length === 1 && narrowing[0] === 'tags') {
      const [first, ...others] = query.tags!;
      if (others.length === 0) {
        return count(`SELECT coalesce(max(trace_count), 0) AS n FROM tag_counts WHERE project_id = @projectId AND tag = @first`, { projectId, first });
      }
      const also = others.map((_, i) => `AND EXISTS (SELECT 1 FROM trace_tags o${i} WHERE o${i}.project_id = @projectId AND o${i}.tag = @tag${i} AND o${i}.trace_key = g.trace_key)`);
      const params = Object.fromEntries(others.map((tag, i) => [`tag${i}`, tag]));
      return count(`SELECT count(*) AS n FROM trace_tags g WHERE g.project_id = @projectId AND g.tag = @first ${also.join(' ')}`, { projectId, first, ...params });
    }
    const single = singleSubquery(projectId, query, narrowing);
    if (single) {
      const tracesRepeat = narrowing[0] !== 'scores' || scoreRepeats.mayRepeat(projectId, query.scores![0]!.name);
      // Over `+trace`: otherwise SQLite reads a by-trace index whole, for its order, rather than the condition's range.
      const matching = tracesRepeat
        ? count(`SELECT count(DISTINCT id) AS n FROM (SELECT +trace AS id FROM (${single.sql}))`, single.params)
        : count(`SELECT count(*) AS n FROM (${single.sql})`, single.params);
      return single.unstoredTracesSql === undefined ? matching : matching - count(single.unstoredTracesSql, single.params);
    }
    const conditions = traceConditions(projectId, query, search, 'set');
    return count(`SELECT count(*) AS n FROM traces t WHERE ${conditions.sql}`, conditions.params);
  }

  /**
   * A page in two steps: the ids of its rows, found from indexes alone where the filters allow
   * (the narrow trace indexes of store/sqlite/schema.ts), then those rows. Reading whole trace rows only
   * for the page keeps a filtered page cheap however many traces are looked at to find it.
   */
  function listTraces(projectId: string, query: TraceListQuery): KeysetPage<TraceListRecord> {
    const key = TRACE_SORT_KEYS[query.orderBy.field];
    const orderBy = `${query.orderBy.field}.${query.orderBy.direction}`;
    if (query.after && (query.after.orderBy !== orderBy || !isValidPosition(key, query.after))) {
      throw new QueryRejectedError('after', `the position was made for orderBy ${query.after.orderBy}, not ${orderBy}`);
    }
    const narrowing = NARROWING_FIELDS.filter((field) => query[field] !== undefined);
    if (narrowing.length === 1 && narrowing[0] === 'searchTerms' && query.orderBy.field === 'timestamp') {
      const { found, hasMore, count } = listBySearch(projectId, query, query.searchTerms!);
      return pageOf(projectId, query, found, hasMore, count);
    }
    const totalItems = countTraces(projectId, query, narrowing);
    const offset = query.after ? 0 : (query.page - 1) * query.limit;
    // Probe conditions on other tables while walking the traces in order, unless the matches
    // are so sparse that the walk would be long: then start from them.
    const allTraces = Number((countAllTraces.get(projectId) as { n: bigint }).n);
    const walk = ((offset + query.limit + 1) * allTraces) / Math.max(totalItems, 1);
    const conditions = traceConditions(projectId, query, search, walk <= MAX_PROBED_TRACES ? 'probe' : 'set');
    if (query.after) addAfterCondition(conditions, key, query.orderBy.direction, query.after);
    const found = statements
      .get(
        `SELECT t.id, ${key.expression} AS sort_value FROM traces t WHERE ${conditions.sql}
         ORDER BY ${orderBySql(key, query.orderBy.direction)} LIMIT @limit OFFSET @offset`,
      )
      .all({ ...conditions.params, limit: query.limit + 1, offset }) as Array<{ id: string; sort_value: unknown }>;
    const hasMore = found.length > query.limit;
    return pageOf(projectId, query, found.slice(0, query.limit), hasMore, { totalItems, lowerBound: false });
  }

  /** The rows of a page, in the order found, with their observation ids, worst level and scores. */
  function pageOf(
    projectId: string,
    query: TraceListQuery,
    found: ReadonlyArray<{ id: string; sort_value: unknown }>,
    hasMore: boolean,
    count: { totalItems: number; lowerBound: boolean },
  ): KeysetPage<TraceListRecord> {
    const key = TRACE_SORT_KEYS[query.orderBy.field];
    const ids = found.map((row) => row.id);
    const rows = new Map((rowsById(statements, 'traces', TRACE_COLUMNS, projectId, ids) as TraceRow[]).map((row) => [row.id, row]));
    const observations = observationIdsByTrace(statements, projectId, ids);
    const levels = levelsByTrace(statements, projectId, ids);
    const scores = scoresByTrace(statements, projectId, ids);
    const last = found.at(-1);
    const { totalItems } = count;
    return {
      data: ids.flatMap((id) => {
        const row = rows.get(id);
        if (!row) return [];
        return [
          {
            ...toTraceRecord(row),
            observationIds: observations.get(id) ?? [],
            level: levels.get(id) ?? 'DEFAULT',
            scores: scores.get(id) ?? [],
          },
        ];
      }),
      meta: { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) },
      next: hasMore && last ? positionOf(`${query.orderBy.field}.${query.orderBy.direction}`, key, last.sort_value, last.id) : null,
      totalItemsIsLowerBound: count.lowerBound,
    };
  }

  return { getTrace, listTraces };
}

function rowsById(statements: StatementCache, table: 'traces', columns: string, projectId: string, ids: readonly string[]): unknown[] {
  if (ids.length === 0) return [];
  return statements
    .get(`SELECT ${columns} FROM ${table} t WHERE t.project_id = ? AND t.id IN (${placeholders(ids)})`)
    .all(projectId, ...ids);
}

/** Each trace's observation ids, from the trace keys and the (project, trace key, id) index alone. */
function observationIdsByTrace(statements: StatementCache, projectId: string, traceIds: readonly string[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  if (traceIds.length === 0) return result;
  const rows = statements
    .get(
      `SELECT k.trace_id, o.id FROM trace_keys k JOIN observations o ON o.project_id = k.project_id AND o.trace_key = k.key
       WHERE k.project_id = ? AND k.trace_id IN (${placeholders(traceIds)}) ORDER BY k.trace_id, o.id`,
    )
    .all(projectId, ...traceIds) as Array<{ trace_id: string; id: string }>;
  for (const { trace_id: traceId, id } of rows) {
    const list = result.get(traceId);
    if (list) list.push(id);
    else result.set(traceId, [id]);
  }
  return result;
}

/**
 * The traces with an ERROR or WARNING observation and the worse of the two, from the partial
 * index observations_by_level alone (reading each observation's level would read its row).
 */
function levelsByTrace(statements: StatementCache, projectId: string, traceIds: readonly string[]): Map<string, TraceListLevel> {
  const result = new Map<string, TraceListLevel>();
  if (traceIds.length === 0) return result;
  const rows = statements
    .get(
      `SELECT DISTINCT trace_id, level FROM observations
       WHERE project_id = ? AND level IN ('ERROR', 'WARNING') AND trace_id IN (${placeholders(traceIds)})`,
    )
    .all(projectId, ...traceIds) as Array<{ trace_id: string; level: 'ERROR' | 'WARNING' }>;
  for (const { trace_id: traceId, level } of rows) {
    if (level === 'ERROR' || !result.has(traceId)) result.set(traceId, level);
  }
  return result;
}

/** Each trace's scores as a list row shows them, in id order: from the trace keys and the index scores_by_trace alone. */
function scoresByTrace(statements: StatementCache, projectId: string, traceIds: readonly string[]): Map<string, ScoreSummary[]> {
  const result = new Map<string, ScoreSummary[]>();
  if (traceIds.length === 0) return result;
  const rows = statements
    .get(
      `SELECT k.trace_id, s.id, s.name, s.value, s.string_value, s.data_type, s.source, s.observation_id
       FROM trace_keys k JOIN scores s ON s.project_id = k.project_id AND s.trace_key = k.key
       WHERE k.project_id = ? AND k.trace_id IN (${placeholders(traceIds)}) ORDER BY k.trace_id, s.id`,
    )
    .all(projectId, ...traceIds) as ScoreSummaryRow[];
  for (const row of rows) {
    const score = toScoreSummary(row);
    const list = result.get(row.trace_id);
    if (list) list.push(score);
    else result.set(row.trace_id, [score]);
  }
  return result;
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}
