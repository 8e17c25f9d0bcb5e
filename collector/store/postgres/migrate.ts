/**
 * Brings a PostgreSQL database to the schema this spanlite writes, at start. The table
 * `schema_migrations` records each migration applied; each runs in one transaction with its
 * row there, so a failed one leaves the database as it was.
 *
 * Several collectors may start at once on one database: the whole check runs under a
 * session advisory lock, so one creates the schema and the others then find it created.
 *
 * The rule: a migration that has been released is never edited. A schema change is a new
 * migration appended to MIGRATIONS (and described in schema.ts beside what it changes), so that
 * every database reaches the same schema whichever version created it.
 */
import type { Pool, PoolClient } from 'pg';
import { SCHEMA } from './schema.js';
import { withConnection } from './connection.js';

const MIGRATIONS: readonly string[] = [
  /* 1: the schema (schema.ts) */ SCHEMA,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The advisory lock key held while migrating: the bytes of "spanlite" as a bigint. */
export const MIGRATION_LOCK_KEY = '8318818496453588069';

/**
 * Creates the schema in a new database, applies the migrations it lacks, and refuses one
 * stamped with a later version. `where` names the database in messages (host, port, name).
 */
export function migrate(pool: Pool, where: string): Promise<void> {
  return withConnection(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const current = await appliedVersion(client);
      if (current > SCHEMA_VERSION) {
        throw new Error(
          `database ${where}: created by a newer spanlite (schema version ${current}; this spanlite reads version ` +
            `${SCHEMA_VERSION}); start the spanlite that created it, or point SPANLITE_DB at another database`,
        );
      }
      for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
        await applyMigration(client, version, where);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}

/** The last migration applied; 0 for a database spanlite has not written. */
async function appliedVersion(client: PoolClient): Promise<number> {
  const table = await client.query<{ found: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS found`);
  if (!table.rows[0]?.found) return 0;
  const result = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return result.rows[0]?.version ?? 0;
}

async function applyMigration(client: PoolClient, version: number, where: string): Promise<void> {
  try {
    await client.query('BEGIN');
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        applied_at_ms BIGINT NOT NULL
      )`);
    await client.query(MIGRATIONS[version - 1]!);
    await client.query('INSERT INTO schema_migrations (version, applied_at_ms) VALUES ($1, $2)', [version, Date.now()]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new Error(`database ${where}: schema migration ${version} failed: ${(error as Error).message}${hint(error)}`, {
      cause: error,
    });
  }
}

/** What to do about the failures a first start commonly meets. */
function hint(error: unknown): string {
  const code = (error as { code?: string }).code;
  // 0A000 feature_not_supported: the extension's files are not installed on the server.
  if (code === '0A000' || /extension "pg_trgm"/.test((error as Error).message)) {
    return ' (the pg_trgm extension comes with postgresql-contrib; install it on the server, or have an administrator run CREATE EXTENSION pg_trgm)';
  }
  // 42501 insufficient_privilege
  if (code === '42501') return ' (the user needs CREATE on the database and its schema)';
  // 42P07 duplicate_table: another application's table of the same name.
  if (code === '42P07') return ' (the schema already holds a table of that name: use an empty database or schema)';
  return '';
}
