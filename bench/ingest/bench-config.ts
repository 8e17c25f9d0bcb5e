/**
 * Benchmark settings, read from the environment (and `--store` from the command line) once and
 * validated (every problem listed).
 */

import { envReader } from '../../config/env-reader.js';
import { readStoreOption, type BenchStore } from '../store-option.js';
import { DETECTOR_NAMES } from '../../collector/masking/detectors.js';

export interface BenchConfig {
  /**
   * `--store sqlite|postgres`, else BENCH_STORE, default sqlite. postgres: rounds of the SQLite
   * collector (the baseline), then collectors on a throwaway PostgreSQL server, one and two
   * processes; no baseline server and no large-database phase.
   */
  store: BenchStore;
  /** BENCH_SECONDS, default 15: measured seconds per round. */
  seconds: number;
  /** BENCH_WARMUP_SECONDS, default 2: sent before each measured window, not measured. */
  warmupSeconds: number;
  /** BENCH_ROUNDS, default 3: rounds of (baseline, collector); medians are reported. */
  rounds: number;
  /** BENCH_CONCURRENCY, default 4: requests in flight from the sender process. */
  concurrency: number;
  /** BENCH_TRACES_PER_BATCH, default 64 (x 8 spans = 512 spans per request). */
  tracesPerBatch: number;
  /** BENCH_DB_SYNC, else SPANLITE_DB_SYNC, default full (the collector's default). */
  dbSync: 'full' | 'normal';
  /** BENCH_SKIP_LARGE=1 skips the 2M-span phase. */
  skipLarge: boolean;
  /** BENCH_LARGE_SPANS, default 2,000,000: spans stored before the "large database" rounds. */
  largeSpans: number;
  /** BENCH_FILL_MAX_SECONDS, default 900: the fill stops here even if short of largeSpans. */
  fillMaxSeconds: number;
  /** BENCH_FILL_CONCURRENCY, default 8: requests in flight while filling (not measured). */
  fillConcurrency: number;
  /** BENCH_VERIFY_MAX_TRACES, default 0 (all): read back at most this many traces per empty-database phase. */
  verifyMaxTraces: number;
  /** BENCH_VERIFY_LARGE_TRACES, default 2000: random sample read back per large-database phase and of the fill. */
  verifyLargeTraces: number;
  /** BENCH_VERIFY_MAX_SECONDS, default 180: time limit of one read-back; what is left is reported unchecked. */
  verifyMaxSeconds: number;
  /** BENCH_CPU_PROF: a directory; the collector children run with --cpu-prof into it. */
  cpuProfileDir: string | undefined;
  /** BENCH_KEEP_DIR=1 keeps the temporary directory (databases, server logs). */
  keepDir: boolean;
  /** BENCH_RESULT_FILE: also write the JSON result there. */
  resultFile: string | undefined;
  /**
   * BENCH_MASK: masking detectors (SPANLITE_MASK's names, or `all`); each empty-database round
   * then also measures the collector with them on. Default none.
   */
  mask: string | undefined;
}

export function loadBenchConfig(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv.slice(2),
): Readonly<BenchConfig> {
  const { problems, integer, oneOf, flag } = envReader(env);

  const config: BenchConfig = {
    store: readStoreOption(argv, env, problems),
    seconds: integer('BENCH_SECONDS', 15, 1, 3600),
    warmupSeconds: integer('BENCH_WARMUP_SECONDS', 2, 0, 600),
    rounds: integer('BENCH_ROUNDS', 3, 1, 20),
    concurrency: integer('BENCH_CONCURRENCY', 4, 1, 256),
    tracesPerBatch: integer('BENCH_TRACES_PER_BATCH', 64, 1, 1024),
    dbSync: oneOf(env.BENCH_DB_SYNC ? 'BENCH_DB_SYNC' : 'SPANLITE_DB_SYNC', ['full', 'normal'] as const, 'full'),
    skipLarge: flag('BENCH_SKIP_LARGE', false),
    largeSpans: integer('BENCH_LARGE_SPANS', 2_000_000, 1, 100_000_000),
    fillMaxSeconds: integer('BENCH_FILL_MAX_SECONDS', 900, 1, 7200),
    fillConcurrency: integer('BENCH_FILL_CONCURRENCY', 8, 1, 256),
    verifyMaxTraces: integer('BENCH_VERIFY_MAX_TRACES', 0, 0, 100_000_000),
    verifyLargeTraces: integer('BENCH_VERIFY_LARGE_TRACES', 2000, 0, 100_000_000),
    verifyMaxSeconds: integer('BENCH_VERIFY_MAX_SECONDS', 180, 1, 7200),
    cpuProfileDir: env.BENCH_CPU_PROF || undefined,
    keepDir: flag('BENCH_KEEP_DIR', false),
    resultFile: env.BENCH_RESULT_FILE || undefined,
    mask: env.BENCH_MASK?.trim().toLowerCase() === 'all' ? DETECTOR_NAMES.join(',') : env.BENCH_MASK || undefined,
  };
  if (problems.length > 0) throw new Error(`invalid benchmark settings:\n  - ${problems.join('\n  - ')}`);
  return Object.freeze(config);
}
