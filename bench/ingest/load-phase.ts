/**
 * One measured load phase against a running server: fork a sender, wait until its payloads are
 * ready, sample the server's RSS and CPU while it sends, then (optionally) read everything back.
 */
import type { SendCommand, SendResult } from './sender.js';
import type { LatencySummary } from './stats.js';
import { sampleProcess, waitUntilQuiet } from './proc-sampler.js';
import { startSender, type ServerProcess } from './processes.js';
import { verifyTraces, type VerifyResult } from './verify.js';
import type { StorageFigures } from './storage.js';
import { SCORES_PER_TRACE, SPANS_PER_TRACE } from './payload.js';

export type ServerKind = 'baseline' | 'collector';

export interface PhaseResult {
  label: string;
  server: ServerKind;
  /** Spans already stored when the phase started. */
  storedSpansBefore: number;
  /** Seconds waited for the server to go idle before sending; `settled` false if it never did. */
  settleSeconds: number;
  settled: boolean;
  spansPerSecond: number;
  latency: LatencySummary;
  peakRssMiB: number;
  /** Server CPU seconds per wall second during the phase (2.0 = both cores busy). */
  serverCpuCores: number;
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
  server: ServerProcess;
  senderScript: string;
  command: Omit<SendCommand, 'url'>;
  storedSpansBefore: number;
  /** Read back the sender's reported trace ids (collector only); maxTraces 0 = all. */
  verify: { maxTraces: number; maxSeconds: number } | null;
}

export async function runLoadPhase(options: LoadPhaseOptions): Promise<{ phase: PhaseResult; sent: SendResult }> {
  const command: SendCommand = { ...options.command, url: `${options.server.baseUrl}/v1/traces` };
  const sender = startSender(options.senderScript, command);
  await sender.ready;
  const settle = await waitUntilQuiet(options.server.pid, { belowCores: 0.1, maxMs: 120_000 });
  const sampler = sampleProcess(options.server.pid);
  const sent = await sender.go();
  const usage = sampler.stop();

  let verify: VerifyResult | null = null;
  if (options.verify) {
    const ids = options.verify.maxTraces > 0 ? sample(sent.traceIds, options.verify.maxTraces) : sent.traceIds;
    verify = await verifyTraces({
      baseUrl: options.server.baseUrl,
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
    storedSpansBefore: options.storedSpansBefore,
    settleSeconds: settle.seconds,
    settled: settle.quiet,
    spansPerSecond: sent.measuredSeconds > 0 ? sent.measuredSpans / sent.measuredSeconds : 0,
    latency: sent.latency,
    peakRssMiB: usage.peakRssMiB,
    serverCpuCores: usage.wallSeconds > 0 ? usage.cpuSeconds / usage.wallSeconds : 0,
    clientCpuCores: sent.wallSeconds > 0 ? sent.clientCpuSeconds / sent.wallSeconds : 0,
    otherCpuCores:
      usage.wallSeconds > 0
        ? Math.max(0, usage.machineBusySeconds - usage.cpuSeconds - sent.clientCpuSeconds) / usage.wallSeconds
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
