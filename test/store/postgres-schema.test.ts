/**
 * The PostgreSQL schema at start (store/postgres/migrate.ts): a new database gets schema
 * version 1 whole; preparing it again changes nothing; a database stamped by a newer spanlite
 * is refused with a message that says which; collectors starting at once on one new database
 * all succeed; a failed migration leaves the database as it was.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../collector/store/postgres/migrate.js';
import { preparePostgresDatabase } from '../../collector/store/postgres/prepare.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';

/** Every table of schema version 1, with the runner's own. */
const TABLES = [
  'api_keys',
  'custom_models',
  'daily_traces',
  'daily_usage',
  'gen_ai_log_messages',
  'observations',
  'schema_migrations',
  'score_name_repeats',
  'scores',
  'search_docs',
  'search_short_term_trigrams',
  'session_stats',
  'tag_counts',
  'trace_tags',
  'traces',
  'unstored_score_traces',
  'user_stats',
];

describe.skipIf(!postgresAvailable())('the PostgreSQL schema', () => {
  let server: PostgresServer;
  let databases = 0;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());

  async function newDatabase(): Promise<{ url: string; name: string }> {
    const name = `schema_${++databases}`;
    return { url: await server.createDatabase(name), name };
  }

  async function query<Row extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<Row[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<Row>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  const tables = async (url: string) =>
    (await query<{ name: string }>(url, `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map(
      (row) => row.name,
    );
  const versions = async (url: string) =>
    query<{ version: number; applied_at_ms: string }>(url, 'SELECT version, applied_at_ms FROM schema_migrations ORDER BY version');

  it('creates schema version 1 on a new database: every table, its indexes and the pg_trgm extension', async () => {
    const { url } = await newDatabase();
    const pool = await preparePostgresDatabase({ url });
    await pool.end();

    expect(SCHEMA_VERSION).toBe(1);
    expect(await tables(url)).toEqual(TABLES);
    expect((await versions(url)).map((row) => row.version)).toEqual([1]);
    const extensions = await query<{ extname: string }>(url, `SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`);
    expect(extensions).toHaveLength(1);
    const indexes = (
      await query<{ name: string }>(url, `SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`)
    ).map((row) => row.name);
    expect(indexes).toEqual(
      expect.arrayContaining(['traces_by_time', 'observations_by_id', 'search_docs_words', 'search_docs_substrings']),
    );
    const substrings = await query<{ definition: string }>(
      url,
      `SELECT indexdef AS definition FROM pg_indexes WHERE indexname = 'search_docs_substrings'`,
    );
    expect(substrings[0]?.definition).toMatch(/USING gin \(substrings gin_trgm_ops\) WHERE \(substrings IS NOT NULL\)/);
  });

  it('prepares a database at the current version again without changing it', async () => {
    const { url } = await newDatabase();
    await (await preparePostgresDatabase({ url })).end();
    const before = await versions(url);
    await query(
      url,
      `INSERT INTO traces (project_id, id, start_time_ns, end_time_ns, created_at_ms, updated_at_ms) VALUES ('p', 't', 1, 2, 3, 3)`,
    );

    await (await preparePostgresDatabase({ url })).end();

    expect(await versions(url)).toEqual(before);
    expect(await tables(url)).toEqual(TABLES);
    expect(await query(url, 'SELECT id FROM traces')).toEqual([{ id: 't' }]);
  });

  it('refuses a database stamped by a newer spanlite, naming the database and both versions', async () => {
    const { url, name } = await newDatabase();
    await (await preparePostgresDatabase({ url })).end();
    await query(url, 'INSERT INTO schema_migrations (version, applied_at_ms) VALUES (2, 0)');

    await expect(preparePostgresDatabase({ url })).rejects.toThrow(
      `database 127.0.0.1:${server.port}/${name} (user "postgres"): created by a newer spanlite (schema version 2; ` +
        'this spanlite reads version 1)',
    );
    expect((await versions(url)).map((row) => row.version)).toEqual([1, 2]);
  });

  it('lets collectors starting at once on one new database all succeed, the schema created once', async () => {
    const { url } = await newDatabase();

    const pools = await Promise.all([1, 2, 3].map(() => preparePostgresDatabase({ url, poolSize: 2 })));
    await Promise.all(pools.map((pool) => pool.end()));

    expect(await tables(url)).toEqual(TABLES);
    expect((await versions(url)).map((row) => row.version)).toEqual([1]);
  });

  it('leaves a database whose migration fails as it was, and says why', async () => {
    const { url } = await newDatabase();
    await query(url, 'CREATE TABLE scores (id TEXT)');

    await expect(preparePostgresDatabase({ url })).rejects.toThrow(
      /schema migration 1 failed: relation "scores" already exists \(the schema already holds a table of that name/,
    );
    expect(await tables(url)).toEqual(['scores']);
    expect(await query(url, `SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`)).toEqual([]);
  });
});
