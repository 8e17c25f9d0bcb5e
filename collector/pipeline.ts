/**
 * One export request through the stages: map each span -> mask it (SPANLITE_MASK) -> price it
 * (with its project's prices) -> hand the batch to the write queue. A span that cannot be mapped
 * is refused alone; the rest of the request is kept. Log records take the same road without the
 * cost stage.
 */
import type { DecodedTraces, RefusedSpan } from './decode/span.js';
import type { MappedSpan } from './model.js';
import type { WriteQueue } from './write-queue.js';
import type { PriceIndex, PriceIndexes } from './pricing/price-index.js';
import { applyCost } from './pricing/cost.js';
import { mapSpan } from './mapping/map-span.js';
import type { DecodedLogs, RefusedLogRecord } from './decode/log-record.js';
import { mapLogRecords } from './mapping/log-records.js';
import type { Masker } from './masking/masker.js';

export interface IngestResult {
  acceptedSpans: number;
  refused: RefusedSpan[];
}

export interface IngestLogsResult {
  acceptedLogRecords: number;
  refused: RefusedLogRecord[];
}

export interface Pipeline {
  /** Resolves once the accepted spans are committed; rejects with a SpanliteError otherwise. */
  ingest(projectId: string, decoded: DecodedTraces): Promise<IngestResult>;
  /**
   * Spans already mapped (Langfuse's ingestion events, collector/ingestion/): mask -> price ->
   * write, as `ingest` does after mapping. Resolves once committed.
   */
  ingestMapped(projectId: string, spans: MappedSpan[]): Promise<void>;
  /** Log records: map -> write (no cost stage). Resolves once committed, as `ingest`. */
  ingestLogs(projectId: string, decoded: DecodedLogs): Promise<IngestLogsResult>;
}

export function createPipeline(deps: { queue: WriteQueue; prices: PriceIndexes; masker?: Masker }): Pipeline {
  const maskAndPrice = (span: MappedSpan, prices: PriceIndex): MappedSpan => {
    deps.masker?.maskSpan(span);
    if (span.observation) applyCost(span.observation, prices);
    const fold = span.foldOntoStored;
    // What the store folds is masked and priced as the span is.
    if (fold) span.foldOntoStored = (stored) => maskAndPrice({ observation: fold(stored), events: [], scores: [], trace: null }, prices).observation!;
    return span;
  };
  return {
    async ingest(projectId, decoded) {
      const prices = await deps.prices.indexFor(projectId);
      const refused = [...decoded.refused];
      const spans: MappedSpan[] = [];
      for (const span of decoded.spans) {
        try {
          spans.push(maskAndPrice(mapSpan(span), prices));
        } catch (error) {
          refused.push({ span: span.spanId, reason: `could not be mapped: ${(error as Error).message}` });
        }
      }
      if (spans.length > 0) await deps.queue.enqueue({ projectId, spans });
      return { acceptedSpans: spans.length, refused };
    },
    async ingestMapped(projectId, spans) {
      if (spans.length === 0) return;
      const prices = await deps.prices.indexFor(projectId);
      await deps.queue.enqueue({ projectId, spans: spans.map((span) => maskAndPrice(span, prices)) });
    },
    async ingestLogs(projectId, decoded) {
      const { logs, accepted, refused } = mapLogRecords(decoded);
      deps.masker?.maskLogs(logs);
      if (accepted > 0) await deps.queue.enqueue({ projectId, spans: [], logs });
      return { acceptedLogRecords: accepted, refused };
    },
  };
}
