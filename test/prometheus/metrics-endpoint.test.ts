/**
 * GET /metrics: Prometheus's text format, scraped over HTTP after real OTLP exports, with the
 * spans, log records and requests counted as they were sent, stored and refused; open while the
 * collector runs open, and behind the admin token once an API key exists.
 */
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { collectorPerSuite, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { startKeyedCollector } from '../helpers/keyed-collector.js';
import { exportSpans, otlpExporter, recordingProvider } from '../helpers/otel-sdk.js';
import { exportLogRecords, otlpLogExporter, recordingLoggerProvider } from '../helpers/otel-logs.js';
import { recordSeedScenario } from '../helpers/seed-scenario.js';
import { parsePrometheusText, type Exposition } from '../helpers/prometheus-text.js';
import { describeOnPostgres } from '../helpers/postgres-suite.js';

const ADMIN_TOKEN = 'admin-token-for-metrics-tests';

async function scrape(collector: TestCollector, headers: Record<string, string> = {}): Promise<Exposition> {
  const response = await fetch(`${collector.url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  return parsePrometheusText(await response.text());
}

/** An OTLP/JSON export of `good` valid spans and `bad` spans with an all-zero trace id, sent with fetch (no retries). */
function postJsonSpans(collector: TestCollector, good: number, bad: number): Promise<Response> {
  const span = (n: number, traceId: string) => ({
    traceId, spanId: (0x1000 + n).toString(16).padStart(16, '0'), name: `span ${n}`, startTimeUnixNano: '1', endTimeUnixNano: '2',
  });
  const spans = [
    ...Array.from({ length: good }, (_, n) => span(n, 'a'.repeat(32))),
    ...Array.from({ length: bad }, (_, n) => span(good + n, '0'.repeat(32))),
  ];
  return fetch(collector.tracesEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }),
  });
}

/** Three log records (two GenAI messages and a plain warning) emitted in a span's context. */
async function recordLogRecords() {
  const tracing = recordingProvider('metrics-logs');
  const logs = recordingLoggerProvider('metrics-logs');
  const span = tracing.tracer.startSpan('chat');
  const inSpan = trace.setSpan(context.active(), span);
  logs.logger.emit({ eventName: 'gen_ai.user.message', body: { content: 'hello' }, context: inSpan });
  logs.logger.emit({ eventName: 'gen_ai.choice', body: { index: 0, message: { content: 'hi' } }, context: inSpan });
  logs.logger.emit({ body: 'slow answer', severityText: 'WARN', context: inSpan });
  span.end();
  const records = logs.emittedRecords();
  await Promise.all([tracing.shutdown(), logs.shutdown()]);
  return records;
}

describe('GET /metrics on an open collector', () => {
  const collector = collectorPerSuite();
  let spanCount: number;
  let traceId: string;
  let metrics: Exposition;

  beforeAll(async () => {
    const spans = await recordSeedScenario();
    spanCount = spans.length;
    traceId = spans[0]!.spanContext().traceId;
    await exportSpans(otlpExporter('protobuf', collector.tracesEndpoint), spans);
    await exportLogRecords(otlpLogExporter('protobuf', collector.logsEndpoint), await recordLogRecords());
    expect((await postJsonSpans(collector, 1, 2)).status).toBe(200);
    await collector.getJson(`/api/public/traces/${traceId}`);
    metrics = await scrape(collector);
  });

  it('counts every span received, and each one as stored or refused by reason', () => {
    expect(metrics.value('spanlite_spans_received_total')).toBe(spanCount + 3);
    expect(metrics.value('spanlite_spans_stored_total')).toBe(spanCount + 1);
    expect(metrics.value('spanlite_spans_refused_total', { reason: 'invalid' })).toBe(2);
    expect(metrics.value('spanlite_spans_refused_total', { reason: 'overloaded' })).toBe(0);
    expect(metrics.value('spanlite_spans_refused_total', { reason: 'store_unavailable' })).toBe(0);
    expect(metrics.types.get('spanlite_spans_received_total')).toBe('counter');
  });

  it('counts the log records stored', () => {
    expect(metrics.value('spanlite_log_records_stored_total')).toBe(3);
  });

  it('counts HTTP requests by route pattern and status, never by raw URL', () => {
    expect(metrics.value('spanlite_http_requests_total', { method: 'POST', route: '/v1/traces', status: '200' })).toBe(2);
    expect(metrics.value('spanlite_http_requests_total', { method: 'POST', route: '/v1/logs', status: '200' })).toBe(1);
    expect(metrics.value('spanlite_http_requests_total', { method: 'GET', route: '/api/public/traces/:traceId', status: '200' })).toBe(1);
    const labelValues = metrics.samples.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.some((value) => value.includes(traceId))).toBe(false);
  });

  it('times each group commit, and shows the write queue empty once every export was answered', () => {
    // Exports sent one after another: one commit each.
    expect(metrics.value('spanlite_commit_duration_seconds_count')).toBe(3);
    expect(metrics.value('spanlite_commit_duration_seconds_bucket', { le: '+Inf' })).toBe(3);
    expect(metrics.types.get('spanlite_commit_duration_seconds')).toBe('histogram');
    expect(metrics.value('spanlite_write_queue_spans')).toBe(0);
  });

  it('reports the database size on disk and the process metrics', () => {
    expect(metrics.value('spanlite_database_bytes')).toBeGreaterThan(0);
    expect(metrics.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('counts a 404 under one route label whatever the path', async () => {
    // A GET of an unknown page is the web UI's not-found page (route /*); an unknown API path and
    // other methods match no route.
    await fetch(`${collector.url}/no/such/path/${traceId}`);
    await fetch(`${collector.url}/api/public/no-such-resource/${traceId}`);
    await fetch(`${collector.url}/another/missing/path`, { method: 'POST' });
    const after = await scrape(collector);
    expect(after.value('spanlite_http_requests_total', { method: 'GET', route: '/*', status: '404' })).toBe(1);
    expect(after.value('spanlite_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(after.value('spanlite_http_requests_total', { method: 'POST', route: 'unmatched', status: '404' })).toBe(1);
    expect(after.samples.filter((sample) => Object.values(sample.labels).some((label) => label.includes(traceId)))).toEqual([]);
  });
});

describe('GET /metrics once API keys exist', () => {
  it('stays open until the first key, then needs the admin token, which a project key does not replace', async () => {
    const collector = await startTestCollector({ adminToken: ADMIN_TOKEN });
    try {
      await scrape(collector);
      const created = await fetch(`${collector.url}/api/admin/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ project: 'web' }),
      });
      expect(created.status).toBe(201);
      const { secretKey } = (await created.json()) as { secretKey: string };

      const anonymous = await fetch(`${collector.url}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
      expect(await anonymous.json()).toEqual({ error: 'unauthenticated', message: '/metrics: expected Authorization: Bearer <SPANLITE_ADMIN_TOKEN>' });
      expect((await fetch(`${collector.url}/metrics`, { headers: { authorization: `Bearer ${secretKey}` } })).status).toBe(401);
      const admin = await scrape(collector, { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(admin.value('spanlite_http_requests_total', { route: '/metrics', status: '401' })).toBe(2);
    } finally {
      await collector.close();
    }
  });

  it('refuses everyone when no admin token is configured, saying how to open it', async () => {
    const keyed = await startKeyedCollector(['alpha']);
    try {
      const response = await fetch(`${keyed.collector.url}/metrics`);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { message: string }).message).toContain('set SPANLITE_ADMIN_TOKEN');
    } finally {
      await keyed.close();
    }
  });
});

describeOnPostgres('GET /metrics on PostgreSQL', (postgres) => {
  it('reports pg_database_size, and counts the spans of an export refused while the server is down as store_unavailable', async () => {
    const server = postgres();
    const url = await server.createDatabase('metrics');
    const collector = await startTestCollector({ dbFile: url, dbEngine: 'postgres', dbPoolSize: 2 });
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    try {
      expect((await postJsonSpans(collector, 2, 0)).status).toBe(200);
      const sizeOf = async () => Number((await admin.query('SELECT pg_database_size(current_database()) AS bytes')).rows[0].bytes);
      const before = await sizeOf();
      const up = await scrape(collector);
      const after = await sizeOf();
      expect(up.value('spanlite_database_bytes')).toBeGreaterThanOrEqual(Math.min(before, after));
      expect(up.value('spanlite_database_bytes')).toBeLessThanOrEqual(Math.max(before, after));
      await admin.end();

      await server.stop();
      expect((await postJsonSpans(collector, 3, 0)).status).toBe(503);
      const down = await scrape(collector);
      expect(down.value('spanlite_spans_received_total')).toBe(5);
      expect(down.value('spanlite_spans_stored_total')).toBe(2);
      expect(down.value('spanlite_spans_refused_total', { reason: 'store_unavailable' })).toBe(3);
    } finally {
      await admin.end().catch(() => undefined);
      await collector.close();
    }
  });
});
