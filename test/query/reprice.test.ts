/**
 * POST /api/public/models/reprice on a real collector, on each engine: spans ingested at one
 * price keep it after a price change until repriced; then every observation cost, trace total,
 * daily metric, session and user total equals what a second collector serves that ingested the
 * same spans at the new prices. Costs the app reported and wrappers left out of trace totals
 * stay as they are; a model and a time range bound what changes; a second run changes nothing.
 * Bad bodies are refused naming the field; a second repricing of the project at once answers
 * 409; a database that is down answers 503.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, trace, type Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import pg from 'pg';
import type { CollectorConfig } from '../../config/collector-config.js';
import * as genAi from '../../semconv/gen-ai.js';
import * as vercel from '../../semconv/vercel-ai.js';
import { jsonBody, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { exportSpans, otlpExporter, recordingProvider } from '../helpers/otel-sdk.js';
import { describeOnPostgres } from '../helpers/postgres-suite.js';
import { rootAttributes, generationAttributes, type GenerationSpec, type TraceFactsSpec } from '../helpers/trace-attributes.js';
import { traceLockKey } from '../../collector/store/postgres/write/trace-locks.js';
import { DEFAULT_PROJECT_ID } from '../../collector/auth/project-id.js';

const T0 = Date.UTC(2025, 7, 1, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const PRICE_A = { inputPrice: 0.000001, outputPrice: 0.000002 };
const PRICE_B = { inputPrice: 0.000003, outputPrice: 0.000004 };
const NEW_MODEL_PRICE = { inputPrice: 0.000002, outputPrice: 0.000003 };
const GONE_PRICE = { inputPrice: 0.000005, outputPrice: 0.000005 };

interface SpecTrace extends TraceFactsSpec {
  generations: GenerationSpec[];
  /** A Vercel AI SDK `ai.generateText` wrapper around the generations, repeating their model and usage. */
  wrapper?: boolean;
}

/** acme-7b priced at A then B; acme-new unpriced then priced; acme-gone priced then not; one cost reported. */
const TRACES: SpecTrace[] = [
  {
    name: 'chat',
    startMs: T0,
    sessionId: 'conv-1',
    userId: 'u1',
    wrapper: true,
    generations: [
      { model: 'acme-7b', inputTokens: 1000, outputTokens: 100 },
      { model: 'acme-7b', inputTokens: 50, outputTokens: 5, costUsd: 0.5 },
    ],
  },
  { name: 'new model', startMs: T0 + HOUR, sessionId: 'conv-1', userId: 'u2', generations: [{ model: 'acme-new', inputTokens: 500, outputTokens: 50 }] },
  { name: 'gone model', startMs: T0 + 2 * HOUR, userId: 'u1', generations: [{ model: 'acme-gone', inputTokens: 100, outputTokens: 10 }] },
  { name: 'next day', startMs: T0 + 2 * DAY, sessionId: 'conv-2', userId: 'u2', generations: [{ model: 'acme-7b', inputTokens: 200, outputTokens: 20 }] },
];

/** Records the traces once, so that both collectors store the very same spans. */
async function recordScenario(): Promise<{ spans: ReadableSpan[]; traceIds: string[] }> {
  const provider = recordingProvider('reprice-tests');
  const traceIds = TRACES.map((spec) => recordTrace(provider.tracer, spec));
  const spans = provider.finishedSpans();
  await provider.shutdown();
  return { spans, traceIds };
}

function recordTrace(tracer: Tracer, spec: SpecTrace): string {
  const root = tracer.startSpan(spec.name!, { startTime: spec.startMs, attributes: rootAttributes(spec) });
  let parent = trace.setSpan(context.active(), root);
  let wrapper;
  if (spec.wrapper) {
    wrapper = tracer.startSpan('ai.generateText', {
      startTime: spec.startMs + 1,
      attributes: {
        [vercel.AI_OPERATION_ID]: vercel.AiOperation.GENERATE_TEXT,
        [vercel.AI_MODEL_ID]: 'acme-7b',
        [vercel.AI_USAGE_INPUT_TOKENS]: 1050,
        [vercel.AI_USAGE_OUTPUT_TOKENS]: 105,
      },
    }, parent);
    parent = trace.setSpan(parent, wrapper);
  }
  spec.generations.forEach((generation, index) => {
    const startMs = spec.startMs + 10 * (index + 1);
    tracer.startSpan(`generation-${index}`, { startTime: startMs, attributes: generationAttributes(generation) }, parent).end(startMs + 100);
  });
  wrapper?.end(spec.startMs + 500);
  root.end(spec.startMs + 1000);
  return root.spanContext().traceId;
}

async function call(collector: TestCollector, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(collector.url + path, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: response.status === 204 ? null : await jsonBody(response) };
}

async function createPrice(collector: TestCollector, model: string, price: { inputPrice: number; outputPrice: number }): Promise<string> {
  const created = await call(collector, 'POST', '/api/public/models', { modelName: model, matchPattern: model, ...price });
  expect(created.status).toBe(200);
  return created.body.id;
}

const reprice = (collector: TestCollector, body: unknown = {}) => call(collector, 'POST', '/api/public/models/reprice', body);

/** Everything repricing may change, as the REST API serves it (write times left out). */
async function costsServed(collector: TestCollector, traceIds: readonly string[]) {
  const traces = await Promise.all(traceIds.map((id) => collector.getJson(`/api/public/traces/${id}`)));
  return {
    traces: traces.map((t) => ({
      id: t.id,
      totalCost: t.totalCost,
      observations: t.observations
        .map((o: any) => ({
          id: o.id,
          name: o.name,
          model: o.model,
          costDetails: o.costDetails,
          calculatedTotalCost: o.calculatedTotalCost,
          totalCost: o.totalCost,
          costMissingReason: o.costMissingReason,
        }))
        .sort((a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1)),
    })),
    daily: (await collector.getJson('/api/public/metrics/daily')).data,
    sessions: (await collector.getJson('/api/public/sessions')).data,
    users: (await collector.getJson('/api/public/users')).data,
  };
}

type Snapshot = Awaited<ReturnType<typeof costsServed>>;
/** The first generation of a trace (generation-0). */
const firstGeneration = (snapshot: Snapshot, traceIndex: number) =>
  snapshot.traces[traceIndex]!.observations.find((o: { name: string }) => o.name === 'generation-0');

/**
 * The scenario on one engine: `open` starts a collector on a new, empty database of it. Returns
 * the collector being repriced, for tests of the engine's own.
 */
function repricingScenario(open: () => Promise<TestCollector>): () => TestCollector {
  let repriced: TestCollector;
  let fresh: TestCollector;
  let traceIds: string[];
  let atPriceA: Snapshot;

  beforeAll(async () => {
    [repriced, fresh] = await Promise.all([open(), open()]);
    const recorded = await recordScenario();
    traceIds = recorded.traceIds;
    // The repriced collector ingests at the old prices, then its prices change.
    const oldAcme = await createPrice(repriced, 'acme-7b', PRICE_A);
    const gone = await createPrice(repriced, 'acme-gone', GONE_PRICE);
    await exportSpans(otlpExporter('protobuf', repriced.tracesEndpoint), recorded.spans);
    expect((await call(repriced, 'DELETE', `/api/public/models/${oldAcme}`)).status).toBe(204);
    expect((await call(repriced, 'DELETE', `/api/public/models/${gone}`)).status).toBe(204);
    await createPrice(repriced, 'acme-7b', PRICE_B);
    await createPrice(repriced, 'acme-new', NEW_MODEL_PRICE);
    atPriceA = await costsServed(repriced, traceIds);
    // The fresh one ingests the same spans at the new prices.
    await createPrice(fresh, 'acme-7b', PRICE_B);
    await createPrice(fresh, 'acme-new', NEW_MODEL_PRICE);
    await exportSpans(otlpExporter('protobuf', fresh.tracesEndpoint), recorded.spans);
  });
  afterAll(async () => {
    await Promise.all([repriced?.close(), fresh?.close()]);
  });

  it('keeps the old price of a span stored before the price changed', async () => {
    const chat = atPriceA.traces[0]!;
    expect(chat.totalCost).toBeCloseTo(1000 * PRICE_A.inputPrice + 100 * PRICE_A.outputPrice + 0.5, 12);
    expect(atPriceA.traces[1]!.totalCost).toBeNull();
    expect(atPriceA).not.toEqual(await costsServed(fresh, traceIds));
  });

  it('reprices only the model and time range asked for', async () => {
    const answer = await reprice(repriced, {
      model: 'acme-7b',
      fromTimestamp: new Date(T0 - HOUR).toISOString(),
      toTimestamp: new Date(T0 + DAY).toISOString(),
    });
    // The generation with a reported cost is examined but kept.
    expect(answer).toEqual({ status: 200, body: { observations: 1, traces: 1, examined: 2 } });
    const now = await costsServed(repriced, traceIds);
    expect(firstGeneration(now, 0)).not.toEqual(firstGeneration(atPriceA, 0));
    expect(now.traces[0]!.totalCost).toBeCloseTo(1000 * PRICE_B.inputPrice + 100 * PRICE_B.outputPrice + 0.5, 12);
    expect(now.traces.slice(1)).toEqual(atPriceA.traces.slice(1));
  });

  it('then serves what a collector that ingested the spans at the new prices serves', async () => {
    const answer = await reprice(repriced);
    expect(answer).toEqual({ status: 200, body: { observations: 3, traces: 3, examined: 5 } });
    const now = await costsServed(repriced, traceIds);
    expect(now).toEqual(await costsServed(fresh, traceIds));
    expect(now.traces[1]!.totalCost).toBeCloseTo(500 * NEW_MODEL_PRICE.inputPrice + 50 * NEW_MODEL_PRICE.outputPrice, 12);
    expect(now.traces[2]!.totalCost).toBeNull();
    expect(firstGeneration(now, 2)).toMatchObject({ costDetails: {}, costMissingReason: 'no_price_match' });
  });

  it('changes nothing when run again', async () => {
    const before = await costsServed(repriced, traceIds);
    const updatedAt = (await repriced.getJson(`/api/public/traces/${traceIds[0]}`)).updatedAt;
    expect(await reprice(repriced)).toEqual({ status: 200, body: { observations: 0, traces: 0, examined: 5 } });
    // No body at all asks for the same.
    expect(await call(repriced, 'POST', '/api/public/models/reprice')).toEqual({ status: 200, body: { observations: 0, traces: 0, examined: 5 } });
    expect(await costsServed(repriced, traceIds)).toEqual(before);
    expect((await repriced.getJson(`/api/public/traces/${traceIds[0]}`)).updatedAt).toBe(updatedAt);
  });

  it.each<[string, unknown, string]>([
    ['a time that is not one', { fromTimestamp: 'yesterday' }, 'fromTimestamp: expected an ISO 8601 date-time (e.g. 2025-01-31T00:00:00Z) (got "yesterday")'],
    ['a range that ends before it starts', { fromTimestamp: '2025-08-02T00:00:00Z', toTimestamp: '2025-08-01T00:00:00Z' }, 'toTimestamp: expected a time at or after fromTimestamp 2025-08-02T00:00:00Z (got "2025-08-01T00:00:00Z")'],
    ['an empty model', { model: '' }, 'model: expected a string of 1-256 characters (got "")'],
    ['an unknown field', { models: ['acme-7b'] }, 'models: unknown field (expected model, fromTimestamp, toTimestamp)'],
    ['no object', [], 'body: expected an object (got [])'],
  ])('refuses %s, naming the field', async (_, body, message) => {
    expect(await reprice(repriced, body)).toEqual({ status: 400, body: { error: 'invalid_parameter', message } });
  });

  return () => repriced;
}

describe('repricing on SQLite', () => {
  repricingScenario(() => startTestCollector());
});

describeOnPostgres('repricing on PostgreSQL', (server) => {
  let databases = 0;
  const config = async (): Promise<Partial<CollectorConfig>> => ({
    dbFile: await server().createDatabase(`reprice_${++databases}`),
    dbEngine: 'postgres',
    dbPoolSize: 4,
  });
  const collector = repricingScenario(async () => startTestCollector(await config()));

  it('answers 409 to a second repricing of the project while one runs', async () => {
    // The running one waits for a trace lock held here, as it would for a writer's.
    const admin = new pg.Client({ connectionString: collector().dbFile });
    await admin.connect();
    try {
      const traces = await admin.query<{ id: string }>('SELECT id FROM traces ORDER BY id');
      const keys = traces.rows.map((row) => String(traceLockKey(DEFAULT_PROJECT_ID, row.id)));
      await admin.query('BEGIN');
      await admin.query('SELECT count(pg_advisory_xact_lock(key)) FROM unnest($1::bigint[]) AS key', [keys]);
      const first = reprice(collector());
      await waitForLockWaiter(admin);
      const second = await reprice(collector());
      expect(second.status).toBe(409);
      expect(second.body).toEqual({ error: 'conflict', message: expect.stringContaining('already running') });
      await admin.query('COMMIT');
      expect((await first).status).toBe(200);
      expect((await reprice(collector())).status).toBe(200);
    } finally {
      await admin.end();
    }
  });

  it('answers 503 while the database is down', async () => {
    await server().shutDown();
    try {
      const answer = await reprice(collector());
      expect(answer.status).toBe(503);
      expect(answer.body.error).toBe('store_unavailable');
    } finally {
      await server().start();
    }
  });
});

/** Until another session waits for an advisory lock (at most 10 s). */
async function waitForLockWaiter(admin: pg.Client): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const waiting = await admin.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
    if (waiting.rowCount !== null && waiting.rowCount > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no repricing waited for the trace locks within 10 s');
}
