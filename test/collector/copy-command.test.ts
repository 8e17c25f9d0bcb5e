/**
 * `spanlite copy --to TARGET` with the real pieces: a SQLite collector (`spanlite start`) filled
 * through the real OTLP exporters and the REST API (two keyed projects, generations priced by the
 * catalog, by a custom price and by the span itself, span events, numeric, categorical and boolean
 * scores, GenAI log messages, one waiting for a span the source never gets, rows of a trace never
 * sent), then `spanlite copy` as a child process into PostgreSQL (and back) and into another SQLite
 * file, and a collector started on the copy, which must answer every REST read as the source does
 * and join the waiting message to its span when that arrives there. An interrupted copy
 * run again ends the same; counts that differ fail the copy, naming them; bad targets are refused.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { context, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as genAiEvents from '../../semconv/gen-ai-events.js';
import { collectorScript, startCollectorProcess, type CollectorProcess } from '../helpers/collector-process.js';
import { basicAuth, callApi, createKeys, type ProjectKey } from '../helpers/keyed-collector.js';
import { exportSpans, otlpExporter, recordingProvider } from '../helpers/otel-sdk.js';
import { exportLogRecords, recordingLoggerProvider } from '../helpers/otel-logs.js';
import { LISTED_TRACES } from '../helpers/listed-traces.js';
import { generationAttributes } from '../helpers/trace-attributes.js';
import { postgresAvailable } from '../helpers/postgres-server.js';
import { postgresPerFile } from '../store/postgres-rows.js';
import { recordTraces, type TraceSpec } from '../query/trace-builder.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { openPostgresStore } from '../../collector/store/postgres/store.js';

const ADMIN_TOKEN = 'copy-test-admin-token';
const PROJECTS = ['alpha', 'beta'] as const;
const T0 = Date.UTC(2025, 4, 12, 8, 0, 0);
/** Enough traces that a copy one trace per page is still running when it is killed. */
const BULK_TRACES = 40;

function bulkTraces(count: number): TraceSpec[] {
  return Array.from({ length: count }, (_, n) => ({
    name: `bulk-${n % 5}`,
    startMs: T0 + n * 37_000,
    durationMs: 800 + n,
    userId: `user-${n % 4}`,
    sessionId: `session-${n % 6}`,
    tags: n % 3 === 0 ? ['bulk', 'nightly'] : ['bulk'],
    environment: n % 2 === 0 ? 'production' : 'staging',
    metadata: { batch: n, tier: n % 2 === 0 ? 'pro' : 'free' },
    input: { question: `question number ${n}` },
    generations: [
      { model: 'gpt-4o-mini', inputTokens: 100 + n, outputTokens: 20 + n },
      { model: 'claude-3-5-sonnet', inputTokens: 7 * n, outputTokens: 3, costUsd: 0.0013 * (n + 1) },
      { model: 'acme-large', inputTokens: 1000 + n, outputTokens: 50 },
    ],
    scores: [
      { name: 'quality', value: (n % 10) / 10 },
      { name: 'verdict', label: n % 2 === 0 ? 'good' : 'bad' },
      { name: 'resolved', value: n % 2, dataType: 'BOOLEAN' },
    ],
  }));
}

interface Source {
  dir: string;
  db: string;
  collector: CollectorProcess;
  keys: Record<string, ProjectKey>;
}

async function api(url: string, key: ProjectKey, method: string, path: string, body?: unknown) {
  const answer = await callApi(url, method, path, basicAuth(key), body);
  if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/**
 * A chat span whose messages come as GenAI log records, a span not sent with a message waiting
 * for it (returned), and log records of a trace never sent.
 */
async function sendChatWithLogs(collector: CollectorProcess, key: ProjectKey): Promise<ReadableSpan> {
  const headers = basicAuth(key);
  const tracing = recordingProvider('chat-app');
  const logs = recordingLoggerProvider('chat-app');
  const root = tracing.tracer.startSpan('chat-turn', { startTime: T0 + 3_600_000 });
  const inRoot = trace.setSpan(context.active(), root);
  const chat = tracing.tracer.startSpan('chat acme', { startTime: T0 + 3_600_010, attributes: generationAttributes({ model: 'gpt-4o-mini', inputTokens: 30, outputTokens: 5 }) }, inRoot);
  chat.addEvent('retry', { attempt: 2 });
  const inChat = trace.setSpan(context.active(), chat);
  const heldBack = tracing.tracer.startSpan('tool call sent later', { startTime: T0 + 3_600_600 }, inRoot);
  const otherTrace = tracing.tracer.startSpan('trace never sent', { root: true });
  logs.logger.emit({ eventName: genAiEvents.GEN_AI_USER_MESSAGE_EVENT, body: { content: 'What is the capital of France?' }, context: inChat });
  logs.logger.emit({ eventName: genAiEvents.GEN_AI_CHOICE_EVENT, body: { index: 0, finish_reason: 'stop', message: { content: 'Paris.' } }, context: inChat });
  logs.logger.emit({ eventName: genAiEvents.GEN_AI_USER_MESSAGE_EVENT, body: { content: 'run the tool' }, context: trace.setSpan(context.active(), heldBack) });
  logs.logger.emit({ body: 'rate limit nearly reached', severityText: 'WARN', context: trace.setSpan(context.active(), otherTrace) });
  logs.logger.emit({ eventName: genAiEvents.GEN_AI_USER_MESSAGE_EVENT, body: { content: 'anyone there?' }, context: trace.setSpan(context.active(), otherTrace) });
  chat.end(T0 + 3_600_500);
  heldBack.end(T0 + 3_600_900);
  root.end(T0 + 3_601_000);
  const [userMessage, ...laterRecords] = logs.emittedRecords();
  const logExporter = new OTLPLogExporter({ url: `${collector.url}/v1/logs`, headers });
  // One message before its span, the others after it.
  await exportLogRecords(logExporter, [userMessage!]);
  const spans = tracing.finishedSpans();
  await exportSpans(otlpExporter('json', collector.tracesEndpoint, headers), spans.filter((span) => span.name === 'chat acme' || span.name === 'chat-turn'));
  await exportLogRecords(logExporter, laterRecords);
  await Promise.all([tracing.shutdown(), logs.shutdown()]);
  return spans.find((span) => span.name === 'tool call sent later')!;
}

/** Fills the source; resolves with a span not sent, which a message in the source waits for. */
async function fillSource(collector: CollectorProcess, keys: Record<string, ProjectKey>): Promise<ReadableSpan> {
  const { alpha, beta } = keys as Record<(typeof PROJECTS)[number], ProjectKey>;
  for (const [key, price] of [[alpha!, 0.000004], [beta!, 0.000009]] as const) {
    await api(collector.url, key, 'POST', '/api/public/models', { modelName: 'acme-large', matchPattern: '(?i)^acme-large$', unit: 'TOKENS', inputPrice: price, outputPrice: 2 * price });
  }
  const alphaTraces = await recordTraces([...LISTED_TRACES, ...bulkTraces(BULK_TRACES)]);
  await exportSpans(otlpExporter('protobuf', collector.tracesEndpoint, basicAuth(alpha!)), alphaTraces.spans);
  const betaTraces = await recordTraces(bulkTraces(3).map((spec) => ({ ...spec, name: `beta-${spec.name}` })));
  await exportSpans(otlpExporter('json', collector.tracesEndpoint, basicAuth(beta!)), betaTraces.spans);
  const heldBack = await sendChatWithLogs(collector, alpha!);

  const [first, second] = alphaTraces.traceIds;
  await api(collector.url, alpha!, 'POST', '/api/public/scores', { id: 'label-1', traceId: first, name: 'label', value: 'helpful', dataType: 'CATEGORICAL', comment: 'by a reviewer' });
  await api(collector.url, alpha!, 'POST', '/api/public/scores', { id: 'thumbs-1', traceId: second, name: 'thumbs', value: 1, dataType: 'BOOLEAN' });
  await api(collector.url, alpha!, 'POST', '/api/public/scores', { id: 'early-1', traceId: 'feedfeedfeedfeedfeedfeedfeedfeed', name: 'early', value: 3 });
  await api(collector.url, beta!, 'POST', '/api/public/scores', { traceId: betaTraces.traceIds[0], name: 'quality', value: 0.5 });

  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const extra = await callApi(collector.url, 'POST', '/api/admin/keys', admin, { project: 'alpha', note: 'revoked before the copy' });
  await callApi(collector.url, 'DELETE', `/api/admin/keys/${extra.body.publicKey}`, admin);
  await callApi(collector.url, 'POST', '/api/admin/keys', admin, { project: 'gamma', note: 'a project with a key only' });
  return heldBack;
}

/** Every REST read of each project, and the admin key list: what a team would see of its data. */
async function restAnswers(url: string, keys: Record<string, ProjectKey>): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {
    keys: (await callApi(url, 'GET', '/api/admin/keys', { authorization: `Bearer ${ADMIN_TOKEN}` })).body,
  };
  for (const projectId of PROJECTS) {
    const get = (path: string) => api(url, keys[projectId]!, 'GET', path);
    const traces = await get('/api/public/traces?limit=1000');
    const observations = await get('/api/public/observations?limit=1000');
    const sessions = await get('/api/public/sessions?limit=1000');
    const users = await get('/api/public/users?limit=1000');
    const each = async (items: Array<{ id?: string; userId?: string }>, path: (item: { id?: string; userId?: string }) => string) => {
      const read = [];
      for (const item of items) read.push(await get(path(item)));
      return read;
    };
    answers[projectId] = {
      traces,
      traceDetails: await each(traces.data, (t) => `/api/public/traces/${t.id}`),
      observations,
      observationDetails: await each(observations.data, (o) => `/api/public/observations/${o.id}`),
      scores: await get('/api/public/scores?limit=1000'),
      scoresV2: await get('/api/public/v2/scores?limit=1000'),
      sessions,
      sessionDetails: await each(sessions.data, (s) => `/api/public/sessions/${s.id}`),
      users,
      userDetails: await each(users.data, (u) => `/api/public/users/${encodeURIComponent(u.userId!)}`),
      daily: await get('/api/public/metrics/daily?limit=1000'),
      // The built-in prices are listed with the collector's start as their time: custom ones only.
      customModels: (await get('/api/public/models?limit=1000')).data.filter((model: { isLangfuseManaged: boolean }) => !model.isLangfuseManaged),
      search: await get('/api/public/traces?limit=1000&q=capital'),
      byTag: await get('/api/public/traces?limit=1000&tags=nightly'),
    };
  }
  return answers;
}

interface CopyRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `spanlite copy ...` on SPANLITE_DB=`sourceDb`; sends `signalOnProgress` at its first progress line. */
async function runCopy(sourceDb: string, args: readonly string[], signalOnProgress?: NodeJS.Signals): Promise<CopyRun> {
  const child = spawn(process.execPath, [await collectorScript(), 'copy', ...args], {
    env: { PATH: process.env.PATH, SPANLITE_DB: sourceDb },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: CopyRun = { code: null, signal: null, stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (run.stdout += chunk.toString('utf8')));
  let signalled = false;
  createInterface({ input: child.stderr! }).on('line', (line) => {
    run.stderr += `${line}\n`;
    if (signalOnProgress !== undefined && !signalled && /^copied \d+ of \d+ traces/.test(line)) signalled = child.kill(signalOnProgress);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { ...run, code, signal };
}

/** A collector on the copy: its REST answers, then `then` on it, then it is stopped. */
async function answersOf(
  db: string,
  keys: Record<string, ProjectKey>,
  then: (collector: CollectorProcess) => Promise<void> = async () => undefined,
): Promise<Record<string, unknown>> {
  const collector = await startCollectorProcess(db, { SPANLITE_ADMIN_TOKEN: ADMIN_TOKEN });
  try {
    const answers = await restAnswers(collector.url, keys);
    await then(collector);
    return answers;
  } finally {
    collector.child.kill('SIGTERM');
    await collector.exited;
  }
}

describe('spanlite copy', () => {
  let source: Source;
  let sourceAnswers: Record<string, unknown>;
  let heldBack: ReadableSpan;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanlite-copy-'));
    const db = join(dir, 'source.db');
    const keys = await createKeys(db, PROJECTS);
    const collector = await startCollectorProcess(db, { SPANLITE_ADMIN_TOKEN: ADMIN_TOKEN });
    source = { dir, db, collector, keys };
    heldBack = await fillSource(collector, keys);
    sourceAnswers = await restAnswers(collector.url, keys);
  }, 60_000);

  afterAll(async () => {
    source?.collector.child.kill('SIGTERM');
    await source?.collector.exited;
    if (source) rmSync(source.dir, { recursive: true, force: true });
  });

  it('holds what the test sent in the source, so that the copies below compare something', () => {
    const alpha = sourceAnswers.alpha as any;
    expect(alpha.traces.meta.totalItems).toBe(LISTED_TRACES.length + BULK_TRACES + 1);
    expect(alpha.scores.data.map((s: { dataType: string }) => s.dataType)).toEqual(expect.arrayContaining(['NUMERIC', 'CATEGORICAL', 'BOOLEAN']));
    expect(alpha.scores.data.some((s: { traceId: string }) => s.traceId === 'feedfeedfeedfeedfeedfeedfeedfeed')).toBe(true);
    expect(alpha.observations.data.some((o: { costDetails: object; model: string }) => o.model === 'acme-large' && Object.keys(o.costDetails).length > 0)).toBe(true);
    expect(alpha.search.data).toHaveLength(1);
    expect((sourceAnswers.keys as any).data).toHaveLength(4);
  });

  it('copies SQLite into another SQLite file: a collector on the copy answers every REST read as the source does', async () => {
    const target = join(source.dir, 'copy.db');
    const run = await runCopy(source.db, ['--to', target]);
    expect(run.stderr).toMatch(/copied 50 of 50 traces \(100%\)/);
    expect(run.stdout).toContain('counts match in both databases');
    expect(run.code).toBe(0);
    expect(await answersOf(target, source.keys)).toEqual(sourceAnswers);
  }, 60_000);

  it('fails naming each count that differs when the target holds more than the source', async () => {
    const target = join(source.dir, 'written-to.db');
    expect((await runCopy(source.db, ['--to', target])).code).toBe(0);
    const store = openSqliteStore({ file: target });
    await store.upsertScore('beta', {
      id: 'only-in-target', traceId: 'feedfeedfeedfeedfeedfeedfeedfeed', observationId: null, name: 'extra', value: 1,
      stringValue: null, dataType: 'NUMERIC', comment: null, source: 'API', timeUnixNano: BigInt(T0) * 1_000_000n, metadata: {},
    });
    await store.close();
    const again = await runCopy(source.db, ['--to', target]);
    const betaScores = (sourceAnswers.beta as any).scores.meta.totalItems;
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`project "beta": scores: ${betaScores} in the source, ${betaScores + 1} in the target`);
    expect(again.stdout).toContain('0 traces written, 50 already there');
  }, 60_000);

  it('refuses a missing --to, the source itself and a target it cannot open, saying why without a stack', async () => {
    const missing = await runCopy(source.db, []);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('refused: --to TARGET is missing')]);
    const itself = await runCopy(source.db, ['--to', relative(process.cwd(), source.db)]);
    expect([itself.code, itself.stderr]).toEqual([2, expect.stringContaining('--to names the source database itself')]);
    const unopenable = await runCopy(source.db, ['--to', '/dev/null/copy.db']);
    expect([unopenable.code, unopenable.stderr]).toEqual([1, expect.stringContaining('cannot open the target /dev/null/copy.db')]);
    const unreachable = await runCopy(source.db, ['--to', 'postgres://copier:hunter2-secret@127.0.0.1:1/spanlite']);
    expect([unreachable.code, unreachable.stderr]).toEqual([1, expect.stringContaining('cannot open the target PostgreSQL 127.0.0.1:1/spanlite')]);
    const noSource = await runCopy(join(source.dir, 'absent.db'), ['--to', join(source.dir, 'never.db')]);
    expect([noSource.code, noSource.stderr]).toEqual([1, expect.stringContaining(`cannot open the source ${join(source.dir, 'absent.db')} (SPANLITE_DB)`)]);
    for (const run of [missing, itself, unopenable, unreachable, noSource]) {
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stderr).not.toContain('hunter2-secret');
    }
  }, 60_000);

  it('explains itself with --help', async () => {
    const help = await runCopy(source.db, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: spanlite copy --to TARGET');
  });

  describe.skipIf(!postgresAvailable())('into PostgreSQL', () => {
    const postgres = postgresPerFile('copy');

    it('copies the SQLite collector into PostgreSQL and back: collectors on both copies answer every REST read as the source does', async () => {
      const target = await postgres.server().createDatabase('copied');
      const run = await runCopy(source.db, ['--to', target]);
      expect(run.stdout).toContain('counts match in both databases');
      expect(run.code).toBe(0);
      const back = join(source.dir, 'back-from-postgres.db');
      expect((await runCopy(target, ['--to', back])).code).toBe(0);
      expect(await answersOf(back, source.keys)).toEqual(sourceAnswers);
      let joined: any;
      const answers = await answersOf(target, source.keys, async (collector) => {
        await exportSpans(otlpExporter('protobuf', collector.tracesEndpoint, basicAuth(source.keys.alpha!)), [heldBack]);
        joined = await api(collector.url, source.keys.alpha!, 'GET', `/api/public/observations/${heldBack.spanContext().spanId}`);
      });
      expect(answers).toEqual(sourceAnswers);
      // The message copied while waiting for its span joins the span sent to the copy.
      expect(joined.input).toEqual([{ role: 'user', content: 'run the tool' }]);
    }, 90_000);

    it('stops between pages on Ctrl-C, exits 130 saying how to go on, and completes when run again', async () => {
      const target = await postgres.server().createDatabase('interrupted');
      const interrupted = await runCopy(source.db, ['--to', target, '--batch-size', '1'], 'SIGINT');
      expect(interrupted.code).toBe(130);
      expect(interrupted.stderr).toMatch(/interrupted: copied \d+ of 50 traces .*; run the same command again to go on/);
      const resumed = await runCopy(source.db, ['--to', target]);
      expect(resumed.stdout).toContain('counts match in both databases');
      expect(await answersOf(target, source.keys)).toEqual(sourceAnswers);
    }, 60_000);

    it('goes on after a copy killed at its first progress line, ending with the same answers and nothing twice', async () => {
      const target = await postgres.server().createDatabase('resumed');
      const killed = await runCopy(source.db, ['--to', target, '--batch-size', '1'], 'SIGKILL');
      expect(killed.signal).toBe('SIGKILL');
      const partial = await openPostgresStore({ url: target, poolSize: 1 });
      const copiedBeforeKill = (await partial.countStored('alpha')).traces;
      await partial.close();
      expect(copiedBeforeKill).toBeGreaterThan(0);
      expect(copiedBeforeKill).toBeLessThan(LISTED_TRACES.length + BULK_TRACES + 1);

      const resumed = await runCopy(source.db, ['--to', target]);
      expect(resumed.code).toBe(0);
      // The page before the first progress line was whole; one being written at the kill may not be.
      const alreadyThere = Number(/, (\d+) already there/.exec(resumed.stdout)?.[1]);
      expect(alreadyThere).toBeGreaterThanOrEqual(1);
      expect(alreadyThere).toBeLessThanOrEqual(copiedBeforeKill);
      expect(resumed.stdout).toContain('counts match in both databases');
      expect(await answersOf(target, source.keys)).toEqual(sourceAnswers);
    }, 90_000);
  });
});
