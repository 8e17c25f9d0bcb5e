/**
 * The benchmark's phases: a round on an empty database (one server, one measured load, read-back
 * for the collector), and the large-database rounds (fill the collector as fast as it takes
 * spans, then measure it again on the same database).
 */
import { join } from 'node:path';
import type { BenchConfig } from './bench-config.js';
import type { SendCommand } from './sender.js';
import { startSender, stopServer } from './processes.js';
import { runLoadPhase, sample, type PhaseResult, type ServerKind } from './load-phase.js';
import { SCORES_PER_TRACE, SPANS_PER_TRACE } from './payload.js';
import { verifyTraces, type VerifyResult } from './verify.js';
import { formatCount, formatInt, formatMs, type FillResult } from './report.js';
import { fileMiB, removeDatabase, SCRIPTS, startTarget, STOP_GRACE_MS, type Context } from './servers.js';

function measuredCommand(config: Readonly<BenchConfig>, collectIds: boolean): Omit<SendCommand, 'url'> {
  return {
    concurrency: config.concurrency,
    tracesPerBatch: config.tracesPerBatch,
    templatesPerConnection: 4,
    warmupMs: config.warmupSeconds * 1000,
    durationMs: config.seconds * 1000,
    deadlineMs: (config.warmupSeconds + config.seconds) * 1000 + 30_000,
    maxSpans: 0,
    traceIdsEveryNthBatch: collectIds ? 1 : 0,
    requestTimeoutMs: 60_000,
  };
}

export async function emptyDatabaseRound(context: Context, kind: ServerKind, round: number): Promise<PhaseResult> {
  const name = `${kind}-r${round}`;
  const dbFile = join(context.dir, `${name}.db`);
  const server = await startTarget(context, kind, name, dbFile);
  try {
    const { phase } = await runLoadPhase({
      label: `r${round} ${kind}`,
      kind,
      server,
      senderScript: SCRIPTS.sender,
      command: measuredCommand(context.config, kind === 'collector'),
      storedSpansBefore: 0,
      verify:
        kind === 'collector'
          ? { maxTraces: context.config.verifyMaxTraces, maxSeconds: context.config.verifyMaxSeconds }
          : null,
    });
    context.log(describePhase(phase));
    return phase;
  } finally {
    const stopped = await stopServer(server, STOP_GRACE_MS);
    context.log(`    ${name}: stopped (${stopped}); database ${fileMiB(dbFile).toFixed(0)} MiB`);
    removeDatabase(dbFile);
  }
}

function describePhase(phase: PhaseResult): string {
  const failures = Object.entries(phase.failures).map(([status, count]) => `${count}x ${status}`).join(', ');
  const verify = phase.verify ? `; ${describeReadBack(phase.verify)}` : '';
  return (
    `  ${phase.label}: ${formatInt(phase.spansPerSecond)} spans/s, p50 ${formatMs(phase.latency.p50Ms)} ms, ` +
    `p99 ${formatMs(phase.latency.p99Ms)} ms (${phase.latency.count} requests), peak RSS ${phase.peakRssMiB.toFixed(0)} MiB` +
    (failures ? `; failed requests: ${failures} (first: ${phase.firstFailure})` : '') +
    (phase.rejectedSpans > 0 ? `; ${phase.rejectedSpans} spans rejected` : '') +
    (phase.settled ? '' : `; server still BUSY after ${phase.settleSeconds.toFixed(0)} s of waiting to start`) +
    verify
  );
}

function describeReadBack(check: VerifyResult): string {
  const perSecond = check.seconds > 0 ? check.tracesChecked / check.seconds : 0;
  return (
    `read back ${formatInt(check.spansFound)}/${formatInt(check.spansExpected)} spans, ` +
    `${formatInt(check.scoresFound)}/${formatInt(check.scoresExpected)} scores of ${formatInt(check.tracesChecked)} traces ` +
    `in ${check.seconds.toFixed(1)} s (${formatInt(perSecond)} GET/s)` +
    (check.readErrors > 0 ? `, ${formatInt(check.readErrors)} traces UNREADABLE (time-out or error)` : '') +
    (check.tracesUnchecked > 0 ? `, ${formatInt(check.tracesUnchecked)} traces UNCHECKED (time limit)` : '') +
    (check.firstProblem ? ` -- first problem: ${check.firstProblem}` : '')
  );
}

export interface LargeOutcome {
  phases: PhaseResult[];
  fill: FillResult;
  fillCheck: VerifyResult;
  databaseMiB: number;
}

export async function largeDatabaseRounds(context: Context): Promise<LargeOutcome> {
  const { config } = context;
  const name = 'collector-large';
  const dbFile = join(context.dir, `${name}.db`);
  const server = await startTarget(context, 'collector', name, dbFile);
  try {
    context.log(`  filling to ${formatInt(config.largeSpans)} spans (${config.fillConcurrency} requests in flight, at most ${config.fillMaxSeconds} s)...`);
    const filler = startSender(SCRIPTS.sender, {
      url: `${server.baseUrl}/v1/traces`,
      concurrency: config.fillConcurrency,
      tracesPerBatch: config.tracesPerBatch,
      templatesPerConnection: 2,
      warmupMs: 0,
      durationMs: 0,
      deadlineMs: config.fillMaxSeconds * 1000,
      maxSpans: config.largeSpans,
      traceIdsEveryNthBatch: 16,
      requestTimeoutMs: 120_000,
    });
    await filler.ready;
    const filled = await filler.go();
    const fill: FillResult = {
      spans: filled.acceptedSpans,
      seconds: filled.wallSeconds,
      spansPerSecond: filled.acceptedSpans / filled.wallSeconds,
      reachedTarget: filled.acceptedSpans >= config.largeSpans,
      failures: filled.failures,
    };
    context.log(
      `  filled ${formatInt(fill.spans)} spans in ${fill.seconds.toFixed(0)} s (${formatInt(fill.spansPerSecond)} spans/s, ` +
        `${config.fillConcurrency} in flight)` + (fill.reachedTarget ? '' : ` -- SHORT of ${formatInt(config.largeSpans)}: time limit`),
    );
    const fillCheck = await verifyTraces({
      baseUrl: server.baseUrl,
      traceIds: sample(filled.traceIds, config.verifyLargeTraces),
      spansPerTrace: SPANS_PER_TRACE,
      scoresPerTrace: SCORES_PER_TRACE,
      concurrency: 8,
      timeoutMs: config.verifyMaxSeconds * 1000,
    });
    context.log(`  fill sample ${describeReadBack(fillCheck)}`);

    const phases: PhaseResult[] = [];
    let stored = filled.acceptedSpans;
    for (let round = 1; round <= config.rounds; round++) {
      const { phase } = await runLoadPhase({
        label: `r${round} collector @${formatCount(stored)}`,
        kind: 'collector',
        server,
        senderScript: SCRIPTS.sender,
        command: measuredCommand(config, true),
        storedSpansBefore: stored,
        verify: { maxTraces: config.verifyLargeTraces, maxSeconds: config.verifyMaxSeconds },
      });
      context.log(describePhase(phase));
      phases.push(phase);
      stored += phase.acceptedSpans;
    }
    return { phases, fill, fillCheck, databaseMiB: fileMiB(dbFile) + fileMiB(`${dbFile}-wal`) };
  } finally {
    const stopped = await stopServer(server, STOP_GRACE_MS);
    context.log(`    ${name}: stopped (${stopped}); database ${fileMiB(dbFile).toFixed(0)} MiB`);
    removeDatabase(dbFile);
  }
}
