/**
 * The ingest path, counted: a pipeline and a store write path that do what they wrap and tell the
 * collector's metrics. Wrapping keeps the pipeline and the write queue free of metrics.
 */
import type { Pipeline } from '../pipeline.js';
import type { TraceStore } from '../store/contract.js';
import { ERROR_KINDS, SpanliteError } from '../errors.js';
import { EXPECTED_REFUSAL_REASONS, type CollectorMetrics } from './collector-metrics.js';

/** Refusal reason of spans refused one by one (decoding or mapping). */
const INVALID_SPAN = EXPECTED_REFUSAL_REASONS[0];

export function meterPipeline(pipeline: Pipeline, metrics: CollectorMetrics): Pipeline {
  return {
    async ingest(projectId, decoded) {
      const received = decoded.spans.length + decoded.refused.length;
      metrics.spansReceived.inc(received);
      try {
        const result = await pipeline.ingest(projectId, decoded);
        metrics.spansStored.inc(result.acceptedSpans);
        if (result.refused.length > 0) metrics.spansRefused.inc({ reason: INVALID_SPAN }, result.refused.length);
        return result;
      } catch (error) {
        // The whole export is refused: its invalid spans too, under the export's reason.
        metrics.spansRefused.inc({ reason: error instanceof SpanliteError ? error.code : ERROR_KINDS.internal.code }, received);
        throw error;
      }
    },
    async ingestMapped(projectId, spans) {
      // Langfuse ingestion events: each observation counts as a span.
      const observations = spans.filter((span) => span.observation !== null).length;
      metrics.spansReceived.inc(observations);
      try {
        await pipeline.ingestMapped(projectId, spans);
        metrics.spansStored.inc(observations);
      } catch (error) {
        metrics.spansRefused.inc({ reason: error instanceof SpanliteError ? error.code : ERROR_KINDS.internal.code }, observations);
        throw error;
      }
    },
    async ingestLogs(projectId, decoded) {
      const result = await pipeline.ingestLogs(projectId, decoded);
      metrics.logRecordsStored.inc(result.acceptedLogRecords);
      return result;
    },
  };
}

export function meterWrites(store: Pick<TraceStore, 'writeBatches'>, metrics: CollectorMetrics): Pick<TraceStore, 'writeBatches'> {
  return {
    async writeBatches(batches) {
      const end = metrics.commitDuration.startTimer();
      try {
        return await store.writeBatches(batches);
      } finally {
        end();
      }
    },
  };
}
