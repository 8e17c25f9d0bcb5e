/**
 * The SQLite batch writer against a real database file: a group of export requests is written in
 * one transaction, yet each request is all or nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import type { SpanBatch, TraceStore } from '../../collector/store/contract.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { decodedSpan } from '../helpers/decoded-span.js';

const TRACE_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TRACE_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const TRACE_C = 'cccccccccccccccccccccccccccccccc';

function batchOf(traceId: string, spanCount: number): SpanBatch {
  const spans = Array.from({ length: spanCount }, (_, index) =>
    mapSpan(
      decodedSpan({
        traceId,
        spanId: `${index + 1}`.padStart(16, '0'),
        parentSpanId: index === 0 ? null : '0000000000000001',
        name: `span-${index}`,
        attributes: { 'spanlite.trace.tags': ['group-test'] },
      }),
    ),
  );
  return { projectId: 'default', spans };
}

let dir: string;
let store: TraceStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-write-'));
  store = openSqliteStore({ file: join(dir, 'spanlite.db'), synchronous: 'normal' });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('writing a group of batches', () => {
  it('stores every batch of a group that the database accepts', async () => {
    const outcomes = await store.writeBatches([batchOf(TRACE_A, 3), batchOf(TRACE_B, 2)]);
    expect(outcomes).toEqual([{ ok: true }, { ok: true }]);
    expect((await store.getTrace('default', TRACE_A))?.observations).toHaveLength(3);
    expect((await store.getTrace('default', TRACE_B))?.observations).toHaveLength(2);
  });

  it('fails only the batch the database refuses, storing nothing of it and all of the others', async () => {
    const refused = batchOf(TRACE_B, 3);
    // Its last span's time does not fit SQLite's 64-bit integer: binding it throws mid-batch,
    // after the batch's first spans were already written in the transaction.
    refused.spans[2]!.observation!.endTimeUnixNano = 2n ** 70n;

    const outcomes = await store.writeBatches([batchOf(TRACE_A, 2), refused, batchOf(TRACE_C, 2)]);

    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
    expect(outcomes[1]).toMatchObject({ ok: false, retryable: false });
    expect((await store.getTrace('default', TRACE_A))?.observations).toHaveLength(2);
    expect(await store.getTrace('default', TRACE_B)).toBeNull();
    expect((await store.getTrace('default', TRACE_C))?.observations).toHaveLength(2);
    const tagged = await store.listTraces('default', {
      page: 1, limit: 10, tags: ['group-test'], orderBy: { field: 'timestamp', direction: 'desc' },
    });
    expect(tagged.meta.totalItems).toBe(2); // the refused batch's trace is not counted under its tag
  });
});
