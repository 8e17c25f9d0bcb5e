/**
 * Load shedding at the door. The write queue bounds spans waiting for the database, but when the
 * CPU is what runs out (reading, decoding and mapping happen before the queue), exports pile up
 * in front of it instead: latency grows past the exporters' 10 s timeout, they give up and resend,
 * and the collector spends its time on answers nobody waits for (accepted spans/s collapse).
 *
 * So, as CoDel does for packets: when even the quickest export answered during the last interval
 * (1 s) took longer than `maxQueueDelayMs` from arrival to answer, there is a standing queue, and
 * new exports are refused at once, before their body is read, with 503 + Retry-After (gRPC:
 * UNAVAILABLE + RetryInfo) until an interval's quickest export is quick again; never while no
 * export is in progress (there is nothing to queue behind). The minimum, not the age of the
 * oldest: one slow client (a slow upload, a huge body) must not shed everyone else. Exporters back off and retry; what is admitted is answered well within their timeout,
 * and memory stays bounded by what the admitted exports hold, whatever the number of clients.
 */
import { SpanliteError } from '../errors.js';

export interface Admission {
  /**
   * Admits an export as it arrives (before its body is read), returning the function that ends
   * it; call that once, when the export is answered.
   *
   * @throws SpanliteError `overloaded` (retryable, Retry-After) while shedding.
   */
  enter(): () => void;
}

export interface AdmissionOptions {
  /** SPANLITE_MAX_QUEUE_DELAY_MS: sojourn of an interval's quickest export beyond which new ones are refused. */
  maxQueueDelayMs: number;
  /** Length of an interval; default 1000 ms. */
  intervalMs?: number;
  /** Monotonic clock in ms; default performance.now. */
  now?: () => number;
}

export function createAdmission(options: AdmissionOptions): Admission {
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.intervalMs ?? 1_000;
  let intervalStart = now();
  /** Quickest arrival-to-answer time of the exports answered in the current interval. */
  let quickestMs = Infinity;
  /** The previous interval's verdict; an interval with no answer is no evidence of a queue. */
  let shedding = false;
  let lastQuickestMs = 0;
  let inProgress = 0;

  function rollInterval(at: number): void {
    if (at - intervalStart < intervalMs) return;
    shedding = quickestMs !== Infinity && quickestMs > options.maxQueueDelayMs;
    lastQuickestMs = quickestMs;
    quickestMs = Infinity;
    intervalStart = at;
  }

  return {
    enter() {
      const arrivedAt = now();
      rollInterval(arrivedAt);
      if (shedding && inProgress > 0) {
        throw new SpanliteError(
          'overloaded',
          `overloaded: exports took at least ${Math.round(lastQuickestMs)} ms here in the last second ` +
            `(limit ${options.maxQueueDelayMs} ms, SPANLITE_MAX_QUEUE_DELAY_MS); retry later`,
        );
      }
      inProgress++;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        inProgress--;
        const answeredAt = now();
        rollInterval(answeredAt);
        quickestMs = Math.min(quickestMs, answeredAt - arrivedAt);
      };
    },
  };
}
