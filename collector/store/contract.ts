/**
 * The store contract: what the pipeline (TraceStore) and the query API (QueryStore) ask of a
 * storage engine, with the types they exchange. SQL-free and async, so an engine (SQLite in
 * sqlite/, PostgreSQL next) slots in without touching either.
 *
 * Conventions: every call is scoped to one project; times are unix nanoseconds, `from`
 * inclusive and `to` exclusive; costs USD; an unknown id reads as null (or false for a delete).
 */
import type { MappedSpan } from '../model.js';
import type { MappedLogs } from '../decode/log-record.js';
import type { Level, ObservationType, Score, ScoreDataType } from '../model.js';
import type { PriceTier, TokenPrices } from '../../config/pricing.js';
import type {
  DailyMetricsView,
  KeysetPage,
  KeysetPosition,
  ObservationView,
  Page,
  ScoreListItem,
  ScoreView,
  SessionDetail,
  SessionView,
  TraceDetail,
  TraceListItem,
  UserView,
} from './views.js';

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

/** A model price created through the API. */
export interface CustomModelRecord {
  id: string;
  modelName: string;
  /** JavaScript regular expression source, matched case-insensitively against the whole name. */
  matchPattern: string;
  prices: TokenPrices;
  tiers: readonly PriceTier[];
  createdAtMs: number;
}

export interface QueryStore {
  listTraces(projectId: string, query: TraceListQuery): Promise<KeysetPage<TraceListItem>>;
  getTrace(projectId: string, traceId: string): Promise<TraceDetail | null>;
  /** Removes the trace with its observations and scores. False when it did not exist. */
  deleteTrace(projectId: string, traceId: string): Promise<boolean>;

  listObservations(projectId: string, query: ObservationListQuery): Promise<Page<ObservationView>>;
  getObservation(projectId: string, observationId: string): Promise<ObservationView | null>;
  /** The trace an observation belongs to, or null when it is not stored. */
  findObservationTraceId(projectId: string, observationId: string): Promise<string | null>;

  listSessions(projectId: string, query: SessionListQuery): Promise<Page<SessionView>>;
  getSession(projectId: string, sessionId: string): Promise<SessionDetail | null>;

  listUsers(projectId: string, query: UserListQuery): Promise<Page<UserView>>;
  getUser(projectId: string, userId: string): Promise<UserView | null>;

  listScores(projectId: string, query: ScoreListQuery): Promise<Page<ScoreListItem>>;
  getScore(projectId: string, scoreId: string): Promise<ScoreView | null>;
  /** Inserts, or replaces the score with the same id (idempotent on the id). */
  upsertScore(projectId: string, score: Score): Promise<void>;
  deleteScore(projectId: string, scoreId: string): Promise<boolean>;

  dailyMetrics(projectId: string, query: DailyMetricsQuery): Promise<Page<DailyMetricsView>>;

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
  /** Idempotent. */
  close(): Promise<void>;
}
