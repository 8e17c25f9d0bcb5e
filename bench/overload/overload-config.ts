/**
 * Overload benchmark settings, read from the environment once and validated (every problem listed).
 */

import { envReader } from '../../config/env-reader.js';

export interface OverloadConfig {
  /** BENCH_OVERLOAD_SECONDS, default 10: how long each flood offers load. */
  floodSeconds: number;
  /** BENCH_OVERLOAD_FACTORS, default 1,2,4: floods at these multiples of the measured capacity. */
  factors: readonly number[];
  /** BENCH_CAPACITY_SECONDS, default 6: measured window of the capacity run (after 2 s of warm-up). */
  capacitySeconds: number;
  /** BENCH_CAPACITY_CONCURRENCY, default 8: requests kept in flight while measuring capacity. */
  capacityConcurrency: number;
  /** BENCH_EXPORTERS, default 32: requests the flood client keeps in flight at most (one per exporter). */
  exporters: number;
  /**
   * BENCH_EXPORTER_QUEUE_BATCHES, default 64: batches the flood client holds (waiting to be sent
   * or retried) before it drops new ones, as a BatchSpanProcessor drops spans when its queue is full.
   */
  exporterQueueBatches: number;
  /** BENCH_TRACES_PER_BATCH, default 16 (x 8 spans = 128 spans per request). */
  tracesPerBatch: number;
  /** BENCH_DRAIN_SECONDS, default 15: after a flood, time left for the client's retries. */
  drainSeconds: number;
  /** BENCH_DB_SYNC, else SPANLITE_DB_SYNC, default full (the collector's default). */
  dbSync: 'full' | 'normal';
  /** SPANLITE_MAX_QUEUED_SPANS passed to the collector; default: the collector's own (100000). */
  maxQueuedSpans: string | undefined;
  /** BENCH_KEEP_DIR=1 keeps the temporary directory (databases, collector logs). */
  keepDir: boolean;
}

export function loadOverloadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<OverloadConfig> {
  const { problems, integer, oneOf, flag } = envReader(env);
  const factorsRaw = env.BENCH_OVERLOAD_FACTORS || '1,2,4';
  const factors = factorsRaw.split(',').map((part) => Number(part.trim()));
  if (factors.some((factor) => !Number.isFinite(factor) || factor <= 0 || factor > 100)) {
    problems.push(`BENCH_OVERLOAD_FACTORS: expected a comma list of numbers 0-100 (got "${factorsRaw}")`);
  }

  const config: OverloadConfig = {
    floodSeconds: integer('BENCH_OVERLOAD_SECONDS', 10, 1, 3600),
    factors,
    capacitySeconds: integer('BENCH_CAPACITY_SECONDS', 6, 1, 600),
    capacityConcurrency: integer('BENCH_CAPACITY_CONCURRENCY', 8, 1, 256),
    exporters: integer('BENCH_EXPORTERS', 32, 1, 1024),
    exporterQueueBatches: integer('BENCH_EXPORTER_QUEUE_BATCHES', 64, 1, 100_000),
    tracesPerBatch: integer('BENCH_TRACES_PER_BATCH', 16, 1, 1024),
    drainSeconds: integer('BENCH_DRAIN_SECONDS', 15, 1, 600),
    dbSync: oneOf(env.BENCH_DB_SYNC ? 'BENCH_DB_SYNC' : 'SPANLITE_DB_SYNC', ['full', 'normal'] as const, 'full'),
    maxQueuedSpans: env.SPANLITE_MAX_QUEUED_SPANS || undefined,
    keepDir: flag('BENCH_KEEP_DIR', false),
  };
  if (problems.length > 0) throw new Error(`invalid benchmark settings:\n  - ${problems.join('\n  - ')}`);
  return Object.freeze(config);
}
