/**
 * Daily metrics: per UTC day, traces by their start, observations by theirs, with usage and cost
 * per model. Without trace filters they come from the rollups (`daily_traces`, `daily_usage`,
 * kept by triggers), so a month costs a few dozen rows however many spans it holds; with filters
 * (user, trace name, tags, environment) they are summed from the matching traces and their
 * observations.
 *
 * Errors: ERROR observations by their start, and traces with one by the trace's start. Both are
 * read from the partial index of ERROR observations (observations_errors_by_time), so they cost
 * what the errors number, not the spans. An error is looked for from the start of the first day
 * asked: observations start no earlier than their trace.
 *
 * fromTimeUnixNano/toTimeUnixNano select days: each day overlapping the range is reported whole.
 */
import type { Database } from 'better-sqlite3';
import type { DailyMetricsQuery, DailyMetricsRecord, Page } from '../../contract.js';
import { dayRangeOf, dayRecord, dayUsageColumns, filtersTraces, NS_PER_DAY, type DayCount as Count, type DayModelUsage as ModelUsage, type DayTraces as Traces } from '../../daily-metrics.js';
import { SqlConditions } from './conditions.js';
import { StatementCache } from '../statement-cache.js';
import { traceKeyOf } from '../write/trace-keys.js';

/** Integers read as bigint (safeIntegers). */
type DayTraces = Traces<bigint>;
type DayCount = Count<bigint>;
type DayModelUsage = ModelUsage<bigint>;

/** The literal level lets SQLite use the partial index observations_errors_by_time. */
const ERROR_OBSERVATION = `o.project_id = @projectId AND o.level = 'ERROR'`;

export interface MetricsReads {
  dailyMetrics(projectId: string, query: DailyMetricsQuery): Page<DailyMetricsRecord>;
}

export function createMetricsReads(db: Database): MetricsReads {
  const statements = new StatementCache(db);

  function fromRollups(projectId: string, query: DailyMetricsQuery, firstDay: bigint, lastDay: bigint) {
    const range = { projectId, firstDay, lastDay };
    const days = `
      SELECT day FROM daily_traces WHERE project_id = @projectId AND day BETWEEN @firstDay AND @lastDay AND trace_count > 0
      UNION
      SELECT day FROM daily_usage WHERE project_id = @projectId AND day BETWEEN @firstDay AND @lastDay AND observation_count > 0`;
    const totalItems = Number((statements.get(`SELECT count(*) AS n FROM (${days})`).get(range) as { n: bigint }).n);
    const pageDays = (
      statements
        .get(`SELECT day FROM (${days}) ORDER BY day DESC LIMIT @limit OFFSET @offset`)
        .all({ ...range, limit: query.limit, offset: (query.page - 1) * query.limit }) as Array<{ day: bigint }>
    ).map((row) => row.day);
    if (pageDays.length === 0) return { totalItems, pageDays, traces: [], usage: [], errors: { traces: [], observations: [] } };
    const pageRange = { projectId, firstDay: pageDays.at(-1)!, lastDay: pageDays[0]! };
    const traces = statements
      .get(`SELECT day, trace_count FROM daily_traces WHERE project_id = @projectId AND day BETWEEN @firstDay AND @lastDay`)
      .all(pageRange) as DayTraces[];
    const usage = statements
      .get(
        `SELECT day, model, trace_count, observation_count, input_tokens, output_tokens, total_tokens, total_cost
         FROM daily_usage WHERE project_id = @projectId AND day BETWEEN @firstDay AND @lastDay`,
      )
      .all(pageRange) as DayModelUsage[];
    const errorRange = { projectId, fromNs: pageRange.firstDay * NS_PER_DAY, toNs: (pageRange.lastDay + 1n) * NS_PER_DAY };
    const errors = {
      observations: statements
        .get(
          `SELECT o.start_time_ns / ${NS_PER_DAY} AS day, count(*) AS n FROM observations o
           WHERE ${ERROR_OBSERVATION} AND o.start_time_ns >= @fromNs AND o.start_time_ns < @toNs GROUP BY 1`,
        )
        .all(errorRange) as DayCount[],
      // From the errors to their traces (CROSS JOIN keeps that order): a month holds far fewer errors than traces.
      // `+o.trace_id`: otherwise SQLite walks the whole primary key for its trace_id order rather than the error index.
      traces: statements
        .get(
          `SELECT t.start_time_ns / ${NS_PER_DAY} AS day, count(*) AS n
           FROM (SELECT DISTINCT +o.trace_id AS trace_id FROM observations o WHERE ${ERROR_OBSERVATION} AND o.start_time_ns >= @fromNs) e
           CROSS JOIN traces t ON t.project_id = @projectId AND t.id = e.trace_id
           WHERE t.start_time_ns >= @fromNs AND t.start_time_ns < @toNs GROUP BY 1`,
        )
        .all(errorRange) as DayCount[],
    };
    return { totalItems, pageDays, traces, usage, errors };
  }

  function fromFilteredTraces(projectId: string, query: DailyMetricsQuery, firstDay: bigint, lastDay: bigint) {
    const c = new SqlConditions(projectId).add('t.project_id = @projectId');
    if (query.traceName !== undefined) c.add(`t.name = ${c.bind(query.traceName)}`);
    if (query.userId !== undefined) c.add(`t.user_id = ${c.bind(query.userId)}`);
    if (query.environments?.length) c.add(`t.environment IN ${c.bindList(query.environments)}`);
    for (const tag of query.tags ?? []) {
      c.add(`EXISTS (SELECT 1 FROM trace_tags g WHERE g.project_id = @projectId AND g.tag = ${c.bind(tag)} AND g.trace_key = ${traceKeyOf('t.project_id', 't.id')})`);
    }
    const traceFilter = c.sql;
    const traceRange = new SqlConditions(projectId);
    const observationRange = new SqlConditions(projectId);
    if (query.fromTimeUnixNano !== undefined) {
      traceRange.add(`t.start_time_ns >= @fromNs`);
      observationRange.add(`o.start_time_ns >= @fromNs`);
    }
    if (query.toTimeUnixNano !== undefined) {
      traceRange.add(`t.start_time_ns < @toNs`);
      observationRange.add(`o.start_time_ns < @toNs`);
    }
    const params = {
      ...c.params,
      ...(query.fromTimeUnixNano === undefined ? {} : { fromNs: firstDay * NS_PER_DAY }),
      ...(query.toTimeUnixNano === undefined ? {} : { toNs: (lastDay + 1n) * NS_PER_DAY }),
    };
    const traces = statements
      .get(
        `SELECT t.start_time_ns / ${NS_PER_DAY} AS day, count(*) AS trace_count FROM traces t
         WHERE ${traceFilter} AND ${traceRange.sql} GROUP BY 1`,
      )
      .all(params) as DayTraces[];
    const errorFrom = query.fromTimeUnixNano === undefined ? '' : 'AND o.start_time_ns >= @fromNs';
    const errorTo = query.toTimeUnixNano === undefined ? '' : 'AND o.start_time_ns < @toNs';
    const errors = {
      observations: statements
        .get(
          `SELECT o.start_time_ns / ${NS_PER_DAY} AS day, count(*) AS n FROM observations o
           WHERE ${ERROR_OBSERVATION} ${errorFrom} ${errorTo} AND o.trace_id IN (SELECT t.id FROM traces t WHERE ${traceFilter})
           GROUP BY 1`,
        )
        .all(params) as DayCount[],
      traces: statements
        .get(
          `SELECT t.start_time_ns / ${NS_PER_DAY} AS day, count(*) AS n
           FROM (SELECT DISTINCT +o.trace_id AS trace_id FROM observations o WHERE ${ERROR_OBSERVATION} ${errorFrom}) e
           CROSS JOIN traces t ON t.project_id = @projectId AND t.id = e.trace_id
           WHERE ${traceFilter} AND ${traceRange.sql} GROUP BY 1`,
        )
        .all(params) as DayCount[],
    };
    const usage = statements
      .get(
        `SELECT ${dayUsageColumns('o.counts_in_trace_totals = 1', '')}
         FROM observations o
         WHERE o.project_id = @projectId AND ${observationRange.sql}
           AND o.trace_key IN (SELECT ${traceKeyOf('t.project_id', 't.id')} FROM traces t WHERE ${traceFilter})
         GROUP BY 1, 2`,
      )
      .all(params) as DayModelUsage[];
    const allDays = [...new Set([...traces.map((row) => row.day), ...usage.map((row) => row.day)])].sort((a, b) =>
      a === b ? 0 : a > b ? -1 : 1,
    );
    const offset = (query.page - 1) * query.limit;
    return { totalItems: allDays.length, pageDays: allDays.slice(offset, offset + query.limit), traces, usage, errors };
  }

  return {
    dailyMetrics(projectId, query) {
      const { firstDay, lastDay } = dayRangeOf(query);
      const { totalItems, pageDays, traces, usage, errors } = filtersTraces(query)
        ? fromFilteredTraces(projectId, query, firstDay, lastDay)
        : fromRollups(projectId, query, firstDay, lastDay);
      return {
        data: pageDays.map((day) => dayRecord(day, { traces, usage, errors })),
        meta: { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) },
      };
    },
  };
}
