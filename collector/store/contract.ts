/**
 * The store contract: what the pipeline (TraceStore) and the query API (QueryStore) ask of a
 * storage engine, with the types they exchange. SQL-free and async, so an engine (SQLite in
 * sqlite/, PostgreSQL next) slots in without touching either.
 *
 * Conventions: every call is scoped to one project; times are unix nanoseconds, `from`
 * inclusive and `to` exclusive; costs USD; an unknown id reads as null (or false for a delete).
 * Reads return records: stored facts in plain types, never a wire format (routes/ makes
 * Langfuse's shapes from them).
 */
import type { GenAiMessageRecord, MappedLogs } from '../decode/log-record.js';
import type { Attributes } from '../decode/span.js';
import type {
  CostDetails,
  CostMissingReason,
  JsonValue,
  Level,
  MappedSpan,
  MergedTraceFacts,
  Observation,
  ObservationType,
  Page,
  Score,
  ScoreDataType,
  UsageDetails,
} from '../model.js';
import type { PriceTier, TokenPrices } from '../../config/pricing.js';
export type { Page, PageMeta } from '../model.js';

export type SortDirection = 'asc' | 'desc';

export interface Ordering<Field extends string> {
  field: Field;
  direction: SortDirection;
}

export const COMPARISON_OPERATORS = ['>=', '<=', '!=', '=', '<', '>'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** A trace has a score named `name` (on itself or one of its observations) whose value compares true. */
export interface ScoreCondition {
  name: string;
  operator: ComparisonOperator;
  /** A number compares the numeric value; a string (only with = and !=) the categorical one. */
  value: number | string;
}

/** Trace metadata key `key` holds `value` (compared as text: `true`, `3`, `pro`). */
export interface MetadataCondition {
  key: string;
  value: string;
}

export const TRACE_ORDER_FIELDS = ['timestamp', 'latency', 'totalCost', 'name'] as const;
export type TraceOrderField = (typeof TRACE_ORDER_FIELDS)[number];

/** Every condition given must hold. */
export interface TraceFilter {
  userId?: string;
  sessionId?: string;
  name?: string;
  /** All must be present on the trace. */
  tags?: string[];
  /** Any of them. */
  environments?: string[];
  release?: string;
  version?: string;
  /** On the trace's start. */
  fromTimeUnixNano?: bigint;
  toTimeUnixNano?: bigint;
  /** The trace has an observation at this level. */
  level?: Extract<Level, 'ERROR' | 'WARNING'>;
  minLatencyMs?: number;
  maxLatencyMs?: number;
  minCostUsd?: number;
  maxCostUsd?: number;
  scores?: ScoreCondition[];
  metadata?: MetadataCondition[];
  /** An observation of the trace used this model. */
  model?: string;
  /**
   * Full text: each term appears, case-insensitively, as a substring of the name, input or
   * output of the trace or of one of its observations (not necessarily the same one).
   */
  searchTerms?: string[];
}

export interface TraceListQuery extends TraceFilter {
  /** From 1; ignored when `after` is given. */
  page: number;
  limit: number;
  orderBy: Ordering<TraceOrderField>;
  /** Keyset paging: the rows after this one in `orderBy` (which must match its `orderBy`). */
  after?: KeysetPosition;
}

export interface ObservationListQuery {
  page: number;
  limit: number;
  traceId?: string;
  type?: ObservationType;
  name?: string;
  /** The observation's trace belongs to this user. */
  userId?: string;
  level?: Level;
  model?: string;
  parentObservationId?: string;
  environments?: string[];
  /** On the observation's start. */
  fromTimeUnixNano?: bigint;
  toTimeUnixNano?: bigint;
}

export interface SessionListQuery {
  page: number;
  limit: number;
  /** On the session's first trace start (its createdAt). */
  fromTimeUnixNano?: bigint;
  toTimeUnixNano?: bigint;
  environments?: string[];
}

export const USER_ORDER_FIELDS = ['lastTraceAt', 'firstTraceAt', 'countTraces', 'totalCost'] as const;
export type UserOrderField = (typeof USER_ORDER_FIELDS)[number];

export interface UserListQuery {
  page: number;
  limit: number;
  orderBy: Ordering<UserOrderField>;
}

export interface ScoreListQuery {
  page: number;
  limit: number;
  ids?: string[];
  name?: string;
  traceId?: string;
  observationId?: string;
  /** Of the score's trace. */
  userId?: string;
  sessionId?: string;
  source?: Score['source'];
  dataType?: ScoreDataType;
  /** Numeric value range, inclusive. */
  minValue?: number;
  maxValue?: number;
  /** Numeric value compared with an operator (Langfuse's `operator` + `value`). */
  valueCondition?: { operator: ComparisonOperator; value: number };
  /** On the score's timestamp. */
  fromTimeUnixNano?: bigint;
  toTimeUnixNano?: bigint;
}

export interface DailyMetricsQuery {
  page: number;
  limit: number;
  traceName?: string;
  userId?: string;
  /** All must be present on the trace. */
  tags?: string[];
  environments?: string[];
  fromTimeUnixNano?: bigint;
  toTimeUnixNano?: bigint;
}

/** Environment of a trace that does not say (and of scores on a trace not stored). */
export const DEFAULT_ENVIRONMENT = 'default';

/** A trace's merged facts and totals. */
export interface TraceRecord extends MergedTraceFacts {
  /** The earliest start and the latest end of its spans. */
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  /** Over the observations that count in trace totals; null when none was priced. */
  totalCostUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** When the trace was first stored and last changed. */
  createdAtMs: number;
  updatedAtMs: number;
}

/** A stored observation: the mapped one with its cost settled and its trace's environment. */
export interface ObservationRecord extends Omit<Observation, 'reportedCost' | 'cost' | 'rawAttributes' | 'modelProvider'> {
  /** The buckets stored, in the order input, output, total, cachedInput, cacheWrite, reasoning. */
  usage: UsageDetails;
  /** USD per usage bucket, and total; null when not priced. */
  costUsd: CostDetails | null;
  totalCostUsd: number | null;
  /** Its trace's (DEFAULT_ENVIRONMENT when the trace is not stored). */
  environment: string;
  /** The span's attributes not mapped to another field. */
  attributes: Attributes;
}

export interface ScoreRecord extends Score {
  /** Its trace's (DEFAULT_ENVIRONMENT when the trace is not stored). */
  environment: string;
  createdAtMs: number;
  updatedAtMs: number;
}

/** A score in a list, with the facts of its trace (null when the trace is not stored). */
export interface ScoreListRecord extends ScoreRecord {
  trace: { userId: string | null; tags: string[]; environment: string } | null;
}

/** A score as a trace list row shows it (no comment or metadata: an index holds these). */
export type ScoreSummary = Pick<ScoreRecord, 'id' | 'name' | 'value' | 'stringValue' | 'dataType' | 'source' | 'observationId'>;

export type TraceListLevel = Extract<Level, 'DEFAULT' | 'WARNING' | 'ERROR'>;

export interface TraceListRecord extends TraceRecord {
  /** In id order. */
  observationIds: string[];
  /** ERROR when an observation is at ERROR, else WARNING when one is at WARNING, else DEFAULT. */
  level: TraceListLevel;
  /** Its own scores and its observations', in id order. */
  scores: ScoreSummary[];
}

export interface TraceDetailRecord extends TraceRecord {
  /** In start order. */
  observations: ObservationRecord[];
  /** In time order. */
  scores: ScoreRecord[];
}

/** Traces in aggregate (a session's, a user's). */
export interface TraceAggregates {
  traceCount: number;
  firstTraceStartUnixNano: bigint;
  lastTraceStartUnixNano: bigint;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  totalCostUsd: number;
}

export interface SessionRecord extends TraceAggregates {
  id: string;
  environment: string;
}

export interface SessionDetailRecord extends SessionRecord {
  /** In start order. */
  traces: TraceRecord[];
}

export interface UserRecord extends TraceAggregates {
  userId: string;
}

/** One model's usage on one day; tokens as the daily totals count them (input with cache, output with reasoning). */
export interface ModelUsageRecord {
  /** Null for observations without a model. */
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Traces with an observation on this model. */
  traceCount: number;
  observationCount: number;
  totalCostUsd: number;
}

/** One UTC day: traces by their start, observations by theirs. */
export interface DailyMetricsRecord {
  /** Midnight UTC. */
  dayStartUnixNano: bigint;
  traceCount: number;
  observationCount: number;
  /** Traces starting this day with an ERROR observation. */
  errorTraceCount: number;
  /** ERROR observations starting this day. */
  errorObservationCount: number;
  totalCostUsd: number;
  /** By model name, observations without a model last. */
  usageByModel: ModelUsageRecord[];
}

/** Where the next page starts: the sort value and id of the last row returned. */
export interface KeysetPosition {
  /** The ordering it belongs to, e.g. `timestamp.desc`. */
  orderBy: string;
  /** The last row's sort value: bigint nanoseconds as a decimal string, a number, text or null. */
  value: string | number | null;
  id: string;
}

/** A page that can also be continued by keyset (cursor) paging. */
export interface KeysetPage<T> extends Page<T> {
  /** Null on the last page. */
  next: KeysetPosition | null;
  /** True when totalItems is a lower bound: a full-text search matching more traces than it counts. */
  totalItemsIsLowerBound: boolean;
}

/** A model price created through the API. */
export interface CustomModelRecord {
  id: string;
  modelName: string;
  /** JavaScript regular expression source, matched case-insensitively against the whole name. */
  matchPattern: string;
  /** When the price takes effect, unix milliseconds; null: for spans of any date. */
  startDateMs: number | null;
  prices: TokenPrices;
  tiers: readonly PriceTier[];
  createdAtMs: number;
}

export interface QueryStore {
  listTraces(projectId: string, query: TraceListQuery): Promise<KeysetPage<TraceListRecord>>;
  getTrace(projectId: string, traceId: string): Promise<TraceDetailRecord | null>;
  /** Removes the trace with its observations and scores. False when it did not exist. */
  deleteTrace(projectId: string, traceId: string): Promise<boolean>;

  listObservations(projectId: string, query: ObservationListQuery): Promise<Page<ObservationRecord>>;
  getObservation(projectId: string, observationId: string): Promise<ObservationRecord | null>;
  /** The trace an observation belongs to, or null when it is not stored. */
  findObservationTraceId(projectId: string, observationId: string): Promise<string | null>;

  listSessions(projectId: string, query: SessionListQuery): Promise<Page<SessionRecord>>;
  getSession(projectId: string, sessionId: string): Promise<SessionDetailRecord | null>;

  listUsers(projectId: string, query: UserListQuery): Promise<Page<UserRecord>>;
  getUser(projectId: string, userId: string): Promise<UserRecord | null>;

  listScores(projectId: string, query: ScoreListQuery): Promise<Page<ScoreListRecord>>;
  getScore(projectId: string, scoreId: string): Promise<ScoreRecord | null>;
  /** Inserts, or replaces the score with the same id (idempotent on the id). */
  upsertScore(projectId: string, score: Score): Promise<void>;
  deleteScore(projectId: string, scoreId: string): Promise<boolean>;

  dailyMetrics(projectId: string, query: DailyMetricsQuery): Promise<Page<DailyMetricsRecord>>;

  /** Newest first. */
  listCustomModels(projectId: string): Promise<CustomModelRecord[]>;
  insertCustomModel(projectId: string, model: CustomModelRecord): Promise<void>;
  deleteCustomModel(projectId: string, modelId: string): Promise<boolean>;
}

/**
 * A query the store cannot run as asked, e.g. a search term so short it matches too much text,
 * or a keyset position that does not fit the ordering. `field` names the query field at fault,
 * so the API can name its own parameter.
 */
export class QueryRejectedError extends Error {
  constructor(
    readonly field: 'searchTerms' | 'after',
    message: string,
  ) {
    super(message);
    this.name = 'QueryRejectedError';
  }
}

/** The spans of one export request, mapped and priced: written all or nothing. */
export interface SpanBatch {
  projectId: string;
  spans: readonly MappedSpan[];
  /**
   * The log records of one OTLP logs export, mapped (`spans` is then empty). They share the
   * spans' write path so that a message record and its span are joined in commit order.
   */
  logs?: MappedLogs;
}

/**
 * `retryable: false` when the batch itself cannot be stored (a value the database refuses), so
 * sending it again cannot help; absent or true when the database may accept it later.
 */
export type BatchWriteOutcome = { ok: true } | { ok: false; error: Error; retryable?: boolean };

/**
 * Where a repricing stands: the last observation a step examined, in the keyset order
 * (start time, then observation id, then trace id; ids compared as bytes).
 */
export interface RepriceCursor {
  startTimeUnixNano: bigint;
  observationId: string;
  traceId: string;
}

/** One step of a repricing: the next `limit` candidate observations after `after`. */
export interface RepriceStep {
  /** Only observations whose stored model is exactly this name; absent: every model. */
  model?: string;
  /** On the observation's start: `from` inclusive, `to` exclusive. */
  fromTimeUnixNano?: bigint;
  toTimeUnixNano?: bigint;
  /** Null: from the first. */
  after: RepriceCursor | null;
  /** Candidate observations examined at most in this step (one short write transaction). */
  limit: number;
}

/** An observation's new cost, or why it has none. */
export interface RepricedCost {
  cost: CostDetails | null;
  missingReason: CostMissingReason | null;
}

/**
 * Decides an observation's new cost from what is stored of it; null leaves it as it is (a cost
 * the app reported, or a cost that would not change).
 */
export type RepriceObservation = (observation: ObservationRecord) => RepricedCost | null;

export interface RepriceStepResult {
  /** Candidate observations (with a model or usage) read in this step. */
  examined: number;
  /** Observations whose cost or missing reason was written. */
  changedObservations: number;
  /** Their traces, each once. */
  changedTraceIds: string[];
  /** Null when no candidate is left after this step. */
  next: RepriceCursor | null;
}

/** The write path, and the query API's reads and writes (store/contract.ts). */
export interface TraceStore extends QueryStore {
  /**
   * Writes the batches in one transaction, each batch all or nothing (a batch that fails is
   * rolled back alone and reported; the others commit). Resolves once committed to disk.
   */
  writeBatches(batches: readonly SpanBatch[]): Promise<BatchWriteOutcome[]>;
  /**
   * Retention: deletes at most `maxTraces` traces that started before `cutoffUnixNano`, with
   * everything under them (and rows of traces never stored, older than the cutoff), in one
   * transaction; resolves with how many were deleted (fewer than `maxTraces`: none are left).
   */
  deleteTracesOlderThan(cutoffUnixNano: bigint, maxTraces: number): Promise<number>;
  /**
   * One step of a repricing, in one short write transaction: the next `step.limit` candidate
   * observations of the project (a model or usage stored) in keyset order, each given to
   * `reprice`. A changed cost is written in place (cost details, total cost, missing reason),
   * its trace's total cost is summed again from its observations, and the daily usage, session
   * and user sums move by the difference. Under the same trace locks as the write path, so a
   * concurrent write is never lost.
   */
  repriceObservations(projectId: string, step: RepriceStep, reprice: RepriceObservation): Promise<RepriceStepResult>;
  /** Resolves once the database answered a trivial query (the health check); rejects with why it did not. */
  ping(): Promise<void>;
  /** What the database takes on disk, in bytes: SQLite's file and its WAL; PostgreSQL's pg_database_size. */
  databaseSizeBytes(): Promise<number>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** A GenAI chat message as stored: joined to its span's observation, or waiting for the span. */
export interface StoredGenAiMessage extends GenAiMessageRecord {
  waiting: boolean;
}

/** A stored trace with the rank that set each of its facts, so that a copy merges on as the original does. */
export interface TraceExportRecord extends TraceRecord {
  /** `field` or `metadata.<key>` -> `<tier><rank>`, as store/trace-merge.ts keeps them. */
  factRanks: Record<string, string>;
}

/** Everything stored under one trace id, as `spanlite copy` reads it from one snapshot. */
export interface TraceExport {
  traceId: string;
  /** Null for rows of a trace not stored: scores sent before it, log records of spans never sent. */
  trace: TraceExportRecord | null;
  /** In start order. */
  observations: ObservationRecord[];
  scores: ScoreRecord[];
  /** In arrival order. */
  messages: StoredGenAiMessage[];
}

/**
 * A page of trace ids in id order, after `afterTraceId` (null: from the first): of stored traces,
 * or of ids that have observations, scores or messages but no stored trace.
 */
export interface TraceExportPage {
  part: 'stored' | 'unstored';
  afterTraceId: string | null;
  limit: number;
}

/** How much a store holds under one trace id: a copy skips a trace whose state is the same in both stores. */
export interface TraceCopyState {
  /** Null when the trace is not stored. */
  traceUpdatedAtMs: number | null;
  observations: number;
  scores: number;
  /** The latest of its scores' updatedAtMs; null without scores. */
  scoresUpdatedAtMs: number | null;
  messages: number;
  waitingMessages: number;
}

/** Rows one project holds, counted exactly. */
export interface StoredCounts {
  traces: number;
  observations: number;
  scores: number;
  messages: number;
  customModels: number;
}

/** A trace's or score's times as its first write and last change set them. */
export interface WriteTimes {
  id: string;
  createdAtMs: number;
  updatedAtMs: number;
}

/**
 * What `spanlite copy` (store/copy/) asks of a store beyond the TraceStore: every project, exact
 * counts, whole pages of what is stored, and the write times a copy keeps from its source.
 */
export interface CopyableStore extends TraceStore {
  /** Every project holding traces, observations, scores, messages or custom models (API keys are the KeyStore's). */
  listProjects(): Promise<string[]>;
  countStored(projectId: string): Promise<StoredCounts>;
  /** One page, read on one snapshot. */
  exportTraces(projectId: string, page: TraceExportPage): Promise<TraceExport[]>;
  /** Of each of these trace ids, whatever the store holds of it. */
  copyStates(projectId: string, traceIds: readonly string[]): Promise<Map<string, TraceCopyState>>;
  /** Sets the createdAt and updatedAt of stored traces and scores, which a write sets to its own time. */
  restoreWriteTimes(projectId: string, times: { traces: readonly WriteTimes[]; scores: readonly WriteTimes[] }): Promise<void>;
}
