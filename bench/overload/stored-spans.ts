/**
 * Loss check: every span the collector answered 200 for is in the database. Reads the (stopped)
 * collector's file directly: spans per trace, counting span observations only (span events are
 * stored as observations with ids `<spanId>-e<n>`).
 */
import Database from 'better-sqlite3';
import { SPANS_PER_TRACE } from '../ingest/payload.js';

export interface LossReport {
  acceptedSpans: number;
  /** Accepted spans not found (must be 0). */
  lostSpans: number;
  /** Rows of accepted spans found more than once (must be 0; the primary key forbids it). */
  duplicateSpans: number;
  /** Spans stored that were never answered 200 (the answer was lost: time-out, or cut at shutdown). */
  storedUnacknowledgedSpans: number;
}

export function checkStored(dbFile: string, acceptedTraceIds: readonly string[]): LossReport {
  const db = new Database(dbFile, { readonly: true });
  try {
    const spansByTrace = new Map<string, number>();
    const rows = db
      .prepare(`SELECT trace_id, count(*) AS spans FROM observations WHERE project_id = 'default' AND length(id) = 16 GROUP BY trace_id`)
      .iterate() as Iterable<{ trace_id: string; spans: number }>;
    for (const row of rows) spansByTrace.set(row.trace_id, row.spans);
    let lostSpans = 0;
    let duplicateSpans = 0;
    const accepted = new Set(acceptedTraceIds);
    for (const traceId of accepted) {
      const stored = spansByTrace.get(traceId) ?? 0;
      if (stored < SPANS_PER_TRACE) lostSpans += SPANS_PER_TRACE - stored;
      if (stored > SPANS_PER_TRACE) duplicateSpans += stored - SPANS_PER_TRACE;
    }
    let storedUnacknowledgedSpans = 0;
    for (const [traceId, spans] of spansByTrace) if (!accepted.has(traceId)) storedUnacknowledgedSpans += spans;
    return { acceptedSpans: accepted.size * SPANS_PER_TRACE, lostSpans, duplicateSpans, storedUnacknowledgedSpans };
  } finally {
    db.close();
  }
}
