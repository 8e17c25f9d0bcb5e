/**
 * bench:store: the SQLite store alone, filled from empty with bench:ingest's payload, printing
 * the write rate of every slice so the cost that grows with the database shows slice by slice.
 *
 * No HTTP, no senders: each group of batches (as the write queue would group them) is decoded
 * and mapped outside the timed part, then one `writeBatches` call is timed. Two checkouts run at
 * the same time on their own files give a fair A/B on a noisy machine.
 *
 * Environment: BENCH_STORE_SPANS (total, default 600,000), BENCH_STORE_SLICE (spans per printed
 * line, default 100,000), BENCH_STORE_DB (file; default a fresh temporary one, deleted after),
 * BENCH_STORE_GROUP (batches of 512 spans per commit, default 4), SPANLITE_DB_CACHE_MB.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { decodeProtobufTraces } from '../../collector/decode/traces.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import type { SpanBatch } from '../../collector/store/contract.js';
import { buildBatchTemplate, stampBatch, stampEntropyBytes, type BatchTemplate } from '../ingest/payload.js';

const TRACES_PER_BATCH = 64;
const TEMPLATE_VARIANTS = 8;

interface StoreBenchConfig {
  totalSpans: number;
  sliceSpans: number;
  batchesPerGroup: number;
  cacheMiB: number;
  file: string | null;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${raw}: expected a positive integer`);
  return value;
}

function loadConfig(): StoreBenchConfig {
  return {
    totalSpans: positiveInteger('BENCH_STORE_SPANS', 600_000),
    sliceSpans: positiveInteger('BENCH_STORE_SLICE', 100_000),
    batchesPerGroup: positiveInteger('BENCH_STORE_GROUP', 4),
    cacheMiB: positiveInteger('SPANLITE_DB_CACHE_MB', 64),
    file: process.env.BENCH_STORE_DB || null,
  };
}

/** One export request's spans, decoded and mapped as the pipeline does (cost left out). */
function nextBatch(template: BatchTemplate, entropy: Buffer): SpanBatch {
  randomFillSync(entropy);
  stampBatch(template, entropy, BigInt(Date.now() - 10_000) * 1_000_000n);
  const decoded = decodeProtobufTraces(template.body);
  if (decoded.refused.length > 0) throw new Error(`bench payload refused: ${decoded.refused[0]!.reason}`);
  return { projectId: 'bench', spans: decoded.spans.map(mapSpan) };
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const scratch = config.file ? null : mkdtempSync(join(tmpdir(), 'spanlite-bench-store-'));
  const file = config.file ?? join(scratch!, 'store.db');
  const store = openSqliteStore({ file, cacheMiB: config.cacheMiB });
  const templates = Array.from({ length: TEMPLATE_VARIANTS }, (_, variant) =>
    buildBatchTemplate({ traceCount: TRACES_PER_BATCH, variant }),
  );
  const entropy = Buffer.allocUnsafe(stampEntropyBytes(templates[0]!));
  console.log(`bench:store  file ${file}  cache ${config.cacheMiB} MiB  ${config.batchesPerGroup} x ${templates[0]!.spanCount} spans per commit`);
  console.log('stored spans   spans/s   ms/commit p50   cpu s   rss MiB   db MiB');

  let stored = 0;
  let batchNumber = 0;
  try {
    while (stored < config.totalSpans) {
      const commitMs: number[] = [];
      let sliceSpans = 0;
      let sliceMs = 0;
      const cpuAtStart = process.cpuUsage();
      while (sliceSpans < config.sliceSpans && stored + sliceSpans < config.totalSpans) {
        const group = Array.from({ length: config.batchesPerGroup }, () =>
          nextBatch(templates[batchNumber++ % templates.length]!, entropy),
        );
        // As the write queue does between groups: a turn of the event loop, where the WAL
        // checkpointer's reports arrive (store/sqlite/upkeep/wal-checkpointer.ts).
        await new Promise((resolve) => setImmediate(resolve));
        const startedAt = performance.now();
        const outcomes = await store.writeBatches(group);
        const tookMs = performance.now() - startedAt;
        const failed = outcomes.find((outcome) => !outcome.ok);
        if (failed && !failed.ok) throw new Error(`write failed at ${stored + sliceSpans} spans: ${failed.error.message}`);
        commitMs.push(tookMs);
        sliceMs += tookMs;
        sliceSpans += group.reduce((sum, batch) => sum + batch.spans.length, 0);
      }
      stored += sliceSpans;
      const cpu = process.cpuUsage(cpuAtStart);
      commitMs.sort((a, b) => a - b);
      const dbBytes = statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
      console.log(
        [
          String(stored).padStart(12),
          String(Math.round((sliceSpans / sliceMs) * 1000)).padStart(9),
          commitMs[Math.floor(commitMs.length / 2)]!.toFixed(1).padStart(15),
          ((cpu.user + cpu.system) / 1e6).toFixed(1).padStart(7),
          megabytes(process.memoryUsage().rss).padStart(9),
          megabytes(dbBytes).padStart(8),
        ].join(' '),
      );
    }
  } finally {
    await store.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:store failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
