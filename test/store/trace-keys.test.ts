/**
 * Observations, scores and tags are keyed by a trace key given in first-seen order
 * (store/sqlite/write/trace-keys.ts), not by the random trace id. What a client sees must not change:
 * a trace's observations and scores, an observation by id, model, tag and score filters and
 * their counts, retries, deletion.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodedSpan } from '../helpers/decoded-span.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import type { TraceStore, SpanBatch } from '../../collector/store/contract.js';
import type { TraceListQuery } from '../../collector/store/contract.js';
import * as genAi from '../../semconv/gen-ai.js';
import * as ours from '../../semconv/spanlite.js';

const PROJECT = 'default';
const SECOND_NS = 1_000_000_000n;
const T0_NS = 1_750_000_000n * SECOND_NS;
const TRACE_LATE = 'ffff651916cd43dd8448eb211c80319c';
const TRACE_EARLY = '0000651916cd43dd8448eb211c80319c';

/**
 * A trace of a root span (tagged with the model, scored `quality` 0.9 for gpt-4o-mini and 0.4
 * otherwise) and one chat call on `model`, starting `offsetS` seconds after T0.
 */
function traceBatch(traceId: string, offsetS: bigint, model: string, spanPrefix: string): SpanBatch {
  const start = T0_NS + offsetS * SECOND_NS;
  const quality = {
    name: genAi.GEN_AI_EVALUATION_RESULT_EVENT,
    timeUnixNano: start + 3n * SECOND_NS,
    attributes: { [genAi.GEN_AI_EVALUATION_NAME]: 'quality', [genAi.GEN_AI_EVALUATION_SCORE_VALUE]: model === 'gpt-4o-mini' ? 0.9 : 0.4 },
  };
  const root = decodedSpan({
    traceId,
    spanId: `${spanPrefix}000000000001`,
    name: 'agent',
    startTimeUnixNano: start,
    endTimeUnixNano: start + 3n * SECOND_NS,
    attributes: { [ours.SPANLITE_TRACE_TAGS]: [model] },
    events: [quality],
  });
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

/** A filtered list's trace ids (found by probing each trace) and its count (of the matches taken as a set). */
async function listed(store: TraceStore, filter: Partial<TraceListQuery>) {
  const page = await store.listTraces(PROJECT, { page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' }, ...filter });
  return [page.data.map((trace) => trace.id), page.meta.totalItems];
}

/** What a client reads of the two traces: their observations and scores, one by id, filters with their counts. */
async function reads(store: TraceStore) {
  const late = await store.getTrace(PROJECT, TRACE_LATE);
  const early = await store.getTrace(PROJECT, TRACE_EARLY);
  return {
    lateObservations: late?.observations.map((o) => [o.id, o.model]),
    earlyObservations: early?.observations.map((o) => [o.id, o.model]),
    lateScores: late?.scores.map((score) => [score.name, score.value]),
    chatById: (await store.getObservation(PROJECT, 'bbbb000000000002'))?.traceId,
    byMiniModel: await listed(store, { model: 'gpt-4o-mini' }),
    byMiniTag: await listed(store, { tags: ['gpt-4o-mini'] }),
    byBothTags: await listed(store, { tags: ['gpt-4o-mini', 'gpt-4o'] }),
    byMiniTagAndModel: await listed(store, { tags: ['gpt-4o-mini'], model: 'gpt-4o-mini' }),
    byGoodQuality: await listed(store, { scores: [{ name: 'quality', operator: '>', value: 0.5 }] }),
    byGoodQualityAndTag: await listed(store, { scores: [{ name: 'quality', operator: '>', value: 0.5 }], tags: ['gpt-4o-mini'] }),
    listRows: (await store.listTraces(PROJECT, { page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'asc' } })).data.map(
      (trace) => [trace.observationIds.length, trace.scores.map((score) => [score.name, score.value])],
    ),
    observationsOfLate: (await store.listObservations(PROJECT, { page: 1, limit: 10, traceId: TRACE_LATE })).data.map((o) => o.id),
    scoresOfEarly: (await store.listScores(PROJECT, { page: 1, limit: 10, traceId: TRACE_EARLY })).data.map((score) => score.value),
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
  lateScores: [['quality', 0.9]],
  chatById: TRACE_EARLY,
  byMiniModel: [[TRACE_LATE], 1],
  byMiniTag: [[TRACE_LATE], 1],
  byBothTags: [[], 0],
  byMiniTagAndModel: [[TRACE_LATE], 1],
  byGoodQuality: [[TRACE_LATE], 1],
  byGoodQualityAndTag: [[TRACE_LATE], 1],
  listRows: [
    [2, [['quality', 0.4]]],
    [2, [['quality', 0.9]]],
  ],
  observationsOfLate: ['aaaa000000000002', 'aaaa000000000001'],
  scoresOfEarly: [0.4],
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
      // The trace rows are stored in key order, the new one last.
      expect(db.prepare(`SELECT t.id FROM traces t JOIN trace_keys k ON k.key = t.rowid ORDER BY t.rowid`).pluck().all()).toEqual([
        TRACE_LATE,
        TRACE_EARLY,
      ]);
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
    expect(await listed(store, { model: 'gpt-4o-mini' })).toEqual([[], 0]);
    expect(await listed(store, { tags: ['gpt-4o-mini'] })).toEqual([[], 0]);
    expect(await listed(store, { scores: [{ name: 'quality', operator: '>', value: 0.5 }] })).toEqual([[], 0]);
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
