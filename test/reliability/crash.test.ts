/**
 * Crashes and shutdown, with the collector as a child process on a file database:
 * - SIGKILL under load, restart on the same file: every span whose request was answered 200 is
 *   stored, each request is all there or not at all, and re-sending everything (as exporters
 *   retry) stores nothing twice: trace token totals count each span once.
 * - SIGTERM under load: requests in flight are answered and stored, the process exits 0, and the
 *   write-ahead log is checkpointed into the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import Database from 'better-sqlite3';
import { collectorScript, startCollectorProcess, type CollectorProcess } from '../helpers/collector-process.js';
import { anyInt, anyString, keyValue, protobufTraces, Random, type ProtoSpan } from './hostile-bodies.js';
import * as genAi from '../../semconv/gen-ai.js';

const TRACES_PER_REQUEST = 20;
const SPANS_PER_TRACE = 5;

interface Sent {
  body: Buffer;
  traceIds: string[];
  /** HTTP status, or 'error' when the connection failed before an answer. */
  status: number | 'error';
  /** When the whole request had been handed to the socket (Infinity: never). */
  writtenAtMs: number;
  answeredAtMs: number;
}

const random = new Random(0xc4a54);
let dir: string;
const children: CollectorProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-crash-'));
  await collectorScript();
}, 30_000);
afterAll(() => {
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function start(dbFile: string, env: NodeJS.ProcessEnv = {}): Promise<CollectorProcess> {
  const collector = await startCollectorProcess(dbFile, env);
  children.push(collector);
  return collector;
}

/** A request of TRACES_PER_REQUEST fresh traces, each SPANS_PER_TRACE spans of 1 input token. */
function exportRequest(spansPerTrace = SPANS_PER_TRACE, traces = TRACES_PER_REQUEST): { body: Buffer; traceIds: string[] } {
  const spans: ProtoSpan[] = [];
  const traceIds: string[] = [];
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  for (let t = 0; t < traces; t++) {
    const traceId = random.id(16);
    traceIds.push(traceId.toString('hex'));
    const rootId = random.id(8);
    for (let s = 0; s < spansPerTrace; s++) {
      spans.push({
        traceId,
        spanId: s === 0 ? rootId : random.id(8),
        ...(s === 0 ? {} : { parentSpanId: rootId }),
        name: s === 0 ? 'agent' : 'chat',
        startTimeUnixNano: nowNs + BigInt(s),
        endTimeUnixNano: nowNs + 1_000_000n,
        attributes: (w) => {
          keyValue(w, 9, genAi.GEN_AI_OPERATION_NAME, anyString('chat'));
          keyValue(w, 9, genAi.GEN_AI_USAGE_INPUT_TOKENS, anyInt(1));
          keyValue(w, 9, genAi.GEN_AI_INPUT_MESSAGES, anyString(JSON.stringify([{ role: 'user', content: 'x'.repeat(200) }])));
        },
      });
    }
  }
  return { body: protobufTraces(spans), traceIds };
}

interface Answer {
  status: number | 'error';
  writtenAtMs: number;
}

function post(url: string, agent: Agent, body: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    let writtenAtMs = Infinity;
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, writtenAtMs }));
        res.on('error', () => resolve({ status: 'error', writtenAtMs }));
      },
    );
    req.on('finish', () => (writtenAtMs = Date.now()));
    req.on('error', () => resolve({ status: 'error', writtenAtMs }));
    req.end(body);
  });
}

/** `concurrency` exporters sending fresh requests until `stop()` says so; every request is recorded in `sent`. */
async function load(
  url: string,
  concurrency: number,
  stop: () => boolean,
  make = () => exportRequest(),
  sent: Sent[] = [],
): Promise<Sent[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const { body, traceIds } = make();
        if (stop()) break;
        const { status, writtenAtMs } = await post(url, agent, body);
        sent.push({ body, traceIds, status, writtenAtMs, answeredAtMs: Date.now() });
        if (status === 'error') break; // the server is gone
      }
    }),
  );
  agent.destroy();
  return sent;
}

interface StoredTrace {
  observations: number;
  totalTokens: number;
}

function storedTraces(dbFile: string, traceIds: readonly string[]): Map<string, StoredTrace> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const observations = db.prepare(`SELECT count(*) FROM observations WHERE project_id = 'default' AND trace_id = ?`).pluck();
    const totals = db.prepare(`SELECT total_tokens FROM traces WHERE project_id = 'default' AND id = ?`).pluck();
    const found = new Map<string, StoredTrace>();
    for (const traceId of traceIds) {
      const count = observations.get(traceId) as number;
      if (count > 0) found.set(traceId, { observations: count, totalTokens: (totals.get(traceId) as number | undefined) ?? -1 });
    }
    return found;
  } finally {
    db.close();
  }
}

describe('SIGKILL under load', () => {
  it('keeps every acknowledged span, exactly once, across a kill and a restart', async () => {
    const dbFile = join(dir, 'killed.db');
    const first = await start(dbFile, { SPANLITE_DB_SYNC: 'normal' });
    let killed = false;
    const progress: Sent[] = [];
    const running = load(first.tracesEndpoint, 4, () => killed, undefined, progress);
    // Kill once a few requests are acknowledged, with more in flight.
    const deadline = Date.now() + 10_000;
    while (progress.filter((s) => s.status === 200).length < 8 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.child.kill('SIGKILL');
    killed = true;
    expect((await first.exited).signal).toBe('SIGKILL');
    const sent = await running;

    const acknowledged = sent.filter((s) => s.status === 200);
    const failed = sent.filter((s) => s.status === 'error');
    expect(acknowledged.length).toBeGreaterThanOrEqual(8);
    expect(failed.length).toBeGreaterThan(0); // the kill cut requests in flight
    expect(sent.every((s) => s.status === 200 || s.status === 'error')).toBe(true);

    const second = await start(dbFile, { SPANLITE_DB_SYNC: 'normal' });
    const allTraceIds = sent.flatMap((s) => s.traceIds);
    const afterCrash = storedTraces(dbFile, allTraceIds);
    for (const s of acknowledged) {
      for (const traceId of s.traceIds) {
        expect(afterCrash.get(traceId), `acknowledged trace ${traceId}`).toEqual({
          observations: SPANS_PER_TRACE,
          totalTokens: SPANS_PER_TRACE,
        });
      }
    }
    // A request cut by the kill is stored whole or not at all.
    for (const s of failed) {
      const stored = s.traceIds.filter((traceId) => afterCrash.has(traceId)).length;
      expect([0, s.traceIds.length]).toContain(stored);
    }

    // Exporters retry what failed; some re-send what was stored. Nothing is stored twice.
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    for (const s of sent) expect((await post(second.tracesEndpoint, agent, s.body)).status).toBe(200);
    agent.destroy();
    const afterRetries = storedTraces(dbFile, allTraceIds);
    expect(afterRetries.size).toBe(allTraceIds.length);
    for (const stored of afterRetries.values()) {
      expect(stored).toEqual({ observations: SPANS_PER_TRACE, totalTokens: SPANS_PER_TRACE });
    }

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 30_000);
});

describe('SIGTERM under load', () => {
  it('answers the requests in flight, stores them, checkpoints the log and exits 0', async () => {
    const dbFile = join(dir, 'stopped.db');
    const collector = await start(dbFile);
    let stopping = false;
    let signalledAtMs = Infinity;
    // Large requests (1,000 spans each) keep the collector busy when the signal comes.
    const running = load(collector.tracesEndpoint, 6, () => stopping, () => exportRequest(5, 200));
    await new Promise((resolve) => setTimeout(resolve, 600));
    signalledAtMs = Date.now();
    collector.child.kill('SIGTERM');
    stopping = true;
    const sent = await running;
    const { code } = await collector.exited;

    expect(code).toBe(0);
    expect(collector.logs.join('\n')).toContain('spanlite stopped');
    const acknowledged = sent.filter((s) => s.status === 200);
    // Every request wholly sent before the signal was answered 200, some of them after it:
    // in flight when it came, and drained rather than dropped.
    const inFlight = sent.filter((s) => s.writtenAtMs < signalledAtMs && s.answeredAtMs >= signalledAtMs);
    expect(inFlight.length).toBeGreaterThan(0);
    for (const s of sent.filter((s) => s.writtenAtMs < signalledAtMs)) expect(s.status).toBe(200);
    // A request still being written when the signal came may be refused (not accepted any more).
    for (const s of sent) expect([200, 'error']).toContain(s.status);

    const stored = storedTraces(dbFile, sent.flatMap((s) => s.traceIds));
    for (const s of acknowledged) for (const traceId of s.traceIds) expect(stored.has(traceId), traceId).toBe(true);
    // Closed cleanly: the write-ahead log was checkpointed into the database and removed.
    const wal = `${dbFile}-wal`;
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
  }, 30_000);
});
