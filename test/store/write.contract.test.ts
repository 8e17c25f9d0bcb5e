/**
 * The write path of the store contract: the same spans give the same stored traces whatever
 * order and batches they arrive in, a batch sent again stores nothing twice, and a batch the
 * store refuses is rolled back alone.
 */
import { describe, expect, it } from 'vitest';
import type { DecodedLogRecord } from '../../collector/decode/log-record.js';
import type { DecodedEvent, DecodedSpan } from '../../collector/decode/span.js';
import type { MappedSpan } from '../../collector/model.js';
import type { SpanBatch, TraceStore } from '../../collector/store/contract.js';
import { mapLogRecords } from '../../collector/mapping/log-records.js';
import * as ours from '../../semconv/spanlite.js';
import * as genAi from '../../semconv/gen-ai.js';
import { GEN_AI_CHOICE_EVENT, GEN_AI_USER_MESSAGE_EVENT } from '../../semconv/gen-ai-events.js';
import { DEPLOYMENT_ENVIRONMENT_NAME, SERVICE_NAME, SERVICE_VERSION } from '../../semconv/otel.js';
import { ENGINES } from './engines.js';
import { storePerTest, withStore } from './lifecycle.js';
import { everythingReadable } from './everything-readable.js';
import { mapped, msToNs, spanIdOf, traceIdOf, traceSpans, writeSpans } from './trace-spans.js';

const PROJECT = 'write-project';
const T0 = Date.UTC(2025, 3, 1, 10, 0, 0);
const TRACE_A = traceIdOf(0xa1);
const TRACE_B = traceIdOf(0xb2);
const RESOURCE = { [SERVICE_NAME]: 'agent', [SERVICE_VERSION]: '2.0.0', [DEPLOYMENT_ENVIRONMENT_NAME]: 'staging' };
/** Words of the two traces, to check their full-text documents converge too. */
const SEARCH_TERMS = ['password', 'Passwort', 'kumquat', 'prepare', 'hi there'];

function span(traceId: string, n: number, parent: number | null, startMs: number, endMs: number, rest: Partial<DecodedSpan>): Partial<DecodedSpan> {
  return {
    traceId,
    spanId: spanIdOf(traceId, n),
    parentSpanId: parent === null ? null : spanIdOf(traceId, parent),
    startTimeUnixNano: msToNs(startMs),
    endTimeUnixNano: msToNs(endMs),
    resource: RESOURCE,
    ...rest,
  };
}

function scoreEvent(name: string, value: number, atMs: number, target?: 'trace'): DecodedEvent {
  const attributes: Record<string, string | number> = { [genAi.GEN_AI_EVALUATION_NAME]: name, [genAi.GEN_AI_EVALUATION_SCORE_VALUE]: value };
  if (target) attributes[ours.SPANLITE_SCORE_TARGET] = target;
  return { name: genAi.GEN_AI_EVALUATION_RESULT_EVENT, timeUnixNano: msToNs(atMs), attributes };
}

/**
 * Two traces whose facts are spread over their spans: trace A's user, tags and metadata on its
 * root; more tags, a metadata value that outranks the root's (a later span), its session and its
 * explicit environment (beating the resource's) on children; a child that starts before the
 * root and one that ends after it; usage priced by the table and reported; scores and an event.
 * Trace B shares A's session and environment.
 */
const SPANS: readonly MappedSpan[] = [
  span(TRACE_A, 1, null, T0, T0 + 3000, {
    name: 'agent-run',
    attributes: {
      [ours.SPANLITE_TRACE_USER_ID]: 'u1',
      [ours.SPANLITE_TRACE_TAGS]: ['alpha'],
      [`${ours.SPANLITE_TRACE_METADATA_PREFIX}plan`]: 'pro',
      [`${ours.SPANLITE_TRACE_METADATA_PREFIX}seats`]: 3,
      [ours.SPANLITE_OBSERVATION_INPUT]: 'How do I reset my password?',
      [ours.SPANLITE_OBSERVATION_OUTPUT]: 'Open Settings, then Security.',
    },
    events: [scoreEvent('quality', 0.8, T0 + 3000, 'trace'), { name: 'retry', timeUnixNano: msToNs(T0 + 50), attributes: { attempt: 1 } }],
  }),
  span(TRACE_A, 2, 1, T0 - 5, T0 + 20, { name: 'prepare', attributes: { [ours.SPANLITE_TRACE_TAGS]: ['beta'] } }),
  span(TRACE_A, 3, 1, T0 + 100, T0 + 900, {
    name: 'chat',
    attributes: {
      [genAi.GEN_AI_OPERATION_NAME]: 'chat',
      [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 100,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 20,
      [genAi.GEN_AI_USAGE_COST]: 0.02,
      [`${ours.SPANLITE_TRACE_METADATA_PREFIX}plan`]: 'team',
    },
  }),
  span(TRACE_A, 4, 1, T0 + 1000, T0 + 3500, {
    name: 'chat-again',
    attributes: {
      [genAi.GEN_AI_OPERATION_NAME]: 'chat',
      [genAi.GEN_AI_REQUEST_MODEL]: 'test-mini',
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 1000,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 100,
      [ours.SPANLITE_OBSERVATION_LEVEL]: 'ERROR',
      [ours.SPANLITE_TRACE_SESSION_ID]: 's1',
      [ours.SPANLITE_TRACE_ENVIRONMENT]: 'production',
      [ours.SPANLITE_TRACE_TAGS]: ['alpha', 'gamma'],
    },
    events: [scoreEvent('accuracy', 1, T0 + 3400)],
  }),
  span(TRACE_A, 5, 3, T0 + 200, T0 + 300, {
    name: 'lookup',
    attributes: { [ours.SPANLITE_OBSERVATION_LEVEL]: 'WARNING', [ours.SPANLITE_OBSERVATION_OUTPUT]: 'kumquat season' },
  }),
  span(TRACE_B, 1, null, T0 + 60_000, T0 + 61_000, {
    name: 'follow-up',
    attributes: {
      [ours.SPANLITE_TRACE_USER_ID]: 'u2',
      [ours.SPANLITE_TRACE_SESSION_ID]: 's1',
      [ours.SPANLITE_TRACE_ENVIRONMENT]: 'production',
      [ours.SPANLITE_TRACE_TAGS]: ['beta'],
      [ours.SPANLITE_OBSERVATION_INPUT]: 'Wie setze ich mein Passwort zurück?',
    },
  }),
  span(TRACE_B, 2, 1, T0 + 60_100, T0 + 60_500, {
    name: 'chat',
    attributes: {
      [genAi.GEN_AI_OPERATION_NAME]: 'chat',
      [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4o',
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 10,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 5,
      [genAi.GEN_AI_USAGE_COST]: 0.5,
    },
  }),
].map(mapped);

/** A small deterministic generator (mulberry32), so a failing order can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

/** `items` cut into `parts` consecutive non-empty runs at random places. */
function split<T>(items: readonly T[], parts: number, next: () => number): T[][] {
  const cuts = shuffled(Array.from({ length: items.length - 1 }, (_, i) => i + 1), next).slice(0, parts - 1).sort((a, b) => a - b);
  return [0, ...cuts].map((from, i) => items.slice(from, [...cuts, items.length][i]));
}

/** How the spans arrive: groups of batches, each group one writeBatches call. */
type Arrival = SpanBatch[][];

const batches = (runs: MappedSpan[][]): SpanBatch[] => runs.map((spans) => ({ projectId: PROJECT, spans }));

function arrivals(): Array<[string, Arrival]> {
  const result: Array<[string, Arrival]> = [
    ['in order, one batch', [batches([[...SPANS]])]],
    ['reversed, one batch', [batches([[...SPANS].reverse()])]],
  ];
  for (const seed of [1, 2, 3, 4]) {
    const next = random(seed);
    result.push([`shuffled (seed ${seed}), a request per span`, shuffled(SPANS, next).map((one) => batches([[one]]))]);
    result.push([`shuffled (seed ${seed}), three batches committed together`, [batches(split(shuffled(SPANS, next), 3, next))]]);
    const runs = split(shuffled(SPANS, next), 4, next);
    result.push([`shuffled (seed ${seed}), four batches in two commits`, [batches(runs.slice(0, 2)), batches(runs.slice(2))]]);
  }
  return result;
}

async function deliver(store: TraceStore, arrival: Arrival): Promise<void> {
  for (const group of arrival) {
    const outcomes = await store.writeBatches(group);
    expect(outcomes).toEqual(group.map(() => ({ ok: true })));
  }
}

describe.each(ENGINES)('writes ($name)', (engine) => {
  const store = storePerTest(engine);
  /** What a new store reads after taking every span in order, in one batch. */
  const readsInOrder = () =>
    withStore(engine, async (reference) => {
      await deliver(reference, [batches([[...SPANS]])]);
      return everythingReadable(reference, PROJECT, SEARCH_TERMS);
    });

  describe('in any arrival order', () => {
    it('merges the facts spread over a trace\'s spans by rank, its times by min and max, its tags by union', async () => {
      await deliver(store(), [batches([[...SPANS]])]);
      const trace = await store().getTrace(PROJECT, TRACE_A);
      expect(trace).toMatchObject({
        name: 'agent-run',
        userId: 'u1',
        sessionId: 's1',
        environment: 'production',
        version: '2.0.0',
        tags: ['alpha', 'beta', 'gamma'],
        metadata: { plan: 'team', seats: 3 },
        input: 'How do I reset my password?',
        startTimeUnixNano: msToNs(T0 - 5),
        endTimeUnixNano: msToNs(T0 + 3500),
        totalCostUsd: 0.0212,
        inputTokens: 1100,
        outputTokens: 120,
        totalTokens: 1220,
      });
      expect(trace!.observations.map((o) => o.name)).toEqual(['prepare', 'agent-run', 'retry', 'chat', 'lookup', 'chat-again']);
      expect(trace!.scores.map((s) => [s.name, s.value, s.observationId])).toEqual([
        ['quality', 0.8, null],
        ['accuracy', 1, spanIdOf(TRACE_A, 4)],
      ]);
    });

    it.each(arrivals())('stores the same traces when the spans arrive %s', async (_arrival, arrival) => {
      const expected = await readsInOrder();
      await deliver(store(), arrival);
      expect(await everythingReadable(store(), PROJECT, SEARCH_TERMS)).toEqual(expected);
    });

    it('joins scores sent before any span of their trace once the trace arrives', async () => {
      const carrier = mapped({
        traceId: TRACE_A,
        spanId: spanIdOf(TRACE_A, 9),
        parentSpanId: spanIdOf(TRACE_A, 1),
        attributes: { [ours.SPANLITE_SCORE_CARRIER]: true },
        events: [scoreEvent('feedback', 1, T0 + 5000)],
      });
      await writeSpans(store(), PROJECT, [carrier]);
      expect(await store().getTrace(PROJECT, TRACE_A)).toBeNull();
      const [score] = carrier.scores;
      expect(await store().getScore(PROJECT, score!.id)).toMatchObject({ name: 'feedback', value: 1, traceId: TRACE_A });
      expect((await store().listScores(PROJECT, { page: 1, limit: 10 })).data.map((item) => item.trace)).toEqual([null]);

      await writeSpans(store(), PROJECT, SPANS.slice(0, 5));
      const trace = await store().getTrace(PROJECT, TRACE_A);
      expect(trace!.scores.map((s) => s.name)).toEqual(['quality', 'accuracy', 'feedback']);
      expect((await store().listScores(PROJECT, { page: 1, limit: 10, name: 'feedback' })).data[0]!.trace).toEqual({
        userId: 'u1',
        tags: ['alpha', 'beta', 'gamma'],
        environment: 'production',
      });
    });

    it('gives a session its trace\'s environment when the environment arrives after the session id', async () => {
      const root = mapped({ traceId: TRACE_A, spanId: spanIdOf(TRACE_A, 1), resource: RESOURCE, attributes: { [ours.SPANLITE_TRACE_ENVIRONMENT]: 'production' } });
      const child = mapped({
        traceId: TRACE_A,
        spanId: spanIdOf(TRACE_A, 2),
        parentSpanId: spanIdOf(TRACE_A, 1),
        resource: RESOURCE,
        attributes: { [ours.SPANLITE_TRACE_SESSION_ID]: 's1' },
      });
      await writeSpans(store(), PROJECT, [child]);
      await writeSpans(store(), PROJECT, [root]);
      expect(await store().getTrace(PROJECT, TRACE_A)).toMatchObject({ sessionId: 's1', environment: 'production' });
      expect(await store().getSession(PROJECT, 's1')).toMatchObject({ environment: 'production' });
    });

    it.each<[string, (logs: SpanBatch, span: SpanBatch) => SpanBatch[][]]>([
      ['before it', (logs, span) => [[logs], [span]]],
      ['after it', (logs, span) => [[span], [logs]]],
      ['in the same commit', (logs, span) => [[logs, span]]],
    ])('joins GenAI message log records to their span when they arrive %s', async (_when, arrival) => {
      await deliver(store(), arrival(messageLogs(TRACE_A, spanIdOf(TRACE_A, 3)), { projectId: PROJECT, spans: [SPANS[2]!] }));
      const observation = await store().getObservation(PROJECT, spanIdOf(TRACE_A, 3));
      expect(observation?.input).toEqual([{ role: 'user', content: 'hello' }]);
      expect(observation?.output).toEqual([{ role: 'assistant', content: 'hi there', index: 0, finish_reason: 'stop' }]);
      const found = await store().listTraces(PROJECT, { page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' }, searchTerms: ['hi there'] });
      expect(found.data.map((trace) => trace.id)).toEqual([TRACE_A]);
    });
  });

  describe('sent again', () => {
    it('stores nothing twice when a batch is retried after it was stored', async () => {
      await deliver(store(), [batches([[...SPANS]])]);
      const once = await everythingReadable(store(), PROJECT, SEARCH_TERMS);
      await deliver(store(), [batches([[...SPANS]])]);
      expect(await everythingReadable(store(), PROJECT, SEARCH_TERMS)).toEqual(once);
      expect(once.traces.meta.totalItems).toBe(2);
      expect(once.observations.meta.totalItems).toBe(SPANS.length + 1); // and the root's event
    });

    it('stores nothing twice when the retry is committed together with the original', async () => {
      const expected = await readsInOrder();
      await deliver(store(), [batches([[...SPANS], [...SPANS]])]);
      expect(await everythingReadable(store(), PROJECT, SEARCH_TERMS)).toEqual(expected);
    });

    it('stores nothing twice when part of a trace is re-sent with its new spans', async () => {
      const expected = await readsInOrder();
      await deliver(store(), [batches([SPANS.slice(0, 4)]), batches([SPANS.slice(2)]), batches([SPANS.slice(1, 3)])]);
      expect(await everythingReadable(store(), PROJECT, SEARCH_TERMS)).toEqual(expected);
    });

    it('stores a re-sent message log record once', async () => {
      const logs = messageLogs(TRACE_A, spanIdOf(TRACE_A, 3));
      await deliver(store(), [[{ projectId: PROJECT, spans: [SPANS[2]!] }], [logs], [logs]]);
      const observation = await store().getObservation(PROJECT, spanIdOf(TRACE_A, 3));
      expect(observation?.input).toEqual([{ role: 'user', content: 'hello' }]);
      expect(observation?.output).toHaveLength(1);
    });
  });

  describe('a batch the store refuses', () => {
    /**
     * A batch that adds to trace B, adds to trace D (which a batch committed with it starts) and
     * starts trace C, with a span whose end no 64-bit time can hold.
     */
    function refusedBatch(): SpanBatch {
      const unstorable = mapped({
        traceId: traceIdOf(0xc3),
        spanId: spanIdOf(traceIdOf(0xc3), 2),
        parentSpanId: spanIdOf(traceIdOf(0xc3), 1),
        name: 'too-late',
        startTimeUnixNano: msToNs(T0),
      });
      unstorable.observation!.endTimeUnixNano = 2n ** 70n;
      const traceC = traceSpans({ id: traceIdOf(0xc3), name: 'refused', startMs: T0, userId: 'u3', sessionId: 's3', tags: ['refused'], input: 'zanzibar' });
      const traceDStep = mapped({
        traceId: traceIdOf(0xd4),
        spanId: spanIdOf(traceIdOf(0xd4), 2),
        parentSpanId: spanIdOf(traceIdOf(0xd4), 1),
        name: 'wombat-step',
        startTimeUnixNano: msToNs(T0 + 5000),
      });
      return { projectId: PROJECT, spans: [SPANS[6]!, traceDStep, ...traceC, unstorable] };
    }

    it('is reported as not retryable and stores nothing of it, while the batches committed with it are stored', async () => {
      await writeSpans(store(), PROJECT, [SPANS[5]!]); // trace B's root
      const traceBBefore = await store().getTrace(PROJECT, TRACE_B);
      const traceD = traceSpans({ id: traceIdOf(0xd4), name: 'kept', startMs: T0 + 5000, tags: ['refused'], input: 'quokka' });

      const outcomes = await store().writeBatches([batches([SPANS.slice(0, 5)])[0]!, refusedBatch(), { projectId: PROJECT, spans: traceD }]);

      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
      expect(outcomes[1]).toMatchObject({ ok: false, retryable: false, error: expect.any(Error) });
      expect((await store().getTrace(PROJECT, TRACE_A))?.observations).toHaveLength(6);
      expect((await store().getTrace(PROJECT, traceIdOf(0xd4)))?.name).toBe('kept');
      expect(await store().getTrace(PROJECT, traceIdOf(0xc3))).toBeNull();
      const traceBAfter = await store().getTrace(PROJECT, TRACE_B);
      expect(traceBAfter).toEqual(traceBBefore);
      expect(await store().getObservation(PROJECT, spanIdOf(TRACE_B, 2))).toBeNull();
      const list = (filter: object) => store().listTraces(PROJECT, { page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' }, ...filter });
      expect((await list({ tags: ['refused'] })).data.map((trace) => trace.id)).toEqual([traceIdOf(0xd4)]);
      expect((await list({ tags: ['refused'] })).meta.totalItems).toBe(1);
      expect((await list({ searchTerms: ['zanzibar'] })).data).toEqual([]);
      expect((await list({ searchTerms: ['wombat'] })).data).toEqual([]);
      expect((await list({ searchTerms: ['quokka'] })).data.map((trace) => trace.id)).toEqual([traceIdOf(0xd4)]);
      expect((await list({ searchTerms: ['password'] })).data.map((trace) => trace.id)).toEqual([TRACE_A]);
      expect((await store().getTrace(PROJECT, traceIdOf(0xd4)))?.observations.map((o) => o.name)).toEqual(['kept']);
      expect((await list({ model: 'gpt-4o' })).meta.totalItems).toBe(0);
      expect(await store().getSession(PROJECT, 's3')).toBeNull();
      expect(await store().getUser(PROJECT, 'u3')).toBeNull();
      const [day] = (await store().dailyMetrics(PROJECT, { page: 1, limit: 10 })).data;
      expect(day).toMatchObject({ traceCount: 3, observationCount: 6 + 1 + 1 });
    });

    it('stores the batch once it is sent again without the span the store refused', async () => {
      await writeSpans(store(), PROJECT, [SPANS[5]!]);
      expect((await store().writeBatches([refusedBatch()]))[0]!.ok).toBe(false);
      const fixed = refusedBatch();
      await writeSpans(store(), PROJECT, fixed.spans.slice(0, -1));
      expect(await store().getTrace(PROJECT, TRACE_B)).toMatchObject({ totalCostUsd: 0.5, inputTokens: 10 });
      expect((await store().getTrace(PROJECT, traceIdOf(0xc3)))?.name).toBe('refused');
      expect(await store().getUser(PROJECT, 'u3')).toMatchObject({ traceCount: 1 });
    });
  });
});

/** A user message and a choice for the span, as a GenAI instrumentation logs them. */
function messageLogs(traceId: string, spanId: string): SpanBatch {
  const record = (eventName: string, body: DecodedLogRecord['body'], atMs: number, index: number): DecodedLogRecord => ({
    traceId,
    spanId,
    timeUnixNano: msToNs(atMs),
    severityNumber: 9,
    severityText: 'INFO',
    eventName,
    body,
    attributes: {},
    resource: RESOURCE,
    scope: { name: 'genai-logs', version: '1.0.0', attributes: {} },
    position: `resourceLogs[0].scopeLogs[0].logRecords[${index}]`,
  });
  const { logs } = mapLogRecords({
    records: [
      record(GEN_AI_USER_MESSAGE_EVENT, { content: 'hello' }, T0 + 100, 0),
      record(GEN_AI_CHOICE_EVENT, { index: 0, finish_reason: 'stop', message: { content: 'hi there' } }, T0 + 900, 1),
    ],
    refused: [],
  });
  return { projectId: PROJECT, spans: [], logs };
}
