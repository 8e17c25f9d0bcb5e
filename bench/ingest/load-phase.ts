/**
 * One measured load phase against running servers (one, or several collectors sharing a
 * PostgreSQL database): fork a sender, wait until its payloads are ready, sample the servers'
 * RSS and CPU (and the database server's CPU) while it sends, then (optionally) read everything
 * back.
 */
import type { SendCommand, SendResult } from './sender.js';
import type { LatencySummary } from './stats.js';
import { sampleCpu, sampleProcesses, waitUntilQuiet, type CpuReader } from './proc-sampler.js';
import type { BenchStore } from '../store-option.js';
import { startSender, type ServerProcess } from './processes.js';
import { verifyTraces, type VerifyResult } from './verify.js';
import type { StorageFigures } from './storage.js';
import { SCORES_PER_TRACE, SPANS_PER_TRACE } from './payload.js';

/** `collector+mask`: the collector with BENCH_MASK's masking detectors on. */
export type ServerKind = 'baseline' | 'collector' | 'collector+mask';

export interface PhaseResult {
  label: string;
  server: ServerKind;
  /** Where the servers stored the spans. */
  store: BenchStore;
  /** Server processes that shared the load (collectors on one PostgreSQL database). */
  serverProcesses: number;
  /** Spans already stored when the phase started. */
  storedSpansBefore: number;
  /** Seconds waited for the server to go idle before sending; `settled` false if it never did. */
  settleSeconds: number;
  settled: boolean;
  spansPerSecond: number;
  latency: LatencySummary;
  /** Peak of the server processes' summed RSS. */
  peakRssMiB: number;
  /** Server CPU seconds per wall second during the phase (2.0 = both cores busy), processes summed. */
  serverCpuCores: number;
  /** The database server's CPU (PostgreSQL: postmaster and children), like serverCpuCores; null for SQLite (in process). */
  databaseCpuCores: number | null;
  /** Database server CPU milliseconds per 1000 accepted spans; null for SQLite. */
  databaseCpuMsPer1kSpans: number | null;
  /** The sender process's CPU seconds per wall second (it shares the cores with the server). */
  clientCpuCores: number;
  /**
   * CPU used by everything else on the machine during the phase, in cores: other work sharing
   * the cores lowers the figures (check it when rounds disagree).
   */
  otherCpuCores: number;
  /** Server CPU milliseconds per 1000 accepted spans. */
  serverCpuMsPer1kSpans: number;
  /** Bytes the server wrote to storage (database, WAL, checkpoints) per accepted span. */
  serverWrittenBytesPerSpan: number;
  acceptedSpans: number;
  acceptedRequests: number;
  /** Protobuf request body bytes of the requests answered 200, warm-up and tail included. */
  acceptedBodyBytes: number;
  rejectedSpans: number;
  /**
   * Disk the phase's acknowledged spans take (see storage.ts for the two ways it is measured);
   * null until the caller has measured it, after the phase.
   */
  storage: StorageFigures | null;
  failures: Record<string, number>;
  firstFailure: string | null;
  verify: VerifyResult | null;
}

export interface LoadPhaseOptions {
  label: string;
  kind: ServerKind;
  /** The servers the sender spreads its connections over. */
  servers: readonly ServerProcess[];
  /** Default sqlite. */
  store?: BenchStore;
  /** CPU of the database server the servers share (a PostgreSQL process tree), when there is one. */
  databaseCpu?: CpuReader;
  senderScript: string;
  command: Omit<SendCommand, 'urls'>;
  storedSpansBefore: number;
  /** Read back the sender's reported trace ids (collector only); maxTraces 0 = all. */
  verify: { maxTraces: number; maxSeconds: number } | null;
}

export async function runLoadPhase(options: LoadPhaseOptions): Promise<{ phase: PhaseResult; sent: SendResult }> {
  const { servers } = options;
  const command: SendCommand = { ...options.command, urls: servers.map((server) => `${server.baseUrl}/v1/traces`) };
  const sender = startSender(options.senderScript, command);
  await sender.ready;
  const quietTargets = [...servers.map((server) => server.pid), ...(options.databaseCpu ? [options.databaseCpu] : [])];
  const settle = { seconds: 0, quiet: true };
  for (const target of quietTargets) {
    const waited = await waitUntilQuiet(target, { belowCores: 0.1, maxMs: 120_000 });
    settle.seconds += waited.seconds;
    settle.quiet &&= waited.quiet;
  }
  const sampler = sampleProcesses(servers.map((server) => server.pid));
  const databaseSampler = options.databaseCpu ? sampleCpu(options.databaseCpu) : null;
  const sent = await sender.go();
  const usage = sampler.stop();
  const database = databaseSampler?.stop() ?? null;
  const databaseCpuSeconds = database?.cpuSeconds ?? 0;

  let verify: VerifyResult | null = null;
  if (options.verify) {
    const ids = options.verify.maxTraces > 0 ? sample(sent.traceIds, options.verify.maxTraces) : sent.traceIds;
    verify = await verifyTraces({
      baseUrl: servers[0]!.baseUrl,
      traceIds: ids,
      spansPerTrace: SPANS_PER_TRACE,
      scoresPerTrace: SCORES_PER_TRACE,
      concurrency: 8,
      timeoutMs: options.verify.maxSeconds * 1000,
    });
  }

  const phase: PhaseResult = {
    label: options.label,
    server: options.kind,
    store: options.store ?? 'sqlite',
    serverProcesses: servers.length,
    storedSpansBefore: options.storedSpansBefore,
    settleSeconds: settle.seconds,
    settled: settle.quiet,
    spansPerSecond: sent.measuredSeconds > 0 ? sent.measuredSpans / sent.measuredSeconds : 0,
    latency: sent.latency,
    peakRssMiB: usage.peakRssMiB,
    serverCpuCores: usage.wallSeconds > 0 ? usage.cpuSeconds / usage.wallSeconds : 0,
    databaseCpuCores: database === null ? null : database.wallSeconds > 0 ? database.cpuSeconds / database.wallSeconds : 0,
    databaseCpuMsPer1kSpans: database === null ? null : sent.acceptedSpans > 0 ? (database.cpuSeconds * 1000 * 1000) / sent.acceptedSpans : 0,
    clientCpuCores: sent.wallSeconds > 0 ? sent.clientCpuSeconds / sent.wallSeconds : 0,
    otherCpuCores:
      usage.wallSeconds > 0
        ? Math.max(0, usage.machineBusySeconds - usage.cpuSeconds - databaseCpuSeconds - sent.clientCpuSeconds) / usage.wallSeconds
        : 0,
    serverCpuMsPer1kSpans: sent.acceptedSpans > 0 ? (usage.cpuSeconds * 1000 * 1000) / sent.acceptedSpans : 0,
    serverWrittenBytesPerSpan: sent.acceptedSpans > 0 ? (usage.writtenMiB * 1024 * 1024) / sent.acceptedSpans : 0,
    acceptedSpans: sent.acceptedSpans,
    acceptedRequests: sent.acceptedRequests,
    acceptedBodyBytes: sent.acceptedBodyBytes,
    rejectedSpans: sent.rejectedSpans,
    storage: null,
    failures: sent.failures,
    firstFailure: sent.firstFailure,
    verify,
  };
  return { phase, sent };
}

/** `count` ids drawn without replacement (Fisher-Yates on a copy). */
export function sample<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  const copy = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}
