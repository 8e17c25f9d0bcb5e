/**
 * Opens each side of `spanlite copy` from a SPANLITE_DB-style value: a SQLite file or a
 * postgres:// URL, its trace store and its key store, and says which database it is without a
 * password. A source must exist; a SQLite target is created when missing.
 */
import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CopyEnd } from '../store/copy/copy-database.js';
import { openSqliteStore } from '../store/sqlite/store.js';
import { openSqliteKeyStore } from '../store/sqlite/keys.js';
import { openPostgresStore } from '../store/postgres/store.js';
import { openPostgresKeyStore } from '../store/postgres/keys.js';
import { describeTarget, postgresTarget } from '../store/postgres/connect.js';

export interface OpenedCopyEnd extends CopyEnd {
  close(): Promise<void>;
}

/** A database named as SPANLITE_DB names one. */
export interface DatabaseName {
  engine: 'sqlite' | 'postgres';
  /** The file, or the URL. */
  value: string;
}

export function databaseNamed(value: string): DatabaseName {
  return { engine: /^postgres(ql)?:\/\//i.test(value) ? 'postgres' : 'sqlite', value };
}

/** The database for messages: the file's absolute path, or PostgreSQL's host, port, database and user. Throws for a URL that is not one. */
export function describeDatabase(name: DatabaseName): string {
  return name.engine === 'postgres' ? `PostgreSQL ${describeTarget(postgresTarget(name.value))}` : resolve(name.value);
}

/**
 * Whether both name one database: the same file (links followed), or the same server, database
 * and `options` (a schema on the search_path) of a URL. Another host name for the same server is
 * not recognised.
 */
export function sameDatabase(a: DatabaseName, b: DatabaseName): boolean {
  if (a.engine !== b.engine) return false;
  if (a.engine === 'sqlite') return filePath(a.value) === filePath(b.value);
  const where = (name: DatabaseName) => `${describeTarget(postgresTarget(name.value))} ${new URL(name.value).searchParams.get('options') ?? ''}`;
  return where(a) === where(b);
}

function filePath(file: string): string {
  return existsSync(file) ? realpathSync(file) : resolve(file);
}

/** Pool sizes: a copy reads or writes one page at a time. */
const STORE_POOL_SIZE = 2;

export async function openCopyEnd(name: DatabaseName, role: 'source' | 'target'): Promise<OpenedCopyEnd> {
  const postgres = name.engine === 'postgres';
  if (!postgres && role === 'source' && (name.value === ':memory:' || !existsSync(name.value))) {
    throw new Error(`${resolve(name.value)} does not exist`);
  }
  const store = postgres
    ? await openPostgresStore({ url: name.value, poolSize: STORE_POOL_SIZE })
    : // `normal`: an interrupted copy is run again, and closing checkpoints everything into the file.
      openSqliteStore({ file: name.value, synchronous: 'normal' });
  try {
    const keys = postgres ? await openPostgresKeyStore({ url: name.value, poolSize: 1 }) : openSqliteKeyStore({ file: name.value });
    return { store, keys, close: async () => void (await Promise.all([keys.close(), store.close()])) };
  } catch (error) {
    await store.close();
    throw error;
  }
}
