/**
 * The PostgreSQL read path for traces: one trace with everything under it, and filtered lists,
 * answering exactly as the SQLite engine does (store/sqlite/read/traces.ts): the same rows in
 * the same order, ties by id, the same counts, pages and keyset positions.
 */
import type { Pool, PoolClient } from 'pg';
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
import { pageMeta } from './conditions.js';
import { addAfterCondition, isValidPosition, orderBySql, positionOf, type SortKey } from './keyset.js';
import {
  OBSERVATION_COLUMNS,
  SCORE_COLUMNS,
  SCORE_SUMMARY_COLUMNS,
  TRACE_COLUMNS,
  toObservationRecord,
  toScoreRecord,
  toScoreSummary,
  toTraceRecord,
  type ObservationRow,
  type ScoreRow,
  type ScoreSummaryRow,
  type TraceRow,
} from './rows.js';
import { inSnapshot } from './snapshot.js';
import type { TraceSearch } from '../search/search.js';
import { scoreOnlyCount, traceConditions } from './trace-filter.js';
import { conditionForm, withHashedSubplan } from './condition-form.js';
import { withLocalSettings } from './local-settings.js';

/** Text keys and ids compare by their bytes (COLLATE "C"), as SQLite's BINARY collation does. */
export const TRACE_SORT_KEYS: Record<TraceOrderField, SortKey> = {
  timestamp: { expression: 't.start_time_ns', kind: 'integer', nullable: false, id: 't.id COLLATE "C"' },
  latency: { expression: '(t.end_time_ns - t.start_time_ns)', kind: 'integer', nullable: false, id: 't.id COLLATE "C"' },
  totalCost: { expression: 't.total_cost', kind: 'real', nullable: true, id: 't.id COLLATE "C"' },
  name: { expression: 't.name COLLATE "C"', kind: 'text', nullable: true, id: 't.id COLLATE "C"' },
};

/** Filter fields that narrow the list; without any, the count comes from the daily rollup. */
const NARROWING_FIELDS = [
  'userId', 'sessionId', 'name', 'tags', 'environments', 'release', 'version', 'fromTimeUnixNano', 'toTimeUnixNano',
  'level', 'minLatencyMs', 'maxLatencyMs', 'minCostUsd', 'maxCostUsd', 'scores', 'metadata', 'model', 'searchTerms',
] as const satisfies ReadonlyArray<keyof TraceFilter>;

export interface TraceReads {
  getTrace(projectId: string, traceId: string): Promise<TraceDetailRecord | null>;
  listTraces(projectId: string, query: TraceListQuery): Promise<KeysetPage<TraceListRecord>>;
}

/** `search` finds `searchTerms` (store/postgres/search/search.ts): its condition, and its own list for terms alone. */
export function createTraceReads(pool: Pool, search: Pick<TraceSearch, 'condition' | 'list'>): TraceReads {
  async function getTrace(projectId: string, traceId: string): Promise<TraceDetailRecord | null> {
    return inSnapshot(pool, async (client) => {
      const { rows } = await client.query<TraceRow>(`SELECT ${TRACE_COLUMNS} FROM traces t WHERE t.project_id = $1 AND t.id = $2`, [
        projectId,
        traceId,
      ]);
      if (rows.length === 0) return null;
      const trace = toTraceRecord(rows[0]!);
      const observations = await client.query<ObservationRow>(
        `SELECT ${OBSERVATION_COLUMNS} FROM observations o WHERE o.project_id = $1 AND o.trace_id = $2
         ORDER BY o.start_time_ns, o.id COLLATE "C"`,
        [projectId, traceId],
      );
      const scores = await client.query<ScoreRow>(
        `SELECT ${SCORE_COLUMNS} FROM scores s WHERE s.project_id = $1 AND s.trace_id = $2 ORDER BY s.time_ns, s.id COLLATE "C"`,
        [projectId, traceId],
      );
      return {
        ...trace,
        observations: observations.rows.map((o) => toObservationRecord(o, trace.environment)),
        scores: scores.rows.map((s) => toScoreRecord(s, trace.environment)),
      };
    });
  }

  /** A page in two steps: the ids of its rows in order, then those rows and what they list. */
  async function listTraces(projectId: string, query: TraceListQuery): Promise<KeysetPage<TraceListRecord>> {
    const key = TRACE_SORT_KEYS[query.orderBy.field];
    const orderBy = `${query.orderBy.field}.${query.orderBy.direction}`;
    if (query.after && (query.after.orderBy !== orderBy || !isValidPosition(key, query.after))) {
      throw new QueryRejectedError('after', `the position was made for orderBy ${query.after.orderBy}, not ${orderBy}`);
    }
    const narrowing = NARROWING_FIELDS.filter((field) => query[field] !== undefined);
    // Terms alone in time order: the search's own list, as SQLite's (exact count up to a bound), in the page's snapshot.
    if (narrowing.length === 1 && narrowing[0] === 'searchTerms' && query.orderBy.field === 'timestamp') {
      return inSnapshot(pool, async (client) => {
        const { found, hasMore, count: counted } = await search.list(projectId, query, query.searchTerms!, client);
        const last = found.at(-1);
        return {
          data: await listRows(client, projectId, found.map((row) => row.id)),
          meta: pageMeta(query, counted.totalItems),
          next: hasMore && last ? positionOf(orderBy, key, last.sort_value, last.id) : null,
          totalItemsIsLowerBound: counted.lowerBound,
        };
      });
    }
    const narrowed = narrowing.length > 0;
    // Before the snapshot: the search may refuse a term (QueryRejectedError) after reading the index.
    let conditions = await traceConditions(projectId, query, search);
    const scoreCount = scoreOnlyCount(projectId, query, narrowing);
    return inSnapshot(pool, async (client) => {
      const totalItems = !narrowed
        ? await count(client, `SELECT coalesce(sum(trace_count), 0) AS n FROM daily_traces WHERE project_id = $1`, [projectId])
        : narrowing.length === 1 && narrowing[0] === 'tags' && query.tags!.length === 1
          ? // One tag: its rollup row, rather than a count over every tagged trace (127k of 1M: 200-600 ms).
            await count(client, `SELECT coalesce(max(trace_count), 0) AS n FROM tag_counts WHERE project_id = $1 AND tag = $2`, [
              projectId,
              query.tags![0],
            ])
          : scoreCount !== null
            ? // Serial: its estimate (every score of the name, for a value range) draws parallel workers, whose start cost more than the count (12 against 5 ms, 30k of 2M scores).
              await withLocalSettings(client, { max_parallel_workers_per_gather: '0' }, () => count(client, `SELECT ${scoreCount.sql} AS n`, scoreCount.params))
            : await count(client, `SELECT count(*) AS n FROM traces t WHERE ${conditions.sql}`, conditions.params);
      const offsetRows = query.after ? 0 : (query.page - 1) * query.limit;
      // A condition on another table alone, its traces counted exactly: its page in the form the count favours.
      const form = isOneCountedCondition(query, narrowing) ? await conditionForm(client, projectId, totalItems, offsetRows + query.limit + 1) : 'probe';
      if (form !== 'probe') conditions = await traceConditions(projectId, query, search, form);
      if (query.after) addAfterCondition(conditions, key, query.orderBy.direction, query.after);
      const limit = conditions.bind(query.limit + 1);
      const offset = conditions.bind(offsetRows);
      const { rows: found } = await withHashedSubplan(client, form, () =>
        client.query<{ id: string; sort_value: unknown }>(
          `SELECT t.id, ${key.expression} AS sort_value FROM traces t WHERE ${conditions.sql}
           ORDER BY ${orderBySql(key, query.orderBy.direction)} LIMIT ${limit} OFFSET ${offset}`,
          conditions.params,
        ),
      );
      const hasMore = found.length > query.limit;
      const shown = found.slice(0, query.limit);
      const last = shown.at(-1);
      return {
        data: await listRows(client, projectId, shown.map((row) => row.id)),
        meta: pageMeta(query, totalItems),
        next: hasMore && last ? positionOf(orderBy, key, last.sort_value, last.id) : null,
        totalItemsIsLowerBound: false,
      };
    });
  }

  return { getTrace, listTraces };
}

/** The filter is one level, model or score condition and nothing else. */
function isOneCountedCondition(query: TraceListQuery, narrowing: ReadonlyArray<keyof TraceFilter>): boolean {
  if (narrowing.length !== 1) return false;
  return narrowing[0] === 'level' || narrowing[0] === 'model' || (narrowing[0] === 'scores' && query.scores!.length === 1);
}

async function count(client: PoolClient, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await client.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}

/** The rows of a page, in the order given, with their observation ids, worst level and scores. */
async function listRows(client: PoolClient, projectId: string, ids: readonly string[]): Promise<TraceListRecord[]> {
  if (ids.length === 0) return [];
  const params = [projectId, ids];
  const traces = await client.query<TraceRow>(`SELECT ${TRACE_COLUMNS} FROM traces t WHERE t.project_id = $1 AND t.id = ANY($2)`, params);
  const observations = await client.query<{ trace_id: string; id: string }>(
    `SELECT o.trace_id, o.id FROM observations o WHERE o.project_id = $1 AND o.trace_id = ANY($2) ORDER BY o.trace_id, o.id COLLATE "C"`,
    params,
  );
  // The page's observations by key (the primary key): the levels written as the two left out, so
  // that the planner cannot walk the partial index observations_by_level, which holds every
  // ERROR and WARNING observation of the project (50k at 1M traces: 17 ms, against 1 ms by key).
  const levels = await client.query<{ trace_id: string; level: 'ERROR' | 'WARNING' }>(
    `SELECT DISTINCT o.trace_id, o.level FROM observations o
     WHERE o.project_id = $1 AND o.trace_id = ANY($2) AND o.level NOT IN ('DEBUG', 'DEFAULT')`,
    params,
  );
  const scores = await client.query<ScoreSummaryRow>(
    `SELECT ${SCORE_SUMMARY_COLUMNS} FROM scores s WHERE s.project_id = $1 AND s.trace_id = ANY($2) ORDER BY s.trace_id, s.id COLLATE "C"`,
    params,
  );
  const rows = new Map(traces.rows.map((row) => [row.id, row]));
  const observationIds = groupBy(observations.rows, (row) => row.id);
  const scoreSummaries = groupBy(scores.rows, toScoreSummary);
  const worstLevels = new Map<string, TraceListLevel>();
  for (const { trace_id: traceId, level } of levels.rows) {
    if (level === 'ERROR' || !worstLevels.has(traceId)) worstLevels.set(traceId, level);
  }
  return ids.flatMap((id) => {
    const row = rows.get(id);
    if (!row) return [];
    return [
      {
        ...toTraceRecord(row),
        observationIds: observationIds.get(id) ?? [],
        level: worstLevels.get(id) ?? 'DEFAULT',
        scores: scoreSummaries.get(id) ?? ([] as ScoreSummary[]),
      },
    ];
  });
}

/** `rows` grouped by their trace, each made into `T`, in the order given. */
function groupBy<Row extends { trace_id: string }, T>(rows: readonly Row[], make: (row: Row) => T): Map<string, T[]> {
  const result = new Map<string, T[]>();
  for (const row of rows) {
    const list = result.get(row.trace_id);
    if (list) list.push(make(row));
    else result.set(row.trace_id, [make(row)]);
  }
  return result;
}
