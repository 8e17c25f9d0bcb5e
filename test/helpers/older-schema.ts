/** A database file at an older schema version, as that version left it, for upgrade tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigration, MIGRATIONS } from '../../collector/store/sqlite-schema.js';

/**
 * Creates a database with migrations 1..`version` applied, lets `write` fill it as that version
 * would have, then runs `check` on the file (which opens it with today's store) and removes it.
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
      write(old);
    } finally {
      old.close();
    }
    await check(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
