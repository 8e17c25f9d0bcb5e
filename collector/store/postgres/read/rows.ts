/**
 * Stored PostgreSQL rows -> the store's records. node-postgres reads BIGINT (and count, sum of
 * BIGINT) as decimal strings, JSONB as parsed values, TEXT[] as arrays; input and output are TEXT
 * holding JSON as written.
 */
import type { Score, ScoreDataType } from '../../../model.js';
import type { ScoreRecord, TraceRecord } from '../../contract.js';

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
  start_time_ns: string;
  end_time_ns: string;
  total_cost: number | null;
  input_tokens: string;
  output_tokens: string;
  total_tokens: string;
  created_at_ms: string;
  updated_at_ms: string;
}

export const TRACE_COLUMNS = `t.id, t.name, t.user_id, t.session_id, t.release, t.version, t.environment, t.tags,
  t.metadata, t.input, t.output, t.public, t.start_time_ns, t.end_time_ns, t.total_cost, t.input_tokens,
  t.output_tokens, t.total_tokens, t.created_at_ms, t.updated_at_ms`;

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
  time_ns: string;
  metadata: ScoreRecord['metadata'];
  created_at_ms: string;
  updated_at_ms: string;
}

export const SCORE_COLUMNS = `s.id, s.trace_id, s.observation_id, s.name, s.value, s.string_value, s.data_type,
  s.comment, s.source, s.time_ns, s.metadata, s.created_at_ms, s.updated_at_ms`;

const fromJson = (text: string | null) => (text === null ? null : (JSON.parse(text) as TraceRecord['input']));

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
    input: fromJson(row.input),
    output: fromJson(row.output),
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

/**
 * A sum of costs kept by adding and subtracting (the rollups), rounded as pricing/cost.ts rounds
 * costs so float noise (0.30000000000000004, -1e-17) does not show.
 */
export function roundUsd(amount: number): number {
  return Math.round(amount * 1e12) / 1e12 + 0;
}
