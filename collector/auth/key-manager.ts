/**
 * Creating, listing and revoking keys: what `spanlite keys` and the admin API both do. The
 * secret is returned by `create` once and exists nowhere else afterwards.
 */
import { SpanliteError } from '../errors.js';
import { generateApiKey } from './api-key.js';
import { projectIdProblem } from './project-id.js';
import type { ApiKeyRecord, KeyRevocation, KeyStore } from './key-store.js';

/** A key as listed: no secret, no hash. */
export interface ApiKeyView {
  publicKey: string;
  projectId: string;
  /** `sk-sl-…` and the secret's last 4 characters. */
  secretKeyHint: string;
  note: string | null;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; null while the key is valid. */
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyView {
  /** The only time it is shown. */
  secretKey: string;
}

export interface KeyManager {
  /** @throws SpanliteError `invalidParameter` for a bad project id or note. */
  create(projectId: string, note?: string | null): Promise<CreatedApiKey>;
  list(): Promise<ApiKeyView[]>;
  revoke(publicKey: string): Promise<KeyRevocation>;
}

export interface KeyManagerOptions {
  keys: Pick<KeyStore, 'insert' | 'list' | 'findByPublicKey' | 'revoke'>;
  /** Wall clock in ms; default Date.now. */
  now?: () => number;
  onCreated?: () => void;
  onRevoked?: (keyId: string) => void;
}

/** Longest note, in characters. */
export const MAX_NOTE_LENGTH = 200;

export function createKeyManager(options: KeyManagerOptions): KeyManager {
  const { keys, now = Date.now } = options;
  return {
    async create(projectId, note = null) {
      const problem = projectIdProblem(projectId);
      if (problem !== null) throw new SpanliteError('invalidParameter', `project: ${problem}`);
      if (note !== null && note.length > MAX_NOTE_LENGTH) {
        throw new SpanliteError('invalidParameter', `note: expected at most ${MAX_NOTE_LENGTH} characters (got ${note.length})`);
      }
      const created = generateApiKey(projectId, note, now());
      await keys.insert(created.record);
      options.onCreated?.();
      return { ...toKeyView(created.record), secretKey: created.secretKey };
    },
    async list() {
      return (await keys.list()).map(toKeyView);
    },
    async revoke(publicKey) {
      const record = await keys.findByPublicKey(publicKey);
      if (record === null) return 'not_found';
      const outcome = await keys.revoke(publicKey, now());
      options.onRevoked?.(record.id);
      return outcome;
    },
  };
}

export function toKeyView(record: ApiKeyRecord): ApiKeyView {
  return {
    publicKey: record.publicKey,
    projectId: record.projectId,
    secretKeyHint: record.secretHint,
    note: record.note,
    createdAt: new Date(record.createdAtMs).toISOString(),
    revokedAt: record.revokedAtMs === null ? null : new Date(record.revokedAtMs).toISOString(),
  };
}
