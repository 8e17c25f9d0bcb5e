/**
 * Key material and the authenticator through their public functions, on a real ':memory:' key
 * store and a fake clock: what is stored, how long a verification is trusted, when revocation
 * takes effect, when the collector stops being open.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateApiKey, keyIdOfPublicKey, keyIdOfSecretKey, secretMatches } from '../../collector/auth/api-key.js';
import { createAuthenticator, type Authenticator } from '../../collector/auth/authenticator.js';
import { createKeyManager, type CreatedApiKey, type KeyManager } from '../../collector/auth/key-manager.js';
import type { KeyStore } from '../../collector/auth/key-store.js';
import { createRateLimiter } from '../../collector/auth/rate-limiter.js';
import { readCredentials } from '../../collector/auth/credentials.js';
import { openSqliteKeyStore } from '../../collector/store/sqlite/keys.js';
import { SpanliteError } from '../../collector/errors.js';

describe('generateApiKey', () => {
  it('embeds one key id in both keys and stores a salted hash, never the secret', () => {
    const { publicKey, secretKey, record } = generateApiKey('shop', null, 1_000);
    expect(keyIdOfPublicKey(publicKey)).toBe(record.id);
    expect(keyIdOfSecretKey(secretKey)).toBe(record.id);
    expect(JSON.stringify(record)).not.toContain(secretKey.slice(31));
    expect(record.secretHash.toString('hex')).not.toContain(secretKey.slice(31));
    expect(record.secretHint).toBe(`sk-sl-…${secretKey.slice(-4)}`);
  });

  it('matches only its own secret, and salts each key differently', () => {
    const first = generateApiKey('shop', null, 1_000);
    const second = generateApiKey('shop', null, 1_000);
    expect(secretMatches(first.record, first.secretKey)).toBe(true);
    expect(secretMatches(first.record, second.secretKey)).toBe(false);
    expect(secretMatches(first.record, `${first.secretKey}0`)).toBe(false);
    expect(first.record.secretSalt.equals(second.record.secretSalt)).toBe(false);
  });
});

describe('readCredentials', () => {
  const headers = (values: Record<string, string>) => (name: string) => values[name];

  it('prefers Authorization over x-api-key, and reads Basic as public:secret', () => {
    const basic = `Basic ${Buffer.from('pk-sl-a:sk-sl-b:with-colon').toString('base64')}`;
    expect(readCredentials(headers({ authorization: basic, 'x-api-key': 'other' }))).toEqual({
      scheme: 'basic',
      publicKey: 'pk-sl-a',
      secretKey: 'sk-sl-b:with-colon',
    });
    expect(readCredentials(headers({ authorization: 'bearer  sk-sl-x ' }))).toEqual({ scheme: 'bearer', secretKey: 'sk-sl-x' });
    expect(readCredentials(headers({ 'x-api-key': 'sk-sl-y' }))).toEqual({ scheme: 'x-api-key', secretKey: 'sk-sl-y' });
  });

  it('throws unauthenticated when nothing is sent', () => {
    expect(() => readCredentials(headers({}))).toThrow(SpanliteError);
    expect(() => readCredentials(headers({ authorization: 'Bearer' }))).toThrow('Authorization: Bearer needs a secret key after it');
  });
});

describe('createAuthenticator', () => {
  let store: KeyStore;
  let keys: KeyManager;
  let clockMs: number;
  let reads: number;
  let authenticator: Authenticator;
  let created: CreatedApiKey;
  const bearer = (key: CreatedApiKey) => ({ scheme: 'bearer' as const, secretKey: key.secretKey });

  beforeEach(async () => {
    store = openSqliteKeyStore({ file: ':memory:' });
    keys = createKeyManager({ keys: store });
    clockMs = 0;
    reads = 0;
    const counted: KeyStore = {
      ...store,
      findById: (id) => (reads++, store.findById(id)),
      findByPublicKey: (publicKey) => (reads++, store.findByPublicKey(publicKey)),
    };
    authenticator = createAuthenticator({ keys: counted, recheckMs: 5_000, now: () => clockMs });
  });
  afterEach(async () => {
    await store.close();
  });

  it('is open while no key exists, and keyed for good from the first key, seen within recheckMs', async () => {
    expect(await authenticator.mode()).toBe('open');
    created = await keys.create('shop');
    clockMs = 4_999;
    expect(await authenticator.mode()).toBe('open');
    clockMs = 5_000;
    expect(await authenticator.mode()).toBe('keyed');
    await keys.revoke(created.publicKey);
    clockMs = 20_000;
    expect(await authenticator.mode()).toBe('keyed');
  });

  it('reads the key table once per recheckMs for a verified key, and sees a revocation by then', async () => {
    created = await keys.create('shop');
    expect(await authenticator.authenticate(bearer(created))).toEqual({
      keyId: keyIdOfPublicKey(created.publicKey),
      projectId: 'shop',
      publicKey: created.publicKey,
    });
    clockMs = 4_999;
    await authenticator.authenticate(bearer(created));
    expect(reads).toBe(1);

    await store.revoke(created.publicKey, Date.now()); // as another process would
    await authenticator.authenticate(bearer(created));
    clockMs = 5_000;
    await expect(authenticator.authenticate(bearer(created))).rejects.toThrow(/revoked at/);
    expect(reads).toBe(2);
  });

  it('forgets a key revoked in this process at once', async () => {
    created = await keys.create('shop');
    await authenticator.authenticate(bearer(created));
    authenticator.keyRevoked(keyIdOfPublicKey(created.publicKey)!);
    await store.revoke(created.publicKey, Date.now());
    await expect(authenticator.authenticate(bearer(created))).rejects.toThrow(/revoked at/);
  });

  it('never remembers a failure: a wrong secret is checked, and refused, every time', async () => {
    created = await keys.create('shop');
    // Its last character changed: to 0, or to 1 when it already is 0.
    const lastChanged = created.secretKey.endsWith('0') ? '1' : '0';
    const wrong = { scheme: 'basic' as const, publicKey: created.publicKey, secretKey: `${created.secretKey.slice(0, -1)}${lastChanged}` };
    await expect(authenticator.authenticate(wrong)).rejects.toThrow('does not match');
    await expect(authenticator.authenticate(wrong)).rejects.toThrow('does not match');
    expect(reads).toBe(2);
  });
});

describe('createRateLimiter', () => {
  const key = { keyId: 'k1', projectId: 'p', publicKey: 'pk-sl-k1' };

  it('lets a key burst up to its per-minute limit, then refills it at limit/60 per second', () => {
    let clockMs = 0;
    const limiter = createRateLimiter({ perMinute: 6, now: () => clockMs });
    for (let request = 0; request < 6; request++) limiter.take(key);
    let refusal: unknown;
    try {
      limiter.take(key);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(SpanliteError);
    expect(refusal).toMatchObject({ code: 'rate_limited', httpStatus: 429, retryAfterSeconds: 10 });
    clockMs = 9_999;
    expect(() => limiter.take(key)).toThrow(/retry in 1 s/);
    clockMs = 10_000;
    expect(() => limiter.take(key)).not.toThrow();
    expect(() => limiter.take({ ...key, keyId: 'k2' })).not.toThrow();
  });
});
