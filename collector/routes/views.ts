/**
 * What the REST API sends, in the shapes of Langfuse's public API (`@langfuse/core` types:
 * TraceWithDetails, TraceWithFullDetails, ObservationsView, ScoreV1, Session, DailyMetrics,
 * Model, MetaResponse), plus spanlite's extensions (marked). Times are ISO-8601 strings; costs
 * USD; `latency` seconds, as Langfuse; fields ending in Ms milliseconds. routes/wire.ts makes
 * them from the store's records; the web UI reads its types from here.
 */
import type { Level, MergedTraceFacts, Observation, Page, Score } from '../model.js';
import type { Attributes } from '../decode/span.js';
export type { Page, PageMeta } from '../model.js';

export interface ScoreView
  extends Pick<Score, 'id' | 'traceId' | 'observationId' | 'name' | 'value' | 'stringValue' | 'dataType' | 'comment' | 'metadata'> {
  source: string;
  timestamp: string;
  createdAt: string;
  updatedAt: string;
  environment: string;
  /** Langfuse fields spanlite has no source for: always null. */
  authorUserId: null;
  configId: null;
  queueId: null;
}

/** A score in a list, with the facts of its trace (Langfuse's GetScoresResponseData). */
export interface ScoreListItem extends ScoreView {
  trace: { userId: string | null; tags: string[]; environment: string } | null;
}

export interface ObservationView
  extends Pick<
    Observation,
    | 'id'
    | 'traceId'
    | 'parentObservationId'
    | 'type'
    | 'name'
    | 'level'
    | 'statusMessage'
    | 'version'
    | 'model'
    | 'modelParameters'
    | 'input'
    | 'output'
    | 'metadata'
    | 'costMissingReason'
    | 'countsInTraceTotals'
    | 'resourceAttributes'
    | 'scope'
  > {
  startTime: string;
  endTime: string | null;
  completionStartTime: string | null;
  /** Token counts in exclusive buckets (input excludes cached; output excludes reasoning). */
  usageDetails: Record<string, number>;
  /** Langfuse's legacy usage object. */
  usage: { input: number; output: number; total: number; unit: 'TOKENS' };
  costDetails: Record<string, number>;
  calculatedInputCost: number | null;
  calculatedOutputCost: number | null;
  calculatedTotalCost: number | null;
  totalCost: number | null;
  /** Seconds, as Langfuse. */
  latency: number | null;
  /** Seconds from start to the first streamed token, as Langfuse. */
  timeToFirstToken: number | null;
  environment: string;
  /** Langfuse fields spanlite has no source for: always null. */
  promptId: null;
  promptName: null;
  promptVersion: null;
  modelId: null;
  inputPrice: null;
  outputPrice: null;
  totalPrice: null;
  /** Extension: the span's attributes not mapped to another field (also extensions: costMissingReason, countsInTraceTotals, resourceAttributes, scope). */
  attributes: Attributes;
}

/** A trace's merged facts, with Langfuse's times and totals. */
export interface TraceView extends MergedTraceFacts {
  timestamp: string;
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

/** Extension: a score as a trace list row shows it (Langfuse lists only score ids), without comment or metadata. */
export type TraceScoreValue = Pick<ScoreView, 'id' | 'name' | 'value' | 'stringValue' | 'dataType' | 'source' | 'observationId'>;

export type TraceListLevel = Extract<Level, 'DEFAULT' | 'WARNING' | 'ERROR'>;

/** A list item: observation and score ids, as Langfuse's TraceWithDetails, and spanlite's extensions. */
export interface TraceListItem extends TraceView {
  observations: string[];
  scores: string[];
  /**
   * Extension: ERROR when an observation of the trace is at ERROR, else WARNING when one is at
   * WARNING, else DEFAULT: the level filter's two levels, for marking rows.
   */
  level: TraceListLevel;
  /** Extension: the trace's scores (its own and its observations'), in the order of `scores`. */
  scoreValues: TraceScoreValue[];
}

/** One trace with everything under it, as Langfuse's TraceWithFullDetails. */
export interface TraceDetail extends TraceView {
  observations: ObservationView[];
  scores: ScoreView[];
}

/** Extension: a group of traces (a session's, a user's) in aggregate. */
export interface TraceGroupTotals {
  countTraces: number;
  firstTraceAt: string;
  lastTraceAt: string;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  totalCost: number;
}

/** Langfuse's Session, with spanlite's aggregates. */
export interface SessionView extends TraceGroupTotals {
  id: string;
  /** The first trace's start, as Langfuse. */
  createdAt: string;
  projectId: string;
  environment: string;
}

/** Langfuse's SessionWithTraces: the traces in start order, to replay a conversation. */
export interface SessionDetail extends SessionView {
  traces: TraceView[];
}

/** Extension: one user's traces in aggregate. */
export interface UserView extends TraceGroupTotals {
  userId: string;
}

/** Langfuse's UsageByModel. Usage counts tokens. */
export interface UsageByModelView {
  model: string | null;
  inputUsage: number;
  outputUsage: number;
  totalUsage: number;
  countTraces: number;
  countObservations: number;
  totalCost: number;
}

/** Langfuse's DailyMetricsDetails: one UTC day. */
export interface DailyMetricsView {
  /** YYYY-MM-DD (UTC). */
  date: string;
  countTraces: number;
  countObservations: number;
  /** Extension: traces starting this day with an ERROR observation. */
  countErrorTraces: number;
  /** Extension: ERROR observations starting this day. */
  countErrorObservations: number;
  totalCost: number;
  usage: UsageByModelView[];
}

/** Langfuse's PricingTier: a tier applies when the request's input tokens exceed `value`. */
export interface PricingTierView {
  id: string;
  name: string;
  isDefault: boolean;
  priority: number;
  conditions: Array<{ usageDetailPattern: string; operator: 'gt'; value: number; caseSensitive: boolean }>;
  /** USD per token, by usage bucket (input, output, cachedInput, cacheWrite, reasoning). */
  prices: Record<string, number>;
}

/** Langfuse's Model: a price entry, built in or custom. */
export interface ModelView {
  id: string;
  modelName: string;
  matchPattern: string;
  /** ISO date-time from which the price applies; null: to spans of any date. */
  startDate: string | null;
  unit: 'TOKENS';
  inputPrice: number | null;
  outputPrice: number | null;
  totalPrice: null;
  tokenizerId: null;
  tokenizerConfig: null;
  /** True for entries not created through the API (the model catalog and the pricing file). */
  isLangfuseManaged: boolean;
  /** Custom models: when created; others: when this collector loaded its prices. */
  createdAt: string;
  prices: Record<string, { price: number }>;
  pricingTiers: PricingTierView[];
  /** Extension: `custom` (created through the API), `file` (SPANLITE_PRICING_FILE) or `default` (the model catalog). */
  source: 'custom' | 'file' | 'default';
  /** Extension: the model catalog's provider of a `default` price (`openai`, `aws`, ...); null otherwise. */
  provider: string | null;
  /** Extension: the part of each UTC day a catalog price applies in (peak / off-peak prices); null: all day. */
  dailyWindowUtc: { start: string; end: string } | null;
}

/** The model catalog package whose prices are the defaults (extension of the models list). */
export interface ModelCatalogView {
  package: string;
  version: string;
  /** Its provider ids, in catalog order: the values the list's provider filter takes. */
  providers: string[];
}

/** GET /api/public/models: a page of prices and the model catalog they come from. */
export interface ModelListPage extends Page<ModelView> {
  catalog: ModelCatalogView;
}
