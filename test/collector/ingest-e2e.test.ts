/**
 * End to end: spans recorded with the real OTel SDK, sent by the real OTLP exporters (protobuf
 * and JSON) to a collector on an ephemeral port, read back through the REST API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { exportSpans, otlpExporter, type ExporterEncoding } from '../helpers/otel-sdk.js';
import { recordSeedScenario, SEED } from '../helpers/seed-scenario.js';
import { loadDefaultPriceIndex } from '../../collector/pricing/default-price-index.js';

const gpt4oMini = (await loadDefaultPriceIndex()).find('gpt-4o-mini')!;

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector();
});
afterAll(async () => {
  await collector.close();
});

describe.each<ExporterEncoding>(['protobuf', 'json'])('the seed scenario sent as OTLP %s', (encoding) => {
  let traceId: string;
  let stored: any;

  beforeAll(async () => {
    const spans = await recordSeedScenario();
    traceId = spans[0]!.spanContext().traceId;
    await exportSpans(otlpExporter(encoding, collector.tracesEndpoint), spans);
    stored = await collector.getJson(`/api/public/traces/${traceId}`);
  });

  it('stores the trace with its name, user, session, metadata, tags and environment', () => {
    expect(stored).toMatchObject({
      id: traceId,
      name: SEED.traceName,
      userId: SEED.userId,
      sessionId: SEED.sessionId,
      metadata: { plan: 'pro' },
      tags: ['production', 'support'],
      version: '1.2.3',
      environment: 'default',
      input: { query: SEED.query },
      output: { answer: SEED.answer },
    });
  });

  it('stores the retrieval span with its input query and its two documents', () => {
    const retrieval = stored.observations.find((o: any) => o.name === 'retrieval');
    expect(retrieval).toMatchObject({ type: 'RETRIEVER', input: { query: SEED.query }, output: SEED.documents });
  });

  it('prices the llm-answer generation at the table price times its tokens', () => {
    const generation = stored.observations.find((o: any) => o.name === 'llm-answer');
    const expectedCost = SEED.inputTokens * gpt4oMini.prices.input + SEED.outputTokens * gpt4oMini.prices.output;
    expect(generation).toMatchObject({
      type: 'GENERATION',
      model: SEED.model,
      modelParameters: { temperature: 0.2 },
      usageDetails: { input: SEED.inputTokens, output: SEED.outputTokens, total: SEED.inputTokens + SEED.outputTokens },
      costMissingReason: null,
    });
    expect(generation.totalCost).toBeCloseTo(expectedCost, 12);
    expect(generation.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: SEED.query }] }]);
    expect(stored.totalCost).toBeCloseTo(expectedCost, 12);
    expect(stored).toMatchObject({ inputTokens: 120, outputTokens: 40, totalTokens: 160 });
  });

  it('shows the rerank event as an EVENT observation under the retrieval span', () => {
    const retrieval = stored.observations.find((o: any) => o.name === 'retrieval');
    const rerank = stored.observations.find((o: any) => o.name === 'rerank');
    expect(rerank).toMatchObject({
      type: 'EVENT',
      parentObservationId: retrieval.id,
      input: { 'rerank.top_k': 2, 'rerank.model': 'bge-reranker' },
      endTime: null,
    });
  });

  it('attaches the helpfulness score with its comment to the trace', () => {
    expect(stored.scores).toEqual([
      expect.objectContaining({
        name: 'helpfulness',
        value: 0.92,
        dataType: 'NUMERIC',
        comment: 'answered with the exact steps',
        traceId,
        observationId: null,
      }),
    ]);
  });

  it('lists the trace with the ids of its observations and scores', async () => {
    const page = await collector.getJson(`/api/public/traces?userId=${SEED.userId}&tags=support&tags=production`);
    const listed = page.data.find((t: any) => t.id === traceId);
    expect(listed.observations).toHaveLength(stored.observations.length);
    expect(listed.scores).toEqual([stored.scores[0].id]);
  });
});

describe('reading back', () => {
  it('answers 404 with a message for an unknown trace id', async () => {
    const response = await fetch(`${collector.url}/api/public/traces/ffffffffffffffffffffffffffffffff`);
    expect(response.status).toBe(404);
    expect(await jsonBody(response)).toEqual({
      error: 'not_found',
      message: 'trace ffffffffffffffffffffffffffffffff not found',
    });
  });

  it('answers 400 naming the parameter for a bad limit', async () => {
    const response = await fetch(`${collector.url}/api/public/traces?limit=abc`);
    expect(response.status).toBe(400);
    expect((await jsonBody(response)).message).toBe('limit: expected an integer 1-1000 (got "abc")');
  });
});
