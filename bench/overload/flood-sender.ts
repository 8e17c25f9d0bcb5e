/**
 * The overload client, run as its own process (child_process.fork) so its CPU is not the
 * collector's. It receives one FloodCommand over IPC and answers with one FloodResult.
 *
 * - `capacity`: closed loop; `concurrency` requests always in flight, each sent as soon as the
 *   previous one is answered. What the collector sustains.
 * - `flood`: open loop; batches are offered at `spansPerSecond` whatever the answers, like many
 *   applications exporting on their own schedule, and sent by an exporter-like client: at most
 *   `concurrency` requests in flight, a bounded queue of batches (a new batch is dropped when it
 *   is full, as a BatchSpanProcessor drops spans), and the retry policy of the OTel JS OTLP
 *   exporter (@opentelemetry/otlp-exporter-base RetryingTransport): 429/502/503/504 and network
 *   errors are retried after Retry-After when the answer gives one, else an exponential backoff
 *   (1 s x 1.5, at most 5 s, jitter 20 %), at most 5 retries within the 10 s export timeout.
 */
import { Agent, request } from 'node:http';
import { randomFillSync } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { buildBatchTemplate, SPANS_PER_TRACE, stampBatch, stampEntropyBytes, type BatchTemplate } from '../ingest/payload.js';
import { summariseLatencies, type LatencySummary } from '../ingest/stats.js';

export interface FloodCommand {
  url: string;
  mode: 'capacity' | 'flood';
  /** flood: spans offered per second. */
  spansPerSecond: number;
  /** Requests in flight at most (capacity: always). */
  concurrency: number;
  /** flood: batches held (queued or waiting to retry) before new ones are dropped. */
  queueBatches: number;
  tracesPerBatch: number;
  /** capacity: sent but not measured. */
  warmupMs: number;
  /** Measured window: offering (flood) or sending (capacity). */
  durationMs: number;
  /** flood: after offering stops, time left for queued batches and retries. */
  drainMs: number;
}

export interface FloodResult {
  offeredSpans: number;
  /** Spans answered 200 within the measured window. */
  windowAcceptedSpans: number;
  windowSeconds: number;
  /** Every span answered 200 (window, warm-up and drain). */
  acceptedSpans: number;
  /** Answers by HTTP status, 'error' for a failed connection, 'timeout' for none within 10 s. */
  answers: Record<string, number>;
  retries: number;
  /** Dropped by the client because its queue was full. */
  droppedQueueFullSpans: number;
  /** Dropped by the client after its last retry (or when the export timeout left no time). */
  droppedAfterRetriesSpans: number;
  /** Still queued when the drain time ran out. */
  unsentSpans: number;
  /** Trace ids of every batch answered 200; each trace holds SPANS_PER_TRACE spans. */
  acceptedTraceIds: string[];
  /** Request latency of the answers 200. */
  latency: LatencySummary;
  /** CPU the client itself used, in cores. */
  clientCores: number;
}

const MAX_RETRIES = 5;
const INITIAL_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 5_000;
const BACKOFF_MULTIPLIER = 1.5;
const JITTER = 0.2;
const EXPORT_TIMEOUT_MS = 10_000;
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

interface Batch {
  body: Buffer;
  traceIds: string[];
  spanCount: number;
  /** Export deadline, set at the first attempt (0 before): no retry is scheduled past it. */
  deadline: number;
  retries: number;
  nextBackoffMs: number;
}

type Outcome = { kind: 'accepted' } | { kind: 'retryable'; retryAfterMs: number | undefined } | { kind: 'failed' };

function send(url: URL, agent: Agent, batch: Batch, answers: Record<string, number>, latenciesMs: number[]): Promise<Outcome> {
  const startedAt = performance.now();
  const count = (key: string) => (answers[key] = (answers[key] ?? 0) + 1);
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': batch.body.length },
        timeout: EXPORT_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          count(String(status));
          if (status === 200) {
            latenciesMs.push(performance.now() - startedAt);
            resolve({ kind: 'accepted' });
          } else if (RETRYABLE_STATUSES.has(status)) {
            const seconds = Number(res.headers['retry-after']);
            resolve({ kind: 'retryable', retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : undefined });
          } else {
            resolve({ kind: 'failed' });
          }
        });
      },
    );
    req.on('timeout', () => {
      count('timeout');
      req.destroy(new Error('timeout'));
    });
    req.on('error', (error) => {
      if (error.message !== 'timeout') count('error');
      resolve({ kind: 'retryable', retryAfterMs: undefined });
    });
    req.end(batch.body);
  });
}

/** Fresh ids and times stamped into a template; the body is copied so the batch can be re-sent. */
function batchMaker(tracesPerBatch: number): () => Batch {
  const templates: BatchTemplate[] = Array.from({ length: 4 }, (_, variant) =>
    buildBatchTemplate({ traceCount: tracesPerBatch, variant }),
  );
  const entropy = Buffer.allocUnsafe(stampEntropyBytes(templates[0]!));
  let made = 0;
  return () => {
    const template = templates[made++ % templates.length]!;
    randomFillSync(entropy);
    const traceIds = stampBatch(template, entropy, BigInt(Date.now() - 10_000) * 1_000_000n);
    return {
      body: Buffer.from(template.body),
      traceIds,
      spanCount: template.spanCount,
      deadline: 0,
      retries: 0,
      nextBackoffMs: INITIAL_BACKOFF_MS,
    };
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function capacity(command: FloodCommand): Promise<Omit<FloodResult, 'clientCores'>> {
  const url = new URL(command.url);
  const agent = new Agent({ keepAlive: true, maxSockets: command.concurrency });
  const makeBatch = batchMaker(command.tracesPerBatch);
  const answers: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const acceptedTraceIds: string[] = [];
  const startedAt = performance.now();
  const measureFrom = startedAt + command.warmupMs;
  const measureUntil = measureFrom + command.durationMs;
  let acceptedSpans = 0;
  let windowAcceptedSpans = 0;
  let offeredSpans = 0;
  await Promise.all(
    Array.from({ length: command.concurrency }, async () => {
      while (performance.now() < measureUntil) {
        const batch = makeBatch();
        offeredSpans += batch.spanCount;
        const outcome = await send(url, agent, batch, answers, latenciesMs);
        if (outcome.kind !== 'accepted') {
          await pause(100);
          continue;
        }
        acceptedSpans += batch.spanCount;
        acceptedTraceIds.push(...batch.traceIds);
        const now = performance.now();
        if (now > measureFrom && now <= measureUntil) windowAcceptedSpans += batch.spanCount;
      }
    }),
  );
  agent.destroy();
  return {
    offeredSpans,
    windowAcceptedSpans,
    windowSeconds: command.durationMs / 1000,
    acceptedSpans,
    answers,
    retries: 0,
    droppedQueueFullSpans: 0,
    droppedAfterRetriesSpans: 0,
    unsentSpans: 0,
    acceptedTraceIds,
    latency: summariseLatencies(latenciesMs),
  };
}

async function flood(command: FloodCommand): Promise<Omit<FloodResult, 'clientCores'>> {
  const url = new URL(command.url);
  const agent = new Agent({ keepAlive: true, maxSockets: command.concurrency });
  const makeBatch = batchMaker(command.tracesPerBatch);
  const answers: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const acceptedTraceIds: string[] = [];
  const ready: Batch[] = [];
  let held = 0; // queued, in flight or waiting to retry
  let inFlight = 0;
  let retries = 0;
  let offeredSpans = 0;
  let acceptedSpans = 0;
  let windowAcceptedSpans = 0;
  let droppedQueueFullSpans = 0;
  let droppedAfterRetriesSpans = 0;

  const startedAt = performance.now();
  const offerUntil = startedAt + command.durationMs;
  const drainUntil = offerUntil + command.drainMs;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };

  const finish = (batch: Batch, outcome: Outcome) => {
    if (outcome.kind === 'accepted') {
      held--;
      acceptedSpans += batch.spanCount;
      acceptedTraceIds.push(...batch.traceIds);
      if (performance.now() <= offerUntil) windowAcceptedSpans += batch.spanCount;
      return;
    }
    const backoffMs = Math.min(batch.nextBackoffMs * (1 + (Math.random() * 2 - 1) * JITTER), MAX_BACKOFF_MS);
    batch.nextBackoffMs *= BACKOFF_MULTIPLIER;
    const delayMs = outcome.kind === 'retryable' ? (outcome.retryAfterMs ?? backoffMs) : Infinity;
    if (batch.retries >= MAX_RETRIES || Date.now() + delayMs > batch.deadline) {
      held--;
      droppedAfterRetriesSpans += batch.spanCount;
      return;
    }
    batch.retries++;
    retries++;
    setTimeout(() => {
      ready.push(batch);
      notify();
    }, delayMs);
  };

  // The senders: take the next ready batch while under `concurrency` in flight.
  const pump = async () => {
    while (performance.now() < drainUntil && (performance.now() < offerUntil || held > 0)) {
      const batch = ready.shift();
      if (batch === undefined || inFlight >= command.concurrency) {
        if (batch !== undefined) ready.unshift(batch);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 20);
        });
        continue;
      }
      inFlight++;
      if (batch.deadline === 0) batch.deadline = Date.now() + EXPORT_TIMEOUT_MS;
      void send(url, agent, batch, answers, latenciesMs).then((outcome) => {
        inFlight--;
        finish(batch, outcome);
        notify();
      });
    }
  };

  // The applications: offer batches at the rate, dropping what the queue cannot hold.
  const spansPerBatch = command.tracesPerBatch * SPANS_PER_TRACE;
  const offer = async () => {
    let offeredBatches = 0;
    while (performance.now() < offerUntil) {
      const due = Math.floor(((performance.now() - startedAt) / 1000) * command.spansPerSecond / spansPerBatch);
      for (; offeredBatches < due; offeredBatches++) {
        offeredSpans += spansPerBatch;
        if (held >= command.queueBatches) {
          droppedQueueFullSpans += spansPerBatch;
          continue;
        }
        held++;
        ready.push(makeBatch());
      }
      notify();
      await pause(10);
    }
  };

  await Promise.all([offer(), pump()]);
  while (inFlight > 0) await pause(10);
  agent.destroy();
  const unsentSpans = held * spansPerBatch;
  return {
    offeredSpans,
    windowAcceptedSpans,
    windowSeconds: command.durationMs / 1000,
    acceptedSpans,
    answers,
    retries,
    droppedQueueFullSpans,
    droppedAfterRetriesSpans,
    unsentSpans,
    acceptedTraceIds,
    latency: summariseLatencies(latenciesMs),
  };
}

/** Messages between the runner and this process. */
export type FloodRequest = { type: 'run'; command: FloodCommand };
export type FloodReply = { type: 'done'; result: FloodResult } | { type: 'failed'; error: string };

process.once('message', (message: FloodRequest) => {
  const run = message.command.mode === 'capacity' ? capacity : flood;
  const cpuAtStart = process.cpuUsage();
  const startedAt = performance.now();
  run(message.command).then(
    (partial) => {
      const cpu = process.cpuUsage(cpuAtStart);
      const result: FloodResult = { ...partial, clientCores: (cpu.user + cpu.system) / 1e3 / (performance.now() - startedAt) };
      process.send!({ type: 'done', result } satisfies FloodReply, () => process.disconnect());
    },
    (error: unknown) =>
      process.send!({ type: 'failed', error: String((error as Error)?.stack ?? error) } satisfies FloodReply, () =>
        process.disconnect(),
      ),
  );
});
process.once('disconnect', () => process.exit(0));
