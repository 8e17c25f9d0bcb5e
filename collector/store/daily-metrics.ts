/**
 * One day of the daily metrics from the figures an engine summed per day (UTC days numbered from
 * the epoch), for every engine. Integer figures come as the driver reads them: bigint from
 * better-sqlite3 (safeIntegers), a decimal string from node-postgres.
 */
import type { DailyMetricsQuery, DailyMetricsRecord, ModelUsageRecord } from './contract.js';
import { roundUsd } from './record-rows.js';

export const NS_PER_DAY = 86_400_000_000_000n;

type Integer = bigint | string;

export interface DayTraces<I extends Integer = Integer> {
  day: I;
  trace_count: I;
}

export interface DayCount<I extends Integer = Integer> {
  day: I;
  n: I;
}

export interface DayModelUsage<I extends Integer = Integer> {
  day: I;
  model: string;
  trace_count: I;
  observation_count: I;
  input_tokens: I;
  output_tokens: I;
  total_tokens: I;
  /** A REAL sum, but read as bigint when SQLite summed only integers. */
  total_cost: number | bigint;
}

/** What a page of days is made from: every day's figures in the range, in any order. */
export interface DayFigures {
  traces: readonly DayTraces[];
  usage: readonly DayModelUsage[];
  errors: { traces: readonly DayCount[]; observations: readonly DayCount[] };
}

/**
 * The select list of DayModelUsage over observations `o`, grouped by day and model by the caller:
 * `counts` is the engine's test of o.counts_in_trace_totals, `realCast` what makes the cost sum a
 * float (empty where the engine needs none).
 */
export function dayUsageColumns(counts: string, realCast: string): string {
  const counted = (expression: string) => `sum(CASE WHEN ${counts} THEN ${expression} ELSE 0 END)`;
  return `o.start_time_ns / ${NS_PER_DAY} AS day, coalesce(o.model, '') AS model,
    count(DISTINCT CASE WHEN o.model IS NOT NULL THEN o.trace_id END) AS trace_count,
    count(*) AS observation_count,
    ${counted('coalesce(o.input_tokens, 0) + coalesce(o.cached_input_tokens, 0) + coalesce(o.cache_write_tokens, 0)')} AS input_tokens,
    ${counted('coalesce(o.output_tokens, 0) + coalesce(o.reasoning_tokens, 0)')} AS output_tokens,
    ${counted('coalesce(o.total_tokens, 0)')} AS total_tokens,
    coalesce(${counted('coalesce(o.total_cost, 0.0)')}, 0.0)${realCast} AS total_cost`;
}

/** The UTC day of a time, counted from the epoch (days before it negative). */
export function dayOf(unixNano: bigint): bigint {
  const day = unixNano / NS_PER_DAY;
  return unixNano < 0n && unixNano % NS_PER_DAY !== 0n ? day - 1n : day;
}

/** The days a query covers, first and last included. */
export interface DayRange {
  firstDay: bigint;
  lastDay: bigint;
}

export function dayRangeOf(query: DailyMetricsQuery): DayRange {
  return {
    firstDay: query.fromTimeUnixNano === undefined ? -1n : dayOf(query.fromTimeUnixNano),
    // `to` is exclusive: a range ending exactly at midnight does not touch the next day.
    lastDay: query.toTimeUnixNano === undefined ? BigInt(Number.MAX_SAFE_INTEGER) : dayOf(query.toTimeUnixNano - 1n),
  };
}

/** Whether the query filters traces, so that the per-day rollups cannot answer it. */
export function filtersTraces(query: DailyMetricsQuery): boolean {
  return query.traceName !== undefined || query.userId !== undefined || !!query.tags?.length || !!query.environments?.length;
}

function isDay(value: Integer, day: bigint): boolean {
  return (typeof value === 'bigint' ? value : BigInt(value)) === day;
}

export function dayRecord(day: bigint, { traces, usage, errors }: DayFigures): DailyMetricsRecord {
  const onDay = (counts: readonly DayCount[]) => Number(counts.find((row) => isDay(row.day, day))?.n ?? 0);
  const rows = usage.filter((row) => isDay(row.day, day));
  const usageByModel: ModelUsageRecord[] = rows
    .filter((row) => row.model !== '' || BigInt(row.total_tokens) > 0n || Number(row.total_cost) > 0)
    .map((row) => ({
      model: row.model === '' ? null : row.model,
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      totalTokens: Number(row.total_tokens),
      traceCount: Number(row.trace_count),
      observationCount: Number(row.observation_count),
      totalCostUsd: roundUsd(Number(row.total_cost)),
    }))
    .sort((a, b) => (a.model ?? '\uffff').localeCompare(b.model ?? '\uffff'));
  return {
    dayStartUnixNano: day * NS_PER_DAY,
    traceCount: Number(traces.find((row) => isDay(row.day, day))?.trace_count ?? 0),
    observationCount: rows.reduce((sum, row) => sum + Number(row.observation_count), 0),
    errorTraceCount: onDay(errors.traces),
    errorObservationCount: onDay(errors.observations),
    totalCostUsd: roundUsd(rows.reduce((sum, row) => sum + Number(row.total_cost), 0)),
    usageByModel,
  };
}
