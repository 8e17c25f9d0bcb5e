/**
 * `npm run bench:ingest`: the collector against a minimal baseline on the same machine, same
 * payloads, same SQLite durability; then the collector again after its database holds 2M spans.
 *
 * 1. Rounds of (baseline, collector), each on a fresh file database in a temp dir, with a load
 *    sender in its own process; every span the collector accepted is read back over REST.
 * 2. Unless BENCH_SKIP_LARGE=1: a collector is filled to BENCH_LARGE_SPANS by senders going as
 *    fast as they can, then measured for the same rounds.
 * Each phase also reports the disk its acknowledged spans take, per span and per protobuf byte
 * received (storage.ts). Then the cost stage's time per span beside the collector's CPU per span
 * (cost-stage-line.ts). Settings: see bench-config.ts. Prints tables, then the result as JSON.
 *
 * With `--store postgres` (postgres-rounds.ts): rounds of (SQLite collector, PostgreSQL with one
 * collector, PostgreSQL with two), the PostgreSQL server's CPU measured beside the collectors'.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchConfig } from './bench-config.js';
import { killAllChildren } from './processes.js';
import type { PhaseResult } from './load-phase.js';
import { buildBatchTemplate, SPANS_PER_TRACE } from './payload.js';
import { contentionWarning, formatCount, formatInt, formatPhaseTable, formatSummary, summarise } from './report.js';
import { readMachineBusySeconds } from './proc-sampler.js';
import type { Context } from './servers.js';
import { emptyDatabaseRound, largeDatabaseRounds, type LargeOutcome } from './rounds.js';
import { postgresDurability, postgresRound } from './postgres-rounds.js';
import { formatPostgresSummary, summarisePostgres } from './postgres-report.js';
import { startPostgres } from '../postgres/throwaway-server.js';
import { formatCostStageLine, measureCostStageShare } from './cost-stage-line.js';

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
    `  SQLite synchronous=${config.dbSync.toUpperCase()} (WAL) for the SQLite servers; ${config.rounds} rounds x ` +
      `(${config.warmupSeconds} s warm-up + ${config.seconds} s measured); temp dir ${dir}` +
      (config.cpuProfileDir ? `; collector CPU profiles -> ${config.cpuProfileDir}` : ''),
  );

  const busyBefore = readMachineBusySeconds();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleLoad = readMachineBusySeconds() - busyBefore;
  log(`  machine load before start: ${idleLoad.toFixed(2)} cores busy${idleLoad > 0.25 ? ' -- NOT QUIET, figures will be low' : ''}`);

  if (config.store === 'postgres') {
    try {
      return await postgresComparison(context, { machine, spansPerBatch, bytesPerBatch: template.body.length });
    } catch (error) {
      killAllChildren();
      console.error(`server logs kept in ${dir}`);
      throw error;
    }
  }

  try {
    const phases: PhaseResult[] = [];
    log('\nEmpty databases (fresh file per phase):');
    for (let round = 1; round <= config.rounds; round++) {
      phases.push(await emptyDatabaseRound(context, 'baseline', round));
      phases.push(await emptyDatabaseRound(context, 'collector', round));
      if (config.mask) phases.push(await emptyDatabaseRound(context, 'collector+mask', round));
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
    log(`\n${formatCostStageLine(await measureCostStageShare(config.tracesPerBatch, summary.collectorEmpty.serverCpuMsPer1kSpans))}`);
    if (config.skipLarge) log('\n(2M-span target not measured: BENCH_SKIP_LARGE=1)');
    else if (large && !large.fill.reachedTarget) log(`\n(fill stopped at ${formatInt(large.fill.spans)} spans: BENCH_FILL_MAX_SECONDS)`);

    const result = {
      machine,
      settings: { ...config, spansPerBatch, bytesPerBatch: template.body.length },
      phases,
      large: large
        ? { fill: large.fill, fillCheck: large.fillCheck, fillStorage: large.fillStorage, databaseMiB: large.databaseMiB }
        : { skipped: true },
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

/** `--store postgres`: the SQLite collector, then PostgreSQL with one and two collectors, per round. */
async function postgresComparison(
  context: Context,
  run: { machine: Record<string, unknown>; spansPerBatch: number; bytesPerBatch: number },
): Promise<number> {
  const { config, log } = context;
  const durability = postgresDurability(config.dbSync);
  const server = await startPostgres({ durability });
  try {
    log(
      `  PostgreSQL: throwaway server on port ${server.port}, ${durability === 'full' ? 'synchronous_commit on' : 'synchronous_commit off'} ` +
        `(as SQLite synchronous=${config.dbSync.toUpperCase()}), defaults otherwise; collectors with SPANLITE_DB_POOL default`,
    );
    const phases: PhaseResult[] = [];
    log('\nEmpty databases (fresh SQLite file or PostgreSQL database per phase):');
    for (let round = 1; round <= config.rounds; round++) {
      phases.push(await emptyDatabaseRound(context, 'collector', round));
      phases.push(await postgresRound(context, server, 1, round));
      phases.push(await postgresRound(context, server, 2, round));
    }
    const summary = summarisePostgres(phases);
    log('\nAll phases:');
    log(formatPhaseTable(phases));
    log('');
    log(formatPostgresSummary(summary));
    const warning = contentionWarning(phases);
    if (warning) log(`\n${warning}`);
    log('\n(no baseline server and no large-database phase with --store postgres: the SQLite collector is the baseline)');
    const result = { ...run, settings: { ...config, spansPerBatch: run.spansPerBatch, bytesPerBatch: run.bytesPerBatch }, phases, summary };
    const json = JSON.stringify(result, null, 2);
    log('\nResult (JSON):');
    log(json);
    if (config.resultFile) writeFileSync(config.resultFile, json + '\n');
    killAllChildren();
    if (!config.keepDir) rmSync(context.dir, { recursive: true, force: true });
    return summary.lostSpans === 0 && summary.spansChecked > 0 ? 0 : 1;
  } finally {
    await server.stop();
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
