/**
 * Retention (SPANLITE_RETENTION_DAYS): a background sweep that deletes traces which started
 * longer ago than the retention period, with everything under them.
 *
 * A sweep deletes in small batches (one store transaction each), yielding to the event loop
 * between batches so that ingestion's group commits run in between rather than wait for the
 * whole sweep. Batches shrink when one takes longer than `targetBatchMs` and grow back when
 * they are quick. A sweep runs at start and then every `intervalMs`; the timer is unref()ed,
 * and `stop` waits for a running batch so the database can be closed after it.
 */
import type { TraceStore } from './contract.js';

export const MS_PER_DAY = 86_400_000;

export interface RetentionOptions {
  store: Pick<TraceStore, 'deleteTracesOlderThan'>;
  /** Traces that started more than this many days ago are deleted; > 0. */
  retentionDays: number;
  logger: { info(details: object, message: string): void; error(details: object, message: string): void };
  /** Wall clock in ms (tests pass a fake one). Default Date.now. */
  now?: () => number;
  /** Between the end of a sweep and the next. Default 10 minutes. */
  intervalMs?: number;
  /** Traces per batch at most. Default 500. */
  maxBatchTraces?: number;
  /** A batch slower than this halves the next one. Default 50 ms. */
  targetBatchMs?: number;
}

export interface Retention {
  /** Runs a whole sweep now (or waits for the running one); resolves with the traces deleted. */
  sweep(): Promise<number>;
  /** Stops the timer and waits for a running batch. Idempotent. */
  stop(): Promise<void>;
}

export function startRetention(options: RetentionOptions): Retention {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 10 * 60_000;
  const maxBatch = options.maxBatchTraces ?? 500;
  const targetBatchMs = options.targetBatchMs ?? 50;
  let batchSize = Math.min(100, maxBatch);
  let running: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function runSweep(): Promise<number> {
    const cutoffUnixNano = BigInt(now() - options.retentionDays * MS_PER_DAY) * 1_000_000n;
    let total = 0;
    while (!stopped) {
      const started = performance.now();
      const deleted = await options.store.deleteTracesOlderThan(cutoffUnixNano, batchSize);
      const elapsedMs = performance.now() - started;
      total += deleted;
      if (deleted < batchSize) break;
      batchSize = elapsedMs > targetBatchMs ? Math.max(1, batchSize >> 1) : Math.min(maxBatch, batchSize * 2);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (total > 0) {
      options.logger.info({ deletedTraces: total, retentionDays: options.retentionDays }, 'retention: old traces deleted');
    }
    return total;
  }

  function sweep(): Promise<number> {
    running ??= runSweep().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      sweep()
        .catch((error: unknown) => options.logger.error({ err: error }, 'retention: sweep failed; retrying later'))
        .finally(() => schedule(intervalMs));
    }, delayMs);
    timer.unref();
  }

  schedule(0);
  return {
    sweep,
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
