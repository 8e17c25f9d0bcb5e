/** The SQLite read path for traces: one trace with everything under it, and filtered lists. */
import type { Database } from 'better-sqlite3';
import type { TraceFilter, TraceListQuery, TraceOrderField } from './query-store.js';
import { QueryRejectedError } from './query-store.js';
import type { KeysetPage, TraceDetail, TraceListItem } from './views.js';
import type { Search } from './sqlite-search.js';
import { singleSubquery, traceConditions } from './sqlite-trace-filter.js';
import { DOC_IDS_PER_MS } from './search-text.js';
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

/** A search counts its traces exactly up to this many (see listSearchMatches). */
const MAX_EXACT_SEARCH_COUNT = 10_000;
/** Extra matches read past a search page, so a trace whose documents sit slightly out of time order still sorts into place. */
const SEARCH_ORDER_MARGIN = 64;

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

  /**
   * The number of traces matching, by the cheapest exact route: the daily rollup without
   * filters; the per-tag rollup, or the tag index alone, for tags only; the covering index of a
   * single condition on another table (level, model, score), without reading traces; otherwise
   * a count over the narrow trace indexes.
   */
  function countTraces(projectId: string, query: TraceListQuery, narrowing: ReadonlyArray<keyof TraceFilter>): number {
    const count = (sql: string, params: Record<string, unknown>) => Number((statements.get(sql).get(params) as { n: bigint }).n);
    if (narrowing.length === 0) return Number((countAllTraces.get(projectId) as { n: bigint }).n);
    if (narrowing.length === 1 && narrowing[0] === 'tags') {
      const [first, ...others] = query.tags!;
      if (others.length === 0) {
        return count(`SELECT coalesce(max(trace_count), 0) AS n FROM tag_counts WHERE project_id = @projectId AND tag = @first`, { projectId, first });
      }
      const also = others.map((_, i) => `AND EXISTS (SELECT 1 FROM trace_tags o${i} WHERE o${i}.project_id = @projectId AND o${i}.tag = @tag${i} AND o${i}.trace_id = g.trace_id)`);
      const params = Object.fromEntries(others.map((tag, i) => [`tag${i}`, tag]));
      return count(`SELECT count(*) AS n FROM trace_tags g WHERE g.project_id = @projectId AND g.tag = @first ${also.join(' ')}`, { projectId, first, ...params });
    }
    const single = singleSubquery(projectId, query, narrowing);
    if (single) return count(`SELECT count(DISTINCT trace_id) AS n FROM (${single.sql})`, single.params);
    const conditions = traceConditions(projectId, query, search, 'count');
    return count(`SELECT count(*) AS n FROM traces t WHERE ${conditions.sql}`, conditions.params);
  }

  /**
   * A page in two steps: the ids of its rows, found from indexes alone where the filters allow
   * (the narrow ones of the query migration), then those rows. Reading whole trace rows only
   * for the page keeps a filtered page cheap however many traces are looked at to find it.
   */
  function listTraces(projectId: string, query: TraceListQuery): KeysetPage<TraceListItem> {
    const key = TRACE_SORT_KEYS[query.orderBy.field];
    const orderBy = `${query.orderBy.field}.${query.orderBy.direction}`;
    if (query.after && (query.after.orderBy !== orderBy || !isValidPosition(key, query.after))) {
      throw new QueryRejectedError('after', `the position was made for orderBy ${query.after.orderBy}, not ${orderBy}`);
    }
    const narrowing = NARROWING_FIELDS.filter((field) => query[field] !== undefined);
    if (narrowing.length === 1 && narrowing[0] === 'searchTerms' && query.searchTerms!.length === 1 && query.orderBy.field === 'timestamp') {
      return listSearchMatches(projectId, query, query.searchTerms![0]!);
    }
    const totalItems = countTraces(projectId, query, narrowing);
    const conditions = traceConditions(projectId, query, search, 'page');
    if (query.after) addAfterCondition(conditions, key, query.orderBy.direction, query.after);
    const offset = query.after ? 0 : (query.page - 1) * query.limit;
    const found = statements
      .get(
        `SELECT t.id, ${key.expression} AS sort_value FROM traces t WHERE ${conditions.sql}
         ORDER BY ${orderBySql(key, query.orderBy.direction)} LIMIT @limit OFFSET @offset`,
      )
      .all({ ...conditions.params, limit: query.limit + 1, offset }) as Array<{ id: string; sort_value: unknown }>;
    const hasMore = found.length > query.limit;
    return pageOf(projectId, query, found.slice(0, query.limit), hasMore, { totalItems, estimated: false });
  }

  /**
   * One search term and nothing else, newest (or oldest) first: the term's documents come from
   * the index in trace time order (their ids are; see search-text.ts), so the page is read from
   * the first few matches instead of all of them. A trace whose start moved earlier after its
   * first document (an earlier span arriving late) may show a little late in that order.
   * The count is exact up to MAX_EXACT_SEARCH_COUNT traces, and above it the number of matching
   * documents (one per trace per batch written, so close): counting a word found in a third of
   * a million traces exactly would cost more than the rest of the request.
   */
  function listSearchMatches(projectId: string, query: TraceListQuery, term: string): KeysetPage<TraceListItem> {
    const match = search.matchFor(term);
    if (match === null) return pageOf(projectId, query, [], false, { totalItems: 0, estimated: false });
    const { index, expression } = match;
    const desc = query.orderBy.direction === 'desc';
    const params: Record<string, unknown> = { projectId, expression };
    let bound = '';
    if (query.after) {
      const ms = BigInt(query.after.value as string) / 1_000_000n;
      params.bound = (desc ? ms + 1n : ms) * BigInt(DOC_IDS_PER_MS);
      bound = `AND ${index}.rowid ${desc ? '<' : '>='} @bound`;
    }
    const matches = `FROM ${index} JOIN search_docs d ON d.doc_id = ${index}.rowid
      WHERE ${index} MATCH @expression AND d.project_id = @projectId`;
    const exact = Number(
      (statements.get(`SELECT count(*) AS n FROM (SELECT DISTINCT d.trace_id ${matches} LIMIT ${MAX_EXACT_SEARCH_COUNT + 1})`).get(params) as { n: bigint }).n,
    );
    const documents = () =>
      Number((statements.get(`SELECT count(*) AS n FROM ${index} WHERE ${index} MATCH @expression`).get({ expression }) as { n: bigint }).n);
    const count = exact <= MAX_EXACT_SEARCH_COUNT ? { totalItems: exact, estimated: false } : { totalItems: Math.max(exact, documents()), estimated: true };

    const offset = query.after ? 0 : (query.page - 1) * query.limit;
    const wanted = offset + query.limit + 1 + SEARCH_ORDER_MARGIN;
    const candidates = new Set<string>();
    for (const row of statements.get(`SELECT d.trace_id ${matches} ${bound} ORDER BY ${index}.rowid ${desc ? 'DESC' : 'ASC'}`).iterate(params)) {
      candidates.add((row as { trace_id: string }).trace_id);
      if (candidates.size >= wanted) break;
    }
    const ordered = (rowsById(statements, 'traces', 't.id, t.start_time_ns', projectId, [...candidates]) as Array<{ id: string; start_time_ns: bigint }>)
      .filter((row) => query.after === undefined || isAfter(row, query.after.value as string, query.after.id, desc))
      .sort((a, b) => (a.start_time_ns === b.start_time_ns ? compare(a.id, b.id) : a.start_time_ns < b.start_time_ns ? -1 : 1) * (desc ? -1 : 1))
      .map((row) => ({ id: row.id, sort_value: row.start_time_ns }));
    return pageOf(projectId, query, ordered.slice(offset, offset + query.limit), ordered.length > offset + query.limit, count);
  }

  /** The rows of a page, in the order found, with their observation and score ids. */
  function pageOf(
    projectId: string,
    query: TraceListQuery,
    found: ReadonlyArray<{ id: string; sort_value: unknown }>,
    hasMore: boolean,
    count: { totalItems: number; estimated: boolean },
  ): KeysetPage<TraceListItem> {
    const key = TRACE_SORT_KEYS[query.orderBy.field];
    const ids = found.map((row) => row.id);
    const rows = new Map((rowsById(statements, 'traces', TRACE_COLUMNS, projectId, ids) as TraceRow[]).map((row) => [row.id, row]));
    const observationIds = idsByTrace(statements, 'observations', projectId, ids);
    const scoreIds = idsByTrace(statements, 'scores', projectId, ids);
    const last = found.at(-1);
    const { totalItems } = count;
    return {
      data: ids.flatMap((id) => {
        const row = rows.get(id);
        return row ? [{ ...toTraceView(row), observations: observationIds.get(id) ?? [], scores: scoreIds.get(id) ?? [] }] : [];
      }),
      meta: { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) },
      next: hasMore && last ? positionOf(`${query.orderBy.field}.${query.orderBy.direction}`, key, last.sort_value, last.id) : null,
      totalItemsEstimated: count.estimated,
    };
  }

  return { getTrace, listTraces };
}

function isAfter(row: { id: string; start_time_ns: bigint }, value: string, id: string, desc: boolean): boolean {
  const start = BigInt(value);
  if (row.start_time_ns === start) return desc ? row.id < id : row.id > id;
  return desc ? row.start_time_ns < start : row.start_time_ns > start;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function rowsById(statements: StatementCache, table: 'traces', columns: string, projectId: string, ids: readonly string[]): unknown[] {
  if (ids.length === 0) return [];
  return statements
    .get(`SELECT ${columns} FROM ${table} t WHERE t.project_id = ? AND t.id IN (${ids.map(() => '?').join(', ')})`)
    .all(projectId, ...ids);
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
