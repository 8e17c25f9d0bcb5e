/**
 * API key material: generating a pair, reading the key id out of a key, checking a secret
 * against its stored hash.
 *
 * A pair is `pk-sl-<id>` (public) and `sk-sl-<id>-<secret>` (secret), where `<id>` is 12 random
 * bytes and `<secret>` 32 random bytes, both hex. The id is not secret: it finds the stored key in
 * one indexed lookup whichever half a client sends (HTTP Basic sends both; Bearer and x-api-key
 * only the secret), and then one hash is compared in constant time.
 *
 * The secret is stored as HMAC-SHA256(salt, secret) with a random salt per key. A fast hash is
 * enough here, unlike for passwords: the secret is 256 random bits, so guessing it from a leaked
 * hash is hopeless at any hash speed, and a slow KDF (scrypt, ~50 ms) would only make every
 * unauthenticated request a way to burn the collector's CPU. The salt still keeps equal inputs
 * from giving equal hashes.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord } from './key-store.js';

export const PUBLIC_KEY_PREFIX = 'pk-sl-';
export const SECRET_KEY_PREFIX = 'sk-sl-';
export const SECRET_HASH_SCHEME = 'hmac-sha256';

const KEY_ID_BYTES = 12;
const SECRET_BYTES = 32;
const SALT_BYTES = 16;
const PUBLIC_KEY = new RegExp(`^${PUBLIC_KEY_PREFIX}([0-9a-f]{${KEY_ID_BYTES * 2}})$`);
const SECRET_KEY = new RegExp(`^${SECRET_KEY_PREFIX}([0-9a-f]{${KEY_ID_BYTES * 2}})-[0-9a-f]{${SECRET_BYTES * 2}}$`);

export interface NewApiKey {
  /** What is stored: no secret in it. */
  record: ApiKeyRecord;
  publicKey: string;
  /** Shown once, to whoever created the key; never stored, never shown again. */
  secretKey: string;
}

export function generateApiKey(projectId: string, note: string | null, nowMs: number): NewApiKey {
  const id = randomBytes(KEY_ID_BYTES).toString('hex');
  const publicKey = `${PUBLIC_KEY_PREFIX}${id}`;
  const secretKey = `${SECRET_KEY_PREFIX}${id}-${randomBytes(SECRET_BYTES).toString('hex')}`;
  const secretSalt = randomBytes(SALT_BYTES);
  return {
    publicKey,
    secretKey,
    record: {
      id,
      projectId,
      publicKey,
      secretHashScheme: SECRET_HASH_SCHEME,
      secretSalt,
      secretHash: hashSecret(secretSalt, secretKey),
      secretHint: `${SECRET_KEY_PREFIX}…${secretKey.slice(-4)}`,
      note,
      createdAtMs: nowMs,
      revokedAtMs: null,
    },
  };
}

/** The key id in a public key, or null when it is not one of ours. */
export function keyIdOfPublicKey(publicKey: string): string | null {
  return PUBLIC_KEY.exec(publicKey)?.[1] ?? null;
}

/** The key id in a secret key, or null when it is not one of ours. */
export function keyIdOfSecretKey(secretKey: string): string | null {
  return SECRET_KEY.exec(secretKey)?.[1] ?? null;
}

/** Whether `secretKey` is the secret of `record`, compared in constant time. */
export function secretMatches(record: ApiKeyRecord, secretKey: string): boolean {
  if (record.secretHashScheme !== SECRET_HASH_SCHEME) return false;
  const presented = hashSecret(record.secretSalt, secretKey);
  return presented.length === record.secretHash.length && timingSafeEqual(presented, record.secretHash);
}

function hashSecret(salt: Buffer, secretKey: string): Buffer {
  return createHmac('sha256', salt).update(secretKey, 'utf8').digest();
}
