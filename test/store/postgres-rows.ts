/**
 * Reading a PostgreSQL store's rows back with SQL in tests: every rollup table beside the same
 * numbers summed over the stored rows, and a fresh prepared database per test on a throwaway
 * server per test file.
 */
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { SpanBatch } from '../../collector/store/contract.js';
import { preparePostgresDatabase } from '../../collector/store/postgres/prepare.js';
import { createBatchWriter, type WriteBatches } from '../../collector/store/postgres/write/batch-writer.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.js';

export type Sql = (text: string) => Promise<unknown[]>;

/** A new prepared database and `pools` pools of `poolSize` on it (each a collector's); the caller ends them. */
export async function newPostgresDatabase(server: PostgresServer, name: string, pools = 1, poolSize = 2): Promise<{ pools: pg.Pool[]; sql: Sql }> {
  const url = await server.createDatabase(name);
  const opened = await Promise.all(Array.from({ length: pools }, () => preparePostgresDatabase({ url, poolSize })));
  return { pools: opened, sql: async (text) => (await opened[0]!.query(text)).rows };
}

/** A prepared database: its first pool, a batch writer on a pool of its own per collector, SQL on the first pool. */
export interface WrittenDatabase {
  pool: pg.Pool;
  writers: WriteBatches[];
  sql: Sql;
}

/**
 * A throwaway server started before the calling file's tests and stopped after them, and a new
 * prepared database on it per call, named `<prefix>_<n>`, its pools ended with the file, after
 * the stores handed to `closeWithFile`.
 */
export function postgresPerFile(prefix: string): {
  server: () => PostgresServer;
  newDatabase: (writers?: number, poolSize?: number) => Promise<WrittenDatabase>;
  closeWithFile: <Store extends { close(): unknown }>(store: Store) => Store;
} {
  let server: PostgresServer | undefined;
  let databases = 0;
  const opened: pg.Pool[] = [];
  const stores: Array<{ close(): unknown }> = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all(opened.map((pool) => pool.end()));
    await server?.stop();
  });
  return {
    server: () => server!,
    closeWithFile: (store) => {
      stores.push(store);
      return store;
    },
    newDatabase: async (writers = 1, poolSize = 2) => {
      const { pools, sql } = await newPostgresDatabase(server!, `${prefix}_${++databases}`, writers, poolSize);
      opened.push(...pools);
      return { pool: pools[0]!, writers: pools.map((pool) => createBatchWriter(pool)), sql };
    },
  };
}

/** Writes `batches` as one group, failing with the first refused batch's error. */
export async function writeAll(write: WriteBatches, batches: readonly SpanBatch[]): Promise<void> {
  for (const outcome of await write(batches)) if (!outcome.ok) throw outcome.error;
}

/** Every rollup table, and the same numbers summed from the stored rows, costs rounded to 1e-9 USD. */
export async function rollupsAndSums(sql: Sql) {
  const cost = (column: string) => `round((${column})::numeric, 9)::text AS total_cost`;
  const tokens = `sum(input_tokens)::text AS input_tokens, sum(output_tokens)::text AS output_tokens,
    sum(total_tokens)::text AS total_tokens`;
  const day = `start_time_ns / 86400000000000`;
  const aggregate = (column: string) => `SELECT project_id, ${column} AS key, count(*)::text AS trace_count,
    min(start_time_ns)::text AS first_start_ns, max(start_time_ns)::text AS last_start_ns, ${tokens},
    ${cost('sum(coalesce(total_cost, 0))')} FROM traces WHERE ${column} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`;
  const stats = (table: string, column: string) => `SELECT project_id, ${column} AS key, trace_count::text,
    first_start_ns::text, last_start_ns::text, input_tokens::text, output_tokens::text, total_tokens::text,
    ${cost('total_cost')} FROM ${table} ORDER BY 1, 2`;
  return {
    rollups: {
      dailyTraces: await sql(`SELECT project_id, day::text, trace_count::text FROM daily_traces WHERE trace_count <> 0 ORDER BY 1, 2`),
      dailyUsage: await sql(`SELECT project_id, day::text, model, trace_count::text, observation_count::text, input_tokens::text,
        output_tokens::text, total_tokens::text, ${cost('total_cost')} FROM daily_usage ORDER BY 1, 2, 3`),
      tagCounts: await sql(`SELECT project_id, tag, trace_count::text FROM tag_counts WHERE trace_count <> 0 ORDER BY 1, 2`),
      sessions: await sql(stats('session_stats', 'session_id')),
      users: await sql(stats('user_stats', 'user_id')),
    },
    sums: {
      dailyTraces: await sql(`SELECT project_id, (${day})::text AS day, count(*)::text AS trace_count FROM traces GROUP BY 1, 2 ORDER BY 1, 2`),
      dailyUsage: await sql(`SELECT project_id, (${day})::text AS day, coalesce(model, '') AS model,
        count(DISTINCT trace_id) FILTER (WHERE model IS NOT NULL)::text AS trace_count, count(*)::text AS observation_count,
        coalesce(sum(coalesce(input_tokens, 0) + coalesce(cached_input_tokens, 0) + coalesce(cache_write_tokens, 0))
          FILTER (WHERE counts_in_trace_totals), 0)::text AS input_tokens,
        coalesce(sum(coalesce(output_tokens, 0) + coalesce(reasoning_tokens, 0)) FILTER (WHERE counts_in_trace_totals), 0)::text
          AS output_tokens,
        coalesce(sum(coalesce(total_tokens, 0)) FILTER (WHERE counts_in_trace_totals), 0)::text AS total_tokens,
        ${cost('coalesce(sum(coalesce(total_cost, 0)) FILTER (WHERE counts_in_trace_totals), 0)')}
        FROM observations GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
      tagCounts: await sql(`SELECT project_id, tag, count(*)::text AS trace_count FROM trace_tags GROUP BY 1, 2 ORDER BY 1, 2`),
      sessions: await sql(aggregate('session_id')),
      users: await sql(aggregate('user_id')),
    },
  };
}

/** Every stored row of traces and what hangs under them, in a stable order; times of writing and arrival numbers left out. */
export async function storedRows(sql: Sql) {
  return {
    traces: await sql(`SELECT project_id, id, name, user_id, session_id, release, version, environment, tags, metadata, input,
      output, public, start_time_ns, end_time_ns, total_cost, input_tokens, output_tokens, total_tokens, fact_ranks
      FROM traces ORDER BY project_id, id`),
    observations: await sql('SELECT * FROM observations ORDER BY project_id, trace_id, id'),
    scores: await sql(`SELECT project_id, id, trace_id, observation_id, name, value, string_value, data_type, comment, source,
      time_ns, metadata FROM scores ORDER BY project_id, id`),
    tags: await sql('SELECT * FROM trace_tags ORDER BY project_id, tag, trace_id'),
    messages: await sql(`SELECT project_id, trace_id, span_id, id, direction, time_ns, message, waiting
      FROM gen_ai_log_messages ORDER BY project_id, trace_id, span_id, id`),
  };
}
