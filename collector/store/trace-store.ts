/**
 * The store interface the pipeline and the routes depend on. SQLite implements it today; a
 * PostgreSQL backend must slot in without touching either, hence async and SQL-free.
 */
import type { MappedSpan } from '../model.js';
import type { MappedLogs } from '../log-record.js';
import type { QueryStore } from './query-store.js';

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

/** The write path, and the query API's reads and writes (query-store.ts). */
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
