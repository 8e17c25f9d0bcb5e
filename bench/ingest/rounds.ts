/**
 * The benchmark's phases: a round on an empty database (one server, one measured load, read-back
 * for the collector), and the large-database rounds (fill the collector as fast as it takes
 * spans, then measure it again on the same database).
 */
import { join } from 'node:path';
import type { BenchConfig } from './bench-config.js';
import type { SendCommand } from './sender.js';
import { CLEAN_EXIT, startSender, stopServer, type ServerProcess } from './processes.js';
import { runLoadPhase, sample, type PhaseResult, type ServerKind } from './load-phase.js';
import { waitUntilQuiet } from './proc-sampler.js';
import { SCORES_PER_TRACE, SPANS_PER_TRACE } from './payload.js';
import { verifyTraces, type VerifyResult } from './verify.js';
import { formatCount, formatInt, formatMs, type FillResult } from './report.js';
import { removeDatabase, SCRIPTS, startTarget, STOP_GRACE_MS, type Context } from './servers.js';
import { databaseFileBytes, databasePageBytes, describeStorage, storageFigures, type StorageFigures } from './storage.js';

export function measuredCommand(config: Readonly<BenchConfig>, collectIds: boolean): Omit<SendCommand, 'urls'> {
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
  let phase: PhaseResult;
  try {
    ({ phase } = await runLoadPhase({
      label: `r${round} ${kind}`,
      kind,
      servers: [server],
      senderScript: SCRIPTS.sender,
      command: measuredCommand(context.config, kind !== 'baseline'),
      storedSpansBefore: 0,
      verify:
        kind !== 'baseline'
          ? { maxTraces: context.config.verifyMaxTraces, maxSeconds: context.config.verifyMaxSeconds }
          : null,
    }));
    context.log(describePhase(phase));
  } catch (error) {
    await stopAndRemove(context, server, dbFile);
    throw error;
  }
  const stopped = await stopAndRemove(context, server, dbFile);
  // The database held only this phase's spans, so its checkpointed files are what they take.
  // After an unclean stop the WAL may hold frames not yet copied into the file: no figure.
  const storage = stopped.clean
    ? storageFigures('files-after-stop', stopped.databaseBytes, { spans: phase.acceptedSpans, protobufBytes: phase.acceptedBodyBytes })
    : null;
  context.log(`    ${name} on disk: ${storage ? describeStorage(storage) : 'not measured (unclean stop)'}`);
  return { ...phase, storage };
}

interface Stopped {
  /** The server exited with status 0, after the collector's TRUNCATE checkpoint. */
  clean: boolean;
  /** Database + its -wal once the server has exited. */
  databaseBytes: number;
}

/** Stops the server, measures its database files, then removes them. */
async function stopAndRemove(context: Context, server: ServerProcess, dbFile: string): Promise<Stopped> {
  const outcome = await stopServer(server, STOP_GRACE_MS);
  const databaseBytes = databaseFileBytes(dbFile);
  removeDatabase(dbFile);
  context.log(`    ${server.name}: stopped (${outcome}); database + WAL ${(databaseBytes / (1024 * 1024)).toFixed(1)} MiB`);
  return { clean: outcome === CLEAN_EXIT, databaseBytes };
}

export function describePhase(phase: PhaseResult): string {
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
  /** Disk the fill's spans take: page growth from the empty database to the end of the fill. */
  fillStorage: StorageFigures;
  /** Database + WAL once the collector stopped after the last round. */
  databaseMiB: number;
}

/**
 * One collector, one database for the fill and every round: each phase's disk figure is the page
 * growth between two moments at rest (see storage.ts), not the file size, which holds the fill
 * and the rounds before it.
 */
export async function largeDatabaseRounds(context: Context): Promise<LargeOutcome> {
  const name = 'collector-large';
  const dbFile = join(context.dir, `${name}.db`);
  const server = await startTarget(context, 'collector', name, dbFile);
  let measured: Omit<LargeOutcome, 'databaseMiB'>;
  try {
    measured = await fillThenMeasure(context, server, dbFile);
  } catch (error) {
    await stopAndRemove(context, server, dbFile);
    throw error;
  }
  const { databaseBytes } = await stopAndRemove(context, server, dbFile);
  return { ...measured, databaseMiB: databaseBytes / (1024 * 1024) };
}

async function fillThenMeasure(
  context: Context,
  server: ServerProcess,
  dbFile: string,
): Promise<Omit<LargeOutcome, 'databaseMiB'>> {
  const { config } = context;
  const emptyBytes = await restingPageBytes(server, dbFile);
  context.log(`  filling to ${formatInt(config.largeSpans)} spans (${config.fillConcurrency} requests in flight, at most ${config.fillMaxSeconds} s)...`);
  const filler = startSender(SCRIPTS.sender, {
    urls: [`${server.baseUrl}/v1/traces`],
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
  let bytesBefore = await restingPageBytes(server, dbFile);
  const fillStorage = storageFigures('page-growth', bytesBefore - emptyBytes, {
    spans: filled.acceptedSpans,
    protobufBytes: filled.acceptedBodyBytes,
  });
  context.log(`  fill on disk: ${describeStorage(fillStorage)}`);

  const phases: PhaseResult[] = [];
  let stored = filled.acceptedSpans;
  for (let round = 1; round <= config.rounds; round++) {
    const { phase } = await runLoadPhase({
      label: `r${round} collector @${formatCount(stored)}`,
      kind: 'collector',
      servers: [server],
      senderScript: SCRIPTS.sender,
      command: measuredCommand(config, true),
      storedSpansBefore: stored,
      verify: { maxTraces: config.verifyLargeTraces, maxSeconds: config.verifyMaxSeconds },
    });
    const bytesAfter = await restingPageBytes(server, dbFile);
    const storage = storageFigures('page-growth', bytesAfter - bytesBefore, {
      spans: phase.acceptedSpans,
      protobufBytes: phase.acceptedBodyBytes,
    });
    bytesBefore = bytesAfter;
    context.log(`${describePhase(phase)}; on disk ${describeStorage(storage)}`);
    phases.push({ ...phase, storage });
    stored += phase.acceptedSpans;
  }
  return { phases, fill, fillCheck, fillStorage };
}

/**
 * page_count x page_size once the server is idle, so work that follows a phase's last answer (the
 * word index's merge step after its last group commit) counts for that phase; at most 120 s of
 * waiting, like a phase's start.
 */
async function restingPageBytes(server: ServerProcess, dbFile: string): Promise<number> {
  await waitUntilQuiet(server.pid, { belowCores: 0.1, maxMs: 120_000 });
  return databasePageBytes(dbFile);
}
