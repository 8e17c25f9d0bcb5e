/**
 * The instrumentation against the real collector: the examples and a drop-in app run as child
 * processes with `spanlite` installed, export over OTLP to a collector on an ephemeral port, and
 * the stored trees are read back through the REST API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installSpanliteApp, REPO, type InstalledApp } from '../helpers/installed-app.js';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';

let app: InstalledApp;
let collector: TestCollector;

beforeAll(async () => {
  [app, collector] = await Promise.all([installSpanliteApp(), startTestCollector()]);
}, 120_000);

afterAll(async () => {
  app?.remove();
  await collector?.close();
});

/** Runs an example (or any script) and returns the stored trace whose id it printed. */
async function runAndFetch(file: string, source: string, nodeArgs: string[] = []): Promise<any> {
  const result = await app.run(file, source, nodeArgs, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
  expect(result).toMatchObject({ code: 0, stderr: '' });
  const traceId = /trace ([0-9a-f]{32})/.exec(result.stdout)?.[1];
  expect(traceId, result.stdout).toBeDefined();
  return collector.getJson(`/api/public/traces/${traceId}`);
}

const example = (file: string) => readFileSync(join(REPO, 'examples', file), 'utf8');

/** name -> parent name, for comparing trees by shape. */
function treeOf(trace: any): Record<string, string | null> {
  const byId = new Map<string, any>(trace.observations.map((o: any) => [o.id, o]));
  return Object.fromEntries(
    trace.observations.map((o: any) => [o.name, o.parentObservationId ? byId.get(o.parentObservationId).name : null]),
  );
}

describe('the examples against a running collector', { timeout: 30_000 }, () => {
  it('stores the manual support-query trace with its tree, cost and score', async () => {
    const trace = await runAndFetch('support-query.mjs', example('support-query.mjs'));
    expect(trace).toMatchObject({
      name: 'support-query',
      userId: 'user_123',
      sessionId: 'session_abc',
      metadata: { plan: 'pro' },
      tags: ['production', 'support'],
      input: { question: 'How do I reset my password?' },
      inputTokens: 120,
      outputTokens: 40,
    });
    expect(trace.totalCost).toBeGreaterThan(0);
    expect(treeOf(trace)).toMatchObject({ retrieval: 'support-query', 'llm-answer': 'support-query', rerank: 'support-query' });
    const generation = trace.observations.find((o: any) => o.name === 'llm-answer');
    expect(generation).toMatchObject({ type: 'GENERATION', model: 'gpt-4o-mini', modelParameters: { temperature: 0.2 } });
    expect(trace.observations.find((o: any) => o.name === 'rerank').type).toBe('EVENT');
    expect(trace.scores).toEqual([
      expect.objectContaining({ name: 'helpfulness', value: 0.92, comment: 'Correct steps, mentions the expiry.' }),
    ]);
  });

  it('stores the observe()d RAG pipeline with each step typed and the trace facts set inside it', async () => {
    const trace = await runAndFetch('rag-pipeline.mjs', example('rag-pipeline.mjs'));
    expect(trace).toMatchObject({ name: 'rag-query', userId: 'user_42', tags: ['demo', 'rag'], metadata: { index: 'docs-v1' } });
    expect(treeOf(trace)).toMatchObject({
      ragPipeline: null,
      embed: 'ragPipeline',
      vectorSearch: 'ragPipeline',
      rerank: 'ragPipeline',
      generate: 'ragPipeline',
    });
    const types = Object.fromEntries(trace.observations.map((o: any) => [o.name, o.type]));
    expect(types).toMatchObject({ ragPipeline: 'CHAIN', embed: 'EMBEDDING', vectorSearch: 'RETRIEVER', generate: 'GENERATION' });
    const generate = trace.observations.find((o: any) => o.name === 'generate');
    expect(generate).toMatchObject({ model: 'gpt-4o-mini', usageDetails: { input: 230, output: 18, total: 248 } });
    expect(generate.totalCost).toBeGreaterThan(0);
    expect(trace.scores).toEqual([expect.objectContaining({ name: 'context_relevance', value: 0.91, observationId: null })]);
  });

  it('keeps the two parallel searches as siblings, each with its own children', async () => {
    const trace = await runAndFetch('parallel-search.mjs', example('parallel-search.mjs'));
    expect(trace).toMatchObject({ userId: 'user_7', sessionId: 'session_parallel', tags: ['parallel'] });
    expect(treeOf(trace)).toMatchObject({
      researchPipeline: null,
      webSearch: 'researchPipeline',
      docsSearch: 'researchPipeline',
      fetchPage: 'webSearch',
      summarise: 'researchPipeline',
    });
    expect(trace.observations.filter((o: any) => o.name === 'fetchPage')).toHaveLength(2);
  });
});

describe('the drop-in register file against a running collector', { timeout: 30_000 }, () => {
  it('traces an unmodified app started with --import spanlite/register, error included', async () => {
    const source = `
      import { trace, SpanStatusCode } from '@opentelemetry/api';
      const tracer = trace.getTracer('plain-app');
      await tracer.startActiveSpan('handle-order', async (root) => {
        root.setAttribute('user.id', 'buyer_1');
        await tracer.startActiveSpan('charge-card', async (child) => {
          child.recordException(new Error('card declined'));
          child.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
          child.end();
        });
        console.log('trace ' + root.spanContext().traceId);
        root.end();
      });`;
    const trace = await runAndFetch('plain-app.mjs', source, ['--import', 'spanlite/register']);
    expect(trace).toMatchObject({ name: 'handle-order', userId: 'buyer_1' });
    expect(treeOf(trace)).toMatchObject({ 'handle-order': null, 'charge-card': 'handle-order', exception: 'charge-card' });
    expect(trace.observations.find((o: any) => o.name === 'charge-card')).toMatchObject({
      level: 'ERROR',
      statusMessage: 'card declined',
    });
  });
});
