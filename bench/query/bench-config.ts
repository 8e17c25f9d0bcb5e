/** Query benchmark settings, read from the environment once and validated (every problem listed). */

import { envReader } from '../../config/env-reader.js';

export interface QueryBenchConfig {
  /** BENCH_QUERY_TRACES, default 1,000,000 (6 observations and 2 scores each). */
  traces: number;
  /** BENCH_QUERY_RUNS, default 40: measured requests per query (after 5 warm-up requests). */
  runs: number;
  /**
   * BENCH_QUERY_DB: a database file to use. Loaded when missing; reused when it exists (a load of
   * 1M traces takes minutes), so runs can be repeated. Default: a temporary file, deleted after.
   */
  dbFile: string | undefined;
}

export function loadQueryBenchConfig(env: NodeJS.ProcessEnv = process.env): Readonly<QueryBenchConfig> {
  const { problems, integer } = envReader(env);
  const config: QueryBenchConfig = {
    traces: integer('BENCH_QUERY_TRACES', 1_000_000, 1000, 50_000_000),
    runs: integer('BENCH_QUERY_RUNS', 40, 5, 10_000),
    dbFile: env.BENCH_QUERY_DB || undefined,
  };
  if (problems.length > 0) throw new Error(`invalid benchmark settings:\n  - ${problems.join('\n  - ')}`);
  return Object.freeze(config);
}
