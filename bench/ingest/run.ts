/**
 * `npm run bench:ingest`: the collector against a minimal baseline on the same machine, same
 * payloads, same SQLite durability; then the collector again after its database holds 2M spans.
 *
 * 1. Rounds of (baseline, collector), each on a fresh file database in a temp dir, with a load
 *    sender in its own process; every span the collector accepted is read back over REST.
 * 2. Unless BENCH_SKIP_LARGE=1: a collector is filled to BENCH_LARGE_SPANS by senders going as
 *    fast as they can, then measured for the same rounds.
 * Settings: see bench-config.ts. Prints tables, then the result as JSON.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBenchConfig, type BenchConfig } from './bench-config.js';
import { freePort, killAllChildren, startSender, startServer, stopServer, type ServerProcess } from './processes.js';
import { runLoadPhase, sample, type PhaseResult, type ServerKind } from './load-phase.js';
import { buildBatchTemplate, SCORES_PER_TRACE, SPANS_PER_TRACE } from './payload.js';
import { verifyTraces, type VerifyResult } from './verify.js';
import {
  contentionWarning,
  formatCount,
  formatInt,
  formatPhaseTable,
  formatSummary,
  summarise,
  type FillResult,
} from './report.js';
import { readMachineBusySeconds } from './proc-sampler.js';
import type { SendCommand } from './sender.js';

const HOST = '127.0.0.1';
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const SCRIPTS = {
  collector: here('../../collector/cli.js'),
  baseline: here('./baseline-server.js'),
  sender: here('./sender.js'),
};
const START_TIMEOUT_MS = 30_000;
/** The collector checkpoints and truncates the WAL on SIGTERM; a large one takes a while. */
const STOP_GRACE_MS = 120_000;

interface Context {
  config: Readonly<BenchConfig>;
  dir: string;
  log: (line: string) => void;
}

async function startTarget(context: Context, kind: ServerKind, name: string, dbFile: string): Promise<ServerProcess> {
  const port = await freePort(HOST);
  const logFile = join(context.dir, `${name}.log`);
  if (kind === 'baseline') {
    return startServer({
      name,
      script: SCRIPTS.baseline,
      args: ['--db', dbFile, '--port', String(port), '--host', HOST, '--sync', context.config.dbSync],
      host: HOST,
      port,
      readyPath: '/health',
      logFile,
      readyTimeoutMs: START_TIMEOUT_MS,
    });
  }
  const profileDir = context.config.cpuProfileDir;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  return startServer({
    name,
    script: SCRIPTS.collector,
    nodeOptions: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [],
    env: {
      ...process.env,
      SPANLITE_HOST: HOST,
      SPANLITE_PORT: String(port),
      SPANLITE_DB: dbFile,
      SPANLITE_DB_SYNC: context.config.dbSync,
      SPANLITE_LOG_LEVEL: 'warn',
    },
    host: HOST,
    port,
    readyPath: '/api/public/traces?limit=1',
    logFile,
    readyTimeoutMs: START_TIMEOUT_MS,
  });
}

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

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

function fileMiB(file: string): number {
  try {
    return statSync(file).size / (1024 * 1024);
  } catch {
    return 0;
  }
}

async function emptyDatabaseRound(context: Context, kind: ServerKind, round: number): Promise<PhaseResult> {
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
    `  ${phase.label}: ${formatInt(phase.spansPerSecond)} spans/s, p50 ${phase.latency.p50Ms.toFixed(1)} ms, ` +
    `p99 ${phase.latency.p99Ms.toFixed(1)} ms, peak RSS ${phase.peakRssMiB.toFixed(0)} MiB` +
    (failures ? `; failed requests: ${failures} (first: ${phase.firstFailure})` : '') +
    (phase.rejectedSpans > 0 ? `; ${phase.rejectedSpans} spans rejected` : '') +
    verify
  );
}

function describeReadBack(check: VerifyResult): string {
  const perSecond = check.seconds > 0 ? check.tracesChecked / check.seconds : 0;
  return (
    `read back ${formatInt(check.spansFound)}/${formatInt(check.spansExpected)} spans, ` +
    `${formatInt(check.scoresFound)}/${formatInt(check.scoresExpected)} scores of ${formatInt(check.tracesChecked)} traces ` +
    `in ${check.seconds.toFixed(1)} s (${formatInt(perSecond)} GET/s)` +
    (check.tracesUnchecked > 0 ? `, ${formatInt(check.tracesUnchecked)} traces UNCHECKED (time limit)` : '') +
    (check.firstProblem ? ` -- first problem: ${check.firstProblem}` : '')
  );
}

interface LargeOutcome {
  phases: PhaseResult[];
  fill: FillResult;
  fillCheck: VerifyResult;
  databaseMiB: number;
}

async function largeDatabaseRounds(context: Context): Promise<LargeOutcome> {
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

async function main(): Promise<number> {
  const config = loadBenchConfig();
  const dir = mkdtempSync(join(tmpdir(), 'spanlite-bench-'));
  const log = (line: string) => console.log(line);
  const context: Context = { config, dir, log };
  const cleanUp = () => {
    killAllChildren();
    if (!config.keepDir) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the servers and senders`);
      cleanUp();
      process.exit(130);
    });
  }

  const template = buildBatchTemplate({ traceCount: config.tracesPerBatch, variant: 0 });
  const spansPerBatch = config.tracesPerBatch * SPANS_PER_TRACE;
  const machine = { cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version };
  log(`spanlite ingest benchmark  (${machine.cpus} cores, ${machine.cpuModel}, node ${machine.node})`);
  log(
    `  payload: OTLP protobuf, ${spansPerBatch} spans/request (${config.tracesPerBatch} traces x ${SPANS_PER_TRACE} spans), ` +
      `${(template.body.length / 1024).toFixed(0)} KiB/request; ${config.concurrency} requests in flight from a separate sender process`,
  );
  log(
    `  SQLite synchronous=${config.dbSync.toUpperCase()} (WAL) for both servers; ${config.rounds} rounds x ` +
      `(${config.warmupSeconds} s warm-up + ${config.seconds} s measured); temp dir ${dir}` +
      (config.cpuProfileDir ? `; collector CPU profiles -> ${config.cpuProfileDir}` : ''),
  );

  const busyBefore = readMachineBusySeconds();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleLoad = readMachineBusySeconds() - busyBefore;
  log(`  machine load before start: ${idleLoad.toFixed(2)} cores busy${idleLoad > 0.25 ? ' -- NOT QUIET, figures will be low' : ''}`);

  try {
    const phases: PhaseResult[] = [];
    log('\nEmpty databases (fresh file per phase):');
    for (let round = 1; round <= config.rounds; round++) {
      phases.push(await emptyDatabaseRound(context, 'baseline', round));
      phases.push(await emptyDatabaseRound(context, 'collector', round));
    }

    let large: LargeOutcome | null = null;
    let largeNote: string;
    if (config.skipLarge) {
      largeNote = 'large database: SKIPPED (BENCH_SKIP_LARGE=1)';
      log(`\nLarge database: skipped (BENCH_SKIP_LARGE=1)`);
    } else {
      log(`\nLarge database (${formatInt(config.largeSpans)} spans stored first):`);
      large = await largeDatabaseRounds(context);
      phases.push(...large.phases);
      largeNote = `after ${formatCount(large.fill.spans)} stored spans`;
    }

    const summary = summarise(phases, config.largeSpans, large ? [large.fillCheck] : []);
    log('\nAll phases:');
    log(formatPhaseTable(phases));
    log('');
    log(formatSummary(summary, largeNote));
    const warning = contentionWarning(phases);
    if (warning) log(`\n${warning}`);
    if (config.skipLarge) log('\n(2M-span target not measured: BENCH_SKIP_LARGE=1)');
    else if (large && !large.fill.reachedTarget) log(`\n(fill stopped at ${formatInt(large.fill.spans)} spans: BENCH_FILL_MAX_SECONDS)`);

    const result = {
      machine,
      settings: { ...config, spansPerBatch, bytesPerBatch: template.body.length },
      phases,
      large: large ? { fill: large.fill, fillCheck: large.fillCheck, databaseMiB: large.databaseMiB } : { skipped: true },
      summary,
    };
    const json = JSON.stringify(result, null, 2);
    log('\nResult (JSON):');
    log(json);
    if (config.resultFile) writeFileSync(config.resultFile, json + '\n');
    cleanUp();
    return summary.lostSpans === 0 && summary.spansChecked > 0 ? 0 : 1;
  } catch (error) {
    killAllChildren(); // databases are removed phase by phase; the server logs stay for diagnosis
    console.error(`server logs kept in ${dir}`);
    throw error;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    killAllChildren();
    console.error('bench:ingest failed:', error);
    process.exitCode = 1;
  },
);
