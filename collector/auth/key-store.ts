/**
 * Where API keys are kept: the small interface the authenticator, the admin API and the CLI use.
 * store/sqlite/keys.ts implements it over the collector's database file (its own connection).
 */

/** One key pair as stored: never the secret itself, only its salted hash. */
export interface ApiKeyRecord {
  /** Non-secret id embedded in both keys (`pk-sl-<id>`, `sk-sl-<id>-<secret>`): how a secret sent alone is found. */
  id: string;
  projectId: string;
  /** `pk-sl-<id>`: the user name of HTTP Basic, shown in lists. */
  publicKey: string;
  /** How `secretHash` was computed (api-key.ts), so another scheme can be added later. */
  secretHashScheme: string;
  /** Random per key. */
  secretSalt: Buffer;
  secretHash: Buffer;
  /** `sk-sl-…` and the secret's last 4 characters, to tell keys apart in lists. */
  secretHint: string;
  /** Free text given at creation (who or what the key is for). */
  note: string | null;
  createdAtMs: number;
  /** When revoked; null while the key is valid. */
  revokedAtMs: number | null;
}

export type KeyRevocation = 'revoked' | 'already_revoked' | 'not_found';

export interface KeyStore {
  insert(record: ApiKeyRecord): Promise<void>;
  findById(id: string): Promise<ApiKeyRecord | null>;
  findByPublicKey(publicKey: string): Promise<ApiKeyRecord | null>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked at `atMs`; a revoked key stays listed. */
  revoke(publicKey: string, atMs: number): Promise<KeyRevocation>;
  /** Whether a key was ever created (revoked ones count): the collector runs open only while none was. */
  hasAnyKey(): Promise<boolean>;
  close(): Promise<void>;
}
