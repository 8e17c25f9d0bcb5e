/**
 * Scores through the API: create (numeric, categorical, boolean; on a trace or an observation;
 * idempotent on the client's id; validated), list with every filter, get, delete, Langfuse's
 * batch ingestion of score-create events, and POSTed scores filtering the trace list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { sendTraces } from './trace-builder.js';

const T0 = Date.UTC(2025, 6, 1, 10, 0, 0);

let collector: TestCollector;
let alice: string;
let bob: string;
let generationId: string;

async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(collector.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await jsonBody(response) };
}

async function scoreNames(query: string): Promise<string[]> {
  const page = await collector.getJson(`/api/public/scores?${query}`);
  return page.data.map((score: any) => score.name).sort();
}

beforeAll(async () => {
  collector = await startTestCollector();
  [alice, bob] = (await sendTraces(collector.tracesEndpoint, [
    {
      name: 'support',
      startMs: T0,
      userId: 'alice',
      sessionId: 's-alice',
      tags: ['vip'],
      generations: [{ model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 5 }],
      scores: [{ name: 'helpfulness', value: 0.9 }],
    },
    { name: 'support', startMs: T0 + 60_000, userId: 'bob', sessionId: 's-bob' },
  ])) as [string, string];
  const trace = await collector.getJson(`/api/public/traces/${alice}`);
  generationId = trace.observations.find((o: any) => o.type === 'GENERATION').id;
});
afterAll(async () => {
  await collector.close();
});

describe('creating scores', () => {
  it('creates a numeric score on a trace and returns its id', async () => {
    const created = await post('/api/public/scores', { traceId: alice, name: 'user-feedback', value: 4, comment: 'good' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id: expect.any(String) });
    const score = await collector.getJson(`/api/public/scores/${created.body.id}`);
    expect(score).toMatchObject({
      id: created.body.id,
      traceId: alice,
      observationId: null,
      name: 'user-feedback',
      value: 4,
      stringValue: null,
      dataType: 'NUMERIC',
      comment: 'good',
      source: 'API',
      environment: 'default',
      authorUserId: null,
    });
  });

  it('is idempotent on the client id: posting again replaces the score and keeps its first time', async () => {
    const first = await post('/api/public/scores', { id: 'fb-1', traceId: bob, name: 'thumbs', value: 1, dataType: 'BOOLEAN' });
    const before = await collector.getJson('/api/public/scores/fb-1');
    const again = await post('/api/public/scores', { id: 'fb-1', traceId: bob, name: 'thumbs', value: 0, dataType: 'BOOLEAN', comment: 'changed my mind' });
    expect([first.body, again.body]).toEqual([{ id: 'fb-1' }, { id: 'fb-1' }]);
    const after = await collector.getJson('/api/public/scores/fb-1');
    expect(after).toMatchObject({ value: 0, stringValue: 'false', dataType: 'BOOLEAN', comment: 'changed my mind' });
    expect(after.timestamp).toBe(before.timestamp);
    expect(after.createdAt).toBe(before.createdAt);
    expect((await collector.getJson('/api/public/scores?scoreIds=fb-1')).data).toHaveLength(1);
  });

  it('creates categorical scores from a string and boolean scores from 0, 1, true or false', async () => {
    const category = await post('/api/public/scores', { traceId: bob, name: 'sentiment', value: 'negative' });
    expect(await collector.getJson(`/api/public/scores/${category.body.id}`)).toMatchObject({
      value: null,
      stringValue: 'negative',
      dataType: 'CATEGORICAL',
    });
    const yes = await post('/api/public/scores', { traceId: bob, name: 'resolved', value: true, dataType: 'BOOLEAN' });
    expect(await collector.getJson(`/api/public/scores/${yes.body.id}`)).toMatchObject({ value: 1, stringValue: 'true', dataType: 'BOOLEAN' });
  });

  it('scores an observation, finding its trace when only the observation is given', async () => {
    const created = await post('/api/public/scores', { observationId: generationId, name: 'accuracy', value: 0.25 });
    expect(await collector.getJson(`/api/public/scores/${created.body.id}`)).toMatchObject({
      traceId: alice,
      observationId: generationId,
      value: 0.25,
    });
  });

  it('stores names and comments that look like SQL as they are', async () => {
    const name = "x'); DROP TABLE scores; --";
    const created = await post('/api/public/scores', { traceId: bob, name, value: 1, comment: "' OR '1'='1" });
    expect(created.status).toBe(200);
    expect(await scoreNames(`name=${encodeURIComponent(name)}`)).toEqual([name]);
  });

  it.each([
    [{ traceId: 'a', value: 1 }, 'name: expected a string of 1-256 characters (got nothing)'],
    [{ traceId: 'a', name: 'n' }, 'value: expected a number, or a string for a CATEGORICAL score (got nothing)'],
    [{ traceId: 'a', name: 'n', value: { x: 1 } }, 'value: expected a number, or a string for a CATEGORICAL score (got {"x":1})'],
    [{ traceId: 'a', name: 'n', value: 0.5, dataType: 'CATEGORICAL' }, 'value: expected a non-empty string for a CATEGORICAL score (got 0.5)'],
    [{ traceId: 'a', name: 'n', value: 'high', dataType: 'NUMERIC' }, 'value: expected a number for a NUMERIC score (got "high")'],
    [{ traceId: 'a', name: 'n', value: 2, dataType: 'BOOLEAN' }, 'value: expected 0 or 1 for a BOOLEAN score (got 2)'],
    [{ traceId: 'a', name: 'n', value: 'yes', dataType: 'BOOLEAN' }, 'value: expected 0 or 1 for a BOOLEAN score (got "yes")'],
    [{ traceId: 'a', name: 'n', value: 1, dataType: 'TEXT' }, 'dataType: expected one of NUMERIC, CATEGORICAL, BOOLEAN (got "TEXT")'],
    [{ traceId: 'a', name: 'n', value: 1, metadata: [1] }, 'metadata: expected an object (got [1])'],
    [{ traceId: 'a', name: 'n', value: 1, source: 'HUMAN' }, 'source: expected one of API, EVAL, ANNOTATION (got "HUMAN")'],
    [{ name: 'n', value: 1 }, 'traceId: expected the id of the trace scored (or an observationId) (got nothing)'],
    [{ sessionId: 's-bob', name: 'n', value: 1 }, 'traceId: expected a trace id: session scores are not supported (got nothing)'],
    [
      { observationId: 'ffffffffffffffff', name: 'n', value: 1 },
      'observationId: expected a stored observation, or a traceId with it (the trace of an observation not stored yet is unknown) (got "ffffffffffffffff")',
    ],
  ])('refuses %j with 400: %s', async (body, message) => {
    expect(await post('/api/public/scores', body)).toEqual({ status: 400, body: { error: 'invalid_parameter', message } });
  });

  it('refuses a body that is not JSON with 400', async () => {
    const response = await post('/api/public/scores', '{"name": ');
    expect(response.status).toBe(400);
  });
});

describe('listing scores', () => {
  it('lists scores newest first with their trace facts', async () => {
    const page = await collector.getJson('/api/public/scores?limit=100');
    expect(page.meta.totalItems).toBe(page.data.length);
    const fromOtlp = page.data.find((score: any) => score.name === 'helpfulness');
    expect(fromOtlp).toMatchObject({ traceId: alice, source: 'EVAL', trace: { userId: 'alice', tags: ['vip'], environment: 'default' } });
    const times = page.data.map((score: any) => score.timestamp);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it.each([
    ['name=helpfulness', ['helpfulness']],
    ['userId=alice', ['accuracy', 'helpfulness', 'user-feedback']],
    ['sessionId=s-alice', ['accuracy', 'helpfulness', 'user-feedback']],
    ['source=EVAL', ['helpfulness']],
    ['dataType=CATEGORICAL', ['sentiment']],
    ['dataType=BOOLEAN', ['resolved', 'thumbs']],
    ['operator=%3E%3D&value=4', ['user-feedback']],
    ['operator=%3C&value=0.5&userId=alice', ['accuracy']],
    ['minValue=0.2&maxValue=0.95', ['accuracy', 'helpfulness']],
    ['scoreIds=fb-1', ['thumbs']],
    [`fromTimestamp=${new Date(Date.now() + 3_600_000).toISOString()}`, []],
  ])('filters %s', async (query, expected) => {
    expect(await scoreNames(query)).toEqual(expected);
  });

  it('filters by trace and by observation', async () => {
    expect(await scoreNames(`traceId=${alice}`)).toEqual(['accuracy', 'helpfulness', 'user-feedback']);
    expect(await scoreNames(`observationId=${generationId}`)).toEqual(['accuracy']);
  });

  it('serves the same list at /api/public/v2/scores, where the Langfuse client lists', async () => {
    const v1 = await collector.getJson('/api/public/scores?name=thumbs');
    const v2 = await collector.getJson('/api/public/v2/scores?name=thumbs');
    expect(v2).toEqual(v1);
  });

  it.each([
    ['operator=%3E', 'value: expected value with operator (got nothing)'],
    ['value=3', 'operator: expected operator with value (got nothing)'],
    ['operator=%3E&value=abc', 'value: expected a number (got "abc")'],
    ['operator=LIKE&value=1', 'operator: expected one of >=, <=, !=, =, <, > (got "LIKE")'],
    ['dataType=TEXT', 'dataType: expected one of NUMERIC, CATEGORICAL, BOOLEAN (got "TEXT")'],
  ])('answers 400 for %s', async (query, message) => {
    const response = await fetch(`${collector.url}/api/public/scores?${query}`);
    expect({ status: response.status, body: await jsonBody(response) }).toEqual({
      status: 400,
      body: { error: 'invalid_parameter', message },
    });
  });
});

describe('scores and traces', () => {
  it('filters traces by a score posted through the API', async () => {
    const page = await collector.getJson(`/api/public/traces?score=${encodeURIComponent('user-feedback>=4')}`);
    expect(page.data.map((trace: any) => trace.id)).toEqual([alice]);
  });

  it('shows posted scores in the trace', async () => {
    const trace = await collector.getJson(`/api/public/traces/${bob}`);
    expect(trace.scores.map((score: any) => score.name).sort()).toContain('thumbs');
  });
});

describe('deleting scores', () => {
  it('deletes a score with 204, then answers 404 for it', async () => {
    const response = await fetch(`${collector.url}/api/public/scores/fb-1`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect((await fetch(`${collector.url}/api/public/scores/fb-1`)).status).toBe(404);
    expect((await fetch(`${collector.url}/api/public/scores/fb-1`, { method: 'DELETE' })).status).toBe(404);
  });
});
