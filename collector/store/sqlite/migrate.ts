/**
 * Brings a database file to the schema this spanlite writes, at open. `PRAGMA user_version`
 * records the last migration applied; each runs in one transaction, so a failed one leaves the
 * file as it was.
 *
 * The rule: a migration that has been released is never edited. A schema change is a new
 * migration appended to MIGRATIONS (and described in schema.ts beside what it changes), so that
 * every database reaches the same schema whichever version created it.
 */
import type { Database } from 'better-sqlite3';
import { MIGRATION_2_CUSTOM_MODEL_START_DATES, SCHEMA } from './schema.js';

const MIGRATIONS: readonly string[] = [
  /* 1: the schema (schema.ts) */ SCHEMA,
  /* 2: custom model prices with a start date */ MIGRATION_2_CUSTOM_MODEL_START_DATES,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The table of schema version 1 added last: a development build's version 1 lacks it. */
const VERSION_1_TABLE = 'unstored_score_traces';

/**
 * Creates the schema in a new database, applies the migrations a database lacks, and refuses a
 * database this spanlite cannot read: one stamped with a later version, or made by a development
 * build (they numbered their schemas 1 to 15, each different from this version 1).
 */
export function migrate(db: Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `database ${file}: created by a development build of spanlite or by a newer spanlite (schema version ${current}; ` +
        `this spanlite reads version ${SCHEMA_VERSION}); delete it or start with a new SPANLITE_DB, ` +
        'or open it with the spanlite that created it',
    );
  }
  if (current === 1 && !hasTable(db, VERSION_1_TABLE)) {
    throw new Error(
      `database ${file}: created by a development build of spanlite (schema version 1); delete it or start with a new SPANLITE_DB`,
    );
  }
  if (current === 0 && db.pragma('auto_vacuum', { simple: true }) === 0) {
    // Free pages go back to the file system in retention's small steps (upkeep/retention.ts). The
    // mode is fixed when the file is first written (journal_mode = WAL already did), so a VACUUM
    // of the still empty database applies it.
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  }
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
}

function hasTable(db: Database, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}
