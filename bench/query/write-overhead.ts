/**
 * `node dist/bench/query/write-overhead.js`: what the query API's schema (filter indexes,
 * rollup triggers, full-text index) costs the write path. The same mapped, priced batches of the
 * ingest benchmark's LLM-like payload are written by the real batch writer into two databases:
 * one with only what storing spans needs (the schema's tables and keys, without its other
 * indexes and its triggers, and the plain writer), one with the whole schema (and the writer's
 * DerivedWrites hooks). In-process (no HTTP, no decode), with the store's pragmas but
 * synchronous=NORMAL, so the disk does not hide the CPU cost. Prints CPU microseconds per span
 * (user + system, steadier than wall time on a shared machine) and spans/s.
 *
 * Settings: WRITE_BENCH_BATCHES (default 60 batches of 512 spans), WRITE_BENCH_ROUNDS (default 3).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildBatchTemplate, stampBatch, stampEntropyBytes } from '../ingest/payload.js';
import { decodeProtobufTraces } from '../../collector/decode/traces.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { applyCost } from '../../collector/pricing/cost.js';
import { loadDefaultPriceIndex } from '../../collector/pricing/default-price-index.js';
import type { PriceIndex } from '../../collector/pricing/price-index.js';
import { migrate } from '../../collector/store/sqlite/migrate.js';
import { createBatchWriter } from '../../collector/store/sqlite/write/batch-writer.js';
import { createBatchDerived } from '../../collector/store/sqlite/write/batch-derived.js';
import { createScoreRepeats } from '../../collector/store/sqlite/write/score-repeats.js';
import { createObservationIdIndex } from '../../collector/store/sqlite/search/observation-ids.js';
import type { SpanBatch } from '../../collector/store/contract.js';

const BATCHES = Number(process.env.WRITE_BENCH_BATCHES ?? 60);
const ROUNDS = Number(process.env.WRITE_BENCH_ROUNDS ?? 3);
const TRACES_PER_BATCH = 64;
/** The one index the plain writer needs beyond the tables' keys: a re-sent span is found by it. */
const WRITE_PATH_INDEXES = ['observations_by_trace'];

function mappedBatches(count: number, prices: PriceIndex): SpanBatch[] {
  const template = buildBatchTemplate({ traceCount: TRACES_PER_BATCH, variant: 1 });
  const batches: SpanBatch[] = [];
  const startNs = BigInt(Date.now()) * 1_000_000n;
  for (let i = 0; i < count; i++) {
    stampBatch(template, randomBytes(stampEntropyBytes(template)), startNs + BigInt(i) * 3_000_000_000n);
    const decoded = decodeProtobufTraces(template.body);
    const spans = decoded.spans.map((span) => {
      const mapped = mapSpan(span);
      const observation = mapped.observation;
      if (observation && observation.model !== null) applyCost(observation, prices);
      return mapped;
    });
    batches.push({ projectId: 'bench', spans });
  }
  return batches;
}

/** The whole schema, or (`bare`) its tables and keys alone. */
function openDatabase(file: string, bare: boolean): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 10000');
  migrate(db, file);
  if (bare) {
    const dropped = db
      .prepare(`SELECT type, name FROM sqlite_master WHERE (type = 'trigger' OR (type = 'index' AND sql IS NOT NULL))`)
      .all() as Array<{ type: 'index' | 'trigger'; name: string }>;
    for (const { type, name } of dropped) {
      if (!WRITE_PATH_INDEXES.includes(name)) db.exec(`DROP ${type.toUpperCase()} ${name}`);
    }
  }
  return db;
}

interface Measured {
  cpuMicrosPerSpan: number;
  spansPerSecond: number;
}

function measure(dir: string, name: string, withQuery: boolean, batches: readonly SpanBatch[]): Measured {
  const db = openDatabase(join(dir, `${name}.db`), !withQuery);
  const write = createBatchWriter(db, Date.now, withQuery ? createBatchDerived(db, createScoreRepeats(db), createObservationIdIndex(db)) : undefined);
  const spans = batches.reduce((sum, batch) => sum + batch.spans.length, 0);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  // Two batches per group, as the write queue groups concurrent requests.
  for (let i = 0; i < batches.length; i += 2) write(batches.slice(i, i + 2));
  const used = process.cpuUsage(cpu);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return { cpuMicrosPerSpan: (used.user + used.system) / spans, spansPerSecond: spans / seconds };
}

async function main(): Promise<void> {
  console.log(`write path with and without the query API's indexes, triggers and derived tables: ${BATCHES} batches x ${TRACES_PER_BATCH * 8} spans, ${ROUNDS} rounds`);
  const batches = mappedBatches(BATCHES, await loadDefaultPriceIndex());
  const dir = mkdtempSync(join(tmpdir(), 'spanlite-write-overhead-'));
  try {
    const rows: Array<{ without: Measured; with: Measured }> = [];
    const show = (m: Measured) => `${m.cpuMicrosPerSpan.toFixed(0)} µs CPU/span (${Math.round(m.spansPerSecond).toLocaleString()} spans/s)`;
    for (let round = 1; round <= ROUNDS; round++) {
      const without = measure(dir, `without-${round}`, false, batches);
      const withQuery = measure(dir, `with-${round}`, true, batches);
      rows.push({ without, with: withQuery });
      console.log(`  round ${round}: without ${show(without)}, with ${show(withQuery)}`);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const withoutCpu = median(rows.map((row) => row.without.cpuMicrosPerSpan));
    const withCpu = median(rows.map((row) => row.with.cpuMicrosPerSpan));
    console.log(
      `median CPU per span: without ${withoutCpu.toFixed(0)} µs, with ${withCpu.toFixed(0)} µs: +${((withCpu / withoutCpu - 1) * 100).toFixed(0)}% ` +
        `(capacity of one core: ${Math.round(1e6 / withoutCpu).toLocaleString()} -> ${Math.round(1e6 / withCpu).toLocaleString()} spans/s)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
