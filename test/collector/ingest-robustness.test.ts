/**
 * What the receiver does with retries, arrival order, bad bodies and prices: every case sent
 * over HTTP to a real collector and checked through the REST API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { jsonBody, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { context, trace } from '@opentelemetry/api';
import { exportSpans, otlpExporter, recordingProvider } from '../helpers/otel-sdk.js';
import * as ours from '../../semconv/spanlite.js';
import * as otel from '../../semconv/otel.js';
import * as langfuse from '../../semconv/langfuse.js';
import { recordSeedScenario, SEED } from '../helpers/seed-scenario.js';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector({ maxBodyBytes: 256 * 1024 });
});
afterAll(async () => {
  await collector.close();
});

function post(body: string | Uint8Array, headers: Record<string, string>): Promise<Response> {
  return fetch(collector.tracesEndpoint, { method: 'POST', body, headers });
}

function comparable(trace: any): any {
  const { createdAt, updatedAt, ...rest } = trace;
  return {
    ...rest,
    scores: trace.scores.map(({ createdAt: _c, updatedAt: _u, ...score }: any) => score),
  };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

describe('arrival order and retries', () => {
  let spans: ReadableSpan[];
  let traceId: string;
  let inOrder: any;

  beforeAll(async () => {
    spans = await recordSeedScenario();
    traceId = spans[0]!.spanContext().traceId;
  });

  it('converges to the same trace whatever order and batching the spans arrive in', async () => {
    const results = [];
    for (const seed of [1, 2, 3, 4]) {
      const fresh = await startTestCollector();
      try {
        const exporter = otlpExporter(seed % 2 === 0 ? 'json' : 'protobuf', fresh.tracesEndpoint);
        const order = shuffled(spans, seed);
        // one span per request, root among them wherever the shuffle put it
        for (const span of order) await exportSpans(exporter, [span]);
        results.push(comparable(await fresh.getJson(`/api/public/traces/${traceId}`)));
        // counted once per tag however many requests named it (the list's count comes from tag_counts)
        expect((await fresh.getJson('/api/public/traces?tags=support')).meta.totalItems).toBe(1);
      } finally {
        await fresh.close();
      }
    }
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
    expect(results[0]).toMatchObject({ name: SEED.traceName, userId: SEED.userId, tags: ['production', 'support'] });
  }, 60_000); // four collectors, one request per span

  it('stores a re-sent batch once and does not count its tokens or cost twice', async () => {
    const exporter = otlpExporter('protobuf', collector.tracesEndpoint);
    await exportSpans(exporter, spans);
    inOrder = await collector.getJson(`/api/public/traces/${traceId}`);
    await exportSpans(exporter, spans);
    await exportSpans(exporter, spans.slice(1));
    const afterRetries = await collector.getJson(`/api/public/traces/${traceId}`);
    expect(comparable(afterRetries)).toEqual(comparable(inOrder));
    expect(afterRetries.totalTokens).toBe(160);
    expect(afterRetries.observations.filter((o: any) => o.name === 'llm-answer')).toHaveLength(1);
    expect((await collector.getJson('/api/public/traces?tags=production')).meta.totalItems).toBe(1);
  });
});

describe('trace facts named on a span against facts implied by a resource', () => {
  /** A root naming version, release and environment; a later child from a service whose resource implies others. */
  async function recordNamedRootAndResourceChild(): Promise<ReadableSpan[]> {
    const app = recordingProvider('named-app');
    const worker = recordingProvider('worker', {
      [otel.SERVICE_VERSION]: '9.9.9',
      [langfuse.LANGFUSE_RELEASE]: 'r-resource',
      [otel.DEPLOYMENT_ENVIRONMENT_NAME]: 'resource-env',
    });
    const startMs = Date.now() - 10_000;
    const root = app.tracer.startSpan('handle', {
      startTime: startMs,
      attributes: {
        [ours.SPANLITE_TRACE_VERSION]: '2.0.0',
        [ours.SPANLITE_TRACE_RELEASE]: 'r-named',
        [ours.SPANLITE_TRACE_ENVIRONMENT]: 'named-env',
      },
    });
    worker.tracer.startSpan('work', { startTime: startMs + 500 }, trace.setSpan(context.active(), root)).end(startMs + 900);
    root.end(startMs + 1000);
    const spans = [...app.finishedSpans(), ...worker.finishedSpans()];
    await Promise.all([app.shutdown(), worker.shutdown()]);
    return spans;
  }

  it('keeps the version, release and environment named on the root whichever span arrives first', async () => {
    const [root, child] = await recordNamedRootAndResourceChild();
    const [otherRoot, otherChild] = await recordNamedRootAndResourceChild();
    const exporter = otlpExporter('protobuf', collector.tracesEndpoint);
    for (const span of [root!, child!, otherChild!, otherRoot!]) await exportSpans(exporter, [span]);
    for (const span of [root!, otherRoot!]) {
      const stored = await collector.getJson(`/api/public/traces/${span.spanContext().traceId}`);
      expect(stored).toMatchObject({ version: '2.0.0', release: 'r-named', environment: 'named-env' });
    }
  });
});

describe('spans that describe failures and unknown models', () => {
  it('marks an ERROR span with its status message and keeps its exception as an ERROR event', async () => {
    const spans = await recordSeedScenario({ failingChild: 'upstream timeout' });
    await exportSpans(otlpExporter('json', collector.tracesEndpoint), spans);
    const trace = await collector.getJson(`/api/public/traces/${spans[0]!.spanContext().traceId}`);
    const escalate = trace.observations.find((o: any) => o.name === 'escalate');
    expect(escalate).toMatchObject({ level: 'ERROR', statusMessage: 'upstream timeout' });
    const exception = trace.observations.find((o: any) => o.name === 'exception');
    expect(exception).toMatchObject({
      type: 'EVENT',
      level: 'ERROR',
      parentObservationId: escalate.id,
      statusMessage: 'Error: upstream timeout',
    });
  });

  it('stores the usage of an unknown model with no cost and the reason why', async () => {
    const spans = await recordSeedScenario({ model: 'acme-private-llm-7b' });
    await exportSpans(otlpExporter('protobuf', collector.tracesEndpoint), spans);
    const trace = await collector.getJson(`/api/public/traces/${spans[0]!.spanContext().traceId}`);
    const generation = trace.observations.find((o: any) => o.name === 'llm-answer');
    expect(generation).toMatchObject({
      model: 'acme-private-llm-7b',
      usageDetails: { input: 120, output: 40, total: 160 },
      totalCost: null,
      costMissingReason: 'no_price_match',
    });
    expect(trace.totalCost).toBeNull();
    expect(trace.totalTokens).toBe(160);
  });

  it('prices with a user pricing file that adds a model and overrides a default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanlite-prices-'));
    const pricingFile = join(dir, 'prices.json');
    writeFileSync(
      pricingFile,
      JSON.stringify({
        models: [
          { id: 'acme', modelName: 'acme-private-llm-7b', matchPattern: 'acme-private-llm-7b', prices: { input: 0.001, output: 0.002 } },
          { id: 'cheap-mini', modelName: 'gpt-4o-mini', matchPattern: 'gpt-4o-mini', prices: { input: 0.00001, output: 0.00002 } },
        ],
      }),
    );
    const priced = await startTestCollector({ pricingFile });
    try {
      for (const model of ['acme-private-llm-7b', 'gpt-4o-mini']) {
        const spans = await recordSeedScenario({ model });
        await exportSpans(otlpExporter('protobuf', priced.tracesEndpoint), spans);
        const trace = await priced.getJson(`/api/public/traces/${spans[0]!.spanContext().traceId}`);
        const expected = model === 'acme-private-llm-7b' ? 120 * 0.001 + 40 * 0.002 : 120 * 0.00001 + 40 * 0.00002;
        expect(trace.totalCost).toBeCloseTo(expected, 12);
      }
    } finally {
      await priced.close();
    }
  });
});

describe('bodies the receiver refuses', () => {
  async function validProtobufBody(): Promise<Uint8Array> {
    return ProtobufTraceSerializer.serializeRequest(await recordSeedScenario())!;
  }

  it('answers 400 with an OTLP Status naming the problem for garbage protobuf', async () => {
    const response = await post(Buffer.from('this is not protobuf at all'), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/x-protobuf');
    const body = Buffer.from(await response.arrayBuffer()).toString('latin1');
    expect(body).toContain('invalid OTLP protobuf body');
  });

  it('answers 400 for a truncated protobuf body and stores nothing of it', async () => {
    const before = (await collector.getJson('/api/public/traces?limit=1')).meta.totalItems;
    const body = await validProtobufBody();
    const response = await post(body.subarray(0, Math.floor(body.length / 2)), {
      'content-type': 'application/x-protobuf',
    });
    expect(response.status).toBe(400);
    expect((await collector.getJson('/api/public/traces?limit=1')).meta.totalItems).toBe(before);
  });

  it('answers 400 with a JSON Status for invalid JSON', async () => {
    const response = await post('{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(await jsonBody(response)).toMatchObject({ code: 3, message: expect.stringContaining('invalid OTLP json body') });
  });

  it('answers 415 for a content type that is not OTLP', async () => {
    const response = await post('hello', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect((await jsonBody(response)).message).toContain('text/plain');
  });

  it('answers 415 for a content encoding it cannot decode', async () => {
    const response = await post(await validProtobufBody(), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'br',
    });
    expect(response.status).toBe(415);
    expect(Buffer.from(await response.arrayBuffer()).toString('latin1')).toContain('Content-Encoding "br" is not supported');
  });

  it('answers 413 for a body over the size limit', async () => {
    const response = await post(Buffer.alloc(300 * 1024, 1), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/x-protobuf');
    const status = Buffer.from(await response.arrayBuffer()).toString('latin1');
    expect(status).toContain('body exceeds the limit of 262144 bytes');
  });

  it('answers 413 for a gzip bomb, stopping at the limit after decompression', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const response = await post(bomb, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(413);
    expect((await jsonBody(response)).message).toBe(
      'decompressed body exceeds the limit of 262144 bytes (SPANLITE_MAX_BODY_BYTES)',
    );
  });

  it('answers 400 for a corrupted gzip body', async () => {
    const gzipped = gzipSync(Buffer.from(await validProtobufBody()));
    gzipped.fill(0x55, 20, 60);
    const response = await post(gzipped, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(response.status).toBe(400);
  });

  it('accepts a gzip-compressed protobuf export', async () => {
    const spans = await recordSeedScenario();
    const response = await post(gzipSync(ProtobufTraceSerializer.serializeRequest(spans)!), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(200);
    const trace = await collector.getJson(`/api/public/traces/${spans[0]!.spanContext().traceId}`);
    expect(trace.name).toBe(SEED.traceName);
  });

  it('stores the good spans and names each refused one in partial_success', async () => {
    const good = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 'kept', startTimeUnixNano: '1', endTimeUnixNano: '2' };
    const badTrace = { ...good, traceId: '0'.repeat(32), spanId: 'c'.repeat(16), name: 'zero trace id' };
    const badSpan = { ...good, spanId: 'abc', name: 'short span id' };
    const response = await post(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [good, badTrace, badSpan] }] }] }), {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(200);
    const body = await jsonBody(response);
    expect(body.partialSuccess.rejectedSpans).toBe('2');
    expect(body.partialSuccess.errorMessage).toContain('traceId');
    expect(body.partialSuccess.errorMessage).toContain('spanId');
    const trace = await collector.getJson(`/api/public/traces/${'a'.repeat(32)}`);
    expect(trace.observations.map((o: any) => o.name)).toEqual(['kept']);
  });

  it('answers an empty export with 200 and an empty response', async () => {
    const response = await post('{}', { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    expect(await jsonBody(response)).toEqual({});
  });

  it('keeps serving after all of the above', async () => {
    const spans = await recordSeedScenario();
    await exportSpans(otlpExporter('protobuf', collector.tracesEndpoint), spans);
    expect((await collector.getJson(`/api/public/traces/${spans[0]!.spanContext().traceId}`)).name).toBe(SEED.traceName);
  });
});
