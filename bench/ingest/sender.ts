/**
 * The load client, run as its own process (child_process.fork) so its CPU is not accounted to
 * the server under test. It receives one SendCommand over IPC, keeps `concurrency` requests in
 * flight against an OTLP/HTTP endpoint until the time or span budget is spent, and answers with
 * one SendResult.
 */
import { Agent, request } from 'node:http';
import { randomFillSync } from 'node:crypto';
import { Buffer } from 'node:buffer';
import protobuf from 'protobufjs/minimal.js';
import { buildBatchTemplate, stampBatch, stampEntropyBytes, type BatchTemplate } from './payload.js';
import { summariseLatencies, type LatencySummary } from './stats.js';

export interface SendCommand {
  /**
   * Full URLs of the traces endpoints, e.g. http://127.0.0.1:4318/v1/traces: one per collector,
   * connection n sending to urls[n % urls.length].
   */
  urls: readonly string[];
  concurrency: number;
  tracesPerBatch: number;
  /** Distinct templates each connection cycles through. */
  templatesPerConnection: number;
  /** Sent but not measured, to let the JIT and caches settle. */
  warmupMs: number;
  /** Measured window after the warm-up; 0 when only `maxSpans` bounds the run. */
  durationMs: number;
  /** Hard stop on wall time for the whole command, warm-up included. */
  deadlineMs: number;
  /** Stop once this many spans were accepted (0: no span budget). */
  maxSpans: number;
  /** Report the trace ids of every n-th accepted batch (1: all, 0: none). */
  traceIdsEveryNthBatch: number;
  requestTimeoutMs: number;
}

export interface SendResult {
  /** Requests answered 200 within the measured window. */
  measuredRequests: number;
  /** Spans accepted by requests answered within the measured window. */
  measuredSpans: number;
  measuredSeconds: number;
  /** Latency of requests started within the measured window and answered 200. */
  latency: LatencySummary;
  /** Every accepted span, warm-up and tail included. */
  acceptedSpans: number;
  acceptedRequests: number;
  /**
   * Bytes of the protobuf request bodies answered 200, warm-up and tail included (a request with
   * partial_success.rejected_spans counts whole: it was acknowledged).
   */
  acceptedBodyBytes: number;
  /** Spans the server answered for with partial_success.rejected_spans. */
  rejectedSpans: number;
  /** Requests answered with a non-200 status or failing on the socket, by status ('error' for the socket). */
  failures: Record<string, number>;
  firstFailure: string | null;
  /** Trace ids of the sampled accepted batches; each trace holds SPANS_PER_TRACE spans. */
  traceIds: string[];
  wallSeconds: number;
  /** CPU seconds the sender process itself spent sending (user + system). */
  clientCpuSeconds: number;
}

const RESPONSE_PARTIAL_SUCCESS = (1 << 3) | 2;
const PARTIAL_SUCCESS_REJECTED = (1 << 3) | 0;

/** partial_success.rejected_spans of an ExportTraceServiceResponse (0 when absent). */
function rejectedSpansIn(body: Buffer): number {
  if (body.length === 0) return 0;
  const reader = protobuf.Reader.create(body);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag !== RESPONSE_PARTIAL_SUCCESS) {
      reader.skipType(tag & 7);
      continue;
    }
    const inner = protobuf.Reader.create(reader.bytes());
    while (inner.pos < inner.len) {
      const innerTag = inner.uint32();
      if (innerTag === PARTIAL_SUCCESS_REJECTED) return Number(inner.int64());
      inner.skipType(innerTag & 7);
    }
  }
  return 0;
}

interface Reply {
  status: number;
  body: Buffer;
}

function post(url: URL, agent: Agent, body: Buffer, timeoutMs: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Builds `templatesPerConnection` variants once; each connection gets its own copy of the bodies. */
function prepareTemplates(command: SendCommand): BatchTemplate[][] {
  const variants = Array.from({ length: command.templatesPerConnection }, (_, variant) =>
    buildBatchTemplate({ traceCount: command.tracesPerBatch, variant }),
  );
  return Array.from({ length: command.concurrency }, () =>
    variants.map((template) => ({ ...template, body: Buffer.from(template.body) })),
  );
}

async function send(command: SendCommand, templatesByConnection: BatchTemplate[][]): Promise<SendResult> {
  const urls = command.urls.map((url) => new URL(url));
  const agent = new Agent({ keepAlive: true, maxSockets: command.concurrency });
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  const measureFrom = startedAt + command.warmupMs;
  const measureUntil = command.durationMs > 0 ? measureFrom + command.durationMs : Infinity;
  const hardStop = startedAt + command.deadlineMs;

  const latenciesMs: number[] = [];
  const failures: Record<string, number> = {};
  const traceIds: string[] = [];
  let firstFailure: string | null = null;
  let measuredRequests = 0;
  let measuredSpans = 0;
  let acceptedSpans = 0;
  let acceptedRequests = 0;
  let acceptedBodyBytes = 0;
  let rejectedSpans = 0;
  let batchNumber = 0;

  const budgetLeft = () => command.maxSpans === 0 || acceptedSpans < command.maxSpans;
  const timeLeft = () => {
    const now = performance.now();
    return now < measureUntil && now < hardStop;
  };

  const connection = async (connectionIndex: number): Promise<void> => {
    const url = urls[connectionIndex % urls.length]!;
    // Each connection owns its bodies: one is stamped only while no request is sending it.
    const templates = templatesByConnection[connectionIndex]!;
    const entropy = Buffer.allocUnsafe(stampEntropyBytes(templates[0]!));
    for (let round = 0; timeLeft() && budgetLeft(); round++) {
      const template = templates[round % templates.length]!;
      randomFillSync(entropy);
      const ids = stampBatch(template, entropy, BigInt(Date.now() - 10_000) * 1_000_000n);
      const sentAt = performance.now();
      let reply: Reply;
      try {
        reply = await post(url, agent, template.body, command.requestTimeoutMs);
      } catch (error) {
        failures.error = (failures.error ?? 0) + 1;
        firstFailure ??= `socket: ${(error as Error).message}`;
        await pause(100);
        continue;
      }
      const answeredAt = performance.now();
      if (reply.status !== 200) {
        failures[reply.status] = (failures[reply.status] ?? 0) + 1;
        firstFailure ??= `HTTP ${reply.status}: ${reply.body.toString('utf8', 0, 300)}`;
        await pause(reply.status === 503 || reply.status === 429 ? 50 : 200);
        continue;
      }
      const rejected = rejectedSpansIn(reply.body);
      const accepted = template.spanCount - rejected;
      rejectedSpans += rejected;
      acceptedSpans += accepted;
      acceptedRequests += 1;
      acceptedBodyBytes += template.body.length;
      if (rejected === 0 && command.traceIdsEveryNthBatch > 0 && batchNumber % command.traceIdsEveryNthBatch === 0) {
        for (const id of ids) traceIds.push(id);
      }
      batchNumber += 1;
      if (answeredAt > measureFrom && answeredAt <= measureUntil) {
        measuredRequests += 1;
        measuredSpans += accepted;
      }
      if (sentAt >= measureFrom && answeredAt <= measureUntil) latenciesMs.push(answeredAt - sentAt);
    }
  };

  await Promise.all(Array.from({ length: command.concurrency }, (_, index) => connection(index)));
  agent.destroy();
  const endedAt = performance.now();
  const measuredSeconds = (Math.min(endedAt, measureUntil) - Math.min(measureFrom, endedAt)) / 1000;
  return {
    measuredRequests,
    measuredSpans,
    measuredSeconds,
    latency: summariseLatencies(latenciesMs),
    acceptedSpans,
    acceptedRequests,
    acceptedBodyBytes,
    rejectedSpans,
    failures,
    firstFailure,
    traceIds,
    wallSeconds: (endedAt - startedAt) / 1000,
    clientCpuSeconds: cpuSecondsSince(cpuAtStart),
  };
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Messages from the sender to the runner. */
export type SenderMessage =
  | { type: 'ready' }
  | { type: 'done'; result: SendResult }
  | { type: 'failed'; error: string };

/** Messages from the runner: a SendCommand (the sender prepares, then says ready), then 'go'. */
export type RunnerMessage = { type: 'prepare'; command: SendCommand } | { type: 'go' };

function reply(message: SenderMessage, then: () => void = () => undefined): void {
  process.send!(message, then);
}

let prepared: { command: SendCommand; templates: BatchTemplate[][] } | null = null;
process.on('message', (message: RunnerMessage) => {
  try {
    if (message.type === 'prepare') {
      prepared = { command: message.command, templates: prepareTemplates(message.command) };
      reply({ type: 'ready' });
      return;
    }
    if (prepared === null) throw new Error('"go" before "prepare"');
    send(prepared.command, prepared.templates).then(
      (result) => reply({ type: 'done', result }, () => process.disconnect()),
      (error: unknown) => reply({ type: 'failed', error: String((error as Error)?.stack ?? error) }, () => process.disconnect()),
    );
  } catch (error) {
    reply({ type: 'failed', error: String((error as Error)?.stack ?? error) }, () => process.disconnect());
  }
});
process.once('disconnect', () => process.exit(0));
