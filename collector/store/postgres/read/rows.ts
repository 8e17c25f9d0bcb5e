/**
 * Stored PostgreSQL rows -> the store's records, the same records the SQLite engine returns.
 * node-postgres reads BIGINT as a decimal string, JSONB as parsed JSON, TEXT[] as an array.
 */
import type { CostDetails, CostMissingReason, Level, ObservationType, Score, ScoreDataType, UsageDetails } from '../../../model.js';
import type { JsonValue } from '../../../model.js';
import type { ObservationRecord, ScoreRecord, ScoreSummary, TraceRecord } from '../../contract.js';
import { STORED_USAGE_BUCKETS } from '../../usage-columns.js';

/** A BIGINT as node-postgres returns it. */
type Int8 = string;

export interface TraceRow {
  id: string;
  name: string | null;
  user_id: string | null;
  session_id: string | null;
  release: string | null;
  version: string | null;
  environment: string;
  tags: string[];
  metadata: TraceRecord['metadata'];
  input: string | null;
  output: string | null;
  public: boolean;
  start_time_ns: Int8;
  end_time_ns: Int8;
  total_cost: number | null;
  input_tokens: Int8;
  output_tokens: Int8;
  total_tokens: Int8;
  created_at_ms: Int8;
  updated_at_ms: Int8;
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
  start_time_ns: Int8;
  end_time_ns: Int8 | null;
  completion_start_time_ns: Int8 | null;
  level: string;
  status_message: string | null;
  version: string | null;
  model: string | null;
  model_parameters: ObservationRecord['modelParameters'];
  input: string | null;
  output: string | null;
  metadata: ObservationRecord['metadata'];
  input_tokens: Int8 | null;
  output_tokens: Int8 | null;
  total_tokens: Int8 | null;
  cached_input_tokens: Int8 | null;
  cache_write_tokens: Int8 | null;
  reasoning_tokens: Int8 | null;
  cost_details: CostDetails | null;
  total_cost: number | null;
  cost_missing_reason: string | null;
  counts_in_trace_totals: boolean;
  attributes: ObservationRecord['attributes'];
  resource_attributes: ObservationRecord['resourceAttributes'];
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
  time_ns: Int8;
  metadata: ScoreRecord['metadata'];
  created_at_ms: Int8;
  updated_at_ms: Int8;
}

export const SCORE_COLUMNS = `s.id, s.trace_id, s.observation_id, s.name, s.value, s.string_value, s.data_type,
  s.comment, s.source, s.time_ns, s.metadata, s.created_at_ms, s.updated_at_ms`;

export type ScoreSummaryRow = Pick<ScoreRow, 'trace_id' | 'id' | 'name' | 'value' | 'string_value' | 'data_type' | 'source' | 'observation_id'>;

export const SCORE_SUMMARY_COLUMNS = 's.trace_id, s.id, s.name, s.value, s.string_value, s.data_type, s.source, s.observation_id';

/** A client's JSON kept as TEXT (input, output), read back as sent. */
function fromJsonText(text: string | null): JsonValue | null {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}

export function toTraceRecord(row: TraceRow): TraceRecord {
  return {
    id: row.id,
    name: row.name,
    userId: row.user_id,
    sessionId: row.session_id,
    release: row.release,
    version: row.version,
    environment: row.environment,
    tags: row.tags,
    metadata: row.metadata,
    input: fromJsonText(row.input),
    output: fromJsonText(row.output),
    public: row.public,
    startTimeUnixNano: BigInt(row.start_time_ns),
    endTimeUnixNano: BigInt(row.end_time_ns),
    totalCostUsd: row.total_cost,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    createdAtMs: Number(row.created_at_ms),
    updatedAtMs: Number(row.updated_at_ms),
  };
}

/** The token column of each stored usage bucket, in STORED_USAGE_BUCKETS order (usage-columns.ts). */
const USAGE_COLUMNS = [
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
] as const satisfies ReadonlyArray<keyof ObservationRow>;

export function toObservationRecord(row: ObservationRow, environment: string): ObservationRecord {
  const usage: UsageDetails = {};
  STORED_USAGE_BUCKETS.forEach((bucket, i) => {
    const value = row[USAGE_COLUMNS[i]!];
    if (value !== null) usage[bucket] = Number(value);
  });
  const nanos = (value: Int8 | null) => (value === null ? null : BigInt(value));
  return {
    id: row.id,
    traceId: row.trace_id,
    parentObservationId: row.parent_observation_id,
    type: row.type as ObservationType,
    name: row.name,
    startTimeUnixNano: BigInt(row.start_time_ns),
    endTimeUnixNano: nanos(row.end_time_ns),
    completionStartTimeUnixNano: nanos(row.completion_start_time_ns),
    level: row.level as Level,
    statusMessage: row.status_message,
    version: row.version,
    model: row.model,
    modelParameters: row.model_parameters,
    input: fromJsonText(row.input),
    output: fromJsonText(row.output),
    metadata: row.metadata,
    usage,
    costUsd: row.cost_details,
    totalCostUsd: row.total_cost,
    costMissingReason: row.cost_missing_reason as CostMissingReason | null,
    countsInTraceTotals: row.counts_in_trace_totals,
    environment,
    attributes: row.attributes,
    resourceAttributes: row.resource_attributes,
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
    timeUnixNano: BigInt(row.time_ns),
    metadata: row.metadata,
    environment,
    createdAtMs: Number(row.created_at_ms),
    updatedAtMs: Number(row.updated_at_ms),
  };
}

export function toScoreSummary(row: ScoreSummaryRow): ScoreSummary {
  return {
    id: row.id,
    name: row.name,
    value: row.value,
    stringValue: row.string_value,
    dataType: row.data_type as ScoreDataType,
    source: row.source as Score['source'],
    observationId: row.observation_id,
  };
}

/**
 * A sum of costs kept by adding and subtracting (the rollups), rounded as pricing/cost.ts rounds
 * costs so float noise (0.30000000000000004, -1e-17) does not show.
 */
export function roundUsd(amount: number): number {
  return Math.round(amount * 1e12) / 1e12 + 0;
}
