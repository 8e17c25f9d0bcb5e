/**
 * The PostgreSQL KeyStore (auth/key-store.ts), over the `api_keys` table of the store's database.
 * It runs on a pool its caller owns (the store's, or the `spanlite keys` CLI's): close() stops
 * this store's use of it and leaves the pool to its owner.
 */
import type { Pool } from 'pg';
import type { KeyStore } from '../../auth/key-store.js';
import { KEY_COLUMNS, keyRecordOf, type KeyRow as StoredKeyRow } from '../key-rows.js';
import type { PostgresConnectOptions } from './connect.js';
import { preparePostgresDatabase } from './prepare.js';
import { transientAsUnavailable } from './unavailable.js';

/** Times in ms as the driver reads them. */
type KeyRow = StoredKeyRow<string>;

export function createPostgresKeyStore(pool: Pool): KeyStore {
  let closed = false;
  const query = async <Row extends object>(text: string, values: unknown[] = []): Promise<Row[]> => {
    if (closed) throw new Error('API key store: used after close()');
    return (await pool.query(text, values)).rows as Row[];
  };
  const one = async (where: string, value: string) => keyRecordOf((await query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE ${where} = $1`, [value]))[0]);

  return transientAsUnavailable<KeyStore>({
    async insert(record) {
      await query(`INSERT INTO api_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
        record.id,
        record.projectId,
        record.publicKey,
        record.secretHashScheme,
        record.secretSalt,
        record.secretHash,
        record.secretHint,
        record.note,
        record.createdAtMs,
        record.revokedAtMs,
      ]);
    },
    findById: (id) => one('id', id),
    findByPublicKey: (publicKey) => one('public_key', publicKey),
    // Ids order as bytes, as SQLite orders text.
    list: async () => (await query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY created_at_ms, id COLLATE "C"`)).map((row) => keyRecordOf(row)!),
    async revoke(publicKey, atMs) {
      // The row lock makes one of several callers revoking at once the one that revoked.
      const revoked = await query(`UPDATE api_keys SET revoked_at_ms = $1 WHERE public_key = $2 AND revoked_at_ms IS NULL RETURNING id`, [
        atMs,
        publicKey,
      ]);
      if (revoked.length > 0) return 'revoked';
      return (await one('public_key', publicKey)) === null ? 'not_found' : 'already_revoked';
    },
    hasAnyKey: async () => (await query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM api_keys) AS found'))[0]!.found,
    async close() {
      closed = true;
    },
  });
}
/**
 * A key store on a pool of its own (the `spanlite keys` CLI, or a collector beside its store):
 * connects, brings the schema up to date (a key may be created before any collector started),
 * and ends the pool on close().
 */
export async function openPostgresKeyStore(options: PostgresConnectOptions): Promise<KeyStore> {
  const pool = await preparePostgresDatabase(options);
  const keys = createPostgresKeyStore(pool);
  let closing: Promise<void> | null = null;
  return {
    ...keys,
    close() {
      closing ??= keys.close().then(() => pool.end());
      return closing;
    },
  };
}
