/**
 * What a SQLite database takes on disk: the file and its write-ahead log. The WAL counts: under
 * steady ingest it holds commits not yet copied into the file, up to tens of MiB (the checkpointer's
 * restart threshold), and it is disk the database uses all the same.
 */
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';

export function sqliteDatabaseBytes(db: Database.Database, file: string): number {
  if (file === ':memory:') {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const pageBytes = db.pragma('page_size', { simple: true }) as number;
    return pages * pageBytes;
  }
  return statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
}
