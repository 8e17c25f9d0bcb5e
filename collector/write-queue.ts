/**
 * Group commit. Requests hand their batch to the queue and wait; everything queued while the
 * previous write ran goes to the store in one transaction, and each request is answered after
 * that commit. Bounded: past `maxQueuedSpans` a batch is refused at once with a retryable 503.
 */
import type { SpanBatch, TraceStore } from './store/contract.js';
import { SpanliteError } from './errors.js';

export interface WriteQueueOptions {
  /** Only its write path is used. */
  store: Pick<TraceStore, 'writeBatches'>;
  /** Spans waiting (not yet being written) beyond which new batches are refused. */
  maxQueuedSpans: number;
  /**
   * Spans per transaction at most; a larger backlog is written in several. Default 4096: a
   * commit runs on the event loop (about 0.3 ms a span), so this bounds how long the server
   * stops answering, and lets admission (receiver/admission.ts) see a standing queue and answer 503
   * instead of exporters timing out behind one long commit.
   */
  maxSpansPerCommit?: number;
  /**
   * Groups being written at once; default 1. SQLite has one writer, so 1. On PostgreSQL a second
   * group's transaction runs on the server while this process prepares the next, so the
   * collector's CPU and the database's overlap instead of taking turns.
   */
  maxConcurrentWrites?: number;
}

export interface WriteQueue {
  /** Resolves once the batch is committed; rejects with a SpanliteError otherwise. */
  enqueue(batch: SpanBatch): Promise<void>;
  /** Resolves when everything queued so far is written. */
  drain(): Promise<void>;
  readonly queuedSpans: number;
}

interface Waiting {
  batch: SpanBatch;
  spanCount: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export function createWriteQueue(options: WriteQueueOptions): WriteQueue {
  const maxSpansPerCommit = options.maxSpansPerCommit ?? 4_096;
  const maxConcurrentWrites = options.maxConcurrentWrites ?? 1;
  const waiting: Waiting[] = [];
  let queuedSpans = 0;
  const writing = new Set<Promise<void>>();

  /** Starts a group's write when one is waiting and fewer than maxConcurrentWrites are running. */
  function schedule(): void {
    if (writing.size >= maxConcurrentWrites || waiting.length === 0) return;
    // One turn of the event loop first, for the requests that arrived meanwhile to join the group.
    const write: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve)).then(writeNextGroup).finally(() => {
      writing.delete(write);
      schedule();
    });
    writing.add(write);
  }

  async function writeNextGroup(): Promise<void> {
    const group: Waiting[] = [];
    let groupSpans = 0;
    while (waiting.length > 0 && (group.length === 0 || groupSpans + waiting[0]!.spanCount <= maxSpansPerCommit)) {
      const next = waiting.shift()!;
      group.push(next);
      groupSpans += next.spanCount;
    }
    // Another write started in the same turn may have taken everything.
    if (group.length === 0) return;
    queuedSpans -= groupSpans;
    try {
      const outcomes = await options.store.writeBatches(group.map((entry) => entry.batch));
      outcomes.forEach((outcome, index) => {
        const entry = group[index]!;
        if (outcome.ok) entry.resolve();
        else entry.reject(outcome.retryable === false ? unstorable(outcome.error) : storeFailure(outcome.error));
      });
    } catch (error) {
      for (const entry of group) entry.reject(storeFailure(error));
    }
  }

  return {
    enqueue(batch) {
      // Log records count as spans: each is a row to write.
      const spanCount = batch.spans.length + (batch.logs ? batch.logs.events.length + batch.logs.messages.length : 0);
      if (queuedSpans > 0 && queuedSpans + spanCount > options.maxQueuedSpans) {
        return Promise.reject(
          new SpanliteError('overloaded', `ingestion queue full (${queuedSpans} spans waiting); retry later`),
        );
      }
      return new Promise<void>((resolve, reject) => {
        waiting.push({ batch, spanCount, resolve, reject });
        queuedSpans += spanCount;
        schedule();
      });
    },
    async drain() {
      while (writing.size > 0 || waiting.length > 0) {
        schedule();
        await Promise.all(writing);
      }
    },
    get queuedSpans() {
      return queuedSpans;
    },
  };
}

/** Not retryable (500): the same batch would fail again, and an exporter would resend it forever. */
function unstorable(cause: Error): SpanliteError {
  return new SpanliteError('internal', `could not store the spans (not retryable): ${cause.message}`, { cause });
}

function storeFailure(cause: unknown): SpanliteError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new SpanliteError('storeUnavailable', `could not store the spans: ${detail}`, { cause });
}
