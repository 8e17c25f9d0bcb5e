/** A database file at an older schema version, as that version left it, for upgrade tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigration, MIGRATIONS } from '../../collector/store/sqlite/schema/schema.js';
import { TRACE_KEYS_TABLE } from '../../collector/store/sqlite/write/trace-keys.js';
import { keyObservationsByTraceKey, keyScoresAndTagsByTraceKey, keyTracesByTraceKey } from '../../collector/store/sqlite/schema/trace-key-migration.js';

/** The schema version that added a migration. */
const versionOf = (migration: (typeof MIGRATIONS)[number]) => MIGRATIONS.indexOf(migration) + 1;
/** When `trace_keys` appeared, and the tables today's batch writer writes trace keys into with the version that keyed each. */
const TRACE_KEYS_SINCE = versionOf(keyObservationsByTraceKey);
const KEYED_TABLES = [
  { table: 'observations', since: versionOf(keyObservationsByTraceKey) },
  { table: 'scores', since: versionOf(keyScoresAndTagsByTraceKey) },
  { table: 'trace_tags', since: versionOf(keyScoresAndTagsByTraceKey) },
  { table: 'traces', since: versionOf(keyTracesByTraceKey) },
];

/**
 * Creates a database with migrations 1..`version` applied, lets `write` fill it as that version
 * would have, then runs `check` on the file (which opens it with today's store) and removes it.
 * Before trace keys, `write` may use today's batch writer: the trace keys it needs are lent for
 * the write and taken out after, so the file is left as that version would have left it.
 */
export async function withDatabaseAtSchema(
  version: number,
  write: (db: Database.Database) => void,
  check: (file: string) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `spanlite-schema-${version}-`));
  try {
    const file = join(dir, 'old.db');
    const old = new Database(file);
    try {
      for (const migration of MIGRATIONS.slice(0, version)) applyMigration(old, migration);
      old.pragma(`user_version = ${version}`);
      const lendsTable = version < TRACE_KEYS_SINCE;
      const lentTo = KEYED_TABLES.filter(({ since }) => version < since).map(({ table }) => table);
      if (lendsTable) old.exec(TRACE_KEYS_TABLE);
      for (const table of lentTo) old.exec(`ALTER TABLE ${table} ADD COLUMN trace_key INTEGER`);
      write(old);
      if (lendsTable) old.exec('DROP TABLE trace_keys');
      for (const table of lentTo) old.exec(`ALTER TABLE ${table} DROP COLUMN trace_key`);
    } finally {
      old.close();
    }
    await check(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
