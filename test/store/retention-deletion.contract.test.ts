/**
 * Deleting in the store contract: one trace by id (deleteTrace) and retention's batches of old
 * traces (deleteTracesOlderThan), each with everything under the trace, so that the store reads
 * as if the deleted traces had never been written.
 */
import { describe, expect, it } from 'vitest';
import type { Score } from '../../collector/model.js';
import type { SpanBatch, TraceStore } from '../../collector/store/contract.js';
import { mapLogRecords } from '../../collector/mapping/log-records.js';
import { GEN_AI_USER_MESSAGE_EVENT } from '../../semconv/gen-ai-events.js';
import { ENGINES, type StoreEngine } from './engines.js';
import { storePerTest, withStore } from './lifecycle.js';
import { everythingReadable } from './everything-readable.js';
import { msToNs, spanIdOf, traceIdOf, traceSpans, writeSpans, writeTraces, type TraceSpec } from './trace-spans.js';

const PROJECT = 'deletion-project';
const T0 = Date.UTC(2025, 1, 3, 9, 0, 0);
const DAY = 86_400_000;
const SEARCH_TERMS = ['ocelot', 'lynx', 'caracal', 'shared'];

/** A trace with everything a trace can have under it: observations, an event, scores, tags, session, user, search text. */
function fullTrace(n: number, startMs: number, word: string, overrides: Partial<TraceSpec> = {}): TraceSpec {
  return {
    id: traceIdOf(0xde00 + n),
    name: `agent ${word}`,
    startMs,
    userId: `user-${n % 2}`,
    sessionId: `session-${n % 3}`,
    tags: [word, 'retention'],
    environment: n % 3 === 1 ? 'staging' : 'production',
    metadata: { word },
    input: `${word} question, shared words`,
    output: `${word} answer`,
    generations: [
      { model: 'gpt-4o-mini', inputTokens: 10 * (n + 1), outputTokens: 5, costUsd: 0.01 * (n + 1), level: n % 2 === 0 ? 'ERROR' : 'WARNING' },
      { model: 'test-mini', inputTokens: 1000, outputTokens: 100 },
    ],
    scores: [
      { name: 'quality', value: n / 10 },
      { name: 'accuracy', value: 1, generation: 0 },
    ],
    ...overrides,
  };
}

function apiScore(traceId: string, id: string, timeMs: number): Score {
  return {
    id,
    traceId,
    observationId: null,
    name: 'feedback',
    value: 1,
    stringValue: null,
    dataType: 'NUMERIC',
    comment: 'thumbs up',
    source: 'API',
    timeUnixNano: msToNs(timeMs),
    metadata: {},
  };
}

/** A user message logged for a span: joined to it, or waiting for it when the span is not stored. */
function messageFor(traceId: string, spanId: string, atMs: number, content: string): SpanBatch {
  const { logs } = mapLogRecords({
    records: [
      {
        traceId,
        spanId,
        timeUnixNano: msToNs(atMs),
        severityNumber: 9,
        severityText: 'INFO',
        eventName: GEN_AI_USER_MESSAGE_EVENT,
        body: { content },
        attributes: {},
        resource: {},
        scope: { name: 'genai-logs', version: '1.0.0', attributes: {} },
        position: 'resourceLogs[0].scopeLogs[0].logRecords[0]',
      },
    ],
    refused: [],
  });
  return { projectId: PROJECT, spans: [], logs };
}

/** What the store reads after `write` into a new store of the engine. */
async function readsAfter(engine: StoreEngine, write: (store: TraceStore) => Promise<void>) {
  return withStore(engine, async (reference) => {
    await write(reference);
    return everythingReadable(reference, PROJECT, SEARCH_TERMS);
  });
}

describe.each(ENGINES)('deleting a trace ($name)', (engine) => {
  const store = storePerTest(engine);
  const KEPT = [fullTrace(0, T0, 'ocelot'), fullTrace(2, T0 + 2 * DAY, 'caracal')];
  const DELETED = fullTrace(1, T0 + DAY, 'lynx');

  it('leaves the store as if the trace had never been written', async () => {
    const expected = await readsAfter(engine, async (reference) => {
      await writeTraces(reference, PROJECT, KEPT);
      await reference.upsertScore(PROJECT, apiScore(KEPT[0]!.id, 'api-kept', T0));
    });
    await writeTraces(store(), PROJECT, [KEPT[0]!, DELETED, KEPT[1]!]);
    await store().upsertScore(PROJECT, apiScore(KEPT[0]!.id, 'api-kept', T0));
    await store().upsertScore(PROJECT, apiScore(DELETED.id, 'api-deleted', T0 + DAY));
    expect(await store().writeBatches([messageFor(DELETED.id, spanIdOf(DELETED.id, 2), T0 + DAY, 'lynx message')])).toEqual([{ ok: true }]);

    expect(await store().deleteTrace(PROJECT, DELETED.id)).toBe(true);

    expect(await everythingReadable(store(), PROJECT, SEARCH_TERMS)).toEqual(expected);
  });

  it('leaves nothing of the trace to find by its ids', async () => {
    await writeTraces(store(), PROJECT, [...KEPT, DELETED]);
    await store().upsertScore(PROJECT, apiScore(DELETED.id, 'api-deleted', T0 + DAY));
    const before = await store().getTrace(PROJECT, DELETED.id);
    expect(before!.observations.length).toBeGreaterThanOrEqual(3);
    expect(before!.scores.length).toBe(3);

    expect(await store().deleteTrace(PROJECT, DELETED.id)).toBe(true);

    expect(await store().getTrace(PROJECT, DELETED.id)).toBeNull();
    for (const { id } of before!.observations) {
      expect(await store().getObservation(PROJECT, id)).toBeNull();
      expect(await store().findObservationTraceId(PROJECT, id)).toBeNull();
    }
    for (const { id } of before!.scores) expect(await store().getScore(PROJECT, id)).toBeNull();
    expect((await store().listObservations(PROJECT, { page: 1, limit: 10, traceId: DELETED.id })).meta.totalItems).toBe(0);
    expect((await store().listScores(PROJECT, { page: 1, limit: 10, traceId: DELETED.id })).meta.totalItems).toBe(0);
    expect(await store().getUser(PROJECT, 'user-1')).toBeNull();
    expect(await store().getSession(PROJECT, 'session-1')).toBeNull();
  });

  it('answers false for a trace it does not hold, and deletes a trace once', async () => {
    await writeTraces(store(), PROJECT, [DELETED]);
    expect(await store().deleteTrace(PROJECT, traceIdOf(0xdead))).toBe(false);
    expect(await store().deleteTrace(PROJECT, DELETED.id)).toBe(true);
    expect(await store().deleteTrace(PROJECT, DELETED.id)).toBe(false);
  });

  it('stores a trace sent again after its deletion anew, without what was deleted', async () => {
    const expected = await readsAfter(engine, (reference) => writeTraces(reference, PROJECT, [DELETED]));
    await writeTraces(store(), PROJECT, [DELETED]);
    await store().upsertScore(PROJECT, apiScore(DELETED.id, 'api-deleted', T0 + DAY));
    expect(await store().writeBatches([messageFor(DELETED.id, spanIdOf(DELETED.id, 2), T0 + DAY, 'lynx message')])).toEqual([{ ok: true }]);
    expect(await store().deleteTrace(PROJECT, DELETED.id)).toBe(true);
    await writeTraces(store(), PROJECT, [DELETED]);
    expect(await everythingReadable(store(), PROJECT, SEARCH_TERMS)).toEqual(expected);
  });
});

describe.each(ENGINES)('retention ($name)', (engine) => {
  const store = storePerTest(engine);
  const CUTOFF_MS = T0 + 10 * DAY;
  /** Seven traces before the cutoff, one at it and two after. */
  const OLD = [0, 1, 2, 3, 4, 5, 6].map((n) => fullTrace(n, T0 + n * DAY, ['ocelot', 'lynx'][n % 2]!));
  const YOUNG = [fullTrace(7, CUTOFF_MS, 'caracal'), fullTrace(8, CUTOFF_MS + DAY, 'caracal'), fullTrace(9, CUTOFF_MS + 2 * DAY, 'shared')];

  it('deletes at most maxTraces old traces per call, until a call finds fewer', async () => {
    await writeTraces(store(), PROJECT, [...OLD, ...YOUNG]);
    const counts = [];
    for (let call = 0; call < 5; call++) counts.push(await store().deleteTracesOlderThan(msToNs(CUTOFF_MS), 3));
    expect(counts).toEqual([3, 3, 1, 0, 0]);
  });

  it('deletes the oldest traces first', async () => {
    await writeTraces(store(), PROJECT, [...YOUNG, ...[...OLD].reverse()]);
    expect(await store().deleteTracesOlderThan(msToNs(CUTOFF_MS), 2)).toBe(2);
    for (const spec of OLD.slice(0, 2)) expect(await store().getTrace(PROJECT, spec.id)).toBeNull();
    for (const spec of OLD.slice(2)) expect(await store().getTrace(PROJECT, spec.id)).not.toBeNull();
  });

  it('leaves the store as if only the traces from the cutoff on had been written', async () => {
    const expected = await readsAfter(engine, (reference) => writeTraces(reference, PROJECT, YOUNG));
    await writeTraces(store(), PROJECT, [...OLD, ...YOUNG]);
    for (const spec of OLD) await store().upsertScore(PROJECT, apiScore(spec.id, `api-${spec.id}`, spec.startMs + 1000));
    expect(await store().writeBatches([messageFor(OLD[0]!.id, spanIdOf(OLD[0]!.id, 2), T0, 'old message')])).toEqual([{ ok: true }]);
    let deleted = 0;
    for (let calls = 0, last = 4; last === 4 && calls < 10; calls++) deleted += last = await store().deleteTracesOlderThan(msToNs(CUTOFF_MS), 4);
    expect(deleted).toBe(OLD.length);
    expect(await everythingReadable(store(), PROJECT, SEARCH_TERMS)).toEqual(expected);
  });

  it('deletes old rows of traces never stored: scores, and messages waiting for their span', async () => {
    const never = traceIdOf(0xfeed);
    const youngNever = traceIdOf(0xbeef);
    await writeTraces(store(), PROJECT, [OLD[0]!]);
    await store().upsertScore(PROJECT, apiScore(never, 'api-orphan-old', T0));
    await store().upsertScore(PROJECT, apiScore(youngNever, 'api-orphan-young', CUTOFF_MS + DAY));
    expect(await store().writeBatches([messageFor(never, spanIdOf(never, 2), T0, 'waiting message')])).toEqual([{ ok: true }]);

    let calls = 0;
    for (let deleted = 1; deleted === 1 && calls < 10; calls++) deleted = await store().deleteTracesOlderThan(msToNs(CUTOFF_MS), 1);
    expect(calls).toBeLessThan(10);

    expect(await store().getTrace(PROJECT, OLD[0]!.id)).toBeNull();
    expect(await store().getScore(PROJECT, 'api-orphan-old')).toBeNull();
    expect(await store().getScore(PROJECT, 'api-orphan-young')).not.toBeNull();
    // The span the message waited for arrives: nothing is left to join it.
    const [, span] = traceSpans({ id: never, startMs: T0, generations: [{ model: 'gpt-4o', input: 'its own input' }] });
    await writeSpans(store(), PROJECT, [span!]);
    expect((await store().getObservation(PROJECT, spanIdOf(never, 2)))?.input).toBe('its own input');
  });

  it('deletes old traces of every project', async () => {
    await writeTraces(store(), PROJECT, [OLD[0]!, YOUNG[0]!]);
    await writeTraces(store(), 'other-project', [OLD[1]!, YOUNG[1]!]);
    expect(await store().deleteTracesOlderThan(msToNs(CUTOFF_MS), 10)).toBe(2);
    expect(await store().getTrace(PROJECT, OLD[0]!.id)).toBeNull();
    expect(await store().getTrace('other-project', OLD[1]!.id)).toBeNull();
    expect(await store().getTrace(PROJECT, YOUNG[0]!.id)).not.toBeNull();
    expect(await store().getTrace('other-project', YOUNG[1]!.id)).not.toBeNull();
  });

  it('deletes nothing when no trace is older than the cutoff', async () => {
    await writeTraces(store(), PROJECT, YOUNG);
    expect(await store().deleteTracesOlderThan(msToNs(CUTOFF_MS), 100)).toBe(0);
    expect((await store().listTraces(PROJECT, { page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' } })).meta.totalItems).toBe(3);
  });
});
