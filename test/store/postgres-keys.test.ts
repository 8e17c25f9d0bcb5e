/**
 * The PostgreSQL KeyStore (store/postgres/keys.ts) against the SQLite one: the same keys created,
 * found by id and by public key, listed oldest first (ties by id), revoked once, and counted
 * while revoked; and a revocation raced by several callers at once counted once.
 */
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord, KeyStore } from '../../collector/auth/key-store.js';
import { createPostgresKeyStore } from '../../collector/store/postgres/keys.js';
import { openSqliteKeyStore } from '../../collector/store/sqlite/keys.js';
import { postgresAvailable } from '../helpers/postgres-server.js';
import { postgresPerFile } from './postgres-rows.js';

function key(id: string, projectId: string, createdAtMs: number, note: string | null = null): ApiKeyRecord {
  return {
    id,
    projectId,
    publicKey: `pk-sl-${id}`,
    secretHashScheme: 'scrypt-v1',
    secretSalt: Buffer.from(`salt-${id}`),
    secretHash: Buffer.from([0, 1, 2, 255, id.length]),
    secretHint: `sk-sl-…${id.slice(-4)}`,
    note,
    createdAtMs,
    revokedAtMs: null,
  };
}

describe.skipIf(!postgresAvailable())('the PostgreSQL API key store', () => {
  const perFile = postgresPerFile('keys');

  async function pairedKeyStores(): Promise<{ sqlite: KeyStore; postgres: KeyStore; pool: pg.Pool }> {
    const { pool } = await perFile.newDatabase(1, 3);
    const pair = { sqlite: perFile.closeWithFile(openSqliteKeyStore({ file: ':memory:' })), postgres: perFile.closeWithFile(createPostgresKeyStore(pool)), pool };
    return pair;
  }

  async function same<T>(pair: { sqlite: KeyStore; postgres: KeyStore }, ask: (store: KeyStore) => Promise<T>): Promise<T> {
    const [expected, actual] = await Promise.all([ask(pair.sqlite), ask(pair.postgres)]);
    expect(actual).toEqual(expected);
    return actual;
  }

  it('creates keys, finds them by id and public key, and lists them oldest first with ties by id', async () => {
    const pair = await pairedKeyStores();
    expect(await same(pair, (s) => s.hasAnyKey())).toBe(false);
    expect(await same(pair, (s) => s.list())).toEqual([]);
    const keys = [key('k2', 'project-a', 2000, 'ci'), key('k1b', 'project-b', 1000), key('k1a', 'project-a', 1000, 'local')];
    for (const record of keys) await same(pair, (s) => s.insert(record));
    expect(await same(pair, (s) => s.hasAnyKey())).toBe(true);
    expect(await same(pair, (s) => s.findById('k1b'))).toEqual(keys[1]);
    expect(await same(pair, (s) => s.findByPublicKey('pk-sl-k2'))).toEqual(keys[0]);
    expect(await same(pair, (s) => s.findById('missing'))).toBeNull();
    expect(await same(pair, (s) => s.findByPublicKey('pk-sl-missing'))).toBeNull();
    expect((await same(pair, (s) => s.list())).map((record) => record.id)).toEqual(['k1a', 'k1b', 'k2']);
    const found = await pair.postgres.findById('k2');
    expect(Buffer.isBuffer(found!.secretSalt) && found!.secretHash.equals(keys[0]!.secretHash)).toBe(true);
  });

  it('refuses a second key with the same id or public key', async () => {
    const { postgres } = await pairedKeyStores();
    await postgres.insert(key('dup', 'project-a', 1));
    await expect(postgres.insert(key('dup', 'project-b', 2))).rejects.toThrow(/duplicate key/);
    await expect(postgres.insert({ ...key('other', 'project-a', 3), publicKey: 'pk-sl-dup' })).rejects.toThrow(/duplicate key/);
    expect((await postgres.list()).length).toBe(1);
  });

  it('revokes a key once, keeps it listed, and still counts it as a key ever created', async () => {
    const pair = await pairedKeyStores();
    await same(pair, (s) => s.insert(key('gone', 'project-a', 1000)));
    expect(await same(pair, (s) => s.revoke('pk-sl-gone', 5000))).toBe('revoked');
    expect(await same(pair, (s) => s.revoke('pk-sl-gone', 6000))).toBe('already_revoked');
    expect(await same(pair, (s) => s.revoke('pk-sl-never', 6000))).toBe('not_found');
    expect((await same(pair, (s) => s.findByPublicKey('pk-sl-gone')))?.revokedAtMs).toBe(5000);
    expect(await same(pair, (s) => s.list())).toHaveLength(1);
    expect(await same(pair, (s) => s.hasAnyKey())).toBe(true);
  });

  it('answers a revocation raced by several callers as revoked exactly once', async () => {
    const { pool } = await pairedKeyStores();
    const callers = [createPostgresKeyStore(pool), createPostgresKeyStore(pool), createPostgresKeyStore(pool)];
    await callers[0]!.insert(key('raced', 'project-a', 1000));
    const outcomes = await Promise.all(callers.map((store, n) => store.revoke('pk-sl-raced', 2000 + n)));
    expect(outcomes.filter((outcome) => outcome === 'revoked')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'already_revoked')).toHaveLength(2);
  });

  it('refuses use after close, and closes twice without error', async () => {
    const { postgres } = await pairedKeyStores();
    await postgres.close();
    await postgres.close();
    await expect(postgres.list()).rejects.toThrow(/after close/);
  });
});
