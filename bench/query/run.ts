/**
 * `npm run bench:query`: the query API on a large database. Writes BENCH_QUERY_TRACES (default
 * 1,000,000) LLM-like traces with 6 observations each into a scratch database through the
 * store's write path (dataset.ts), starts a real collector on it and times each query over
 * HTTP, with parameters varied per request. Prints p50/p95 per query against the targets: lists
 * and detail p95 <= 50 ms, full text p95 <= 200 ms, metrics <= 500 ms.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { loadQueryBenchConfig } from './bench-config.js';
import { loadDataset, OBSERVATIONS_PER_TRACE, TRACES_PER_COMMIT } from './dataset.js';
import { benchQueries, type BenchQuery, type Samples } from './queries.js';
import { loadCollectorConfig } from '../../config/collector-config.js';
import { startCollector } from '../../collector/main.js';

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

/** A fresh database is loaded through the store; an existing one is used as it is. */
async function prepareDatabase(file: string, traces: number): Promise<void> {
  if (existsSync(file)) {
    log(`reusing ${file}`);
    return;
  }
  const started = process.hrtime.bigint();
  let lastReport = 0;
  await loadDataset(file, traces, (loaded, total) => {
    if (loaded - lastReport >= total / 10 || loaded === total) {
      lastReport = loaded;
      log(`  loaded ${loaded.toLocaleString()} / ${total.toLocaleString()} traces (${seconds(started)})`);
    }
  });
  const db = new Database(file, { readonly: true });
  const segments = db.prepare(`SELECT count(DISTINCT segid) FROM search_words_idx`).pluck().get() as number;
  db.close();
  log(
    `load: ${traces.toLocaleString()} traces, ${(traces * OBSERVATIONS_PER_TRACE).toLocaleString()} observations, ` +
      `${(traces * 2).toLocaleString()} scores in ${seconds(started)}, ${TRACES_PER_COMMIT} traces per commit; ` +
      `database ${(statSync(file).size / 2 ** 30).toFixed(2)} GiB, word index in ${segments} segments`,
  );
}

function sampleParameters(file: string): Samples {
  const db = new Database(file, { readonly: true });
  const column = (sql: string) => db.prepare(sql).pluck().all() as string[];
  const samples: Samples = {
    traceIds: column(`SELECT id FROM traces WHERE project_id = 'default' ORDER BY random() LIMIT 500`),
    // Rows picked by random rowid: ORDER BY random() would sort all six million.
    observationIds: column(`
      WITH RECURSIVE picks (n, at) AS (
        SELECT 0, abs(random()) % (SELECT max(rowid) FROM observations)
        UNION ALL SELECT n + 1, abs(random()) % (SELECT max(rowid) FROM observations) FROM picks WHERE n < 499
      )
      SELECT id FROM observations WHERE project_id = 'default' AND rowid IN (SELECT at + 1 FROM picks)`),
    sessionIds: column(`SELECT session_id FROM session_stats WHERE project_id = 'default' ORDER BY random() LIMIT 500`),
    userIds: column(`SELECT user_id FROM user_stats WHERE project_id = 'default' ORDER BY random() LIMIT 500`),
    costs: db.prepare(`SELECT total_cost FROM traces WHERE project_id = 'default' ORDER BY random() LIMIT 500`).pluck().all() as number[],
    lastTraceMs: Number(db.prepare(`SELECT max(start_time_ns) / 1000000 FROM traces`).pluck().get()),
  };
  db.close();
  return samples;
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
  const dir = config.dbFile === undefined ? mkdtempSync(join(tmpdir(), 'spanlite-query-bench-')) : undefined;
  const file = config.dbFile ?? join(dir!, 'bench.db');
  try {
    await prepareDatabase(file, config.traces);
    const samples = sampleParameters(file);
    const collector = await startCollector(
      Object.freeze({
        ...loadCollectorConfig({}),
        host: '127.0.0.1',
        port: 0,
        grpcPort: null,
        dbFile: file,
        dbSynchronous: 'normal' as const,
        logLevel: 'silent' as const,
      }),
      pino({ level: 'silent' }),
    );
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
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('bench:query failed:', error);
  process.exitCode = 1;
});
