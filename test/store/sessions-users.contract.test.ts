/**
 * Sessions and users in the store contract: lists with their aggregates (trace count, first and
 * last trace start, tokens, cost), filters, orderings and pages, one by id, and the aggregates
 * following traces that arrive, grow and are deleted.
 */
import { describe, expect, it } from 'vitest';
import { USER_ORDER_FIELDS, type SessionListQuery, type TraceStore, type UserOrderField, type UserRecord } from '../../collector/store/contract.js';
import { ENGINES } from './engines.js';
import { storePerTest } from './lifecycle.js';
import { CONVERSATION_TRACES, MINUTE, T0, chatTurn } from '../helpers/conversation-traces.js';
import { mapped, msToNs, spanIdOf, traceIdOf, writeSpans, writeTraces, type TraceSpec } from './trace-spans.js';

const PROJECT = 'sessions-project';

const turn = (n: number, startMs: number, costUsd: number): TraceSpec => ({ ...chatTurn(n, startMs, costUsd), id: traceIdOf(0x600 + n) });

const SPECS: TraceSpec[] = [
  ...CONVERSATION_TRACES.map((spec, n) => ({ ...spec, id: traceIdOf([0x601, 0x602, 0x603, 0x6a4, 0x6b5][n]!) })),
  { id: traceIdOf(0x6c6), name: 'anonymous', startMs: T0 + 11 * MINUTE, generations: [{ model: 'gpt-4o', costUsd: 0.01 }] },
  { id: traceIdOf(0x6d7), name: 'cheap', startMs: T0 + 3 * MINUTE, userId: 'u3', sessionId: 'conv-3' },
];
const IDS = SPECS.map((spec) => spec.id);

describe.each(ENGINES)('sessions ($name)', (engine) => {
  const store = storePerTest(engine);
  const sessionIds = async (query: Partial<SessionListQuery> = {}) => (await store().listSessions(PROJECT, { page: 1, limit: 50, ...query })).data.map((s) => s.id);

  it('lists sessions by their first trace, newest first, with count, first and last trace, tokens and cost', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    const page = await store().listSessions(PROJECT, { page: 1, limit: 50 });
    expect(page.meta).toEqual({ page: 1, limit: 50, totalItems: 3, totalPages: 1 });
    expect(page.data.map((s) => s.id)).toEqual(['conv-2', 'conv-3', 'conv-1']);
    expect(page.data[2]).toEqual({
      id: 'conv-1',
      environment: 'production',
      traceCount: 3,
      firstTraceStartUnixNano: msToNs(T0),
      lastTraceStartUnixNano: msToNs(T0 + 2 * MINUTE),
      inputTokens: 600,
      outputTokens: 60,
      totalTokens: 660,
      totalCostUsd: 0.6,
    });
    expect(page.data[1]).toMatchObject({ id: 'conv-3', traceCount: 1, totalCostUsd: 0, inputTokens: 0, environment: 'default' });
  });

  it.each<[string, Partial<SessionListQuery>, string[]]>([
    ['from the first trace\'s start, inclusive', { fromTimeUnixNano: msToNs(T0 + 3 * MINUTE) }, ['conv-2', 'conv-3']],
    ['to the first trace\'s start, exclusive', { toTimeUnixNano: msToNs(T0 + 3 * MINUTE) }, ['conv-1']],
    ['a range no first trace is in', { fromTimeUnixNano: msToNs(T0 + MINUTE), toTimeUnixNano: msToNs(T0 + 3 * MINUTE) }, []],
    ['an environment', { environments: ['staging'] }, ['conv-2']],
    ['environments', { environments: ['staging', 'production'] }, ['conv-2', 'conv-1']],
  ])('filters sessions by %s, and counts them', async (_filter, query, expected) => {
    await writeTraces(store(), PROJECT, SPECS);
    const page = await store().listSessions(PROJECT, { page: 1, limit: 50, ...query });
    expect(page.data.map((s) => s.id)).toEqual(expected);
    expect(page.meta.totalItems).toBe(expected.length);
  });

  it('pages sessions by number, then gives an empty page', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    expect(await sessionIds({ limit: 2, page: 1 })).toEqual(['conv-2', 'conv-3']);
    expect(await sessionIds({ limit: 2, page: 2 })).toEqual(['conv-1']);
    expect(await store().listSessions(PROJECT, { limit: 2, page: 3 })).toEqual({ data: [], meta: { page: 3, limit: 2, totalItems: 3, totalPages: 2 } });
  });

  it('returns a session with its traces in start order, to replay the conversation', async () => {
    await writeTraces(store(), PROJECT, [...SPECS].reverse());
    const session = await store().getSession(PROJECT, 'conv-1');
    expect(session).toMatchObject({ id: 'conv-1', traceCount: 3, totalCostUsd: 0.6 });
    expect(session!.traces.map((t) => [t.id, t.input, t.output])).toEqual([
      [IDS[0], 'turn 1 question', 'turn 1 answer'],
      [IDS[1], 'turn 2 question', 'turn 2 answer'],
      [IDS[2], 'turn 3 question', 'turn 3 answer'],
    ]);
  });

  it('returns null for an unknown session', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    expect(await store().getSession(PROJECT, 'nope')).toBeNull();
    expect(await store().getSession(PROJECT, "' OR 1=1 --")).toBeNull();
  });

  it('adds a later trace to its session, and moves the session\'s start when an earlier span of its first trace arrives', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    await writeTraces(store(), PROJECT, [turn(4, T0 + 20 * MINUTE, 0.4)]);
    expect(await store().getSession(PROJECT, 'conv-1')).toMatchObject({ traceCount: 4, lastTraceStartUnixNano: msToNs(T0 + 20 * MINUTE), totalCostUsd: 1 });
    expect(await sessionIds()).toEqual(['conv-2', 'conv-3', 'conv-1']);

    const early = mapped({
      traceId: IDS[0]!,
      spanId: spanIdOf(IDS[0]!, 9),
      parentSpanId: spanIdOf(IDS[0]!, 1),
      startTimeUnixNano: msToNs(T0 - 30_000),
      endTimeUnixNano: msToNs(T0),
    });
    await writeSpans(store(), PROJECT, [early]);
    expect(await store().getSession(PROJECT, 'conv-1')).toMatchObject({ traceCount: 4, firstTraceStartUnixNano: msToNs(T0 - 30_000) });
  });

  it('gives a session the environment of the traces it has left when the others are deleted', async () => {
    await writeTraces(store(), PROJECT, [
      { id: traceIdOf(0x6f0), startMs: T0, sessionId: 'mixed', environment: 'staging' },
      { id: traceIdOf(0x6f1), startMs: T0 + MINUTE, sessionId: 'mixed', environment: 'production' },
    ]);
    await store().deleteTrace(PROJECT, traceIdOf(0x6f0));
    expect(await store().getSession(PROJECT, 'mixed')).toMatchObject({ traceCount: 1, environment: 'production' });
    expect((await store().listSessions(PROJECT, { page: 1, limit: 10, environments: ['production'] })).data.map((s) => s.id)).toEqual(['mixed']);
  });

  it('takes a deleted trace out of its session, and removes the session with its last trace', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    await store().deleteTrace(PROJECT, IDS[0]!);
    expect(await store().getSession(PROJECT, 'conv-1')).toMatchObject({
      traceCount: 2,
      firstTraceStartUnixNano: msToNs(T0 + MINUTE),
      inputTokens: 500,
      totalCostUsd: 0.5,
    });
    await store().deleteTrace(PROJECT, IDS[4]!);
    expect(await store().getSession(PROJECT, 'conv-2')).toBeNull();
    expect(await sessionIds()).toEqual(['conv-3', 'conv-1']);
  });
});

/** The field of a user record each user ordering sorts by. */
const USER_ORDER_VALUES = {
  lastTraceAt: 'lastTraceStartUnixNano',
  firstTraceAt: 'firstTraceStartUnixNano',
  countTraces: 'traceCount',
  totalCost: 'totalCostUsd',
} as const satisfies Record<UserOrderField, keyof UserRecord>;

describe.each(ENGINES)('users ($name)', (engine) => {
  const store = storePerTest(engine);
  const usersBy = (target: TraceStore, field: UserOrderField, direction: 'asc' | 'desc', page = 1, limit = 50) =>
    target.listUsers(PROJECT, { page, limit, orderBy: { field, direction } });

  it('lists users by their last trace, newest first, with their aggregates', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    const page = await usersBy(store(), 'lastTraceAt', 'desc');
    expect(page.meta).toEqual({ page: 1, limit: 50, totalItems: 3, totalPages: 1 });
    expect(page.data.map((u) => u.userId)).toEqual(['u2', 'u1', 'u3']);
    expect(page.data[1]).toEqual({
      userId: 'u1',
      traceCount: 4,
      firstTraceStartUnixNano: msToNs(T0),
      lastTraceStartUnixNano: msToNs(T0 + 5 * MINUTE),
      inputTokens: 605,
      outputTokens: 65,
      totalTokens: 670,
      totalCostUsd: 0.65,
    });
  });

  it.each(USER_ORDER_FIELDS.flatMap((field) => (['asc', 'desc'] as const).map((direction) => ({ field, direction }))))(
    'orders users by $field $direction, then by user id',
    async ({ field, direction }) => {
      await writeTraces(store(), PROJECT, [...SPECS, { id: traceIdOf(0x6e8), name: 'tie', startMs: T0 + 3 * MINUTE, userId: 'u0' }]);
      const users = (await usersBy(store(), field, direction)).data;
      const value = (user: UserRecord) => user[USER_ORDER_VALUES[field]];
      const compare = <T extends bigint | number | string>(x: T, y: T) => (x < y ? -1 : x > y ? 1 : 0);
      const sign = direction === 'asc' ? 1 : -1;
      const expected = [...users].sort((a, b) => sign * (compare(value(a), value(b)) || compare(a.userId, b.userId))).map((u) => u.userId);
      expect(users.map((u) => u.userId)).toEqual(expected);
      expect(new Set(users.map(value)).size).toBeLessThan(users.length); // a tie on the field, ordered by id
    },
  );

  it('orders users by trace count, cost and first trace as their traces say', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    expect((await usersBy(store(), 'countTraces', 'desc')).data.map((u) => u.userId)).toEqual(['u1', 'u3', 'u2']);
    expect((await usersBy(store(), 'totalCost', 'asc')).data.map((u) => u.userId)).toEqual(['u3', 'u2', 'u1']);
    expect((await usersBy(store(), 'firstTraceAt', 'asc')).data.map((u) => u.userId)).toEqual(['u1', 'u3', 'u2']);
  });

  it('pages users by number, then gives an empty page', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    const whole = (await usersBy(store(), 'lastTraceAt', 'desc')).data.map((u) => u.userId);
    const paged = [];
    for (let page = 1; page <= 2; page++) paged.push(...(await usersBy(store(), 'lastTraceAt', 'desc', page, 2)).data.map((u) => u.userId));
    expect(paged).toEqual(whole);
    expect(await usersBy(store(), 'lastTraceAt', 'desc', 3, 2)).toEqual({ data: [], meta: { page: 3, limit: 2, totalItems: 3, totalPages: 2 } });
  });

  it('returns one user, or null', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    expect(await store().getUser(PROJECT, 'u2')).toMatchObject({ userId: 'u2', traceCount: 1, totalCostUsd: 0.4, inputTokens: 40 });
    expect(await store().getUser(PROJECT, 'nobody')).toBeNull();
  });

  it('follows new and deleted traces, and removes a user with the last one', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    await writeTraces(store(), PROJECT, [turn(4, T0 + 20 * MINUTE, 0.4)]);
    expect(await store().getUser(PROJECT, 'u1')).toMatchObject({ traceCount: 5, lastTraceStartUnixNano: msToNs(T0 + 20 * MINUTE), totalCostUsd: 1.05 });
    await store().deleteTrace(PROJECT, IDS[4]!);
    expect(await store().getUser(PROJECT, 'u2')).toBeNull();
    expect((await usersBy(store(), 'lastTraceAt', 'desc')).data.map((u) => u.userId)).toEqual(['u1', 'u3']);
  });
});
