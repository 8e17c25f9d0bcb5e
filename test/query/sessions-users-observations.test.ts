/**
 * Sessions, users and observations over traces sent over OTLP: lists with their aggregates,
 * filters and pages, one by id, 404s, and the aggregates following new and deleted traces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody, type TestCollector } from '../helpers/collector.js';
import { CONVERSATION_TRACES, MINUTE, T0, chatTurn } from '../helpers/conversation-traces.js';
import { collectorWithTraces, sendTraces } from './trace-builder.js';

const iso = (ms: number) => new Date(ms).toISOString();

let collector: TestCollector;
let ids: string[];

async function status(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(collector.url + path);
  return { status: response.status, body: await jsonBody(response) };
}

beforeAll(async () => {
  ({ collector, ids } = await collectorWithTraces(CONVERSATION_TRACES));
});
afterAll(() => collector.close());

describe('sessions', () => {
  it('lists sessions newest first with trace count, first and last trace time, tokens and cost', async () => {
    const page = await collector.getJson('/api/public/sessions');
    expect(page.meta).toEqual({ page: 1, limit: 50, totalItems: 2, totalPages: 1 });
    expect(page.data.map((s: any) => s.id)).toEqual(['conv-2', 'conv-1']);
    expect(page.data[1]).toEqual({
      id: 'conv-1',
      createdAt: iso(T0),
      projectId: 'default',
      environment: 'production',
      countTraces: 3,
      firstTraceAt: iso(T0),
      lastTraceAt: iso(T0 + 2 * MINUTE),
      inputTokens: 600,
      outputTokens: 60,
      totalTokens: 660,
      totalCost: 0.6,
    });
  });

  it('filters sessions by time and environment, and pages them', async () => {
    const ids = async (query: string) => (await collector.getJson(`/api/public/sessions?${query}`)).data.map((s: any) => s.id);
    expect(await ids(`fromTimestamp=${iso(T0 + MINUTE)}`)).toEqual(['conv-2']);
    expect(await ids(`toTimestamp=${iso(T0 + MINUTE)}`)).toEqual(['conv-1']);
    expect(await ids('environment=staging')).toEqual(['conv-2']);
    expect(await ids('limit=1&page=2')).toEqual(['conv-1']);
    expect(await ids('limit=1&page=3')).toEqual([]);
  });

  it("returns a session's traces in start order, to replay the conversation", async () => {
    const session = await collector.getJson('/api/public/sessions/conv-1');
    expect(session).toMatchObject({ id: 'conv-1', countTraces: 3 });
    expect(session.traces.map((t: any) => [t.input, t.output])).toEqual([
      ['turn 1 question', 'turn 1 answer'],
      ['turn 2 question', 'turn 2 answer'],
      ['turn 3 question', 'turn 3 answer'],
    ]);
  });

  it('answers 404 for an unknown session', async () => {
    expect(await status('/api/public/sessions/nope')).toEqual({ status: 404, body: { error: 'not_found', message: 'session nope not found' } });
    expect((await status(`/api/public/sessions/${encodeURIComponent("' OR 1=1 --")}`)).status).toBe(404);
  });

  it('answers 400 naming a bad parameter', async () => {
    expect(await status('/api/public/sessions?limit=0')).toEqual({
      status: 400,
      body: { error: 'invalid_parameter', message: 'limit: expected an integer 1-1000 (got "0")' },
    });
  });
});

describe('users', () => {
  it('lists users by last trace, newest first, with their aggregates', async () => {
    const page = await collector.getJson('/api/public/users');
    expect(page.data.map((u: any) => u.userId)).toEqual(['u2', 'u1']);
    expect(page.data[1]).toEqual({
      userId: 'u1',
      countTraces: 4,
      firstTraceAt: iso(T0),
      lastTraceAt: iso(T0 + 5 * MINUTE),
      inputTokens: 605,
      outputTokens: 65,
      totalTokens: 670,
      totalCost: 0.65,
    });
  });

  it('orders users by trace count and by cost', async () => {
    const order = async (orderBy: string) => (await collector.getJson(`/api/public/users?orderBy=${orderBy}`)).data.map((u: any) => u.userId);
    expect(await order('countTraces.desc')).toEqual(['u1', 'u2']);
    expect(await order('totalCost.asc')).toEqual(['u2', 'u1']);
    expect(await order('firstTraceAt.asc')).toEqual(['u1', 'u2']);
  });

  it('returns one user, or 404', async () => {
    expect(await collector.getJson('/api/public/users/u2')).toMatchObject({ userId: 'u2', countTraces: 1, totalCost: 0.4 });
    expect((await status('/api/public/users/nobody')).status).toBe(404);
  });

  it('answers 400 for an unknown ordering', async () => {
    expect((await status('/api/public/users?orderBy=age')).body.message).toBe(
      'orderBy: expected one of lastTraceAt, firstTraceAt, countTraces, totalCost, optionally followed by .asc or .desc (got "age")',
    );
  });
});

describe('observations', () => {
  const names = async (query: string) =>
    (await collector.getJson(`/api/public/observations?${query}`)).data.map((o: any) => `${o.name}@${ids.indexOf(o.traceId)}`);

  it('lists observations newest first with their trace environment', async () => {
    const page = await collector.getJson('/api/public/observations?limit=3');
    expect(page.meta).toEqual({ page: 1, limit: 3, totalItems: 10, totalPages: 4 });
    expect(page.data.map((o: any) => o.traceId)).toEqual([ids[4], ids[4], ids[3]]);
    expect(page.data[0]).toMatchObject({ environment: 'staging', timeToFirstToken: null, promptId: null });
  });

  it.each([
    ['traceId', () => `traceId=${ids[0]}`, ['generation-0@0', 'chat-turn@0']],
    ['type', () => 'type=GENERATION&userId=u1', ['generation-0@3', 'generation-0@2', 'generation-0@1', 'generation-0@0']],
    ['name', () => 'name=solo', ['solo@3']],
    ['userId', () => 'userId=u2', ['generation-0@4', 'chat-turn@4']],
    ['level', () => 'level=ERROR', ['generation-0@3']],
    ['model', () => 'model=claude-3-5-sonnet', ['generation-0@4']],
    ['environment', () => 'environment=staging', ['generation-0@4', 'chat-turn@4']],
    ['time range', () => `fromStartTime=${iso(T0 + MINUTE)}&toStartTime=${iso(T0 + 2 * MINUTE)}`, ['generation-0@1', 'chat-turn@1']],
  ])('filters by %s', async (_filter, query, expected) => {
    expect(await names(query())).toEqual(expected);
  });

  it('filters by parent observation', async () => {
    const trace = await collector.getJson(`/api/public/traces/${ids[2]}`);
    const root = trace.observations.find((o: any) => o.parentObservationId === null);
    expect(await names(`parentObservationId=${root.id}`)).toEqual(['generation-0@2']);
  });

  it('returns one observation with its usage and cost, or 404', async () => {
    const trace = await collector.getJson(`/api/public/traces/${ids[1]}`);
    const generation = trace.observations.find((o: any) => o.type === 'GENERATION');
    const observation = await collector.getJson(`/api/public/observations/${generation.id}`);
    expect(observation).toMatchObject({
      id: generation.id,
      traceId: ids[1],
      model: 'gpt-4o-mini',
      usage: { input: 200, output: 20, total: 220, unit: 'TOKENS' },
      totalCost: 0.2,
      calculatedTotalCost: 0.2,
      environment: 'production',
    });
    expect((await status('/api/public/observations/00000000000000aa')).status).toBe(404);
  });

  it('answers 400 listing the valid values', async () => {
    expect((await status('/api/public/observations?type=LLM')).body.message).toBe(
      'type: expected one of SPAN, GENERATION, EVENT, TOOL, RETRIEVER, EMBEDDING, AGENT, CHAIN, EVALUATOR, GUARDRAIL (got "LLM")',
    );
    expect((await status('/api/public/observations?level=INFO')).body.message).toBe(
      'level: expected one of DEBUG, DEFAULT, WARNING, ERROR (got "INFO")',
    );
  });
});

describe('aggregates follow new and deleted traces', () => {
  it('adds a later trace to its session and user', async () => {
    const [id] = await sendTraces(collector.tracesEndpoint, [chatTurn(4, T0 + 20 * MINUTE, 0.4)]);
    ids.push(id!);
    const session = await collector.getJson('/api/public/sessions/conv-1');
    expect(session).toMatchObject({ countTraces: 4, lastTraceAt: iso(T0 + 20 * MINUTE), totalCost: 1 });
    expect(session.traces).toHaveLength(4);
    expect(await collector.getJson('/api/public/users/u1')).toMatchObject({ countTraces: 5, lastTraceAt: iso(T0 + 20 * MINUTE) });
    expect((await collector.getJson('/api/public/sessions')).data[0].id).toBe('conv-2');
  });

  it('takes a deleted trace out of its session and user, and removes both when it was their last', async () => {
    await fetch(`${collector.url}/api/public/traces/${ids[0]}`, { method: 'DELETE' });
    expect(await collector.getJson('/api/public/sessions/conv-1')).toMatchObject({
      countTraces: 3,
      firstTraceAt: iso(T0 + MINUTE),
      createdAt: iso(T0 + MINUTE),
      totalCost: 0.9,
    });
    await fetch(`${collector.url}/api/public/traces/${ids[4]}`, { method: 'DELETE' });
    expect((await status('/api/public/sessions/conv-2')).status).toBe(404);
    expect((await status('/api/public/users/u2')).status).toBe(404);
    expect((await collector.getJson('/api/public/sessions')).data.map((s: any) => s.id)).toEqual(['conv-1']);
  });
});
