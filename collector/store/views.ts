/**
 * What the read API returns, in the shapes of Langfuse's public API (`@langfuse/client` types),
 * plus spanlite's extensions (marked). Times are ISO-8601 strings; costs USD; latency seconds.
 */
import type { JsonValue, Level, ObservationType, ScoreDataType, CostMissingReason } from '../model.js';
import type { Attributes } from '../span.js';

export interface ScoreView {
  id: string;
  traceId: string;
  observationId: string | null;
  name: string;
  value: number | null;
  stringValue: string | null;
  dataType: ScoreDataType;
  comment: string | null;
  source: string;
  timestamp: string;
  createdAt: string;
  updatedAt: string;
  metadata: Record<string, JsonValue>;
  environment: string;
}

export interface ObservationView {
  id: string;
  traceId: string;
  parentObservationId: string | null;
  type: ObservationType;
  name: string;
  startTime: string;
  endTime: string | null;
  completionStartTime: string | null;
  level: Level;
  statusMessage: string | null;
  version: string | null;
  model: string | null;
  modelParameters: Record<string, JsonValue> | null;
  input: JsonValue | null;
  output: JsonValue | null;
  metadata: Record<string, JsonValue>;
  /** Token counts in exclusive buckets (input excludes cached; output excludes reasoning). */
  usageDetails: Record<string, number>;
  /** Langfuse's legacy usage object. */
  usage: { input: number; output: number; total: number; unit: 'TOKENS' };
  costDetails: Record<string, number>;
  calculatedTotalCost: number | null;
  totalCost: number | null;
  /** Extension: why there is no cost (`no_model`, `no_usage`, `no_price_match`). */
  costMissingReason: CostMissingReason | null;
  /** Extension: false when this observation's usage repeats its children's (not in trace totals). */
  countsInTraceTotals: boolean;
  /** Seconds, as Langfuse. */
  latency: number | null;
  environment: string;
  /** Extension: the span's attributes not mapped to another field, its resource and its scope. */
  attributes: Attributes;
  resourceAttributes: Attributes;
  scope: { name: string; version: string };
}

export interface TraceView {
  id: string;
  timestamp: string;
  name: string | null;
  userId: string | null;
  sessionId: string | null;
  release: string | null;
  version: string | null;
  environment: string;
  tags: string[];
  metadata: Record<string, JsonValue>;
  input: JsonValue | null;
  output: JsonValue | null;
  public: boolean;
  /** Seconds, as Langfuse. */
  latency: number;
  totalCost: number | null;
  htmlPath: string;
  /** Extensions. */
  endTimestamp: string;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  createdAt: string;
  updatedAt: string;
}

/** A list item: observation and score ids, as Langfuse's TraceWithDetails. */
export interface TraceListItem extends TraceView {
  observations: string[];
  scores: string[];
}

/** One trace with everything under it, as Langfuse's TraceWithFullDetails. */
export interface TraceDetail extends TraceView {
  observations: ObservationView[];
  scores: ScoreView[];
}

export interface Page<T> {
  data: T[];
  meta: { page: number; limit: number; totalItems: number; totalPages: number };
}
