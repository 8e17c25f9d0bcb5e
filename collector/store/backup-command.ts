/**
 * `spanlite backup FILE [--force]`: a consistent copy of the SQLite database SPANLITE_DB, taken
 * while a collector may be writing to it (sqlite/backup.ts), that a collector opens as it is
 * (`SPANLITE_DB=FILE spanlite start`). PostgreSQL is backed up with its own tools.
 */
import { parseArgs } from 'node:util';
import { backupSqliteDatabase, BackupError, type BackupProgress } from './sqlite/backup.js';

export const BACKUP_USAGE = `usage: spanlite backup FILE [--force]

Copies the SQLite database SPANLITE_DB (default ./data/spanlite.db) to FILE, consistently,
while a collector may be writing to it: the copy holds every trace stored before it began.
Start a collector on the copy with SPANLITE_DB=FILE. FILE is not replaced unless --force.
A PostgreSQL database (SPANLITE_DB=postgres://...) is backed up with pg_dump or the
provider's managed backups instead.`;

export interface BackupCommandIo {
  out(text: string): void;
  /** Errors and progress lines. */
  err(text: string): void;
}

export interface BackupDatabase {
  engine: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL target described without its password (`PostgreSQL host:port/db (user "u")`). */
  location: string;
}

/** Progress is told at each tenth of the pages. */
const PROGRESS_STEPS = 10;

/** Runs the command; resolves with the exit code (0 done, 1 failed or refused, 2 usage). */
export async function runBackupCommand(args: readonly string[], database: BackupDatabase, io: BackupCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.err(`spanlite backup: ${(error as Error).message}\n\n${BACKUP_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.out(BACKUP_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`spanlite backup: expected one target FILE (got ${positionals.length})\n\n${BACKUP_USAGE}`);
    return 2;
  }
  if (database.engine === 'postgres') {
    io.err(
      `spanlite backup: copies a SQLite database, and SPANLITE_DB is ${database.location}. ` +
        `Back PostgreSQL up with pg_dump (pg_dump --format=custom --file=spanlite.dump "$SPANLITE_DB", restored with pg_restore) ` +
        'or with your provider\'s managed backups.',
    );
    return 1;
  }
  let told = -1;
  const tell = ({ copiedPages, totalPages }: BackupProgress) => {
    const step = totalPages === 0 ? PROGRESS_STEPS : Math.floor((copiedPages / totalPages) * PROGRESS_STEPS);
    if (step <= told) return;
    told = step;
    io.err(`spanlite backup: ${Math.round((copiedPages / Math.max(totalPages, 1)) * 100)}% (${copiedPages} of ${totalPages} pages)`);
  };
  try {
    const result = await backupSqliteDatabase({ source: database.location, target: positionals[0]!, force: values.force === true, onProgress: tell });
    io.out(`spanlite backup: ${result.file} written (${result.pages} pages, ${result.bytes} bytes); start a collector on it with SPANLITE_DB=${result.file}`);
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    io.err(`spanlite backup: ${error.message}`);
    return 1;
  }
}
