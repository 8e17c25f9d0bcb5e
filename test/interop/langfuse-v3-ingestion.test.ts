/**
 * The real `langfuse` v3 SDK (pre-OTel: it POSTs event batches to /api/public/ingestion) pointed
 * at a collector on an ephemeral port, read back through the REST API and `@langfuse/client`:
 * in one batch, one request per event, and with project keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Langfuse } from 'langfuse';
import { LangfuseClient } from '@langfuse/client';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { basicAuth, startKeyedCollector, type KeyedCollector, type ProjectKey } from '../helpers/keyed-collector.js';

let collector: TestCollector;
let client: LangfuseClient;

beforeAll(async () => {
  collector = await startTestCollector();
  client = new LangfuseClient({ publicKey: 'pk-lf-dummy', secretKey: 'sk-lf-dummy', baseUrl: collector.url });
});
afterAll(async () => {
  await client.shutdown();
  await collector.close();
});

function sdk(options: { flushAt?: number } = {}): Langfuse {
  return new Langfuse({
    publicKey: 'pk-lf-dummy',
    secretKey: 'sk-lf-dummy',
    baseUrl: collector.url,
    release: 'v1.2.3',
    environment: 'staging',
    flushInterval: 0,
    ...options,
  });
}

describe('a trace sent by the langfuse v3 SDK in one batch', () => {
  let traceId: string;
  let generationId: string;
  let spanId: string;

  beforeAll(async () => {
    const langfuse = sdk();
    const trace = langfuse.trace({ name: 'support-chat', userId: 'user-9', sessionId: 'session-9', tags: ['support'], input: { question: 'Where is my parcel?' }, metadata: { plan: 'pro' } });
    const span = trace.span({ name: 'retrieve', input: { query: 'parcel' } });
    span.event({ name: 'cache-miss', level: 'WARNING', statusMessage: 'cold cache' });
    span.end({ output: { documents: 3 } });
    const generation = trace.generation({
      name: 'answer',
      model: 'gpt-4o-mini',
      modelParameters: { temperature: 0.2 },
      input: [{ role: 'user', content: 'Where is my parcel?' }],
      version: 'prompt-v4',
    });
    generation.end({ output: { role: 'assistant', content: 'It ships tomorrow.' }, usage: { input: 1200, output: 300 } });
    trace.update({ output: 'It ships tomorrow.' });
    trace.score({ name: 'helpful', value: 1, dataType: 'BOOLEAN' });
    generation.score({ name: 'tone', value: 'friendly', dataType: 'CATEGORICAL' });
    await langfuse.flushAsync();
    await langfuse.shutdownAsync();
    traceId = trace.id;
    generationId = generation.id;
    spanId = span.id;
  });

  it('keeps the SDK ids (UUIDs) and the trace facts, its output set by a later update', async () => {
    const trace = await collector.getJson(`/api/public/traces/${traceId}`);
    expect(traceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(trace).toMatchObject({
      id: traceId,
      name: 'support-chat',
      userId: 'user-9',
      sessionId: 'session-9',
      tags: ['support'],
      release: 'v1.2.3',
      environment: 'staging',
      metadata: { plan: 'pro' },
      input: { question: 'Where is my parcel?' },
      output: 'It ships tomorrow.',
    });
  });

  it('stores each observation once, its create and update merged, parented as sent', async () => {
    const trace = await collector.getJson(`/api/public/traces/${traceId}`);
    const byName = Object.fromEntries(trace.observations.map((o: any) => [o.name, o]));
    expect(trace.observations).toHaveLength(3);
    expect(byName.retrieve).toMatchObject({ id: spanId, type: 'SPAN', input: { query: 'parcel' }, output: { documents: 3 } });
    expect(byName.retrieve.endTime).not.toBeNull();
    expect(byName['cache-miss']).toMatchObject({ type: 'EVENT', parentObservationId: spanId, level: 'WARNING', statusMessage: 'cold cache' });
    expect(byName.answer).toMatchObject({
      id: generationId,
      type: 'GENERATION',
      model: 'gpt-4o-mini',
      modelParameters: { temperature: 0.2 },
      version: 'prompt-v4',
      output: { role: 'assistant', content: 'It ships tomorrow.' },
      usageDetails: { input: 1200, output: 300, total: 1500 },
    });
  });

  it('prices the generation from the price table and counts it in the trace totals', async () => {
    const generation = await collector.getJson(`/api/public/observations/${generationId}`);
    expect(generation.costDetails.total).toBeGreaterThan(0);
    const listed = await client.api.trace.list({ userId: 'user-9' });
    expect(listed.data[0]).toMatchObject({ id: traceId });
    expect(listed.data[0]!.totalCost).toBeCloseTo(generation.costDetails.total, 10);
  });

  it('stores the scores on the trace and on the observation', async () => {
    const scores = await client.api.scores.getMany({ traceId });
    const byName = Object.fromEntries(scores.data.map((score) => [score.name, score]));
    expect(byName.helpful).toMatchObject({ dataType: 'BOOLEAN', value: 1, traceId });
    expect(byName.tone).toMatchObject({ dataType: 'CATEGORICAL', stringValue: 'friendly', observationId: generationId });
  });

  it('reads back through @langfuse/client, the generation with its usage', async () => {
    const trace = await client.api.trace.get(traceId);
    expect(trace.observations.map((o) => o.id)).toEqual(expect.arrayContaining([generationId, spanId]));
    const generation = await client.api.legacy.observationsV1.get(generationId);
    expect(generation).toMatchObject({ traceId, model: 'gpt-4o-mini', usage: { input: 1200, output: 300, total: 1500 } });
  });
});

describe('the langfuse v3 SDK sending each event in its own request (flushAt 1)', () => {
  it('merges each create with its updates, whatever order the requests arrive in, and counts usage once', async () => {
    const langfuse = sdk({ flushAt: 1 });
    const trace = langfuse.trace({ name: 'streamed', userId: 'user-10' });
    const generations = Array.from({ length: 5 }, (_, n) => trace.generation({ name: `step-${n}`, model: 'gpt-4o-mini', input: `question ${n}` }));
    for (const [n, generation] of generations.entries()) {
      generation.update({ completionStartTime: new Date() });
      generation.end({ output: `answer ${n}`, usageDetails: { input: 100, output: 10 } });
    }
    trace.update({ output: 'all steps done' });
    await langfuse.flushAsync();
    await langfuse.shutdownAsync();

    const stored = await collector.getJson(`/api/public/traces/${trace.id}`);
    expect(stored).toMatchObject({ name: 'streamed', userId: 'user-10', output: 'all steps done' });
    expect(stored.observations.map((o: any) => [o.name, o.output, o.usageDetails]).sort()).toEqual(
      generations.map((_, n) => [`step-${n}`, `answer ${n}`, { input: 100, output: 10, total: 110 }]),
    );
    for (const observation of stored.observations) expect(observation.completionStartTime).not.toBeNull();
    const listed = await client.api.trace.list({ userId: 'user-10' });
    expect(listed.data[0]).toMatchObject({ id: trace.id });
    const summed = stored.observations.reduce((total: number, o: any) => total + o.costDetails.total, 0);
    expect(listed.data[0]!.totalCost).toBeCloseTo(summed, 10);
  });
});

describe('the langfuse v3 SDK with project keys', () => {
  let keyed: KeyedCollector;
  beforeAll(async () => {
    keyed = await startKeyedCollector(['shop', 'support']);
  });
  afterAll(() => keyed?.close());

  it("stores what it sends in its key's project only, and a wrong key stores nothing", async () => {
    const send = async (key: ProjectKey, name: string) => {
      const langfuse = new Langfuse({ publicKey: key.publicKey, secretKey: key.secretKey, baseUrl: keyed.collector.url, flushInterval: 0, fetchRetryCount: 0 });
      const trace = langfuse.trace({ name });
      trace.span({ name: `${name}-step` }).end();
      await langfuse.flushAsync();
      await langfuse.shutdownAsync();
      return trace.id;
    };
    const shopTrace = await send(keyed.keys.shop!, 'shop-checkout');
    const wrongKeyTrace = await send({ ...keyed.keys.shop!, secretKey: 'sk-lf-wrong' }, 'never-stored');

    const read = (key: ProjectKey, traceId: string) => fetch(`${keyed.collector.url}/api/public/traces/${traceId}`, { headers: basicAuth(key) });
    const stored = await read(keyed.keys.shop!, shopTrace);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ name: 'shop-checkout', observations: [{ name: 'shop-checkout-step' }] });
    expect((await read(keyed.keys.support!, shopTrace)).status).toBe(404);
    expect((await read(keyed.keys.shop!, wrongKeyTrace)).status).toBe(404);
  });
});
