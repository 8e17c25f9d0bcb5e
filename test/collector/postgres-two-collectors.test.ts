/**
 * Two collectors (`spanlite start`, child processes) on one PostgreSQL database, sent the spans of
 * the same traces at once: one span per OTLP request, in a seeded random order, each to either
 * collector, some to both (an exporter retrying against the other one). Read back through either
 * collector's REST API, every trace, list, session, user and daily metric is what one collector
 * sent the same spans in order serves, but for the write clock (createdAt, updatedAt). No request
 * fails for good and neither collector meets a deadlock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { startCollectorProcess, type CollectorProcess } from '../helpers/collector-process.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { exportWithRetries, otlpJsonBody, type ExportAnswer } from '../helpers/retrying-export.js';
import { shuffled } from '../helpers/shuffled.js';
import { exportSpans, otlpExporter } from '../helpers/otel-sdk.js';
import { recordTraces, type TraceSpec } from '../query/trace-builder.js';

const TRACES = 40;
/** Requests in flight at once, over both collectors. */
const IN_FLIGHT = 8;
/** Every n-th span goes to both collectors. */
const SENT_TWICE_EVERY = 5;
const SEED = 0x2c011ec7;

const T0 = Date.UTC(2025, 5, 2, 8, 0, 0);
const MODELS = ['gpt-4o-mini', 'gpt-4o', 'claude-3-5-sonnet'];
const TAG_SETS = [['alpha'], ['beta', 'alpha'], [], ['gamma']];

/** 40 traces of 5-8 spans: generations on priced models (some reporting their cost), users, sessions, tags and scores. */
function traceSpecs(): TraceSpec[] {
  return Array.from({ length: TRACES }, (_, i) => ({
    name: `agent-${i % 4}`,
    startMs: T0 + i * 37_000,
    durationMs: 1_000 + (i % 3) * 500,
    userId: `user-${i % 5}`,
    ...(i % 3 === 0 ? {} : { sessionId: `session-${i % 8}` }),
    tags: TAG_SETS[i % TAG_SETS.length]!,
    environment: i % 6 === 0 ? 'staging' : 'production',
    generations: Array.from({ length: 4 + (i % 4) }, (_, g) => ({
      model: MODELS[(i + g) % MODELS.length]!,
      inputTokens: 100 + i + g,
      outputTokens: 10 + g,
      ...(g % 2 === 0 ? { costUsd: 0.001 * (g + 1) } : {}),
      ...((i + g) % 11 === 0 ? { level: 'WARNING' as const } : {}),
    })),
    scores: [
      { name: 'quality', value: (i % 10) / 10 },
      ...(i % 3 === 0 ? [{ name: 'verdict', label: i % 2 === 0 ? 'good' : 'bad' }] : []),
    ],
  }));
}

interface Request {
  span: ReadableSpan;
  to: CollectorProcess;
}

/** One span per request: each span to one collector, every SENT_TWICE_EVERY-th to the other as well, all shuffled. */
function requests(spans: readonly ReadableSpan[], collectors: readonly [CollectorProcess, CollectorProcess]): Request[] {
  const once = shuffled(spans, SEED).map((span, i) => ({ span, to: collectors[i % 2]! }));
  const again = once.filter((_, i) => i % SENT_TWICE_EVERY === 0).map(({ span, to }) => ({ span, to: collectors[to === collectors[0] ? 1 : 0]! }));
  return shuffled([...once, ...again], SEED + 1);
}

/** Sends the requests, IN_FLIGHT at a time; resolves with each one's answers. */
async function sendAll(pending: Request[]): Promise<ExportAnswer[][]> {
  const queue = [...pending];
  const answers: ExportAnswer[][] = [];
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        answers.push(await exportWithRetries(next.to.tracesEndpoint, otlpJsonBody([next.span])));
      }
    }),
  );
  return answers;
}

async function getJson(baseUrl: string, path: string): Promise<any> {
  const response = await fetch(baseUrl + path);
  const body = await response.json();
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Every page of a REST list. */
async function allPages(baseUrl: string, path: string): Promise<unknown[]> {
  const data: unknown[] = [];
  for (let page = 1; ; page++) {
    const body = await getJson(baseUrl, `${path}${path.includes('?') ? '&' : '?'}limit=50&page=${page}`);
    data.push(...body.data);
    if (page >= body.meta.totalPages) return data;
  }
}

/**
 * The value as two stores holding the same spans serve it alike, at any depth: without the fields
 * the write clock sets, and with sums (costs) to 12 significant digits, as floating-point sums
 * taken in another order differ in their last bits.
 */
function comparable(value: unknown): unknown {
  if (typeof value === 'number') return Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(comparable);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'createdAt' && key !== 'updatedAt')
      .map(([key, field]) => [key, comparable(field)]),
  );
}

/** What the REST API serves of the stored traces: the list, each trace with its observations and scores, sessions, users, daily metrics. */
async function servedTraces(baseUrl: string, traceIds: readonly string[]) {
  const traces: Record<string, unknown> = {};
  for (const id of traceIds) traces[id] = await getJson(baseUrl, `/api/public/traces/${id}`);
  return comparable({
    list: await allPages(baseUrl, '/api/public/traces'),
    traces,
    sessions: await allPages(baseUrl, '/api/public/sessions'),
    users: await allPages(baseUrl, '/api/public/users'),
    daily: await allPages(baseUrl, '/api/public/metrics/daily'),
  });
}

describe.skipIf(!postgresAvailable())('two collector processes on one PostgreSQL database', () => {
  let server: PostgresServer;
  let collectors: [CollectorProcess, CollectorProcess];
  let single: TestCollector;
  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase('shared');
    collectors = [await startCollectorProcess(url), await startCollectorProcess(url)];
    single = await startTestCollector({ grpcPort: null });
  }, 60_000);
  afterAll(async () => {
    for (const collector of collectors ?? []) {
      if (collector.child.exitCode === null) collector.child.kill('SIGTERM');
      await collector.exited;
    }
    await single?.close();
    await server?.stop();
  });

  it('serve through either REST API what one collector serves, after taking the shuffled spans one per request at once', async () => {
    const specs = traceSpecs();
    const { spans, traceIds } = await recordTraces(specs);
    await exportSpans(otlpExporter('json', single.tracesEndpoint), spans);
    const expected = await servedTraces(single.url, traceIds);
    const expectedTraces = Object.values((expected as { traces: Record<string, { observations: unknown[]; scores: unknown[] }> }).traces);
    expect(expectedTraces.map((trace) => [trace.observations.length, trace.scores.length])).toEqual(
      specs.map((spec) => [spec.generations!.length + 1, spec.scores!.length]),
    );

    const answers = await sendAll(requests(spans, collectors));

    // A 503 (a retryable refusal) may happen under load; each is retried until it goes through.
    expect(answers.map((attempts) => attempts.at(-1)!.status)).toEqual(answers.map(() => 200));
    const refused = answers.flat().filter((answer) => answer.status !== 200);
    expect(refused.filter((answer) => answer.status !== 503 || answer.retryAfter === null)).toEqual([]);
    for (const collector of collectors) expect(collector.logs.join('\n')).not.toMatch(/deadlock/i);

    const [first, second] = collectors;
    expect(await servedTraces(first.url, traceIds)).toEqual(expected);
    expect(await servedTraces(second.url, traceIds)).toEqual(expected);
  }, 180_000);
});
