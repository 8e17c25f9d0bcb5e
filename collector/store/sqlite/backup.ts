/**
 * A consistent copy of a live SQLite database, through SQLite's online backup API
 * (better-sqlite3's `db.backup()`), while a collector goes on writing to it.
 *
 * The backup copies a few thousand pages per step; a commit by another connection between two
 * steps would make SQLite start the copy over, which under steady ingest never ends. So the
 * copying connection holds one read transaction across every step: in WAL mode that pins the
 * snapshot it started from (everything committed before the backup began), writers go on
 * unblocked, and nothing restarts. The cost: the collector's WAL cannot start over while the copy
 * runs, so it grows by what is written meanwhile.
 *
 * The copy is written to `<target>.partial-<pid>` beside the target and renamed onto it once
 * complete, so the target is never a half-written database.
 */
import Database from 'better-sqlite3';
import { existsSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface SqliteBackupOptions {
  /** The live database file (SPANLITE_DB). */
  source: string;
  target: string;
  /** Replace an existing target; default false. */
  force?: boolean;
  /** Told after each step. */
  onProgress?: (progress: BackupProgress) => void;
}

export interface BackupProgress {
  copiedPages: number;
  totalPages: number;
}

export interface BackupResult {
  /** Absolute path of the copy. */
  file: string;
  pages: number;
  bytes: number;
}

/** A backup refused before it began, or that failed: the message says what and where. */
export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

/** Pages per step at least (4 MiB of 4 KiB pages); otherwise about 1% of the database. */
const MIN_STEP_PAGES = 1_024;
const STEPS = 100;

/** @throws BackupError when the source or the target's folder is missing, the target exists (without `force`), or the copy fails. */
export async function backupSqliteDatabase(options: SqliteBackupOptions): Promise<BackupResult> {
  const source = resolve(options.source);
  const target = resolve(options.target);
  checkPaths(source, target, options.force === true);
  const db = openSource(source);
  const partial = `${target}.partial-${process.pid}`;
  try {
    db.exec('BEGIN');
    // The first read starts the transaction, and with it the snapshot every step copies from.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    const done = await db.backup(partial, {
      progress({ totalPages, remainingPages }) {
        options.onProgress?.({ copiedPages: totalPages - remainingPages, totalPages });
        return Math.max(MIN_STEP_PAGES, Math.ceil(totalPages / STEPS));
      },
    });
    options.onProgress?.({ copiedPages: done.totalPages, totalPages: done.totalPages });
    db.exec('COMMIT');
    if (options.force === true) {
      // A log left beside a replaced database would be replayed onto the copy.
      for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
    }
    renameSync(partial, target);
    return { file: target, pages: done.totalPages, bytes: statSync(target).size };
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`backup of ${source} to ${target} failed: ${(error as Error).message}`, { cause: error });
  } finally {
    db.close();
  }
}

function checkPaths(source: string, target: string, force: boolean): void {
  if (!existsSync(source)) {
    throw new BackupError(`SPANLITE_DB ${source}: no such file, nothing to back up (set SPANLITE_DB to the collector's database)`);
  }
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new BackupError(`${target}: the folder ${folder} does not exist; create it first`);
  }
  if (existsSync(target)) {
    if (realpathSync(target) === realpathSync(source)) throw new BackupError(`${target} is the database itself (SPANLITE_DB)`);
    if (!force) throw new BackupError(`${target} exists; pass --force to replace it`);
  }
}

/**
 * Read-write, though it only reads: a read-only connection cannot remove the WAL and shared
 * memory files it creates, and would leave them beside a database no collector has open.
 */
function openSource(source: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(source, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (error) {
    db?.close();
    throw new BackupError(`SPANLITE_DB ${source}: cannot read it as a SQLite database (${(error as Error).message})`, { cause: error });
  }
}
