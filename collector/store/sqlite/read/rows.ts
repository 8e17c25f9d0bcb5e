/** Stored SQLite rows -> the API's views. Integer columns are read as bigint (safeIntegers). */
import type { CostMissingReason, Level, ObservationType, ScoreDataType } from '../../../model.js';
import type { ObservationView, ScoreView, TraceView } from '../../views.js';
import { fromJson } from '../json-columns.js';

export interface TraceRow {
  id: string;
  name: string | null;
  user_id: string | null;
  session_id: string | null;
  release: string | null;
  version: string | null;
  environment: string;
  tags: string;
  metadata: string;
  input: string | null;
  output: string | null;
  public: bigint;
  start_time_ns: bigint;
  end_time_ns: bigint;
  total_cost: number | null;
  input_tokens: bigint;
  output_tokens: bigint;
  total_tokens: bigint;
  created_at_ms: bigint;
  updated_at_ms: bigint;
}

export const TRACE_COLUMNS = `t.id, t.name, t.user_id, t.session_id, t.release, t.version, t.environment, t.tags,
  t.metadata, t.input, t.output, t.public, t.start_time_ns, t.end_time_ns, t.total_cost, t.input_tokens,
  t.output_tokens, t.total_tokens, t.created_at_ms, t.updated_at_ms`;

export interface ObservationRow {
  id: string;
  trace_id: string;
  parent_observation_id: string | null;
  type: string;
  name: string;
  start_time_ns: bigint;
  end_time_ns: bigint | null;
  completion_start_time_ns: bigint | null;
  level: string;
  status_message: string | null;
  version: string | null;
  model: string | null;
  model_parameters: string | null;
  input: string | null;
  output: string | null;
  metadata: string;
  input_tokens: bigint | null;
  output_tokens: bigint | null;
  total_tokens: bigint | null;
  cached_input_tokens: bigint | null;
  cache_write_tokens: bigint | null;
  reasoning_tokens: bigint | null;
  cost_details: string | null;
  total_cost: number | null;
  cost_missing_reason: string | null;
  counts_in_trace_totals: bigint;
  attributes: string;
  resource_attributes: string;
  scope_name: string;
  scope_version: string;
}

export const OBSERVATION_COLUMNS = `o.id, o.trace_id, o.parent_observation_id, o.type, o.name, o.start_time_ns,
  o.end_time_ns, o.completion_start_time_ns, o.level, o.status_message, o.version, o.model, o.model_parameters,
  o.input, o.output, o.metadata, o.input_tokens, o.output_tokens, o.total_tokens, o.cached_input_tokens,
  o.cache_write_tokens, o.reasoning_tokens, o.cost_details, o.total_cost, o.cost_missing_reason,
  o.counts_in_trace_totals, o.attributes, o.resource_attributes, o.scope_name, o.scope_version`;

export interface ScoreRow {
  id: string;
  trace_id: string;
  observation_id: string | null;
  name: string;
  value: number | null;
  string_value: string | null;
  data_type: string;
  comment: string | null;
  source: string;
  time_ns: bigint;
  metadata: string;
  created_at_ms: bigint;
  updated_at_ms: bigint;
}

export const SCORE_COLUMNS = `s.id, s.trace_id, s.observation_id, s.name, s.value, s.string_value, s.data_type,
  s.comment, s.source, s.time_ns, s.metadata, s.created_at_ms, s.updated_at_ms`;

/** Traces without a stored environment (scores on a trace not stored yet) report this one. */
export const DEFAULT_ENVIRONMENT = 'default';

export function isoFromUnixNano(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}

export function isoFromMs(ms: bigint | number): string {
  return new Date(Number(ms)).toISOString();
}

export function toTraceView(row: TraceRow): TraceView {
  const latencyMs = Number(row.end_time_ns - row.start_time_ns) / 1e6;
  return {
    id: row.id,
    timestamp: isoFromUnixNano(row.start_time_ns),
    name: row.name,
    userId: row.user_id,
    sessionId: row.session_id,
    release: row.release,
    version: row.version,
    environment: row.environment,
    tags: JSON.parse(row.tags) as string[],
    metadata: JSON.parse(row.metadata) as TraceView['metadata'],
    input: fromJson(row.input),
    output: fromJson(row.output),
    public: row.public === 1n,
    latency: latencyMs / 1000,
    totalCost: row.total_cost,
    htmlPath: `/traces/${row.id}`,
    endTimestamp: isoFromUnixNano(row.end_time_ns),
    latencyMs,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    createdAt: isoFromMs(row.created_at_ms),
    updatedAt: isoFromMs(row.updated_at_ms),
  };
}

const USAGE_COLUMNS = [
  ['input', 'input_tokens'],
  ['output', 'output_tokens'],
  ['total', 'total_tokens'],
  ['cachedInput', 'cached_input_tokens'],
  ['cacheWrite', 'cache_write_tokens'],
  ['reasoning', 'reasoning_tokens'],
] as const;

export function toObservationView(row: ObservationRow, environment: string): ObservationView {
  const usageDetails: Record<string, number> = {};
  for (const [key, column] of USAGE_COLUMNS) {
    const value = row[column];
    if (value !== null) usageDetails[key] = Number(value);
  }
  const input = (usageDetails.input ?? 0) + (usageDetails.cachedInput ?? 0) + (usageDetails.cacheWrite ?? 0);
  const output = (usageDetails.output ?? 0) + (usageDetails.reasoning ?? 0);
  const costDetails = (fromJson(row.cost_details) ?? {}) as Record<string, number>;
  return {
    id: row.id,
    traceId: row.trace_id,
    parentObservationId: row.parent_observation_id,
    type: row.type as ObservationType,
    name: row.name,
    startTime: isoFromUnixNano(row.start_time_ns),
    endTime: row.end_time_ns === null ? null : isoFromUnixNano(row.end_time_ns),
    completionStartTime: row.completion_start_time_ns === null ? null : isoFromUnixNano(row.completion_start_time_ns),
    level: row.level as Level,
    statusMessage: row.status_message,
    version: row.version,
    model: row.model,
    modelParameters: fromJson(row.model_parameters) as ObservationView['modelParameters'],
    input: fromJson(row.input),
    output: fromJson(row.output),
    metadata: JSON.parse(row.metadata) as ObservationView['metadata'],
    usageDetails,
    usage: { input, output, total: usageDetails.total ?? 0, unit: 'TOKENS' },
    costDetails,
    calculatedInputCost: costDetails.input ?? null,
    calculatedOutputCost: costDetails.output ?? null,
    calculatedTotalCost: row.total_cost,
    totalCost: row.total_cost,
    costMissingReason: row.cost_missing_reason as CostMissingReason | null,
    countsInTraceTotals: row.counts_in_trace_totals === 1n,
    latency: row.end_time_ns === null ? null : Number(row.end_time_ns - row.start_time_ns) / 1e9,
    timeToFirstToken:
      row.completion_start_time_ns === null ? null : Number(row.completion_start_time_ns - row.start_time_ns) / 1e9,
    environment,
    promptId: null,
    promptName: null,
    promptVersion: null,
    modelId: null,
    inputPrice: null,
    outputPrice: null,
    totalPrice: null,
    attributes: JSON.parse(row.attributes) as ObservationView['attributes'],
    resourceAttributes: JSON.parse(row.resource_attributes) as ObservationView['resourceAttributes'],
    scope: { name: row.scope_name, version: row.scope_version },
  };
}

export function toScoreView(row: ScoreRow, environment: string): ScoreView {
  return {
    id: row.id,
    traceId: row.trace_id,
    observationId: row.observation_id,
    name: row.name,
    value: row.value,
    stringValue: row.string_value,
    dataType: row.data_type as ScoreDataType,
    comment: row.comment,
    source: row.source,
    timestamp: isoFromUnixNano(row.time_ns),
    createdAt: isoFromMs(row.created_at_ms),
    updatedAt: isoFromMs(row.updated_at_ms),
    metadata: JSON.parse(row.metadata) as ScoreView['metadata'],
    environment,
    authorUserId: null,
    configId: null,
    queueId: null,
  };
}

/**
 * A sum of costs kept by adding and subtracting (the rollups), rounded as pricing/cost.ts rounds costs so
 * float noise (0.30000000000000004, -1e-17) does not show.
 */
export function roundUsd(amount: number): number {
  return Math.round(amount * 1e12) / 1e12 + 0;
}
