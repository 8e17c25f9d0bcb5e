/**
 * Daily metrics: per UTC day, traces by their start, observations by theirs, with usage and cost
 * per model. Without trace filters they come from the rollups (`daily_traces`, `daily_usage`,
 * kept by the batch writer), so a month costs a few dozen rows however many spans it holds; with
 * filters (user, trace name, tags, environment) they are summed from the matching traces and
 * their observations.
 *
 * Errors: ERROR observations by their start, and traces with one by the trace's start, both from
 * the partial index of ERROR observations (observations_errors_by_time). An error is looked for
 * from the start of the first day asked: observations start no earlier than their trace.
 *
 * fromTimeUnixNano/toTimeUnixNano select days: each day overlapping the range is reported whole.
 */
import type { Pool, PoolClient } from 'pg';
import type { DailyMetricsQuery, DailyMetricsRecord, Page } from '../../contract.js';
import { dayRangeOf, dayRecord, dayUsageColumns, filtersTraces, type DayRange, type DayCount, type DayFigures, type DayModelUsage, type DayTraces } from '../../daily-metrics.js';
import { NS_PER_DAY } from '../write/rollups.js';
import { pageMeta, SqlConditions } from './conditions.js';
import { inSnapshot } from './snapshot.js';

/** The literal level lets the planner use the partial index observations_errors_by_time. */
const ERROR_OBSERVATION = `o.project_id = $1 AND o.level = 'ERROR'`;

interface PagedDayFigures extends DayFigures {
  totalItems: number;
  pageDays: bigint[];
}

export interface MetricsReads {
  dailyMetrics(projectId: string, query: DailyMetricsQuery): Promise<Page<DailyMetricsRecord>>;
}

export function createMetricsReads(pool: Pool): MetricsReads {
  return {
    dailyMetrics: (projectId, query) =>
      inSnapshot(pool, async (client) => {
        const range = dayRangeOf(query);
        const figures = filtersTraces(query)
          ? await fromFilteredTraces(client, projectId, query, range)
          : await fromRollups(client, projectId, query, range);
        return { data: figures.pageDays.map((day) => dayRecord(day, figures)), meta: pageMeta(query, figures.totalItems) };
      }),
  };
}

async function fromRollups(client: PoolClient, projectId: string, query: DailyMetricsQuery, { firstDay, lastDay }: DayRange): Promise<PagedDayFigures> {
  const days = `
    SELECT day FROM daily_traces WHERE project_id = $1 AND day BETWEEN $2 AND $3 AND trace_count > 0
    UNION
    SELECT day FROM daily_usage WHERE project_id = $1 AND day BETWEEN $2 AND $3 AND observation_count > 0`;
  const range = [projectId, firstDay, lastDay];
  const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM (${days}) d`, range);
  const totalItems = Number(count.rows[0]!.n);
  const pageDays = (
    await client.query<{ day: string }>(`SELECT day FROM (${days}) d ORDER BY day DESC LIMIT $4 OFFSET $5`, [
      ...range,
      query.limit,
      (query.page - 1) * query.limit,
    ])
  ).rows.map((row) => BigInt(row.day));
  if (pageDays.length === 0) return { totalItems, pageDays, traces: [], usage: [], errors: { traces: [], observations: [] } };
  const pageRange = [projectId, pageDays.at(-1)!, pageDays[0]!];
  const traces = await client.query<DayTraces>(
    `SELECT day, trace_count FROM daily_traces WHERE project_id = $1 AND day BETWEEN $2 AND $3`,
    pageRange,
  );
  const usage = await client.query<DayModelUsage>(
    `SELECT day, model, trace_count, observation_count, input_tokens, output_tokens, total_tokens, total_cost
     FROM daily_usage WHERE project_id = $1 AND day BETWEEN $2 AND $3`,
    pageRange,
  );
  const errorRange = [projectId, pageDays.at(-1)! * NS_PER_DAY, (pageDays[0]! + 1n) * NS_PER_DAY];
  const errorObservations = await client.query<DayCount>(
    `SELECT o.start_time_ns / ${NS_PER_DAY} AS day, count(*) AS n FROM observations o
     WHERE ${ERROR_OBSERVATION} AND o.start_time_ns >= $2 AND o.start_time_ns < $3 GROUP BY 1`,
    errorRange,
  );
  // From the errors to their traces: a month holds far fewer errors than traces.
  const errorTraces = await client.query<DayCount>(
    `SELECT t.start_time_ns / ${NS_PER_DAY} AS day, count(*) AS n
     FROM (SELECT DISTINCT o.trace_id FROM observations o WHERE ${ERROR_OBSERVATION} AND o.start_time_ns >= $2) e
     JOIN traces t ON t.project_id = $1 AND t.id = e.trace_id
     WHERE t.start_time_ns >= $2 AND t.start_time_ns < $3 GROUP BY 1`,
    errorRange,
  );
  return {
    totalItems,
    pageDays,
    traces: traces.rows,
    usage: usage.rows,
    errors: { traces: errorTraces.rows, observations: errorObservations.rows },
  };
}

async function fromFilteredTraces(client: PoolClient, projectId: string, query: DailyMetricsQuery, { firstDay, lastDay }: DayRange): Promise<PagedDayFigures> {
  const c = new SqlConditions(projectId).add('t.project_id = $1');
  if (query.traceName !== undefined) c.add(`t.name = ${c.bind(query.traceName)}`);
  if (query.userId !== undefined) c.add(`t.user_id = ${c.bind(query.userId)}`);
  if (query.environments?.length) c.add(`t.environment ${c.anyText(query.environments)}`);
  for (const tag of query.tags ?? []) {
    c.add(`EXISTS (SELECT 1 FROM trace_tags g WHERE g.project_id = $1 AND g.tag = ${c.bind(tag)} AND g.trace_id = t.id)`);
  }
  const traceFilter = c.sql;
  const from = query.fromTimeUnixNano === undefined ? null : c.bind(firstDay * NS_PER_DAY);
  const to = query.toTimeUnixNano === undefined ? null : c.bind((lastDay + 1n) * NS_PER_DAY);
  const inRange = (column: string) => [from && `${column} >= ${from}`, to && `${column} < ${to}`].filter(Boolean).join(' AND ') || 'true';
  const { params } = c;

  const traces = await client.query<DayTraces>(
    `SELECT t.start_time_ns / ${NS_PER_DAY} AS day, count(*) AS trace_count FROM traces t
     WHERE ${traceFilter} AND ${inRange('t.start_time_ns')} GROUP BY 1`,
    params,
  );
  const errorObservations = await client.query<DayCount>(
    `SELECT o.start_time_ns / ${NS_PER_DAY} AS day, count(*) AS n FROM observations o
     WHERE ${ERROR_OBSERVATION} AND ${inRange('o.start_time_ns')} AND o.trace_id IN (SELECT t.id FROM traces t WHERE ${traceFilter})
     GROUP BY 1`,
    params,
  );
  const errorTraces = await client.query<DayCount>(
    `SELECT t.start_time_ns / ${NS_PER_DAY} AS day, count(*) AS n
     FROM (SELECT DISTINCT o.trace_id FROM observations o WHERE ${ERROR_OBSERVATION} ${from ? `AND o.start_time_ns >= ${from}` : ''}) e
     JOIN traces t ON t.project_id = $1 AND t.id = e.trace_id
     WHERE ${traceFilter} AND ${inRange('t.start_time_ns')} GROUP BY 1`,
    params,
  );
  const usage = await client.query<DayModelUsage>(
    `SELECT ${dayUsageColumns('o.counts_in_trace_totals', '::float8')}
     FROM observations o
     WHERE o.project_id = $1 AND ${inRange('o.start_time_ns')}
       AND o.trace_id IN (SELECT t.id FROM traces t WHERE ${traceFilter})
     GROUP BY 1, 2`,
    params,
  );
  const allDays = [...new Set([...traces.rows, ...usage.rows].map((row) => BigInt(row.day)))].sort((a, b) =>
    a === b ? 0 : a > b ? -1 : 1,
  );
  const offset = (query.page - 1) * query.limit;
  return {
    totalItems: allDays.length,
    pageDays: allDays.slice(offset, offset + query.limit),
    traces: traces.rows,
    usage: usage.rows,
    errors: { traces: errorTraces.rows, observations: errorObservations.rows },
  };
}
