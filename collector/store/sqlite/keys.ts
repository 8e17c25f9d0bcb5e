/**
 * The SQLite KeyStore, on its own connection to the collector's database file: the `spanlite
 * keys` CLI opens it while a collector may be running (WAL lets both in; busy_timeout waits out
 * the writer's commits), and it does not share the trace store's connection, wherever that one
 * writes from. The schema is checked and migrated at open (migrate.ts): a no-op after the trace
 * store's open, and what creates it in a new file when the CLI is first.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApiKeyRecord, KeyStore } from '../../auth/key-store.js';
import { KEY_COLUMNS, keyRecordOf, type KeyRow as StoredKeyRow } from '../key-rows.js';
import { migrate } from './migrate.js';

export interface SqliteKeyStoreOptions {
  /** Database file, or ':memory:' (then the keys live in a database of their own). */
  file: string;
}

/** Times in ms as the driver reads them. */
type KeyRow = StoredKeyRow<number>;

export function openSqliteKeyStore(options: SqliteKeyStoreOptions): KeyStore {
  const { file } = options;
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new Error(`database ${file}: cannot open for API keys (${(error as Error).message})`, { cause: error });
  }
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    migrate(db, file);
  } catch (error) {
    db.close();
    throw error;
  }

  const insert = db.prepare(
    `INSERT INTO api_keys (${KEY_COLUMNS}) VALUES (@id, @project_id, @public_key, @secret_hash_scheme, @secret_salt, @secret_hash, @secret_hint, @note, @created_at_ms, @revoked_at_ms)`,
  );
  const byId = db.prepare<[string], KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = ?`);
  const byPublicKey = db.prepare<[string], KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE public_key = ?`);
  const all = db.prepare<[], KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY created_at_ms, id`);
  const revoke = db.prepare<[number, string]>('UPDATE api_keys SET revoked_at_ms = ? WHERE public_key = ? AND revoked_at_ms IS NULL');
  const any = db.prepare<[], { found: number }>('SELECT EXISTS (SELECT 1 FROM api_keys) AS found');
  let closed = false;

  return {
    async insert(record) {
      insert.run(toRow(record));
    },
    findById: async (id) => keyRecordOf(byId.get(id)),
    findByPublicKey: async (publicKey) => keyRecordOf(byPublicKey.get(publicKey)),
    list: async () => all.all().map((row) => keyRecordOf(row)!),
    async revoke(publicKey, atMs) {
      if (revoke.run(atMs, publicKey).changes > 0) return 'revoked';
      return byPublicKey.get(publicKey) === undefined ? 'not_found' : 'already_revoked';
    },
    hasAnyKey: async () => any.get()!.found === 1,
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

function toRow(record: ApiKeyRecord): KeyRow {
  return {
    id: record.id,
    project_id: record.projectId,
    public_key: record.publicKey,
    secret_hash_scheme: record.secretHashScheme,
    secret_salt: record.secretSalt,
    secret_hash: record.secretHash,
    secret_hint: record.secretHint,
    note: record.note,
    created_at_ms: record.createdAtMs,
    revoked_at_ms: record.revokedAtMs,
  };
}
