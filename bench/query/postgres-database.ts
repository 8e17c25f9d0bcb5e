/**
 * The query benchmark's PostgreSQL database: a throwaway server (bench/postgres) with
 * synchronous_commit off, as the SQLite load runs at synchronous=NORMAL, and shared_buffers sized
 * for a server of its own, unless BENCH_QUERY_DB names an existing database.
 */
import { totalmem } from 'node:os';
import pg from 'pg';
import { openPostgresStore } from '../../collector/store/postgres/store.js';
import { describeTarget, postgresTarget } from '../../collector/store/postgres/connect.js';
import { startPostgres, type PostgresServer } from '../postgres/throwaway-server.js';
import type { BenchDatabase } from './bench-database.js';
import { OBSERVATIONS_PER_TRACE } from './dataset.js';

const DATABASE_NAME = 'spanlite_query_bench';
/**
 * A quarter of the machine's memory, up to 8 GiB, as PostgreSQL's documentation advises for a
 * server of its own (its default, 128 MiB, is for a machine shared with much else): the queries
 * read the search documents and list rows through it.
 */
const SHARED_BUFFERS_MB = Math.min(8192, totalmem() / 4 / 2 ** 20);
/** Observations read for the sample of observation ids: a block sample of about this many rows. */
const OBSERVATION_SAMPLE_ROWS = 20_000;

export async function postgresBenchDatabase(existingUrl: string | undefined): Promise<BenchDatabase> {
  let server: PostgresServer | null = null;
  let url = existingUrl;
  if (url === undefined) {
    server = await startPostgres({ durability: 'normal', sharedBuffersMb: SHARED_BUFFERS_MB });
    url = await server.createDatabase(DATABASE_NAME);
  }
  const databaseUrl = url;
  const query = async <Row extends pg.QueryResultRow>(sql: string): Promise<Row[]> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query<Row>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const column = async (sql: string): Promise<string[]> => (await query<{ value: string }>(sql)).map((row) => row.value);
  const storedTraces = async (): Promise<number> => {
    const [table] = await query<{ value: string | null }>(`SELECT to_regclass('traces')::text AS value`);
    if (table?.value == null) return 0;
    const [row] = await query<{ value: string }>(`SELECT count(*) AS value FROM traces`);
    return Number(row!.value);
  };

  return {
    description: `PostgreSQL ${describeTarget(postgresTarget(databaseUrl))}${server ? ' (throwaway server, synchronous_commit off)' : ''}`,
    collectorSettings: { dbFile: databaseUrl, dbEngine: 'postgres', dbSynchronous: 'normal' },
    storedTraces,
    async openStore() {
      return openPostgresStore({ url: databaseUrl });
    },
    async settle() {
      // What autovacuum does in time under steady ingest: visibility maps set (index-only scans)
      // and the planner's statistics current.
      const started = process.hrtime.bigint();
      await query('VACUUM (ANALYZE)');
      return `VACUUM (ANALYZE) in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`;
    },
    async describeSize() {
      const [row] = await query<{ bytes: string; words: string }>(
        `SELECT pg_database_size(current_database()) AS bytes, pg_relation_size('search_docs_words') AS words`,
      );
      return `database ${(Number(row!.bytes) / 2 ** 30).toFixed(2)} GiB, word index (GIN) ${(Number(row!.words) / 2 ** 20).toFixed(0)} MiB`;
    },
    async samples() {
      const traces = await storedTraces();
      const percent = Math.min(100, (100 * OBSERVATION_SAMPLE_ROWS) / Math.max(1, traces * OBSERVATIONS_PER_TRACE));
      const [last] = await query<{ value: string }>(`SELECT max(start_time_ns) / 1000000 AS value FROM traces`);
      return {
        traceIds: await column(`SELECT id AS value FROM traces WHERE project_id = 'default' ORDER BY random() LIMIT 500`),
        observationIds: await column(
          `SELECT id AS value FROM observations TABLESAMPLE SYSTEM (${percent.toFixed(4)}) WHERE project_id = 'default' ORDER BY random() LIMIT 500`,
        ),
        sessionIds: await column(`SELECT session_id AS value FROM session_stats WHERE project_id = 'default' ORDER BY random() LIMIT 500`),
        userIds: await column(`SELECT user_id AS value FROM user_stats WHERE project_id = 'default' ORDER BY random() LIMIT 500`),
        costs: (await query<{ value: number }>(`SELECT total_cost AS value FROM traces WHERE project_id = 'default' ORDER BY random() LIMIT 500`)).map(
          (row) => row.value,
        ),
        lastTraceMs: Number(last!.value),
      };
    },
    async close() {
      await server?.stop();
      server = null;
    },
  };
}
