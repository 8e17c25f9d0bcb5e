/**
 * The store interface the pipeline and the routes depend on. SQLite implements it today; a
 * PostgreSQL backend must slot in without touching either, hence async and SQL-free.
 */
import type { MappedSpan } from '../model.js';
import type { Page, TraceDetail, TraceListItem } from './views.js';

/** The spans of one export request, mapped and priced: written all or nothing. */
export interface SpanBatch {
  projectId: string;
  spans: readonly MappedSpan[];
}

export type BatchWriteOutcome = { ok: true } | { ok: false; error: Error };

export interface TraceListQuery {
  page: number;
  limit: number;
  userId?: string;
  sessionId?: string;
  name?: string;
  /** All must be present on the trace. */
  tags?: string[];
}

export interface TraceStore {
  /**
   * Writes the batches in one transaction, each batch all or nothing (a batch that fails is
   * rolled back alone and reported; the others commit). Resolves once committed to disk.
   */
  writeBatches(batches: readonly SpanBatch[]): Promise<BatchWriteOutcome[]>;
  getTrace(projectId: string, traceId: string): Promise<TraceDetail | null>;
  listTraces(projectId: string, query: TraceListQuery): Promise<Page<TraceListItem>>;
  /** Idempotent. */
  close(): Promise<void>;
}
