/**
 * Which SQLite failures are the database's state (busy, locked, disk full, I/O: retrying later
 * can succeed) and which are the data's (a value that cannot be bound, a constraint: the same
 * batch will fail again). The write queue answers the first kind with a retryable 503 and the
 * second with a 500 that exporters do not retry, so one unstorable request cannot loop forever.
 */
import Database from 'better-sqlite3';

/** Primary result codes (https://sqlite.org/rescode.html) of failures that may pass. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_NOMEM',
  'SQLITE_CANTOPEN',
  'SQLITE_PROTOCOL',
  'SQLITE_INTERRUPT',
  'SQLITE_READONLY',
]);

export function isTransientSqliteError(error: unknown): boolean {
  if (!(error instanceof Database.SqliteError)) return false;
  const primary = error.code.split('_', 2).join('_');
  return TRANSIENT_CODES.has(primary);
}
