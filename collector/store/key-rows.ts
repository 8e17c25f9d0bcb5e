/**
 * A stored API key row <-> the key store's record, for every engine. Times are integers in ms:
 * numbers from better-sqlite3, decimal strings (BIGINT) from node-postgres.
 */
import type { ApiKeyRecord } from '../auth/key-store.js';

export interface KeyRow<Ms extends number | string = number | string> {
  id: string;
  project_id: string;
  public_key: string;
  secret_hash_scheme: string;
  secret_salt: Buffer;
  secret_hash: Buffer;
  secret_hint: string;
  note: string | null;
  created_at_ms: Ms;
  revoked_at_ms: Ms | null;
}

export const KEY_COLUMNS =
  'id, project_id, public_key, secret_hash_scheme, secret_salt, secret_hash, secret_hint, note, created_at_ms, revoked_at_ms';

export function keyRecordOf(row: KeyRow | undefined): ApiKeyRecord | null {
  if (row === undefined) return null;
  return {
    id: row.id,
    projectId: row.project_id,
    publicKey: row.public_key,
    secretHashScheme: row.secret_hash_scheme,
    secretSalt: row.secret_salt,
    secretHash: row.secret_hash,
    secretHint: row.secret_hint,
    note: row.note,
    createdAtMs: Number(row.created_at_ms),
    revokedAtMs: row.revoked_at_ms === null ? null : Number(row.revoked_at_ms),
  };
}
