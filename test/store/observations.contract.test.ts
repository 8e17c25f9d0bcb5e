/**
 * Observations in the store contract: the filtered list, newest first, with its pages; one
 * observation by id (span ids are unique only within a trace); the trace an observation is in.
 */
import { describe, expect, it } from 'vitest';
import type { ObservationListQuery, ObservationRecord } from '../../collector/store/contract.js';
import { ENGINES } from './engines.js';
import { sharedStore, storePerTest } from './lifecycle.js';
import { CONVERSATION_TRACES, MINUTE, T0 } from '../helpers/conversation-traces.js';
import { mapped, msToNs, spanIdOf, traceIdOf, writeSpans, writeTraces, type TraceSpec } from './trace-spans.js';

const PROJECT = 'observations-project';
/** Ten observations: three turns and a solo trace of u1, a staging trace of u2; two each. */
const SPECS: TraceSpec[] = [
  ...CONVERSATION_TRACES.map((spec, n) => ({ ...spec, id: traceIdOf([0x701, 0x702, 0x703, 0x7a4, 0x7b5][n]!) })),
];
const IDS = SPECS.map((spec) => spec.id);
/** `<name>@<trace index>` */
const names = (observations: readonly ObservationRecord[]) => observations.map((o) => `${o.name}@${IDS.indexOf(o.traceId)}`);

describe.each(ENGINES)('observation lists ($name)', (engine) => {
  const store = sharedStore(engine, (opened) => writeTraces(opened, PROJECT, SPECS));
  const list = (query: Partial<ObservationListQuery> = {}) => store().listObservations(PROJECT, { page: 1, limit: 100, ...query });

  it('lists observations newest first, each with its trace\'s environment', async () => {
    const page = await list({ limit: 3 });
    expect(page.meta).toEqual({ page: 1, limit: 3, totalItems: 10, totalPages: 4 });
    expect(names(page.data)).toEqual(['generation-0@4', 'chat-turn@4', 'generation-0@3']);
    expect(page.data.map((o) => o.environment)).toEqual(['staging', 'staging', 'default']);
  });

  it.each<[string, () => Partial<ObservationListQuery>, string[]]>([
    ['trace', () => ({ traceId: IDS[0] }), ['generation-0@0', 'chat-turn@0']],
    ['type and user', () => ({ type: 'GENERATION', userId: 'u1' }), ['generation-0@3', 'generation-0@2', 'generation-0@1', 'generation-0@0']],
    ['name', () => ({ name: 'solo' }), ['solo@3']],
    ['user', () => ({ userId: 'u2' }), ['generation-0@4', 'chat-turn@4']],
    ['level', () => ({ level: 'ERROR' }), ['generation-0@3']],
    ['level DEFAULT', () => ({ level: 'DEFAULT', userId: 'u2' }), ['generation-0@4', 'chat-turn@4']],
    ['model', () => ({ model: 'claude-3-5-sonnet' }), ['generation-0@4']],
    ['environment', () => ({ environments: ['staging'] }), ['generation-0@4', 'chat-turn@4']],
    ['environments', () => ({ environments: ['staging', 'default'] }), ['generation-0@4', 'chat-turn@4', 'generation-0@3', 'solo@3']],
    ['parent observation', () => ({ parentObservationId: spanIdOf(IDS[2]!, 1) }), ['generation-0@2']],
    ['time range, from inclusive and to exclusive', () => ({ fromTimeUnixNano: msToNs(T0 + MINUTE), toTimeUnixNano: msToNs(T0 + 2 * MINUTE) }), ['generation-0@1', 'chat-turn@1']],
    ['an unknown trace', () => ({ traceId: traceIdOf(0xdead) }), []],
  ])('filters by %s, and counts the matches', async (_filter, query, expected) => {
    const page = await list(query());
    expect(names(page.data)).toEqual(expected);
    expect(page.meta.totalItems).toBe(expected.length);
    expect((await list({ ...query(), limit: 1 })).meta.totalItems).toBe(expected.length);
  });

  it('pages the list by number to the end, then gives an empty page', async () => {
    const whole = names((await list()).data);
    const paged = [];
    for (let page = 1; page <= 4; page++) paged.push(...names((await list({ limit: 3, page })).data));
    expect(paged).toEqual(whole);
    const past = await list({ limit: 3, page: 5 });
    expect(past).toEqual({ data: [], meta: { page: 5, limit: 3, totalItems: 10, totalPages: 4 } });
  });

  it('returns one observation by id with its usage, cost, times and trace environment', async () => {
    const id = spanIdOf(IDS[1]!, 2);
    const observation = await store().getObservation(PROJECT, id);
    expect(observation).toMatchObject({
      id,
      traceId: IDS[1],
      parentObservationId: spanIdOf(IDS[1]!, 1),
      type: 'GENERATION',
      model: 'gpt-4o-mini',
      usage: { input: 200, output: 20 },
      costUsd: { total: 0.2 },
      totalCostUsd: 0.2,
      countsInTraceTotals: true,
      environment: 'production',
      startTimeUnixNano: msToNs(T0 + MINUTE + 10),
      endTimeUnixNano: msToNs(T0 + MINUTE + 110),
    });
    expect(await store().findObservationTraceId(PROJECT, id)).toBe(IDS[1]);
  });

  it('returns null for an unknown observation id, and for an id of another project', async () => {
    expect(await store().getObservation(PROJECT, '00000000000000aa')).toBeNull();
    expect(await store().findObservationTraceId(PROJECT, '00000000000000aa')).toBeNull();
    expect(await store().getObservation('another-project', spanIdOf(IDS[0]!, 1))).toBeNull();
    expect(await store().findObservationTraceId('another-project', spanIdOf(IDS[0]!, 1))).toBeNull();
  });
});

describe.each(ENGINES)('observations by id ($name)', (engine) => {
  const store = storePerTest(engine);
  const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
  const TRACE_B = '1bf7651916cd43dd8448eb211c80319d';
  const span = (traceId: string, spanId: string, startMs: number, name = 'span') =>
    mapped({ traceId, spanId, name, startTimeUnixNano: msToNs(startMs), endTimeUnixNano: msToNs(startMs + 1000) });

  it('finds ids of any shape: span event observations, punctuation, other scripts, very long ids', async () => {
    const ids = ['b7ad6b7169203331', '---', 'obs:42/β', 'ид-наблюдения', 'x'.repeat(500), 'x'.repeat(501)];
    const spans = ids.map((id, i) => span(TRACE_A, id, T0 + i));
    const withEvent = mapped({
      traceId: TRACE_A,
      spanId: ids[0]!,
      startTimeUnixNano: msToNs(T0),
      events: [{ name: 'rerank', timeUnixNano: msToNs(T0) + 1n, attributes: {} }],
    });
    await writeSpans(store(), PROJECT, [withEvent, ...spans.slice(1)]);
    for (const id of [...ids, 'b7ad6b7169203331-e0']) {
      expect((await store().getObservation(PROJECT, id))?.id).toBe(id);
      expect(await store().findObservationTraceId(PROJECT, id)).toBe(TRACE_A);
    }
    expect((await store().getObservation(PROJECT, 'b7ad6b7169203331-e0'))?.type).toBe('EVENT');
  });

  it('tells apart ids that differ only in letter case', async () => {
    await writeSpans(store(), PROJECT, [span(TRACE_A, 'abcdef0123456789', T0), span(TRACE_B, 'ABCDEF0123456789', T0, 'upper')]);
    expect(await store().getObservation(PROJECT, 'ABCDEF0123456789')).toMatchObject({ traceId: TRACE_B, name: 'upper' });
    expect(await store().getObservation(PROJECT, 'abcdef0123456789')).toMatchObject({ traceId: TRACE_A, name: 'span' });
  });

  it('returns the observation that started last when two traces hold the same id, whichever was written first', async () => {
    await writeSpans(store(), PROJECT, [span(TRACE_B, 'b7ad6b7169203331', T0 + 60_000, 'later')]);
    await writeSpans(store(), PROJECT, [span(TRACE_A, 'b7ad6b7169203331', T0, 'earlier')]);
    expect(await store().getObservation(PROJECT, 'b7ad6b7169203331')).toMatchObject({ name: 'later', traceId: TRACE_B });
    expect(await store().findObservationTraceId(PROJECT, 'b7ad6b7169203331')).toBe(TRACE_B);
    expect((await store().listObservations(PROJECT, { page: 1, limit: 10, traceId: TRACE_A })).data.map((o) => o.name)).toEqual(['earlier']);
  });

  it('finds an observation re-sent in a later batch once, and none of a deleted trace', async () => {
    await writeSpans(store(), PROJECT, [span(TRACE_A, 'b7ad6b7169203331', T0)]);
    await writeSpans(store(), PROJECT, [span(TRACE_A, 'b7ad6b7169203331', T0)]);
    expect(await store().findObservationTraceId(PROJECT, 'b7ad6b7169203331')).toBe(TRACE_A);
    expect((await store().listObservations(PROJECT, { page: 1, limit: 10 })).meta.totalItems).toBe(1);
    expect(await store().deleteTrace(PROJECT, TRACE_A)).toBe(true);
    expect(await store().getObservation(PROJECT, 'b7ad6b7169203331')).toBeNull();
    expect(await store().findObservationTraceId(PROJECT, 'b7ad6b7169203331')).toBeNull();
  });
});
