/**
 * The collector (`spanlite start`, a child process) while its PostgreSQL server stops and starts
 * again under load. Exporters send one trace per request and retry on 503 after the Retry-After
 * they got, as the OTel exporters do. While the server is down, ingestion and the REST API answer
 * 503 with Retry-After and a message naming PostgreSQL (never a 500, never no answer); the
 * collector keeps running, reconnects by itself once the server is back, and every span it
 * answered 200 for is readable afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startCollectorProcess, type CollectorProcess } from '../helpers/collector-process.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { exportWithRetries, otlpJsonBody, type ExportAnswer } from '../helpers/retrying-export.js';
import { recordTraces } from '../query/trace-builder.js';

/** Traces at hand: each export sends one, so this bounds the requests. */
const TRACES = 3_000;
/** Exporters sending at once. */
const SENDERS = 4;
/** Traces to have stored before the server stops, and again after it is back. */
const STORED_PER_PHASE = 500;
/** 503 answers to have seen before the server starts again. */
const REFUSALS_WHILE_DOWN = 8;
/** A phase that has not happened by then is a failure, not a hang. */
const PHASE_LIMIT_MS = 60_000;

type Phase = 'up' | 'down' | 'up again';

interface Export {
  traceId: string;
  spanCount: number;
  /** The server's state when the export started. */
  sentWhile: Phase;
  /** Each with the server's state when it came. */
  answers: Array<ExportAnswer & { cameWhile: Phase }>;
}

const T0 = Date.UTC(2025, 4, 1, 9, 0, 0);

async function tracesToSend(): Promise<Array<{ traceId: string; spans: ReadableSpan[] }>> {
  const specs = Array.from({ length: TRACES }, (_, i) => ({
    name: `request-${i}`,
    startMs: T0 + i * 1_000,
    userId: `user-${i % 7}`,
    generations: [{ model: 'test-model', inputTokens: 10 + (i % 5), outputTokens: 3 }],
  }));
  const { spans, traceIds } = await recordTraces(specs);
  const byTrace = new Map<string, ReadableSpan[]>(traceIds.map((traceId) => [traceId, []]));
  for (const span of spans) byTrace.get(span.spanContext().traceId)!.push(span);
  return [...byTrace].map(([traceId, traceSpans]) => ({ traceId, spans: traceSpans }));
}

/** Polls until `done()`; throws naming `what` and the answers so far when it has not happened within PHASE_LIMIT_MS. */
async function waitFor(what: string, exports: readonly Export[], done: () => boolean): Promise<void> {
  const deadline = Date.now() + PHASE_LIMIT_MS;
  while (!done()) {
    if (Date.now() > deadline) {
      const answers = exports.flatMap((sent) => sent.answers);
      throw new Error(`not within ${PHASE_LIMIT_MS / 1000} s: ${what}; answers so far: ${JSON.stringify(answerCounts(answers))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How many answers of each status and message, e.g. `{ "503 could not store...": 12 }`. */
function answerCounts(answers: readonly ExportAnswer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status, message } of answers) {
    const key = `${status} ${message.slice(0, 120)}`.trim();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const stored = (sent: Export) => sent.answers.at(-1)?.status === 200;

describe.skipIf(!postgresAvailable())('the collector while its PostgreSQL server restarts', () => {
  let server: PostgresServer;
  let collector: CollectorProcess;
  beforeAll(async () => {
    server = await startPostgres();
    collector = await startCollectorProcess(await server.createDatabase('restart'));
  }, 60_000);
  afterAll(async () => {
    if (collector?.child.exitCode === null) {
      collector.child.kill('SIGTERM');
      await collector.exited;
    }
    await server?.stop();
  });

  it('answers 503 with Retry-After while the server is down, reconnects by itself, and loses no span it answered 200 for', async () => {
    const pending = await tracesToSend();
    const exports: Export[] = [];
    let phase: Phase = 'up';
    let sending = true;
    const senders = Array.from({ length: SENDERS }, async () => {
      for (let next = pending.shift(); sending && next !== undefined; next = pending.shift()) {
        const sent: Export = { traceId: next.traceId, spanCount: next.spans.length, sentWhile: phase, answers: [] };
        exports.push(sent);
        await exportWithRetries(collector.tracesEndpoint, otlpJsonBody(next.spans), {
          onAnswer: (answer) => sent.answers.push({ ...answer, cameWhile: phase }),
        });
      }
    });
    const storedWhile = (wanted: Phase) => exports.filter((sent) => sent.sentWhile === wanted && stored(sent)).length;
    const refusals = () => exports.flatMap((sent) => sent.answers).filter((answer) => answer.status === 503).length;
    const restApiWhileDown: Response[] = [];
    try {
      await waitFor(`${STORED_PER_PHASE} traces stored before the stop`, exports, () => storedWhile('up') >= STORED_PER_PHASE);
      await server.shutDown();
      phase = 'down';
      const refusedBefore = refusals();
      await waitFor(`${REFUSALS_WHILE_DOWN} exports refused while down`, exports, () => refusals() - refusedBefore >= REFUSALS_WHILE_DOWN);
      const someStored = exports.find(stored)!.traceId;
      restApiWhileDown.push(await fetch(`${collector.url}/api/public/traces/${someStored}`));
      restApiWhileDown.push(await fetch(`${collector.url}/api/public/traces?limit=10`));
      await server.start();
      phase = 'up again';
      await waitFor(`${STORED_PER_PHASE} traces stored after the restart`, exports, () => storedWhile('up again') >= STORED_PER_PHASE);
    } finally {
      sending = false;
      await Promise.all(senders);
    }

    const answers = exports.flatMap((sent) => sent.answers);
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200, 503]));
    for (const refused of answers.filter((answer) => answer.status === 503)) {
      expect(refused.retryAfter).toMatch(/^\d+$/);
    }
    // An export committed before the stop may still be answered 200 after it.
    const refusedWhileDown = answers.filter((answer) => answer.cameWhile === 'down' && answer.status !== 200);
    expect(refusedWhileDown.length).toBeGreaterThanOrEqual(REFUSALS_WHILE_DOWN);
    for (const answer of refusedWhileDown) expect(answer.message).toMatch(/PostgreSQL unavailable: /);

    for (const response of restApiWhileDown) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await response.json()).toMatchObject({ error: 'store_unavailable', message: expect.stringMatching(/^PostgreSQL unavailable/) });
    }

    expect(collector.child.exitCode).toBeNull();
    expect(collector.child.signalCode).toBeNull();
    // One log line per refused request at most, and no stack traces.
    const refusalLines = collector.logs.filter((line) => line.includes('"code":"store_unavailable"'));
    expect(refusalLines.length).toBeLessThanOrEqual(answers.filter((answer) => answer.status === 503).length + restApiWhileDown.length);
    expect(collector.logs.join('\n')).not.toMatch(/"stack"/);

    const acknowledged = exports.filter(stored);
    const unreadable: string[] = [];
    for (let at = 0; at < acknowledged.length; at += SENDERS) {
      await Promise.all(
        acknowledged.slice(at, at + SENDERS).map(async ({ traceId, spanCount }) => {
          const response = await fetch(`${collector.url}/api/public/traces/${traceId}`);
          const trace = response.ok ? ((await response.json()) as { observations: unknown[] }) : null;
          if (trace?.observations.length !== spanCount) unreadable.push(`${traceId}: ${response.status}`);
        }),
      );
    }
    expect(unreadable).toEqual([]);
  }, 4 * PHASE_LIMIT_MS);
});
