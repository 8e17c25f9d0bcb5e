import { describe, expect, it } from 'vitest';
import { createWriteQueue } from '../../collector/write-queue.js';
import type { BatchWriteOutcome, SpanBatch, TraceStore } from '../../collector/store/contract.js';
import { SpanliteError } from '../../collector/errors.js';
import type { MappedSpan } from '../../collector/model.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { decodedSpan } from '../helpers/decoded-span.js';

/** A store that records each group it was asked to commit and fails batches named "bad". */
function recordingStore(): Pick<TraceStore, 'writeBatches'> & { groups: string[][] } {
  const groups: string[][] = [];
  return {
    groups,
    async writeBatches(batches) {
      groups.push(batches.map((b) => b.projectId));
      return batches.map((b): BatchWriteOutcome => (b.projectId === 'bad' ? { ok: false, error: new Error('disk full') } : { ok: true }));
    },
  };
}

const batch = (projectId: string, spanCount = 1): SpanBatch => ({
  projectId,
  spans: Array.from({ length: spanCount }, () => ({}) as MappedSpan),
});

describe('write queue', () => {
  it('commits the batches that arrive together in one group and answers each', async () => {
    const store = recordingStore();
    const queue = createWriteQueue({ store, maxQueuedSpans: 100 });
    await Promise.all([queue.enqueue(batch('a')), queue.enqueue(batch('b')), queue.enqueue(batch('c'))]);
    expect(store.groups).toEqual([['a', 'b', 'c']]);
  });

  it('fails only the batch the store could not write, with a retryable error', async () => {
    const store = recordingStore();
    const queue = createWriteQueue({ store, maxQueuedSpans: 100 });
    const results = await Promise.allSettled([queue.enqueue(batch('a')), queue.enqueue(batch('bad'))]);
    expect(results[0]!.status).toBe('fulfilled');
    const failure = (results[1] as PromiseRejectedResult).reason as SpanliteError;
    expect(failure).toBeInstanceOf(SpanliteError);
    expect(failure.httpStatus).toBe(503);
    expect(failure.message).toBe('could not store the spans: disk full');
  });

  it('answers a batch the database refuses as data with a 500 that exporters do not retry, and keeps the rest', async () => {
    // Found by test/reliability/fuzz.test.ts: a time past int64 cannot be bound, and was a 503 retried forever.
    const store = openSqliteStore({ file: ':memory:' });
    try {
      const queue = createWriteQueue({ store, maxQueuedSpans: 100 });
      const unstorable = mapSpan(decodedSpan({ spanId: '1'.repeat(16), startTimeUnixNano: 1n << 64n }));
      const fine = mapSpan(decodedSpan({ spanId: '2'.repeat(16) }));
      const results = await Promise.allSettled([
        queue.enqueue({ projectId: 'p', spans: [unstorable] }),
        queue.enqueue({ projectId: 'p', spans: [fine] }),
      ]);
      const failure = (results[0] as PromiseRejectedResult).reason as SpanliteError;
      expect(failure).toBeInstanceOf(SpanliteError);
      expect(failure.httpStatus).toBe(500);
      expect(failure.kind.retryable).toBe(false);
      expect(failure.retryAfterSeconds).toBeUndefined();
      expect(failure.message).toMatch(/^could not store the spans \(not retryable\): /);
      expect(results[1]!.status).toBe('fulfilled');
      expect(await store.getObservation('p', '2'.repeat(16))).not.toBeNull();
    } finally {
      await store.close();
    }
  });

  it('refuses a batch at once with 503 and Retry-After when the queue is full', async () => {
    const queue = createWriteQueue({ store: recordingStore(), maxQueuedSpans: 10 });
    const first = queue.enqueue(batch('a', 8));
    const refused = queue.enqueue(batch('b', 8)).catch((error: SpanliteError) => error);
    const error = await refused;
    expect(error).toBeInstanceOf(SpanliteError);
    expect((error as SpanliteError).httpStatus).toBe(503);
    expect((error as SpanliteError).retryAfterSeconds).toBe(1);
    await first;
    expect(queue.queuedSpans).toBe(0);
  });

  it('splits a backlog larger than one commit into several groups', async () => {
    const store = recordingStore();
    const queue = createWriteQueue({ store, maxQueuedSpans: 100, maxSpansPerCommit: 4 });
    await Promise.all(['a', 'b', 'c'].map((id) => queue.enqueue(batch(id, 3))));
    expect(store.groups).toEqual([['a'], ['b'], ['c']]);
  });

  it('writes one group at a time by default: the next waits for the commit before it', async () => {
    const store = gatedStore();
    const queue = createWriteQueue({ store, maxQueuedSpans: 100 });
    const first = queue.enqueue(batch('a'));
    await store.started(1);
    const second = queue.enqueue(batch('b'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.groups).toEqual([['a']]);
    store.commitAll();
    await Promise.all([first, second]);
    expect(store.groups).toEqual([['a'], ['b']]);
  });

  it('writes a second group while the first commits when allowed two at once, never a third', async () => {
    const store = gatedStore();
    const queue = createWriteQueue({ store, maxQueuedSpans: 100, maxConcurrentWrites: 2 });
    const first = queue.enqueue(batch('a'));
    await store.started(1);
    const second = queue.enqueue(batch('b'));
    await store.started(2);
    const third = queue.enqueue(batch('c'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.groups).toEqual([['a'], ['b']]);
    expect(queue.queuedSpans).toBe(1);

    store.commitAll();
    await Promise.all([first, second, third]);
    expect(store.groups).toEqual([['a'], ['b'], ['c']]);
    await queue.drain();
    expect(queue.queuedSpans).toBe(0);
  });
});

/** A store whose commits wait until commitAll(); `started(n)` resolves once n groups were handed to it. */
function gatedStore(): Pick<TraceStore, 'writeBatches'> & { groups: string[][]; started(n: number): Promise<void>; commitAll(): void } {
  const groups: string[][] = [];
  let open = false;
  const gates: Array<() => void> = [];
  return {
    groups,
    async writeBatches(batches) {
      groups.push(batches.map((b) => b.projectId));
      if (!open) await new Promise<void>((resolve) => gates.push(resolve));
      return batches.map((): BatchWriteOutcome => ({ ok: true }));
    },
    async started(n) {
      for (let turns = 0; groups.length < n; turns++) {
        if (turns > 1_000) throw new Error(`gatedStore: ${n} groups never started (${groups.length})`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    commitAll() {
      open = true;
      gates.splice(0).forEach((release) => release());
    },
  };
}
