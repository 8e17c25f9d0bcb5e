/**
 * Stored rows -> the store's records, for every engine. The rows have the same columns in each
 * engine; only the driver's values differ, so each row type is read through its engine's
 * `StoredColumns`: better-sqlite3 (safeIntegers) gives integers as bigint, flags as 0n/1n and
 * JSON as text; node-postgres gives BIGINT as a decimal string, BOOLEAN as boolean and JSONB
 * parsed. The converters take the engine's JSON decoder and read integers and flags as they come,
 * with no intermediate row: this runs for every row a read returns.
 */
import type { CostDetails, CostMissingReason, JsonValue, Level, ObservationType, Score, ScoreDataType, UsageDetails } from '../model.js';
import type { ObservationRecord, ScoreRecord, ScoreSummary, SessionRecord, TraceAggregates, TraceRecord, UserOrderField, UserRecord } from './contract.js';
import { STORED_USAGE_BUCKETS } from './usage-columns.js';

/** How an engine's driver returns each kind of stored value. */
export interface StoredColumns {
  integer: bigint | string;
  flag: bigint | boolean;
  json: unknown;
}

/** Decodes one stored JSON column (JSONB, TEXT holding JSON) to its value. */
export type JsonDecoder<C extends StoredColumns> = (stored: C['json']) => unknown;

export interface TraceRow<C extends StoredColumns> {
  id: string;
  name: string | null;
  user_id: string | null;
  session_id: string | null;
  release: string | null;
  version: string | null;
  environment: string;
  tags: C['json'];
  metadata: C['json'];
  input: string | null;
  output: string | null;
  public: C['flag'];
  start_time_ns: C['integer'];
  end_time_ns: C['integer'];
  total_cost: number | null;
  input_tokens: C['integer'];
  output_tokens: C['integer'];
  total_tokens: C['integer'];
  created_at_ms: C['integer'];
  updated_at_ms: C['integer'];
}

export const TRACE_COLUMNS = `t.id, t.name, t.user_id, t.session_id, t.release, t.version, t.environment, t.tags,
  t.metadata, t.input, t.output, t.public, t.start_time_ns, t.end_time_ns, t.total_cost, t.input_tokens,
  t.output_tokens, t.total_tokens, t.created_at_ms, t.updated_at_ms`;

export interface ObservationRow<C extends StoredColumns> {
  id: string;
  trace_id: string;
  parent_observation_id: string | null;
  type: string;
  name: string;
  start_time_ns: C['integer'];
  end_time_ns: C['integer'] | null;
  completion_start_time_ns: C['integer'] | null;
  level: string;
  status_message: string | null;
  version: string | null;
  model: string | null;
  model_parameters: C['json'] | null;
  input: string | null;
  output: string | null;
  metadata: C['json'];
  input_tokens: C['integer'] | null;
  output_tokens: C['integer'] | null;
  total_tokens: C['integer'] | null;
  cached_input_tokens: C['integer'] | null;
  cache_write_tokens: C['integer'] | null;
  reasoning_tokens: C['integer'] | null;
  cost_details: C['json'] | null;
  total_cost: number | null;
  cost_missing_reason: string | null;
  counts_in_trace_totals: C['flag'];
  attributes: C['json'];
  resource_attributes: C['json'];
  scope_name: string;
  scope_version: string;
}

export const OBSERVATION_COLUMNS = `o.id, o.trace_id, o.parent_observation_id, o.type, o.name, o.start_time_ns,
  o.end_time_ns, o.completion_start_time_ns, o.level, o.status_message, o.version, o.model, o.model_parameters,
  o.input, o.output, o.metadata, o.input_tokens, o.output_tokens, o.total_tokens, o.cached_input_tokens,
  o.cache_write_tokens, o.reasoning_tokens, o.cost_details, o.total_cost, o.cost_missing_reason,
  o.counts_in_trace_totals, o.attributes, o.resource_attributes, o.scope_name, o.scope_version`;

export interface ScoreRow<C extends StoredColumns> {
  id: string;
  trace_id: string;
  observation_id: string | null;
  name: string;
  value: number | null;
  string_value: string | null;
  data_type: string;
  comment: string | null;
  source: string;
  time_ns: C['integer'];
  metadata: C['json'];
  created_at_ms: C['integer'];
  updated_at_ms: C['integer'];
}

export const SCORE_COLUMNS = `s.id, s.trace_id, s.observation_id, s.name, s.value, s.string_value, s.data_type,
  s.comment, s.source, s.time_ns, s.metadata, s.created_at_ms, s.updated_at_ms`;

export type ScoreSummaryRow = Pick<ScoreRow<StoredColumns>, 'trace_id' | 'id' | 'name' | 'value' | 'string_value' | 'data_type' | 'source' | 'observation_id'>;

export const SCORE_SUMMARY_COLUMNS = 's.trace_id, s.id, s.name, s.value, s.string_value, s.data_type, s.source, s.observation_id';

/** A time in nanoseconds as stored. */
function nanos(value: bigint | string): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

function nullableNanos(value: bigint | string | null): bigint | null {
  return value === null ? null : nanos(value);
}

/** A flag as stored: 0n/1n (SQLite INTEGER) or a boolean (PostgreSQL BOOLEAN). */
function flag(value: bigint | boolean): boolean {
  return value === true || value === 1n;
}

/** A client's JSON kept as TEXT in both engines (input, output), read back as sent. */
function fromJsonText(text: string | null): JsonValue | null {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}

function toTraceRecord<C extends StoredColumns>(row: TraceRow<C>, json: JsonDecoder<C>): TraceRecord {
  return {
    id: row.id,
    name: row.name,
    userId: row.user_id,
    sessionId: row.session_id,
    release: row.release,
    version: row.version,
    environment: row.environment,
    tags: json(row.tags) as string[],
    metadata: json(row.metadata) as TraceRecord['metadata'],
    input: fromJsonText(row.input),
    output: fromJsonText(row.output),
    public: flag(row.public),
    startTimeUnixNano: nanos(row.start_time_ns),
    endTimeUnixNano: nanos(row.end_time_ns),
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
] as const satisfies ReadonlyArray<keyof ObservationRow<StoredColumns>>;

function toObservationRecord<C extends StoredColumns>(row: ObservationRow<C>, environment: string, json: JsonDecoder<C>): ObservationRecord {
  const usage: UsageDetails = {};
  for (let i = 0; i < STORED_USAGE_BUCKETS.length; i++) {
    const value = row[USAGE_COLUMNS[i]!];
    if (value !== null) usage[STORED_USAGE_BUCKETS[i]!] = Number(value);
  }
  return {
    id: row.id,
    traceId: row.trace_id,
    parentObservationId: row.parent_observation_id,
    type: row.type as ObservationType,
    name: row.name,
    startTimeUnixNano: nanos(row.start_time_ns),
    endTimeUnixNano: nullableNanos(row.end_time_ns),
    completionStartTimeUnixNano: nullableNanos(row.completion_start_time_ns),
    level: row.level as Level,
    statusMessage: row.status_message,
    version: row.version,
    model: row.model,
    modelParameters: (row.model_parameters === null ? null : json(row.model_parameters)) as ObservationRecord['modelParameters'],
    input: fromJsonText(row.input),
    output: fromJsonText(row.output),
    metadata: json(row.metadata) as ObservationRecord['metadata'],
    usage,
    costUsd: (row.cost_details === null ? null : json(row.cost_details)) as CostDetails | null,
    totalCostUsd: row.total_cost,
    costMissingReason: row.cost_missing_reason as CostMissingReason | null,
    countsInTraceTotals: flag(row.counts_in_trace_totals),
    environment,
    attributes: json(row.attributes) as ObservationRecord['attributes'],
    resourceAttributes: json(row.resource_attributes) as ObservationRecord['resourceAttributes'],
    scope: { name: row.scope_name, version: row.scope_version },
  };
}

function toScoreRecord<C extends StoredColumns>(row: ScoreRow<C>, environment: string, json: JsonDecoder<C>): ScoreRecord {
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
    timeUnixNano: nanos(row.time_ns),
    metadata: json(row.metadata) as ScoreRecord['metadata'],
    environment,
    createdAtMs: Number(row.created_at_ms),
    updatedAtMs: Number(row.updated_at_ms),
  };
}

/** The converters of one engine, its JSON decoder bound. */
export function recordConverters<C extends StoredColumns>(json: JsonDecoder<C>) {
  return {
    toTraceRecord: (row: TraceRow<C>): TraceRecord => toTraceRecord(row, json),
    toObservationRecord: (row: ObservationRow<C>, environment: string): ObservationRecord => toObservationRecord(row, environment, json),
    toScoreRecord: (row: ScoreRow<C>, environment: string): ScoreRecord => toScoreRecord(row, environment, json),
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

/** A row of a session's or user's rollup (`session_stats`, `user_stats`), its key as `id`. */
export interface StatsRow<C extends StoredColumns> {
  id: string;
  trace_count: C['integer'];
  first_start_ns: C['integer'];
  last_start_ns: C['integer'];
  input_tokens: C['integer'];
  output_tokens: C['integer'];
  total_tokens: C['integer'];
  total_cost: number;
}

/** The `user_stats` column each order of the user list sorts by (then by user id). */
export const USER_ORDER_COLUMNS: Record<UserOrderField, string> = {
  lastTraceAt: 'last_start_ns',
  firstTraceAt: 'first_start_ns',
  countTraces: 'trace_count',
  totalCost: 'total_cost',
};

export type SessionStatsRow<C extends StoredColumns> = StatsRow<C> & { environment: string };

function aggregates(row: StatsRow<StoredColumns>): TraceAggregates {
  return {
    traceCount: Number(row.trace_count),
    firstTraceStartUnixNano: nanos(row.first_start_ns),
    lastTraceStartUnixNano: nanos(row.last_start_ns),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    totalCostUsd: roundUsd(row.total_cost),
  };
}

export function toSessionRecord(row: SessionStatsRow<StoredColumns>): SessionRecord {
  return { id: row.id, environment: row.environment, ...aggregates(row) };
}

export function toUserRecord(row: StatsRow<StoredColumns>): UserRecord {
  return { userId: row.id, ...aggregates(row) };
}

/**
 * A sum of costs kept by adding and subtracting (the rollups), rounded as pricing/cost.ts rounds
 * costs so float noise (0.30000000000000004, -1e-17) does not show.
 */
export function roundUsd(amount: number): number {
  return Math.round(amount * 1e12) / 1e12 + 0;
}
