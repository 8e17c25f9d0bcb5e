/**
 * The real `@langfuse/client` against our API: pointed at the collector's base URL with dummy
 * keys (it sends them as Basic auth, which spanlite does not check yet), it lists and gets
 * traces, creates scores (directly and through its batching ScoreManager) and lists them, lists
 * and gets sessions and observations, and manages model prices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LangfuseClient } from '@langfuse/client';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { sendTraces } from './trace-builder.js';

const T0 = Date.UTC(2025, 8, 1, 12, 0, 0);

let collector: TestCollector;
let langfuse: LangfuseClient;
let traceIds: string[];

beforeAll(async () => {
  collector = await startTestCollector();
  langfuse = new LangfuseClient({ publicKey: 'pk-lf-dummy', secretKey: 'sk-lf-dummy', baseUrl: collector.url });
  traceIds = await sendTraces(collector.tracesEndpoint, [
    {
      name: 'checkout-assistant',
      startMs: T0,
      userId: 'user-42',
      sessionId: 'sess-42',
      tags: ['checkout', 'beta'],
      input: { question: 'Where is my order?' },
      output: 'It ships tomorrow.',
      generations: [{ model: 'gpt-4o-mini', inputTokens: 120, outputTokens: 40 }],
    },
    { name: 'checkout-assistant', startMs: T0 + 60_000, userId: 'user-42', sessionId: 'sess-42', tags: ['checkout'] },
    { name: 'other', startMs: T0 + 120_000, userId: 'user-7' },
  ]);
});
afterAll(async () => {
  await langfuse.shutdown();
  await collector.close();
});

describe('@langfuse/client traces', () => {
  it('lists traces with filters, tags and paging meta', async () => {
    const traces = await langfuse.api.trace.list({ userId: 'user-42', tags: ['checkout'], limit: 1, page: 1 });
    expect(traces.meta).toMatchObject({ page: 1, limit: 1, totalItems: 2, totalPages: 2 });
    expect(traces.data).toHaveLength(1);
    expect(traces.data[0]).toMatchObject({ id: traceIds[1], name: 'checkout-assistant', userId: 'user-42', sessionId: 'sess-42' });
    const ordered = await langfuse.api.trace.list({ orderBy: 'timestamp.asc', limit: 10 });
    expect(ordered.data.map((trace) => trace.id)).toEqual(traceIds);
  });

  it('gets a trace with its observations and scores', async () => {
    const trace = await langfuse.fetchTrace(traceIds[0]!);
    expect(trace).toMatchObject({
      id: traceIds[0],
      input: { question: 'Where is my order?' },
      output: 'It ships tomorrow.',
      tags: ['beta', 'checkout'],
    });
    const generation = trace.observations.find((observation) => observation.type === 'GENERATION');
    expect(generation).toMatchObject({ model: 'gpt-4o-mini', usage: { input: 120, output: 40, total: 160 } });
  });

  it('deletes a trace', async () => {
    const [id] = await sendTraces(collector.tracesEndpoint, [{ name: 'to-delete', startMs: T0 + 300_000 }]);
    expect((await langfuse.api.trace.delete(id!)).message).toBe(`trace ${id} deleted`);
    await expect(langfuse.api.trace.get(id!)).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('@langfuse/client scores', () => {
  it('creates a score with the scores API and lists it', async () => {
    const created = await langfuse.api.legacy.scoreV1.create({ traceId: traceIds[0]!, name: 'helpfulness', value: 0.8, comment: 'solid' });
    expect(created.id).toEqual(expect.any(String));
    const listed = await langfuse.api.scores.getMany({ name: 'helpfulness' });
    expect(listed.meta.totalItems).toBe(1);
    expect(listed.data[0]).toMatchObject({ id: created.id, traceId: traceIds[0], value: 0.8, dataType: 'NUMERIC', comment: 'solid' });
  });

  it("creates scores through the client's batching score.create() and flush()", async () => {
    langfuse.score.create({ id: 'client-score-1', traceId: traceIds[1]!, name: 'user-rating', value: 'thumbs-up', dataType: 'CATEGORICAL' });
    langfuse.score.create({ id: 'client-score-2', traceId: traceIds[1]!, name: 'resolved', value: 1, dataType: 'BOOLEAN' });
    await langfuse.flush();
    const listed = await langfuse.api.scores.getMany({ traceId: traceIds[1]! });
    expect(listed.data.map((score) => [score.id, score.dataType, (score as any).stringValue]).sort()).toEqual([
      ['client-score-1', 'CATEGORICAL', 'thumbs-up'],
      ['client-score-2', 'BOOLEAN', 'true'],
    ]);
  });

  it('filters scores by user and value', async () => {
    const listed = await langfuse.api.scores.getMany({ userId: 'user-42', operator: '>=', value: 0.5, dataType: 'NUMERIC' });
    expect(listed.data.map((score) => score.name)).toEqual(['helpfulness']);
  });

  it('deletes a score', async () => {
    await langfuse.api.legacy.scoreV1.delete('client-score-2');
    const listed = await langfuse.api.scores.getMany({ traceId: traceIds[1]! });
    expect(listed.data.map((score) => score.id)).toEqual(['client-score-1']);
  });
});

describe('@langfuse/client sessions and observations', () => {
  it('lists sessions and gets one with its traces', async () => {
    const sessions = await langfuse.api.sessions.list();
    expect(sessions.data).toEqual([expect.objectContaining({ id: 'sess-42', projectId: 'default', environment: 'default' })]);
    const session = await langfuse.api.sessions.get('sess-42');
    expect(session.traces.map((trace) => trace.id)).toEqual([traceIds[0], traceIds[1]]);
  });

  it('lists observations and gets one', async () => {
    const observations = await langfuse.api.legacy.observationsV1.getMany({ traceId: traceIds[0]!, type: 'GENERATION' });
    expect(observations.data).toHaveLength(1);
    const observation = await langfuse.fetchObservation(observations.data[0]!.id);
    expect(observation).toMatchObject({ traceId: traceIds[0], model: 'gpt-4o-mini' });
  });
});

describe('@langfuse/client models', () => {
  it('creates, lists and deletes a custom model price', async () => {
    const created = await langfuse.api.models.create({ modelName: 'acme-9b', matchPattern: '(?i)^acme-9b$', unit: 'TOKENS', inputPrice: 0.000001, outputPrice: 0.000002 });
    expect(created).toMatchObject({ modelName: 'acme-9b', isLangfuseManaged: false, inputPrice: 0.000001 });
    const models = await langfuse.api.models.list({ limit: 5 });
    expect(models.data[0]!.id).toBe(created.id);
    await langfuse.api.models.delete(created.id);
    await expect(langfuse.api.models.get(created.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});
