/**
 * Retention: traces older than the period are deleted with everything under them, in batches,
 * without stalling ingestion, and the file gives its pages back. Data goes in over OTLP from the
 * real SDKs; the sweep runs with a fake clock on a second connection to the same database, then
 * through the collector's own wiring (SPANLITE_RETENTION_DAYS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { context, trace, type SpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { exportSpans, otlpExporter, recordingProvider } from '../helpers/otel-sdk.js';
import { exportLogRecords, otlpLogExporter, recordingLoggerProvider } from '../helpers/otel-logs.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { MS_PER_DAY, startRetention } from '../../collector/store/retention.js';
import type { TraceStore } from '../../collector/store/contract.js';
import * as genAi from '../../semconv/gen-ai.js';
import * as ours from '../../semconv/spanlite.js';
import { USER_ID, SESSION_ID } from '../../semconv/otel.js';

const RETENTION_DAYS = 30;
const OLD_TRACES = 1_200;
const silent = pino({ level: 'silent' });

/** Every table that holds rows of a trace, with how to count them (contentless FTS tables count their documents). */
const TRACE_TABLES = [
  'traces',
  'observations',
  'scores',
  'trace_tags',
  'gen_ai_log_messages',
  'search_docs',
  'search_words',
  'daily_usage',
  'session_stats',
  'user_stats',
] as const;

let dir: string;
let dbFile: string;
let collector: TestCollector;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-retention-'));
  dbFile = join(dir, 'spanlite.db');
  collector = await startTestCollector({ dbFile, grpcPort: null });
});
afterAll(async () => {
  await collector?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * `count` traces at `atMs`, each a root agent span with a tagged generation (model, usage, user,
 * session, a score, an event), searchable by `word`.
 */
async function recordTraces(count: number, atMs: number, word: string): Promise<ReadableSpan[]> {
  const provider = recordingProvider('retention');
  for (let i = 0; i < count; i++) {
    const start = atMs + i;
    const root = provider.tracer.startSpan(`agent ${word}`, {
      startTime: start,
      attributes: {
        [USER_ID]: `user-${word}`,
        [SESSION_ID]: `session-${word}-${i % 10}`,
        [ours.SPANLITE_TRACE_TAGS]: [word, 'retention'],
        [ours.SPANLITE_OBSERVATION_INPUT]: JSON.stringify({ question: `${word} question ${i}` }),
      },
    });
    const generation = provider.tracer.startSpan(
      'chat',
      {
        startTime: start + 1,
        attributes: {
          [genAi.GEN_AI_OPERATION_NAME]: 'chat',
          [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
          [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 10,
          [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 5,
        },
      },
      trace.setSpan(context.active(), root),
    );
    generation.addEvent('retry', { attempt: 1 }, start + 2);
    generation.addEvent(
      genAi.GEN_AI_EVALUATION_RESULT_EVENT,
      { [genAi.GEN_AI_EVALUATION_NAME]: 'quality', [genAi.GEN_AI_EVALUATION_SCORE_VALUE]: 0.5 },
      start + 3,
    );
    generation.end(start + 4);
    root.end(start + 5);
  }
  const spans = provider.finishedSpans();
  await provider.shutdown();
  return spans;
}

/** GenAI message records for `span` (joined to it), and for a span never sent (they wait), at `atMs`. */
async function sendLogRecords(span: SpanContext, atMs: number): Promise<void> {
  const provider = recordingLoggerProvider('retention');
  const neverSent: SpanContext = { ...span, traceId: span.traceId.replace(/^./, 'f'), spanId: 'feedfacecafebeef' };
  for (const target of [span, neverSent]) {
    const inSpan = trace.setSpanContext(context.active(), target);
    provider.logger.emit({ eventName: 'gen_ai.user.message', body: { content: 'hello' }, timestamp: atMs, context: inSpan });
    provider.logger.emit({ body: 'a plain log line', timestamp: atMs, context: inSpan });
  }
  await exportLogRecords(otlpLogExporter('protobuf', collector.logsEndpoint), provider.emittedRecords());
  await provider.shutdown();
}

function countRows(where?: { traceIds: readonly string[] }): Record<string, number> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const counts: Record<string, number> = {};
    for (const table of TRACE_TABLES) {
      if (where === undefined || table === 'search_words' || table.endsWith('_stats') || table === 'daily_usage') {
        counts[table] = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
        continue;
      }
      const column = table === 'traces' ? 'id' : 'trace_id';
      const placeholders = where.traceIds.map(() => '?').join(',');
      counts[table] = db.prepare(`SELECT count(*) FROM ${table} WHERE ${column} IN (${placeholders})`).pluck().get(...where.traceIds) as number;
    }
    return counts;
  } finally {
    db.close();
  }
}

function traceIdsOf(spans: readonly ReadableSpan[]): string[] {
  return [...new Set(spans.map((span) => span.spanContext().traceId))];
}

describe('retention', () => {
  let oldSpans: ReadableSpan[];
  let newSpans: ReadableSpan[];
  let store: TraceStore;

  beforeAll(async () => {
    const nowMs = Date.now();
    oldSpans = await recordTraces(OLD_TRACES, nowMs - 40 * MS_PER_DAY, 'ancient');
    newSpans = await recordTraces(3, nowMs - 60_000, 'recent');
    const exporter = otlpExporter('protobuf', collector.tracesEndpoint);
    for (let i = 0; i < oldSpans.length; i += 1_000) await exportSpans(exporter, oldSpans.slice(i, i + 1_000));
    await exportSpans(exporter, newSpans);
    await sendLogRecords(oldSpans[0]!.spanContext(), nowMs - 40 * MS_PER_DAY);
    await sendLogRecords(newSpans[0]!.spanContext(), nowMs - 60_000);
    store = openSqliteStore({ file: dbFile });
  }, 30_000);
  afterAll(async () => {
    await store?.close();
  });

  it('creates new databases with incremental auto-vacuum', () => {
    const db = new Database(dbFile, { readonly: true });
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    db.close();
  });

  it('deletes nothing while the traces are younger than the period (fake clock)', async () => {
    const retention = startRetention({
      store,
      retentionDays: RETENTION_DAYS,
      logger: silent,
      now: () => Date.now() - 20 * MS_PER_DAY,
      intervalMs: 3_600_000,
    });
    expect(await retention.sweep()).toBe(0);
    await retention.stop();
    expect((await collector.getJson('/api/public/traces?limit=1')).meta.totalItems).toBe(OLD_TRACES + 3);
  });

  it('deletes old traces and everything under them in batches while ingestion keeps being answered', async () => {
    const oldIds = traceIdsOf(oldSpans);
    const newIds = traceIdsOf(newSpans);
    const before = countRows({ traceIds: oldIds });
    expect(before.observations).toBeGreaterThan(OLD_TRACES * 3);
    expect(before.gen_ai_log_messages).toBeGreaterThan(0);
    const newBefore = countRows({ traceIds: newIds });
    const pagesBefore = pageCount();

    const retention = startRetention({
      store,
      retentionDays: RETENTION_DAYS,
      logger: silent,
      intervalMs: 3_600_000,
      maxBatchTraces: 200,
    });
    // Exports sent while the sweep runs are answered between its batches.
    const during = (async () => {
      const latenciesMs: number[] = [];
      const exporter = otlpExporter('json', collector.tracesEndpoint);
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await exportSpans(exporter, await recordTraces(1, Date.now(), `during${i}`));
        latenciesMs.push(performance.now() - started);
      }
      return latenciesMs;
    })();
    const deleted = await retention.sweep();
    await retention.stop();
    const latenciesMs = await during;

    // The old traces, plus the traces whose rows arrived without their spans (orphans).
    expect(deleted).toBeGreaterThanOrEqual(OLD_TRACES);
    expect(Math.max(...latenciesMs)).toBeLessThan(2_000);
    const after = countRows({ traceIds: [...oldIds, oldIds[0]!.replace(/^./, 'f')] });
    for (const table of ['traces', 'observations', 'scores', 'trace_tags', 'gen_ai_log_messages', 'search_docs'] as const) {
      expect(after[table], table).toBe(0);
    }
    // Derived tables hold only what the young traces contribute.
    expect(countRows({ traceIds: newIds })).toMatchObject({
      traces: newBefore.traces,
      observations: newBefore.observations,
      scores: newBefore.scores,
      gen_ai_log_messages: newBefore.gen_ai_log_messages,
    });
    expect(after.user_stats).toBe(1 + 5); // user-recent, user-during0..4
    expect(countRowsIn('search_words WHERE rowid NOT IN (SELECT doc_id FROM search_docs)')).toBe(0); // no orphan index entries

    for (const traceId of oldIds.slice(0, 3)) {
      expect((await fetch(`${collector.url}/api/public/traces/${traceId}`)).status).toBe(404);
    }
    const recent = await collector.getJson(`/api/public/traces/${newIds[0]}`);
    expect(recent.observations.length).toBeGreaterThanOrEqual(3);
    expect(recent.scores).toHaveLength(1);
    expect((await collector.getJson('/api/public/traces?q=ancient')).data).toEqual([]);
    expect((await collector.getJson('/api/public/traces?q=recent')).data).toHaveLength(3);
    expect((await collector.getJson('/api/public/sessions?limit=50')).data.every((s: any) => !s.id.includes('ancient'))).toBe(true);

    // Freed pages went back to the file system.
    expect(freePages()).toBeLessThan(1_100);
    expect(pageCount()).toBeLessThan(pagesBefore);
  }, 30_000);

  it('runs from the collector itself when SPANLITE_RETENTION_DAYS is set', async () => {
    const exporter = otlpExporter('protobuf', collector.tracesEndpoint);
    const stale = await recordTraces(5, Date.now() - 45 * MS_PER_DAY, 'stale');
    await exportSpans(exporter, stale);
    await collector.close();
    collector = await startTestCollector({ dbFile, grpcPort: null, retentionDays: RETENTION_DAYS });
    const staleId = stale[0]!.spanContext().traceId;
    const deadline = Date.now() + 5_000;
    while ((await fetch(`${collector.url}/api/public/traces/${staleId}`)).status !== 404) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await collector.getJson(`/api/public/traces/${traceIdsOf(newSpans)[0]}`)).id).toBeDefined();
  });
});

function pageCount(): number {
  return pragma('page_count');
}

function freePages(): number {
  return pragma('freelist_count');
}

function pragma(name: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.pragma(name, { simple: true }) as number;
  } finally {
    db.close();
  }
}

function countRowsIn(table: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}
