/**
 * Two projects, one collector: each key reads, writes and deletes only its own project's traces,
 * observations, sessions, users, scores, metrics and prices, on every route, whatever ids it
 * sends; ingestion over OTLP/HTTP (protobuf and JSON) and OTLP/gRPC lands in the key's project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { exportSpans, otlpExporter, recordingProvider } from '../helpers/otel-sdk.js';
import { recordTraces, type TraceSpec } from '../query/trace-builder.js';
import { basicAuth, bearerAuth, callApi, startKeyedCollector, type KeyedCollector, type ProjectKey } from '../helpers/keyed-collector.js';
import * as ours from '../../semconv/spanlite.js';

const T0 = Date.UTC(2025, 8, 1, 12, 0, 0);
const DAY = { fromTimestamp: new Date(T0 - 86_400_000).toISOString(), toTimestamp: new Date(T0 + 86_400_000).toISOString() };

let keyed: KeyedCollector;
let alpha: ProjectKey;
let beta: ProjectKey;
const alphaTraces: string[] = [];
let betaTrace: string;
let betaObservation: string;
let betaScore: string;

type Transport = 'protobuf' | 'json' | 'grpc';

/** Protobuf with HTTP Basic, JSON with a Bearer secret, gRPC with x-api-key metadata. */
function exporterFor(key: ProjectKey, transport: Transport): SpanExporter {
  const { collector } = keyed;
  if (transport === 'grpc') {
    const metadata = new grpc.Metadata();
    metadata.set('x-api-key', key.secretKey);
    return new GrpcTraceExporter({ url: collector.grpcUrl!, metadata });
  }
  return otlpExporter(transport, collector.tracesEndpoint, transport === 'protobuf' ? basicAuth(key) : bearerAuth(key));
}

async function ingest(key: ProjectKey, transport: Transport, specs: readonly TraceSpec[]): Promise<string[]> {
  const { spans, traceIds } = await recordTraces(specs);
  const exporter = exporterFor(key, transport);
  try {
    await exportSpans(exporter, spans);
  } finally {
    await exporter.shutdown();
  }
  return traceIds;
}

const as = (key: ProjectKey, method: string, path: string, body?: unknown) =>
  callApi(keyed.collector.url, method, path, basicAuth(key), body);

beforeAll(async () => {
  keyed = await startKeyedCollector(['alpha', 'beta']);
  alpha = keyed.keys.alpha!;
  beta = keyed.keys.beta!;
  for (const transport of ['protobuf', 'json', 'grpc'] as const) {
    const spec = { name: `alpha-${transport}`, startMs: T0, userId: 'user-alpha', sessionId: 'session-alpha' };
    alphaTraces.push(...(await ingest(alpha, transport, [spec])));
  }
  [betaTrace] = (await ingest(beta, 'protobuf', [
    {
      name: 'beta-secret',
      startMs: T0,
      userId: 'user-beta',
      sessionId: 'session-beta',
      input: 'beta private prompt',
      generations: [{ model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 10 }],
      scores: [{ name: 'beta-quality', value: 0.9 }],
    },
  ])) as [string];
  const stored = (await as(beta, 'GET', `/api/public/traces/${betaTrace}`)).body;
  betaObservation = stored.observations.find((o: any) => o.type === 'GENERATION').id;
  betaScore = stored.scores[0].id;
}, 60_000);
afterAll(async () => {
  await keyed?.close();
});

describe('ingestion', () => {
  it('stores what each key sends over OTLP/HTTP protobuf, OTLP/HTTP JSON and OTLP/gRPC in its own project', async () => {
    const alphaList = (await as(alpha, 'GET', '/api/public/traces?limit=100')).body;
    expect(alphaList.data.map((row: any) => row.id).sort()).toEqual([...alphaTraces].sort());
    const betaList = (await as(beta, 'GET', '/api/public/traces?limit=100')).body;
    expect(betaList.data.map((row: any) => row.id)).toEqual([betaTrace]);
  });

  it("cannot write into another project's trace by sending spans with its trace id", async () => {
    const provider = recordingProvider('intruder');
    const parent = trace.setSpanContext(context.active(), {
      traceId: betaTrace,
      spanId: 'aaaaaaaaaaaaaaaa',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    const attributes = { [ours.SPANLITE_TRACE_NAME]: 'hijacked', [ours.SPANLITE_TRACE_USER_ID]: 'intruder' };
    provider.tracer.startSpan('overwrite', { attributes }, parent).end();
    const exporter = exporterFor(alpha, 'json');
    await exportSpans(exporter, provider.finishedSpans());
    await exporter.shutdown();
    await provider.shutdown();

    const betaView = (await as(beta, 'GET', `/api/public/traces/${betaTrace}`)).body;
    expect(betaView).toMatchObject({ name: 'beta-secret', userId: 'user-beta' });
    expect(betaView.observations.map((o: any) => o.name)).not.toContain('overwrite');
    // alpha has a trace of its own with that id now, holding only what alpha sent
    const alphaView = await as(alpha, 'GET', `/api/public/traces/${betaTrace}`);
    expect(alphaView.body.observations.map((o: any) => o.name)).toEqual(['overwrite']);
    expect(alphaView.body.input).toBeNull();
    expect((await as(alpha, 'DELETE', `/api/public/traces/${betaTrace}`)).status).toBe(200);
    expect((await as(beta, 'GET', `/api/public/traces/${betaTrace}`)).status).toBe(200);
  });
});

describe('traces', () => {
  it("lists only the key's own traces, and filters cannot reach another project's", async () => {
    expect((await as(alpha, 'GET', '/api/public/traces?userId=user-beta')).body.data).toEqual([]);
    expect((await as(alpha, 'GET', '/api/public/traces?name=beta-secret')).body.data).toEqual([]);
    expect((await as(alpha, 'GET', '/api/public/traces?sessionId=session-beta')).body.data).toEqual([]);
  });

  it("answers 404 for another project's trace, and deleting it deletes nothing", async () => {
    expect((await as(beta, 'GET', `/api/public/traces/${alphaTraces[0]}`)).status).toBe(404);
    expect((await as(beta, 'DELETE', `/api/public/traces/${alphaTraces[0]}`)).status).toBe(404);
    expect((await as(alpha, 'GET', `/api/public/traces/${alphaTraces[0]}`)).status).toBe(200);
  });
});

describe('observations', () => {
  it("neither lists nor gets another project's observations", async () => {
    expect((await as(alpha, 'GET', `/api/public/observations?traceId=${betaTrace}`)).body.data).toEqual([]);
    const all = (await as(alpha, 'GET', '/api/public/observations?limit=100')).body.data;
    expect(all.map((o: any) => o.id)).not.toContain(betaObservation);
    expect((await as(alpha, 'GET', `/api/public/observations/${betaObservation}`)).status).toBe(404);
    expect((await as(beta, 'GET', `/api/public/observations/${betaObservation}`)).status).toBe(200);
  });
});

describe('sessions and users', () => {
  it("neither lists nor gets another project's sessions", async () => {
    const sessions = (await as(alpha, 'GET', '/api/public/sessions')).body.data.map((s: any) => s.id);
    expect(sessions).toEqual(['session-alpha']);
    expect((await as(alpha, 'GET', '/api/public/sessions/session-beta')).status).toBe(404);
    expect((await as(beta, 'GET', '/api/public/sessions/session-beta')).status).toBe(200);
  });

  it("neither lists nor gets another project's users", async () => {
    const users = (await as(alpha, 'GET', '/api/public/users')).body.data;
    expect(JSON.stringify(users)).not.toContain('user-beta');
    expect((await as(alpha, 'GET', '/api/public/users/user-beta')).status).toBe(404);
    expect((await as(beta, 'GET', '/api/public/users/user-beta')).status).toBe(200);
  });
});

describe('scores', () => {
  it("neither lists, gets nor deletes another project's scores", async () => {
    for (const path of ['/api/public/scores', '/api/public/v2/scores']) {
      const listed = (await as(alpha, 'GET', `${path}?limit=100`)).body.data.map((s: any) => s.id);
      expect(listed).not.toContain(betaScore);
      expect((await as(alpha, 'GET', `${path}/${betaScore}`)).status).toBe(404);
    }
    expect((await as(alpha, 'GET', `/api/public/scores?traceId=${betaTrace}`)).body.data).toEqual([]);
    expect((await as(alpha, 'DELETE', `/api/public/scores/${betaScore}`)).status).toBe(404);
    expect((await as(beta, 'GET', `/api/public/scores/${betaScore}`)).body).toMatchObject({ name: 'beta-quality', value: 0.9 });
  });

  it("creates scores in the key's own project, even with another project's score id and trace id", async () => {
    const created = await as(alpha, 'POST', '/api/public/scores', { id: betaScore, traceId: betaTrace, name: 'alpha-says', value: 0 });
    expect(created.status).toBe(200);
    const viaIngestion = await as(alpha, 'POST', '/api/public/ingestion', {
      batch: [{ id: 'event-1', type: 'score-create', body: { id: 'alpha-ingested', traceId: betaTrace, name: 'alpha-ingested', value: 1 } }],
    });
    expect(viaIngestion.body.successes).toEqual([{ id: 'event-1', status: 201 }]);

    expect((await as(beta, 'GET', `/api/public/scores/${betaScore}`)).body).toMatchObject({ name: 'beta-quality', value: 0.9 });
    const betaScores = (await as(beta, 'GET', `/api/public/traces/${betaTrace}`)).body.scores.map((s: any) => s.name);
    expect(betaScores).toEqual(['beta-quality']);
    expect((await as(beta, 'GET', '/api/public/scores/alpha-ingested')).status).toBe(404);
    expect((await as(alpha, 'GET', `/api/public/scores/${betaScore}`)).body).toMatchObject({ name: 'alpha-says', value: 0 });
    expect((await as(alpha, 'DELETE', `/api/public/scores/${betaScore}`)).status).toBe(204);
    expect((await as(beta, 'GET', `/api/public/scores/${betaScore}`)).status).toBe(200);
  });
});

describe('daily metrics', () => {
  it("counts only the key's own project", async () => {
    const query = new URLSearchParams(DAY).toString();
    const traces = (body: any) => body.data.reduce((total: number, day: any) => total + day.countTraces, 0);
    const models = (body: any) => body.data.flatMap((day: any) => day.usage.map((usage: any) => usage.model));
    const betaDays = (await as(beta, 'GET', `/api/public/metrics/daily?${query}`)).body;
    expect(traces(betaDays)).toBe(1);
    expect(models(betaDays)).toContain('gpt-4o-mini');
    const alphaDays = (await as(alpha, 'GET', `/api/public/metrics/daily?${query}`)).body;
    expect(traces(alphaDays)).toBe(alphaTraces.length);
    expect(models(alphaDays)).not.toContain('gpt-4o-mini');
  });
});

describe('model prices', () => {
  const model = { modelName: 'house-model', matchPattern: 'house-model', inputPrice: 0.001, outputPrice: 0.002 };
  let modelId: string;

  it("lists, gets and deletes only the key's own custom models", async () => {
    const created = await as(alpha, 'POST', '/api/public/models', model);
    expect(created.status).toBe(200);
    modelId = created.body.id;
    expect((await as(alpha, 'GET', `/api/public/models/${modelId}`)).status).toBe(200);
    expect((await as(beta, 'GET', `/api/public/models/${modelId}`)).status).toBe(404);
    const betaModels = (await as(beta, 'GET', '/api/public/models?limit=1000')).body.data.map((m: any) => m.id);
    expect(betaModels).not.toContain(modelId);
    expect((await as(beta, 'DELETE', `/api/public/models/${modelId}`)).status).toBe(404);
    expect((await as(alpha, 'GET', `/api/public/models/${modelId}`)).status).toBe(200);
  });

  it("prices only the creating project's spans with its custom model", async () => {
    const spec: TraceSpec = { name: 'priced', startMs: T0, generations: [{ model: 'house-model', inputTokens: 1000, outputTokens: 100 }] };
    const [alphaPriced] = await ingest(alpha, 'protobuf', [spec]);
    const [betaPriced] = await ingest(beta, 'grpc', [spec]);
    expect((await as(alpha, 'GET', `/api/public/traces/${alphaPriced}`)).body.totalCost).toBeCloseTo(1000 * 0.001 + 100 * 0.002, 9);
    const betaGeneration = (await as(beta, 'GET', `/api/public/traces/${betaPriced}`)).body.observations.find(
      (o: any) => o.type === 'GENERATION',
    );
    expect(betaGeneration.model).toBe('house-model');
    expect(betaGeneration.totalCost ?? null).toBeNull();
  });
});
