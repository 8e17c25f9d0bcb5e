/**
 * The stored model: traces, observations (spans, generations, events, ...), scores. Shapes follow
 * Langfuse's public API so its users and clients feel at home. Times are bigint unix nanoseconds
 * here and in the store; the REST API gives them as ISO strings (routes/views.ts).
 */
import type { Attributes, AttributeValue } from './decode/span.js';

export const OBSERVATION_TYPES = [
  'SPAN',
  'GENERATION',
  'EVENT',
  'TOOL',
  'RETRIEVER',
  'EMBEDDING',
  'AGENT',
  'CHAIN',
  'EVALUATOR',
  'GUARDRAIL',
] as const;
export type ObservationType = (typeof OBSERVATION_TYPES)[number];

export const LEVELS = ['DEBUG', 'DEFAULT', 'WARNING', 'ERROR'] as const;
export type Level = (typeof LEVELS)[number];

export type JsonValue = AttributeValue;

/**
 * Token counts in exclusive buckets: `input` excludes cached reads and cache writes, `output`
 * excludes reasoning. `total` is what the source reported, or the sum of the buckets.
 */
export interface UsageDetails {
  input?: number;
  output?: number;
  total?: number;
  cachedInput?: number;
  cacheWrite?: number;
  reasoning?: number;
}
export const USAGE_KEYS = ['input', 'output', 'cachedInput', 'cacheWrite', 'reasoning'] as const;
export type PricedUsageKey = (typeof USAGE_KEYS)[number];

/** Cost in USD per usage bucket, plus `total`. */
export type CostDetails = Partial<Record<PricedUsageKey | 'total', number>>;

/** Why an observation with usage or a model has no cost. */
export type CostMissingReason = 'no_model' | 'no_usage' | 'no_price_match';

export interface Observation {
  id: string;
  traceId: string;
  parentObservationId: string | null;
  type: ObservationType;
  name: string;
  startTimeUnixNano: bigint;
  /** Null for EVENT observations (a point in time). */
  endTimeUnixNano: bigint | null;
  /** Time the first token arrived, for streaming generations. */
  completionStartTimeUnixNano: bigint | null;
  level: Level;
  statusMessage: string | null;
  version: string | null;
  model: string | null;
  /**
   * Who serves the model, as the span names it (`openai`, `aws.bedrock`, `azure.ai.openai`,
   * `openai.chat`, ...): picks among the catalog's models of the same name. Read for pricing only;
   * the attribute itself stays in the stored attributes.
   */
  modelProvider: string | null;
  modelParameters: Record<string, JsonValue> | null;
  input: JsonValue | null;
  output: JsonValue | null;
  metadata: Record<string, JsonValue>;
  usage: UsageDetails;
  /** Cost the span itself reported (wins over the computed one). */
  reportedCost: CostDetails | null;
  /** Filled by the cost stage. */
  cost: CostDetails | null;
  costMissingReason: CostMissingReason | null;
  /**
   * False for a wrapper whose usage repeats its children's (e.g. Vercel AI SDK `ai.generateText`
   * around `ai.generateText.doGenerate`): shown on the observation, not added to trace totals.
   */
  countsInTraceTotals: boolean;
  /** Every attribute the span carried, mapped or not: nothing a client sent is thrown away. */
  rawAttributes: Attributes;
  resourceAttributes: Attributes;
  /** Instrumentation scope name and version ('' when absent). */
  scope: { name: string; version: string };
}

/** Trace-level facts one span contributes. Merged across spans by precedence (see trace-facts). */
export interface TraceFacts {
  name?: string;
  userId?: string;
  sessionId?: string;
  release?: string;
  version?: string;
  environment?: string;
  input?: JsonValue;
  output?: JsonValue;
  public?: boolean;
  tags?: string[];
  metadata?: Record<string, JsonValue>;
}

/** A trace's facts merged across its spans: null (or empty) where no span said. */
export interface MergedTraceFacts {
  id: string;
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
}

/**
 * The trace-level part of one span. `explicit` facts were named as trace facts by the sender
 * (`spanlite.trace.*`, `user.id`, ...); `implicit` ones are defaults taken from a root span (its
 * name, input, output) and from any span's resource (`service.version`, environment, release).
 * Explicit beats implicit whatever the arrival order; within a tier, the later-starting span wins
 * (see trace-merge).
 */
export interface TraceContribution {
  traceId: string;
  /** Orders spans: zero-padded start time then span id, so a string compare is a total order. */
  rank: string;
  explicit: TraceFacts;
  implicit: TraceFacts;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
}

export type ScoreDataType = 'NUMERIC' | 'CATEGORICAL' | 'BOOLEAN';

export interface Score {
  id: string;
  traceId: string;
  observationId: string | null;
  name: string;
  /** Numeric value (BOOLEAN: 0 or 1); null for a CATEGORICAL score without a numeric form. */
  value: number | null;
  stringValue: string | null;
  dataType: ScoreDataType;
  comment: string | null;
  source: 'API' | 'EVAL' | 'ANNOTATION';
  timeUnixNano: bigint;
  metadata: Record<string, JsonValue>;
}

/** Everything one span maps to. */
export interface MappedSpan {
  /** Null for a score-carrier span, which contributes only its scores. */
  observation: Observation | null;
  /** EVENT observations from the span's events, parented to the span's observation. */
  events: Observation[];
  scores: Score[];
  /** Null for a score carrier: a late, zero-length span must not stretch the trace's times. */
  trace: TraceContribution | null;
  /**
   * Langfuse ingestion: the store folds the observation onto the one stored under its key
   * (`observation`'s trace and id), inside the write transaction, so that batches folding the
   * same observation (in any process) each see the other's: it calls this with what it holds
   * (null: nothing) and stores what it returns in its place, trace totals corrected.
   * `observation` is the fold onto nothing. Absent: a stored observation wins, so a span sent
   * again is ignored whole.
   */
  foldOntoStored?: (stored: Observation | null) => Observation;
}

/** Keys that would reach an object's prototype when assigned; never copied anywhere. */
export function isSafeKey(key: string): boolean {
  return key !== '__proto__' && key !== 'constructor' && key !== 'prototype';
}

/** One page of a list, and where it stands in the whole. */
export interface PageMeta {
  page: number;
  limit: number;
  totalItems: number;
  totalPages: number;
}

export interface Page<T> {
  data: T[];
  meta: PageMeta;
}
