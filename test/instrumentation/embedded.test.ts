/**
 * Embedded mode: the app's spans go straight into a local SQLite file through the collector's
 * mapping and pricing, with no collector process, and read back from the same store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, propagation, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanliteSpanProcessor } from '../../instrumentation/span-processor.js';
import { startTrace } from '../../instrumentation/manual.js';
import { observe } from '../../instrumentation/observe.js';
import { createEmbeddedExporter, type EmbeddedSpanExporter } from '../../collector/embedded/embedded-exporter.js';

let dir: string;
let exporter: EmbeddedSpanExporter;
let processor: SpanliteSpanProcessor;
let provider: NodeTracerProvider;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-embedded-'));
  exporter = createEmbeddedExporter({ dbFile: join(dir, 'nested/folder/traces.db') });
  processor = new SpanliteSpanProcessor({ exporter });
  provider = new NodeTracerProvider({ spanProcessors: [processor] });
  provider.register();
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
  rmSync(dir, { recursive: true, force: true });
});

describe('embedded mode', () => {
  it('stores a manual trace with its generation cost and score in the local database', async () => {
    const support = startTrace({ name: 'support-query', userId: 'user_123', sessionId: 'session_abc', tags: ['support'] });
    const generation = support.generation({ name: 'llm-answer', model: 'gpt-4o-mini', input: [{ role: 'user', content: 'hi' }] });
    generation.end({ output: { role: 'assistant', content: 'hello' }, usage: { input: 120, output: 40 } });
    support.score({ name: 'helpfulness', value: 0.92, comment: 'good' });
    support.end({ output: { answer: 'hello' } });
    await processor.forceFlush();
    await exporter.forceFlush();

    const stored = await exporter.store.getTrace('default', support.id);
    expect(stored).toMatchObject({
      name: 'support-query',
      userId: 'user_123',
      sessionId: 'session_abc',
      tags: ['support'],
      inputTokens: 120,
      outputTokens: 40,
    });
    expect(stored!.totalCostUsd).toBeCloseTo(120 * 0.15e-6 + 40 * 0.6e-6, 12);
    expect(stored!.observations.find((o) => o.name === 'llm-answer')).toMatchObject({ type: 'GENERATION', model: 'gpt-4o-mini' });
    expect(stored!.scores).toEqual([expect.objectContaining({ name: 'helpfulness', value: 0.92, comment: 'good' })]);
  });

  it('keeps the parentage of observe()d functions', async () => {
    let traceId = '';
    const inner = observe(async function lookup(key: string) {
      return key.toUpperCase();
    });
    const outer = observe(async function handle() {
      traceId = trace.getActiveSpan()!.spanContext().traceId;
      return inner('k');
    });
    await outer();
    await processor.forceFlush();
    await exporter.forceFlush();

    const stored = await exporter.store.getTrace('default', traceId);
    const handle = stored!.observations.find((o) => o.name === 'handle')!;
    expect(stored!.observations.find((o) => o.name === 'lookup')).toMatchObject({
      parentObservationId: handle.id,
      input: 'k',
      output: 'K',
    });
  });
});
