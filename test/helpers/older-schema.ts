/** A database file at an older schema version, as that version left it, for upgrade tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigration, MIGRATIONS } from '../../collector/store/sqlite-schema.js';
import { TRACE_KEYS_TABLE } from '../../collector/store/sqlite-trace-keys.js';
import { keyObservationsByTraceKey } from '../../collector/store/sqlite-trace-key-migration.js';

/** The schema version that gave observations trace keys, which today's batch writer needs. */
const TRACE_KEYS_VERSION = MIGRATIONS.indexOf(keyObservationsByTraceKey) + 1;

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
      const lendTraceKeys = version < TRACE_KEYS_VERSION;
      if (lendTraceKeys) old.exec(`${TRACE_KEYS_TABLE}; ALTER TABLE observations ADD COLUMN trace_key INTEGER`);
      write(old);
      if (lendTraceKeys) old.exec(`DROP TABLE trace_keys; ALTER TABLE observations DROP COLUMN trace_key`);
    } finally {
      old.close();
    }
    await check(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
