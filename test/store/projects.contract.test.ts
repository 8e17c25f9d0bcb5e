/**
 * Project isolation in the store contract: two projects holding traces, observations, scores,
 * sessions, users and custom models under the same ids never see each other's data, in any read,
 * and a write or delete in one leaves the other as it was.
 */
import { describe, expect, it } from 'vitest';
import type { Score } from '../../collector/model.js';
import type { CustomModelRecord, TraceStore } from '../../collector/store/contract.js';
import { ENGINES } from './engines.js';
import { storePerTest, withStore } from './lifecycle.js';
import { everythingReadable } from './everything-readable.js';
import { batchOf, mapped, msToNs, spanIdOf, traceIdOf, writeTraces, type TraceSpec } from './trace-spans.js';

const ALPHA = 'alpha';
const BETA = 'beta';
const T0 = Date.UTC(2025, 9, 1, 9, 0, 0);
const DAY = 86_400_000;
const SEARCH_TERMS = ['alphaword', 'betaword', 'shared', 'question'];
const SHARED_IDS = [traceIdOf(0x1d01), traceIdOf(0x1d02)];
const ALPHA_ONLY = traceIdOf(0x1d03);

/** The same trace ids, span ids, score ids, session and user in both projects, with different facts. */
function specsOf(project: typeof ALPHA | typeof BETA): TraceSpec[] {
  const alpha = project === ALPHA;
  const shared = SHARED_IDS.map(
    (id, n): TraceSpec => ({
      id,
      name: alpha ? 'support' : 'billing',
      startMs: T0 + n * 60_000 + (alpha ? 0 : DAY),
      durationMs: alpha ? 1000 : 4000,
      userId: 'u1',
      sessionId: 's1',
      tags: [alpha ? 'alpha-tag' : 'beta-tag', 'shared'],
      environment: alpha ? 'production' : 'staging',
      metadata: { plan: alpha ? 'pro' : 'free' },
      input: `${alpha ? 'alphaword' : 'betaword'} question, shared`,
      generations: [{ model: alpha ? 'gpt-4o' : 'claude-3-5-sonnet', inputTokens: alpha ? 100 : 7, outputTokens: 10, costUsd: alpha ? 0.1 : 0.7, level: alpha ? 'ERROR' : 'WARNING' }],
      scores: [{ name: 'quality', value: alpha ? 0.9 : 0.2, id: `quality-${n}` }],
    }),
  );
  return alpha ? [...shared, { id: ALPHA_ONLY, name: 'extra', startMs: T0 + 5 * DAY, userId: 'u2', sessionId: 's2' }] : shared;
}

function apiScore(project: string, value: number): Score {
  return {
    id: 'api-score',
    traceId: SHARED_IDS[0]!,
    observationId: null,
    name: 'feedback',
    value,
    stringValue: null,
    dataType: 'NUMERIC',
    comment: project,
    source: 'API',
    timeUnixNano: msToNs(T0),
    metadata: {},
  };
}

const customModel = (project: string): CustomModelRecord => ({
  id: 'custom-model',
  modelName: `${project}-model`,
  matchPattern: `${project}-model`,
  startDateMs: null,
  prices: { input: project === ALPHA ? 0.000001 : 0.000009, output: 0.000002 },
  tiers: [],
  createdAtMs: T0,
});

async function writeProject(store: TraceStore, project: typeof ALPHA | typeof BETA): Promise<void> {
  await writeTraces(store, project, specsOf(project));
  await store.upsertScore(project, apiScore(project, project === ALPHA ? 1 : 0));
  await store.insertCustomModel(project, customModel(project));
}

describe.each(ENGINES)('projects ($name)', (engine) => {
  const store = storePerTest(engine);
  /** What a store holding only `write`'s data reads of `project`. */
  const readsOfAlone = (project: string, write: (reference: TraceStore) => Promise<void>) =>
    withStore(engine, async (reference) => {
      await write(reference);
      return everythingReadable(reference, project, SEARCH_TERMS);
    });

  it('reads each project as a store holding only that project would, in every list, filter and lookup', async () => {
    const alphaAlone = await readsOfAlone(ALPHA, (reference) => writeProject(reference, ALPHA));
    const betaAlone = await readsOfAlone(BETA, (reference) => writeProject(reference, BETA));
    const empty = await readsOfAlone('gamma', async () => {});
    await writeProject(store(), ALPHA);
    await writeProject(store(), BETA);

    expect(await everythingReadable(store(), ALPHA, SEARCH_TERMS)).toEqual(alphaAlone);
    expect(await everythingReadable(store(), BETA, SEARCH_TERMS)).toEqual(betaAlone);
    expect(await everythingReadable(store(), 'gamma', SEARCH_TERMS)).toEqual(empty);
    expect(alphaAlone.traces.meta.totalItems).toBe(3);
    expect(betaAlone.traces.meta.totalItems).toBe(2);
    expect(alphaAlone.filtered['search alphaword']).toEqual({ ids: SHARED_IDS.slice().reverse(), totalItems: 2 });
    expect(betaAlone.filtered['search alphaword']).toEqual({ ids: [], totalItems: 0 });
  });

  it('finds an observation id held by both projects in each project\'s own trace', async () => {
    await writeProject(store(), ALPHA);
    await writeProject(store(), BETA);
    const id = spanIdOf(SHARED_IDS[0]!, 2);
    expect(await store().getObservation(ALPHA, id)).toMatchObject({ model: 'gpt-4o', environment: 'production' });
    expect(await store().getObservation(BETA, id)).toMatchObject({ model: 'claude-3-5-sonnet', environment: 'staging' });
    expect(await store().findObservationTraceId(BETA, spanIdOf(ALPHA_ONLY, 1))).toBeNull();
    expect(await store().findObservationTraceId(ALPHA, spanIdOf(ALPHA_ONLY, 1))).toBe(ALPHA_ONLY);
  });

  it('writes, replaces and deletes in one project only', async () => {
    const betaAlone = await readsOfAlone(BETA, (reference) => writeProject(reference, BETA));
    await writeProject(store(), ALPHA);
    await writeProject(store(), BETA);

    await store().upsertScore(ALPHA, apiScore(ALPHA, 0.5));
    expect(await store().deleteScore(ALPHA, 'quality-1')).toBe(true);
    expect(await store().deleteTrace(ALPHA, SHARED_IDS[1]!)).toBe(true);
    expect(await store().deleteCustomModel(ALPHA, 'custom-model')).toBe(true);
    await writeTraces(store(), ALPHA, [{ id: traceIdOf(0x1d04), name: 'new', startMs: T0, userId: 'u1', sessionId: 's1' }]);

    expect(await everythingReadable(store(), BETA, SEARCH_TERMS)).toEqual(betaAlone);
    expect(await store().deleteTrace(BETA, ALPHA_ONLY)).toBe(false);
    expect(await store().deleteScore(BETA, 'quality-1')).toBe(true);
    expect(await store().getScore(ALPHA, 'api-score')).toMatchObject({ value: 0.5, comment: ALPHA });
    expect(await store().getScore(BETA, 'api-score')).toMatchObject({ value: 0, comment: BETA });
  });

  it('stores each batch of a group under its own project, and fails one project\'s refused batch alone', async () => {
    const refused = batchOf(BETA, [{ id: traceIdOf(0x1d05), name: 'refused', startMs: T0 }]);
    const unstorable = mapped({ traceId: traceIdOf(0x1d05), spanId: spanIdOf(traceIdOf(0x1d05), 2), startTimeUnixNano: msToNs(T0) });
    unstorable.observation!.endTimeUnixNano = 2n ** 70n;
    const outcomes = await store().writeBatches([
      batchOf(ALPHA, specsOf(ALPHA)),
      { ...refused, spans: [...refused.spans, unstorable] },
      batchOf(BETA, specsOf(BETA)),
      batchOf(ALPHA, [{ id: traceIdOf(0x1d05), name: 'kept', startMs: T0 }]),
    ]);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true, true]);
    expect((await store().getTrace(ALPHA, traceIdOf(0x1d05)))?.name).toBe('kept');
    expect(await store().getTrace(BETA, traceIdOf(0x1d05))).toBeNull();
    expect((await store().getTrace(ALPHA, SHARED_IDS[0]!))?.name).toBe('support');
    expect((await store().getTrace(BETA, SHARED_IDS[0]!))?.name).toBe('billing');
  });
});
