/**
 * Exporters sending traces to a collector while its database goes away and comes back: one trace
 * per export, each retried as the OTel exporters retry (retrying-export.ts), every answer kept with
 * the phase of the outage it came in, and the checks such tests make of them afterwards.
 */
import { expect } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { exportWithRetries, otlpJsonBody, type ExportAnswer, type RetryingExportOptions } from './retrying-export.js';
import { recordTraces } from '../query/trace-builder.js';
import type { CollectorProcess } from './collector-process.js';

export interface OutageExport<Phase extends string> {
  traceId: string;
  spanCount: number;
  /** The phase when the export started. */
  sentWhile: Phase;
  /** Each with the phase when it came. */
  answers: Array<ExportAnswer & { cameWhile: Phase }>;
}

export interface OutageLoad {
  /** Traces at hand: each export sends one, so this bounds the requests. */
  traces: number;
  /** Exporters sending at once. */
  senders: number;
  /** A phase that has not happened by then (waitFor) is a failure, not a hang; in ms. */
  phaseLimitMs: number;
}

export interface OutageSenders<Phase extends string> {
  /** Every export started so far, in the order started. */
  readonly exports: ReadonlyArray<OutageExport<Phase>>;
  /** Exports started in `phase` and acknowledged (so far). */
  acknowledgedSentWhile(phase: Phase): number;
  /** 503 answers so far. */
  refusals(): number;
  /** Polls until `done()`; throws naming `what` and the answers so far when it has not happened within the phase limit. */
  waitFor(what: string, done: () => boolean): Promise<void>;
  /** Lets the exports in progress finish (retries included) and starts no more. */
  stop(): Promise<void>;
}

const T0 = Date.UTC(2025, 4, 1, 9, 0, 0);

/** `count` traces of one generation each, as the OTel SDK records them, grouped by trace. */
async function tracesToSend(count: number): Promise<Array<{ traceId: string; spans: ReadableSpan[] }>> {
  const specs = Array.from({ length: count }, (_, i) => ({
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

/** `load.senders` exporters sending `load.traces` traces one export at a time, until stopped or out of traces. */
export async function startOutageSenders<Phase extends string>(options: {
  tracesEndpoint: string;
  load: OutageLoad;
  phase: () => Phase;
  exportOptions?: Omit<RetryingExportOptions, 'onAnswer'>;
}): Promise<OutageSenders<Phase>> {
  const pending = await tracesToSend(options.load.traces);
  const exports: Array<OutageExport<Phase>> = [];
  let sending = true;
  const senders = Array.from({ length: options.load.senders }, async () => {
    for (let next = pending.shift(); sending && next !== undefined; next = pending.shift()) {
      const sent: OutageExport<Phase> = { traceId: next.traceId, spanCount: next.spans.length, sentWhile: options.phase(), answers: [] };
      exports.push(sent);
      await exportWithRetries(options.tracesEndpoint, otlpJsonBody(next.spans), {
        ...options.exportOptions,
        onAnswer: (answer) => sent.answers.push({ ...answer, cameWhile: options.phase() }),
      });
    }
  });
  return {
    exports,
    acknowledgedSentWhile: (phase) => exports.filter((sent) => sent.sentWhile === phase && acknowledged(sent)).length,
    refusals: () => exports.flatMap((sent) => sent.answers).filter((answer) => answer.status === 503).length,
    waitFor: (what, done) => waitForExports(what, exports, done, options.load.phaseLimitMs),
    async stop() {
      sending = false;
      await Promise.all(senders);
    },
  };
}

/** Whether the export's last answer was 200: the collector acknowledged its spans. */
export const acknowledged = (sent: OutageExport<string>): boolean => sent.answers.at(-1)?.status === 200;

async function waitForExports(what: string, exports: ReadonlyArray<OutageExport<string>>, done: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) {
      const answers = exports.flatMap((sent) => sent.answers);
      throw new Error(`not within ${limitMs / 1000} s: ${what}; answers so far: ${JSON.stringify(answerCounts(answers))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How many answers of each status and message, e.g. `{ "503 could not store...": 12 }`. */
export function answerCounts(answers: readonly ExportAnswer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status, message } of answers) {
    const key = `${status} ${message.slice(0, 120)}`.trim();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The acknowledged exports whose trace the REST API does not return whole, as `traceId: status`; [] when all are readable. */
export async function unreadableTraces(collectorUrl: string, exports: ReadonlyArray<OutageExport<string>>, concurrency: number): Promise<string[]> {
  const ackd = exports.filter(acknowledged);
  const unreadable: string[] = [];
  for (let at = 0; at < ackd.length; at += concurrency) {
    await Promise.all(
      ackd.slice(at, at + concurrency).map(async ({ traceId, spanCount }) => {
        const response = await fetch(`${collectorUrl}/api/public/traces/${traceId}`);
        const trace = response.ok ? ((await response.json()) as { observations: unknown[] }) : null;
        if (trace?.observations.length !== spanCount) unreadable.push(`${traceId}: ${response.status}`);
      }),
    );
  }
  return unreadable;
}

/** A REST answer while the database is unreachable: 503 store_unavailable with Retry-After, naming PostgreSQL. */
export async function expectStoreUnavailable(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(await response.json()).toMatchObject({ error: 'store_unavailable', message: expect.stringMatching(/^PostgreSQL unavailable/) });
}

/** The collector came through the outage: still running, and no stack trace in its logs (each refusal is one line). */
export function expectRanThrough(collector: CollectorProcess): void {
  expect(collector.child.exitCode).toBeNull();
  expect(collector.child.signalCode).toBeNull();
  expect(collector.logs.join('\n')).not.toMatch(/"stack"/);
}
