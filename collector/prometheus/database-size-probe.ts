/**
 * The database's size for `spanlite_database_bytes`, measured when Prometheus scrapes, with
 * bounds: at most one measurement per `maxAgeMs` (scrapes in between get the last figure), and a
 * scrape waits at most `timeoutMs` for it (a slow or unreachable database must not make /metrics
 * slow; the measurement still lands for the next scrape).
 */
export interface DatabaseSizeProbe {
  /** Bytes, or null while no measurement has succeeded. */
  read(): Promise<number | null>;
}

export interface DatabaseSizeProbeOptions {
  measure: () => Promise<number>;
  /** Default 10,000 ms. */
  maxAgeMs?: number;
  /** Default 1,000 ms. */
  timeoutMs?: number;
  /** Monotonic clock in ms; default performance.now. */
  now?: () => number;
}

export function createDatabaseSizeProbe(options: DatabaseSizeProbeOptions): DatabaseSizeProbe {
  const maxAgeMs = options.maxAgeMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 1_000;
  const now = options.now ?? (() => performance.now());
  let last: number | null = null;
  let measuredAtMs = -Infinity;
  let measuring: Promise<void> | null = null;

  function measure(): Promise<void> {
    measuring ??= options
      .measure()
      .then(
        (bytes) => {
          last = bytes;
        },
        // A failed measurement keeps the last figure; the health check is what reports the database down.
        () => undefined,
      )
      .finally(() => {
        measuredAtMs = now();
        measuring = null;
      });
    return measuring;
  }

  return {
    async read() {
      if (now() - measuredAtMs < maxAgeMs) return last;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      });
      await Promise.race([measure(), late]);
      clearTimeout(timer);
      return last;
    },
  };
}
