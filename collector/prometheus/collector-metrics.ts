/**
 * The collector's Prometheus metrics, in a registry of its own (several collectors can run in one
 * process, as tests do), with prom-client's process and Node.js defaults. Counted by the metered
 * pipeline and writes (metered-ingest.ts) and the HTTP hook (metrics-route.ts); the queue and
 * database gauges are read when scraped.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createDatabaseSizeProbe } from './database-size-probe.js';
import { ERROR_KINDS } from '../errors.js';

export interface CollectorMetrics {
  readonly registry: Registry;
  /** Spans in OTLP exports that decoded (over HTTP and gRPC): each is then stored or refused. */
  readonly spansReceived: Counter;
  readonly spansStored: Counter;
  /** `reason`: `invalid` (the span alone), or the error code that refused its whole export (`overloaded`, `store_unavailable`, ...). */
  readonly spansRefused: Counter<'reason'>;
  readonly logRecordsStored: Counter;
  /** `route`: the route's pattern (`/api/public/traces/:traceId`), `unmatched` for a 404 without route. */
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  /** One group commit: the store's writeBatches, from call to committed. */
  readonly commitDuration: Histogram;
}

export interface CollectorMetricsOptions {
  /** Spans and log records waiting in the write queue now. */
  queuedSpans: () => number;
  /** What the database takes on disk now (TraceStore.databaseSizeBytes). */
  databaseSizeBytes: () => Promise<number>;
  /** Replacements masking made since start, by detector or rule name (Masker.counts). */
  maskedValues?: () => ReadonlyMap<string, number>;
}

/** `invalid`: a span refused alone (decoding or mapping); the rest: error codes that refuse a whole export after decoding. */
export const EXPECTED_REFUSAL_REASONS = ['invalid', ERROR_KINDS.overloaded.code, ERROR_KINDS.storeUnavailable.code, ERROR_KINDS.internal.code] as const;

export function createCollectorMetrics(options: CollectorMetricsOptions): CollectorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const sizeProbe = createDatabaseSizeProbe({ measure: options.databaseSizeBytes });
  new Gauge({
    name: 'spanlite_write_queue_spans',
    help: 'Spans and log records waiting in the write queue for the next group commit.',
    registers,
    collect() {
      this.set(options.queuedSpans());
    },
  });
  new Gauge({
    name: 'spanlite_database_bytes',
    help: 'Bytes the database takes on disk (SQLite: the file and its WAL; PostgreSQL: pg_database_size), measured at most every 10 s; NaN until measured.',
    registers,
    async collect() {
      this.set((await sizeProbe.read()) ?? Number.NaN);
    },
  });
  const maskedValues = options.maskedValues;
  if (maskedValues !== undefined) {
    new Counter({
      name: 'spanlite_masked_values_total',
      help: 'Values replaced by masking before the write (SPANLITE_MASK, SPANLITE_MASK_FILE), by detector or rule.',
      labelNames: ['rule'] as const,
      registers,
      collect() {
        this.reset();
        for (const [rule, count] of maskedValues()) this.inc({ rule }, count);
      },
    });
  }
  const spansRefused = new Counter({
    name: 'spanlite_spans_refused_total',
    help: 'Spans received but not stored, by reason: invalid (the span alone), or the error code that refused its export.',
    labelNames: ['reason'] as const,
    registers,
  });
  // Present at 0 from the start, so that rate() and alerts see the series before a first refusal.
  for (const reason of EXPECTED_REFUSAL_REASONS) spansRefused.inc({ reason }, 0);
  return {
    registry,
    spansReceived: new Counter({
      name: 'spanlite_spans_received_total',
      help: 'Spans in OTLP exports that decoded (HTTP and gRPC); each is then stored or refused.',
      registers,
    }),
    spansStored: new Counter({ name: 'spanlite_spans_stored_total', help: 'Spans committed to the database.', registers }),
    spansRefused,
    logRecordsStored: new Counter({
      name: 'spanlite_log_records_stored_total',
      help: 'OTLP log records committed to the database.',
      registers,
    }),
    httpRequests: new Counter({
      name: 'spanlite_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    commitDuration: new Histogram({
      name: 'spanlite_commit_duration_seconds',
      help: 'Time of one group commit of the write queue, from handing the batches to the store to committed.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
}
