/**
 * Checks presented credentials against the key store, and says whether the collector runs open.
 *
 * A verified key is remembered (by a SHA-256 digest of what was presented, never the secret
 * itself) for `recheckMs`, so ingestion costs one Map lookup per request rather than a store
 * read and a hash. After that the key table is read again: a key revoked by another process (the
 * `spanlite keys revoke` CLI on the same database) is refused at most `recheckMs` later. Keys
 * revoked in this process (admin API) are forgotten at once. Failures are not remembered: an
 * unknown key is looked up every time, so a key created by the CLI works on its first request.
 */
import { createHash } from 'node:crypto';
import { SpanliteError } from '../errors.js';
import type { ApiKeyRecord, KeyStore } from './key-store.js';
import type { PresentedCredentials } from './credentials.js';
import { keyIdOfPublicKey, keyIdOfSecretKey, secretMatches, SECRET_KEY_PREFIX } from './api-key.js';

/** The key a request was authenticated with. */
export interface AuthenticatedKey {
  keyId: string;
  projectId: string;
  publicKey: string;
}

/** `open`: no key was ever created, every request is in the default project. `keyed`: every request needs a key. */
export type AccessMode = 'open' | 'keyed';

export interface Authenticator {
  /** Open until a key exists (the key table is re-read at most every `recheckMs`); keyed from then on, for good. */
  mode(): Promise<AccessMode>;
  /** @throws SpanliteError `unauthenticated` naming what was wrong (never echoing a secret). */
  authenticate(credentials: PresentedCredentials): Promise<AuthenticatedKey>;
  /** A key was created in this process: keyed at once. */
  keyCreated(): void;
  /** A key was revoked in this process: refused from the next request on. */
  keyRevoked(keyId: string): void;
}

export interface AuthenticatorOptions {
  keys: Pick<KeyStore, 'findById' | 'findByPublicKey' | 'hasAnyKey'>;
  /**
   * How long a verified key (or the absence of any key) is trusted before the key table is read
   * again, in ms: the bound on how late a change made by another process takes effect. Default 5000.
   */
  recheckMs?: number;
  /** Monotonic clock in ms; default performance.now. */
  now?: () => number;
  /** Called once, when the first key is seen. */
  onKeyed?: () => void;
}

/** Verified credentials remembered at most; the oldest is forgotten past this. */
const MAX_REMEMBERED = 10_000;

interface Remembered {
  key: AuthenticatedKey;
  verifiedAtMs: number;
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { keys } = options;
  const recheckMs = options.recheckMs ?? 5_000;
  const now = options.now ?? (() => performance.now());
  // Keyed by a digest of the credentials: a lookup's timing can reveal at most a digest prefix,
  // which says nothing about the secret.
  const remembered = new Map<string, Remembered>();
  let keyed = false;
  let modeCheckedAtMs = -Infinity;

  function becomeKeyed(): void {
    if (keyed) return;
    keyed = true;
    options.onKeyed?.();
  }

  async function verify(credentials: PresentedCredentials): Promise<AuthenticatedKey> {
    const record = await lookUp(credentials);
    if (!secretMatches(record, credentials.secretKey)) {
      throw new SpanliteError('unauthenticated', `API key ${record.publicKey}: the secret key does not match`);
    }
    if (record.revokedAtMs !== null) {
      throw new SpanliteError('unauthenticated', `API key ${record.publicKey}: revoked at ${new Date(record.revokedAtMs).toISOString()}`);
    }
    return { keyId: record.id, projectId: record.projectId, publicKey: record.publicKey };
  }

  async function lookUp(credentials: PresentedCredentials): Promise<ApiKeyRecord> {
    if (credentials.scheme === 'basic') {
      const { publicKey } = credentials;
      const found = keyIdOfPublicKey(publicKey) === null ? null : await keys.findByPublicKey(publicKey);
      if (found === null) {
        const shown = publicKey.length > 40 ? `${JSON.stringify(publicKey.slice(0, 40))}…` : JSON.stringify(publicKey);
        throw new SpanliteError('unauthenticated', `Authorization: Basic: no API key has the public key ${shown}`);
      }
      return found;
    }
    const source = credentials.scheme === 'bearer' ? 'Authorization: Bearer' : 'x-api-key';
    const keyId = keyIdOfSecretKey(credentials.secretKey);
    if (keyId === null) {
      throw new SpanliteError(
        'unauthenticated',
        `${source}: expected a spanlite secret key (${SECRET_KEY_PREFIX}<id>-<secret>; got a ${credentials.secretKey.length}-character value that is not one)`,
      );
    }
    const found = await keys.findById(keyId);
    if (found === null) throw new SpanliteError('unauthenticated', `${source}: no API key has the id ${keyId} (${SECRET_KEY_PREFIX}${keyId}-…)`);
    return found;
  }

  return {
    async mode() {
      if (keyed) return 'keyed';
      const at = now();
      if (at - modeCheckedAtMs < recheckMs) return 'open';
      modeCheckedAtMs = at;
      if (await keys.hasAnyKey()) becomeKeyed();
      return keyed ? 'keyed' : 'open';
    },
    async authenticate(credentials) {
      const digest = digestOf(credentials);
      const hit = remembered.get(digest);
      const at = now();
      if (hit !== undefined && at - hit.verifiedAtMs < recheckMs) return hit.key;
      remembered.delete(digest);
      const key = await verify(credentials);
      if (remembered.size >= MAX_REMEMBERED) {
        const oldest = remembered.keys().next();
        if (oldest.done !== true) remembered.delete(oldest.value);
      }
      remembered.set(digest, { key, verifiedAtMs: at });
      return key;
    },
    keyCreated: becomeKeyed,
    keyRevoked(keyId) {
      for (const [digest, entry] of remembered) {
        if (entry.key.keyId === keyId) remembered.delete(digest);
      }
    },
  };
}

function digestOf(credentials: PresentedCredentials): string {
  const publicKey = credentials.scheme === 'basic' ? credentials.publicKey : '';
  return createHash('sha256').update(publicKey).update('\n').update(credentials.secretKey).digest('base64');
}
