/** Query benchmark settings, read from the environment once and validated (every problem listed). */

import { envReader } from '../../config/env-reader.js';
import { readStoreOption, type BenchStore } from '../store-option.js';

export interface QueryBenchConfig {
  /** `--store sqlite|postgres`, else BENCH_STORE, default sqlite. */
  store: BenchStore;
  /** BENCH_QUERY_TRACES, default 1,000,000 (6 observations and 2 scores each). */
  traces: number;
  /** BENCH_QUERY_RUNS, default 40: measured requests per query (after 5 warm-up requests). */
  runs: number;
  /**
   * BENCH_QUERY_DB: the database to use, a file (sqlite) or a postgres:// URL of an existing
   * database (postgres). Loaded when empty; reused when it holds traces (a load of 1M traces
   * takes minutes), so runs can be repeated. Default: a temporary file or a throwaway PostgreSQL
   * server, removed after.
   */
  database: string | undefined;
  /** BENCH_QUERY_LOAD_COMMITS, default 1: group commits written at once while loading. */
  loadCommitsInFlight: number;
}

export function loadQueryBenchConfig(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv.slice(2),
): Readonly<QueryBenchConfig> {
  const { problems, integer } = envReader(env);
  const config: QueryBenchConfig = {
    store: readStoreOption(argv, env, problems),
    traces: integer('BENCH_QUERY_TRACES', 1_000_000, 1000, 50_000_000),
    runs: integer('BENCH_QUERY_RUNS', 40, 5, 10_000),
    database: env.BENCH_QUERY_DB || undefined,
    loadCommitsInFlight: integer('BENCH_QUERY_LOAD_COMMITS', 1, 1, 16),
  };
  if (config.store === 'postgres' && config.database !== undefined && !/^postgres(ql)?:\/\//i.test(config.database)) {
    problems.push('BENCH_QUERY_DB: expected a postgres:// URL with --store postgres (got a file name)');
  }
  if (problems.length > 0) throw new Error(`invalid benchmark settings:\n  - ${problems.join('\n  - ')}`);
  return Object.freeze(config);
}
