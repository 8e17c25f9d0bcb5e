/**
 * `npm run bench:query [-- --store postgres]`: the query API on a large database. Writes
 * BENCH_QUERY_TRACES (default 1,000,000) LLM-like traces with 6 observations each into a scratch
 * database through the store's write path (dataset.ts): a SQLite file, or with `--store
 * postgres` a database on a throwaway PostgreSQL server. Then starts a real collector on it and
 * times each query over HTTP, with parameters varied per request. Prints p50/p95 per query
 * against the targets: lists and detail p95 <= 50 ms, full text p95 <= 200 ms, metrics <= 500 ms.
 */
import { availableParallelism, cpus } from 'node:os';
import pino from 'pino';
import { loadQueryBenchConfig, type QueryBenchConfig } from './bench-config.js';
import { loadDataset, OBSERVATIONS_PER_TRACE, TRACES_PER_COMMIT } from './dataset.js';
import { benchQueries, type BenchQuery } from './queries.js';
import type { BenchDatabase } from './bench-database.js';
import { sqliteBenchDatabase } from './sqlite-database.js';
import { postgresBenchDatabase } from './postgres-database.js';
import { loadCollectorConfig } from '../../config/collector-config.js';
import { startCollector } from '../../collector/main.js';
import { readMachineBusySeconds } from '../ingest/proc-sampler.js';

const WARMUP_RUNS = 5;
const TARGET_MS = { list: 50, detail: 50, search: 200, metrics: 500 } as const;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function seconds(since: bigint): string {
  return `${(Number(process.hrtime.bigint() - since) / 1e9).toFixed(1)} s`;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Cores busy on the whole machine over one second (other work sharing the cores slows the queries). */
async function machineLoad(): Promise<number> {
  const before = readMachineBusySeconds();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return readMachineBusySeconds() - before;
}

/** An empty database is loaded through the store; one holding traces is used as it is. */
async function prepareDatabase(database: BenchDatabase, config: Readonly<QueryBenchConfig>): Promise<void> {
  const stored = await database.storedTraces();
  if (stored > 0) {
    log(`reusing ${database.description}: ${stored.toLocaleString()} traces`);
    return;
  }
  const traces = config.traces;
  const started = process.hrtime.bigint();
  let lastReport = 0;
  const store = await database.openStore();
  try {
    await loadDataset(
      store,
      traces,
      (loaded, total) => {
        if (loaded - lastReport >= total / 10 || loaded === total) {
          lastReport = loaded;
          log(`  loaded ${loaded.toLocaleString()} / ${total.toLocaleString()} traces (${seconds(started)})`);
        }
      },
      config.loadCommitsInFlight,
    );
  } finally {
    await store.close();
  }
  const loadTime = seconds(started);
  const settled = await database.settle();
  log(
    `load: ${traces.toLocaleString()} traces, ${(traces * OBSERVATIONS_PER_TRACE).toLocaleString()} observations, ` +
      `${(traces * 2).toLocaleString()} scores in ${loadTime}, ${TRACES_PER_COMMIT} traces per commit, ` +
      `${config.loadCommitsInFlight} commit(s) at a time; ${await database.describeSize()}` +
      (settled ? `; then ${settled}` : ''),
  );
}

async function timeQuery(baseUrl: string, query: BenchQuery, runs: number): Promise<{ p50: number; p95: number; max: number; items: number }> {
  const durations: number[] = [];
  let items = 0;
  for (let run = 0; run < WARMUP_RUNS + runs; run++) {
    const path = query.path(run);
    const started = process.hrtime.bigint();
    const response = await fetch(baseUrl + path);
    const body = (await response.json()) as { data?: unknown[]; meta?: { totalItems: number } };
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (!response.ok) throw new Error(`${query.name}: GET ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    if (run >= WARMUP_RUNS) {
      durations.push(ms);
      items += body.meta?.totalItems ?? 1;
    }
  }
  durations.sort((a, b) => a - b);
  return { p50: percentile(durations, 50), p95: percentile(durations, 95), max: durations.at(-1)!, items: Math.round(items / runs) };
}

async function main(): Promise<void> {
  const config = loadQueryBenchConfig();
  log(`spanlite query benchmark  (${availableParallelism()} cores, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version})`);
  const database = config.store === 'postgres' ? await postgresBenchDatabase(config.database) : sqliteBenchDatabase(config.database);
  log(`  store: ${database.description}`);
  const loadBefore = await machineLoad();
  log(`  machine load before start: ${loadBefore.toFixed(2)} cores busy${loadBefore > 0.25 ? ' -- NOT QUIET, figures will be high' : ''}`);
  try {
    await prepareDatabase(database, config);
    const samples = await database.samples();
    const collector = await startCollector(
      Object.freeze({
        ...loadCollectorConfig({}),
        host: '127.0.0.1',
        port: 0,
        grpcPort: null,
        ...database.collectorSettings,
        logLevel: 'silent' as const,
      }),
      pino({ level: 'silent' }),
    );
    const loadBeforeQueries = await machineLoad();
    log(`  machine load before the queries: ${loadBeforeQueries.toFixed(2)} cores busy (the collector and the database idle)`);
    const results: Array<{ query: BenchQuery; p50: number; p95: number; max: number; items: number }> = [];
    try {
      for (const query of benchQueries(samples)) {
        const timing = await timeQuery(collector.url, query, config.runs);
        results.push({ query, ...timing });
        log(`  ${query.name}: p50 ${timing.p50.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms`);
      }
    } finally {
      await collector.close();
    }
    log('');
    log(`${config.runs} requests per query over HTTP after ${WARMUP_RUNS} warm-up, parameters varied per request`);
    const header = ['query', 'matches (avg)', 'p50 ms', 'p95 ms', 'max ms', 'target p95', 'result'];
    const rows = results.map(({ query, p50, p95, max, items }) => {
      const target = query.kind === 'extra' ? undefined : TARGET_MS[query.kind];
      return [
        query.name,
        items.toLocaleString(),
        p50.toFixed(1),
        p95.toFixed(1),
        max.toFixed(1),
        target === undefined ? '-' : `<= ${target} ms`,
        target === undefined ? '-' : p95 <= target ? 'PASS' : 'FAIL',
      ];
    });
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    log(line(header));
    log(widths.map((width) => '-'.repeat(width)).join('  '));
    for (const row of rows) log(line(row));
    const failed = rows.filter((row) => row[6] === 'FAIL').length;
    log('');
    log(failed === 0 ? 'all targets met' : `${failed} target(s) missed`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error('bench:query failed:', error);
  process.exitCode = 1;
});
