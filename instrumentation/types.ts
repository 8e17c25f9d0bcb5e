/**
 * The shapes the public API takes: observations, traces, events and scores, in the terms a
 * Langfuse user knows. They become OTel span attributes in `attributes.ts`.
 */

/** What an observation is; recorded as `spanlite.observation.type`. */
export type ObservationType =
  | 'SPAN'
  | 'GENERATION'
  | 'EVENT'
  | 'TOOL'
  | 'RETRIEVER'
  | 'EMBEDDING'
  | 'AGENT'
  | 'CHAIN'
  | 'EVALUATOR'
  | 'GUARDRAIL';

export type ObservationLevel = 'DEBUG' | 'DEFAULT' | 'WARNING' | 'ERROR';

export type ScoreDataType = 'NUMERIC' | 'CATEGORICAL' | 'BOOLEAN';

/**
 * Token counts as OTel GenAI counts them (and as OpenAI reports them): `input` includes the
 * tokens read from or written to the cache, `output` includes reasoning tokens. The other
 * buckets say how much of those totals was cached or reasoning.
 */
export interface Usage {
  /** All input tokens, cached ones included (`gen_ai.usage.input_tokens`). */
  input?: number;
  /** All output tokens, reasoning included (`gen_ai.usage.output_tokens`). */
  output?: number;
  /** As reported; the collector sums the buckets when absent. */
  total?: number;
  /** Input tokens read from the provider's prompt cache. */
  cachedInput?: number;
  /** Input tokens written to the provider's prompt cache. */
  cacheWrite?: number;
  /** Output tokens spent on reasoning. */
  reasoning?: number;
}

/** Cost in USD per usage bucket, as reported by the provider; wins over the collector's price table. */
export type CostUsd = Partial<Record<'input' | 'output' | 'cachedInput' | 'cacheWrite' | 'reasoning' | 'total', number>>;

/** Fields any observation can be updated with; generation fields apply to every type. */
export interface ObservationUpdate {
  /** Any value; recorded as capped JSON. */
  input?: unknown;
  output?: unknown;
  /** Each key becomes `spanlite.observation.metadata.<key>`; non-primitive values as JSON. */
  metadata?: Record<string, unknown>;
  level?: ObservationLevel;
  statusMessage?: string;
  version?: string;
  model?: string;
  modelParameters?: Record<string, unknown>;
  usage?: Usage;
  costUsd?: CostUsd;
  /** When the first token of a streamed response arrived. */
  completionStartTime?: Date;
}

export interface ObservationParams extends ObservationUpdate {
  name: string;
  /** Default `SPAN` (`GENERATION` for `generation()`). */
  type?: ObservationType;
  /** Default: now. */
  startTime?: Date;
}

export interface ObservationEnd extends ObservationUpdate {
  /** Default: now. */
  endTime?: Date;
}

/** Trace-level facts. All but input, output and public reach every span started afterwards. */
export interface TraceUpdate {
  name?: string;
  userId?: string;
  sessionId?: string;
  /** Merged with the tags set before (a union). */
  tags?: string[];
  metadata?: Record<string, unknown>;
  release?: string;
  version?: string;
  environment?: string;
  input?: unknown;
  output?: unknown;
  public?: boolean;
}

export interface TraceParams extends TraceUpdate {
  name: string;
  /** Default: now. */
  startTime?: Date;
}

export interface TraceEnd {
  output?: unknown;
  /** Default: now. */
  endTime?: Date;
}

/** A point-in-time observation, recorded as a span event (its data is the event's attributes). */
export interface EventParams {
  name: string;
  level?: ObservationLevel;
  /** Each key becomes an event attribute; non-primitive values as JSON. Shown as the event's input. */
  data?: Record<string, unknown>;
  /** Default: now. */
  time?: Date;
}

export interface ScoreParams {
  name: string;
  /** number: NUMERIC, string: CATEGORICAL, boolean: BOOLEAN (sent as 1 or 0), unless `dataType` says otherwise. */
  value: number | string | boolean;
  /** Recorded as `gen_ai.evaluation.explanation`. */
  comment?: string;
  dataType?: ScoreDataType;
  /** A client-chosen id: sending the same id again updates the score rather than adding one. */
  id?: string;
  /** Who scored: API, EVAL or ANNOTATION. The collector's default is EVAL. */
  source?: 'API' | 'EVAL' | 'ANNOTATION';
}
