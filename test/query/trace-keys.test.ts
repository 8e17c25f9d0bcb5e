/**
 * Observations are keyed by a trace key given in first-seen order (store/sqlite-trace-keys.ts),
 * not by the random trace id. What a client sees must not change: a trace's observations, an
 * observation by id, model filters and their counts, retries, deletion; and a database written
 * before (schema 11) is upgraded to answer the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodedSpan } from '../helpers/decoded-span.js';
import { withDatabaseAtSchema } from '../helpers/older-schema.js';
import { createBatchWriter } from '../../collector/store/sqlite-write.js';
import { openSqliteStore } from '../../collector/store/sqlite-store.js';
import { createBatchDerived } from '../../collector/store/sqlite-batch-derived.js';
import { createScoreRepeats } from '../../collector/store/sqlite-score-repeats.js';
import { createObservationIdIndex } from '../../collector/store/sqlite-observation-ids.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import type { TraceStore, SpanBatch } from '../../collector/store/trace-store.js';
import type { TraceListQuery } from '../../collector/store/query-store.js';
import * as genAi from '../../semconv/gen-ai.js';

const PROJECT = 'default';
const SECOND_NS = 1_000_000_000n;
const T0_NS = 1_750_000_000n * SECOND_NS;
const TRACE_LATE = 'ffff651916cd43dd8448eb211c80319c';
const TRACE_EARLY = '0000651916cd43dd8448eb211c80319c';

/** A trace of a root span and one chat call on `model`, starting `offsetS` seconds after T0. */
function traceBatch(traceId: string, offsetS: bigint, model: string, spanPrefix: string): SpanBatch {
  const start = T0_NS + offsetS * SECOND_NS;
  const root = decodedSpan({ traceId, spanId: `${spanPrefix}000000000001`, name: 'agent', startTimeUnixNano: start, endTimeUnixNano: start + 3n * SECOND_NS });
  const chat = decodedSpan({
    traceId,
    spanId: `${spanPrefix}000000000002`,
    parentSpanId: root.spanId,
    name: `chat ${model}`,
    startTimeUnixNano: start + SECOND_NS,
    endTimeUnixNano: start + 2n * SECOND_NS,
    attributes: { [genAi.GEN_AI_REQUEST_MODEL]: model, [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 10, [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 5 },
  });
  return { projectId: PROJECT, spans: [root, chat].map(mapSpan) };
}

const byModel = (model: string): TraceListQuery => ({ page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' }, model });

/** What a client reads of the two traces: their observations, one by id, and a model filter with its count. */
async function reads(store: TraceStore) {
  const late = await store.getTrace(PROJECT, TRACE_LATE);
  const early = await store.getTrace(PROJECT, TRACE_EARLY);
  const miniList = await store.listTraces(PROJECT, byModel('gpt-4o-mini'));
  return {
    lateObservations: late?.observations.map((o) => [o.id, o.model]),
    earlyObservations: early?.observations.map((o) => [o.id, o.model]),
    chatById: (await store.getObservation(PROJECT, 'bbbb000000000002'))?.traceId,
    miniTraces: miniList.data.map((trace) => trace.id),
    miniCount: miniList.meta.totalItems,
    observationsOfLate: (await store.listObservations(PROJECT, { page: 1, limit: 10, traceId: TRACE_LATE })).data.map((o) => o.id),
  };
}

const EXPECTED = {
  lateObservations: [
    ['aaaa000000000001', null],
    ['aaaa000000000002', 'gpt-4o-mini'],
  ],
  earlyObservations: [
    ['bbbb000000000001', null],
    ['bbbb000000000002', 'gpt-4o'],
  ],
  chatById: TRACE_EARLY,
  miniTraces: [TRACE_LATE],
  miniCount: 1,
  observationsOfLate: ['aaaa000000000002', 'aaaa000000000001'],
};

describe('trace keys', () => {
  let dir: string | undefined;
  let store: TraceStore | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    store = undefined;
    dir = undefined;
  });

  it('are given in the order traces are first seen, so a retry or a later span of a trace keeps its key', async () => {
    dir = mkdtempSync(join(tmpdir(), 'spanlite-trace-keys-'));
    const file = join(dir, 'spanlite.db');
    store = openSqliteStore({ file });
    await store.writeBatches([traceBatch(TRACE_LATE, 10n, 'gpt-4o-mini', 'aaaa')]);
    await store.writeBatches([traceBatch(TRACE_EARLY, 0n, 'gpt-4o', 'bbbb')]);
    // The exporter's retry of the first batch: nothing is added, the key is kept.
    await store.writeBatches([traceBatch(TRACE_LATE, 10n, 'gpt-4o-mini', 'aaaa')]);
    expect(await reads(store)).toEqual(EXPECTED);

    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare(`SELECT trace_id FROM trace_keys ORDER BY key`).pluck().all()).toEqual([TRACE_LATE, TRACE_EARLY]);
      expect(db.prepare(`SELECT count(*) FROM observations`).pluck().get()).toBe(4);
    } finally {
      db.close();
    }
  });

  it('go with their trace when it is deleted, and a trace sent again gets a new one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'spanlite-trace-keys-'));
    const file = join(dir, 'spanlite.db');
    store = openSqliteStore({ file });
    await store.writeBatches([traceBatch(TRACE_LATE, 10n, 'gpt-4o-mini', 'aaaa'), traceBatch(TRACE_EARLY, 0n, 'gpt-4o', 'bbbb')]);
    expect(await store.deleteTrace(PROJECT, TRACE_LATE)).toBe(true);
    expect(await store.getTrace(PROJECT, TRACE_LATE)).toBeNull();
    expect((await store.listTraces(PROJECT, byModel('gpt-4o-mini'))).meta.totalItems).toBe(0);
    expect((await store.getTrace(PROJECT, TRACE_EARLY))?.observations).toHaveLength(2);

    await store.writeBatches([traceBatch(TRACE_LATE, 10n, 'gpt-4o-mini', 'aaaa')]);
    expect(await reads(store)).toEqual(EXPECTED);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare(`SELECT trace_id FROM trace_keys ORDER BY key`).pluck().all()).toEqual([TRACE_EARLY, TRACE_LATE]);
    } finally {
      db.close();
    }
  });
});

describe('a database written before trace keys (schema 11)', () => {
  it('gives its traces keys in start order at upgrade and answers as before, old traces and new spans alike', async () => {
    const write = (old: Database.Database) => {
      const writeAsSchema11 = createBatchWriter(old, Date.now, createBatchDerived(old, createScoreRepeats(old), createObservationIdIndex(old)));
      // The late trace first: keys follow start times, not the order rows were written.
      writeAsSchema11([traceBatch(TRACE_LATE, 10n, 'gpt-4o-mini', 'aaaa')]);
      writeAsSchema11([{ projectId: PROJECT, spans: traceBatch(TRACE_EARLY, 0n, 'gpt-4o', 'bbbb').spans.slice(1) }]);
    };
    await withDatabaseAtSchema(11, write, async (file) => {
      const store = openSqliteStore({ file });
      try {
        // The early trace's root arrives after the upgrade and joins the observation stored before it.
        await store.writeBatches([{ projectId: PROJECT, spans: traceBatch(TRACE_EARLY, 0n, 'gpt-4o', 'bbbb').spans.slice(0, 1) }]);
        // A retry of a span stored before the upgrade adds nothing.
        await store.writeBatches([traceBatch(TRACE_LATE, 10n, 'gpt-4o-mini', 'aaaa')]);
        expect(await reads(store)).toEqual(EXPECTED);
      } finally {
        await store.close();
      }
      const upgraded = new Database(file, { readonly: true });
      try {
        expect(upgraded.prepare(`SELECT trace_id FROM trace_keys ORDER BY key`).pluck().all()).toEqual([TRACE_EARLY, TRACE_LATE]);
        expect(upgraded.prepare(`SELECT count(*) FROM observations WHERE trace_key IS NULL`).pluck().get()).toBe(0);
        expect(upgraded.prepare(`SELECT count(*) FROM observations`).pluck().get()).toBe(4);
        expect(upgraded.prepare(`SELECT sql FROM sqlite_master WHERE name = 'observations_by_model'`).pluck().get()).toContain('trace_key');
      } finally {
        upgraded.close();
      }
    });
  });
});
