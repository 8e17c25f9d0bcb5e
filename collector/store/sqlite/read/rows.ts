/** Stored SQLite rows -> the store's records. Integer columns are read as bigint (safeIntegers). */
import type { CostDetails, CostMissingReason, Level, ObservationType, Score, ScoreDataType, UsageDetails } from '../../../model.js';
import type { ObservationRecord, ScoreRecord, TraceRecord } from '../../contract.js';
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

export function toTraceRecord(row: TraceRow): TraceRecord {
  return {
    id: row.id,
    name: row.name,
    userId: row.user_id,
    sessionId: row.session_id,
    release: row.release,
    version: row.version,
    environment: row.environment,
    tags: JSON.parse(row.tags) as string[],
    metadata: JSON.parse(row.metadata) as TraceRecord['metadata'],
    input: fromJson(row.input),
    output: fromJson(row.output),
    public: row.public === 1n,
    startTimeUnixNano: row.start_time_ns,
    endTimeUnixNano: row.end_time_ns,
    totalCostUsd: row.total_cost,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    createdAtMs: Number(row.created_at_ms),
    updatedAtMs: Number(row.updated_at_ms),
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

export function toObservationRecord(row: ObservationRow, environment: string): ObservationRecord {
  const usage: UsageDetails = {};
  for (const [key, column] of USAGE_COLUMNS) {
    const value = row[column];
    if (value !== null) usage[key] = Number(value);
  }
  return {
    id: row.id,
    traceId: row.trace_id,
    parentObservationId: row.parent_observation_id,
    type: row.type as ObservationType,
    name: row.name,
    startTimeUnixNano: row.start_time_ns,
    endTimeUnixNano: row.end_time_ns,
    completionStartTimeUnixNano: row.completion_start_time_ns,
    level: row.level as Level,
    statusMessage: row.status_message,
    version: row.version,
    model: row.model,
    modelParameters: fromJson(row.model_parameters) as ObservationRecord['modelParameters'],
    input: fromJson(row.input),
    output: fromJson(row.output),
    metadata: JSON.parse(row.metadata) as ObservationRecord['metadata'],
    usage,
    costUsd: fromJson(row.cost_details) as CostDetails | null,
    totalCostUsd: row.total_cost,
    costMissingReason: row.cost_missing_reason as CostMissingReason | null,
    countsInTraceTotals: row.counts_in_trace_totals === 1n,
    environment,
    attributes: JSON.parse(row.attributes) as ObservationRecord['attributes'],
    resourceAttributes: JSON.parse(row.resource_attributes) as ObservationRecord['resourceAttributes'],
    scope: { name: row.scope_name, version: row.scope_version },
  };
}

export function toScoreRecord(row: ScoreRow, environment: string): ScoreRecord {
  return {
    id: row.id,
    traceId: row.trace_id,
    observationId: row.observation_id,
    name: row.name,
    value: row.value,
    stringValue: row.string_value,
    dataType: row.data_type as ScoreDataType,
    comment: row.comment,
    source: row.source as Score['source'],
    timeUnixNano: row.time_ns,
    metadata: JSON.parse(row.metadata) as ScoreRecord['metadata'],
    environment,
    createdAtMs: Number(row.created_at_ms),
    updatedAtMs: Number(row.updated_at_ms),
  };
}

/**
 * A sum of costs kept by adding and subtracting (the rollups), rounded as pricing/cost.ts rounds costs so
 * float noise (0.30000000000000004, -1e-17) does not show.
 */
export function roundUsd(amount: number): number {
  return Math.round(amount * 1e12) / 1e12 + 0;
}
