/** SPANLITE_DB_CACHE_MB: the default, a value read, and what is refused. */
import { describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../../config/collector-config.js';
import { configProblems } from '../helpers/config-problems.js';

describe('SPANLITE_DB_CACHE_MB', () => {
  it('defaults to 64 MiB', () => {
    expect(loadCollectorConfig({}).dbCacheMiB).toBe(64);
  });

  it('reads a size in MiB', () => {
    expect(loadCollectorConfig({ SPANLITE_DB_CACHE_MB: '32' }).dbCacheMiB).toBe(32);
  });

  it('refuses what is not a whole number of MiB from 2 to 65536, naming what it got', () => {
    expect(configProblems({ SPANLITE_DB_CACHE_MB: 'lots' })).toEqual(['SPANLITE_DB_CACHE_MB: expected an integer 2-65536 (got "lots")']);
    expect(configProblems({ SPANLITE_DB_CACHE_MB: '1' })).toHaveLength(1);
    expect(configProblems({ SPANLITE_DB_CACHE_MB: '0.5' })).toHaveLength(1);
  });
});

describe('SPANLITE_DB selecting the engine, SPANLITE_DB_POOL and SPANLITE_DB_QUERY_TIMEOUT_MS', () => {
  it('keeps SQLite for a file and selects PostgreSQL for a postgres:// or postgresql:// URL', () => {
    expect(loadCollectorConfig({}).dbEngine).toBe('sqlite');
    expect(loadCollectorConfig({ SPANLITE_DB: './data/x.db' }).dbEngine).toBe('sqlite');
    for (const url of ['postgres://u:p@db.example:5432/spans', 'postgresql://u:p@db.example/spans?sslmode=require']) {
      expect(loadCollectorConfig({ SPANLITE_DB: url })).toMatchObject({ dbEngine: 'postgres', dbFile: url });
    }
  });

  it('defaults the pool to 10 connections and refuses what is not 1-1000', () => {
    expect(loadCollectorConfig({}).dbPoolSize).toBe(10);
    expect(loadCollectorConfig({ SPANLITE_DB_POOL: '25' }).dbPoolSize).toBe(25);
    expect(configProblems({ SPANLITE_DB_POOL: '0' })).toEqual(['SPANLITE_DB_POOL: expected an integer 1-1000 (got "0")']);
    expect(configProblems({ SPANLITE_DB_POOL: 'many' })).toHaveLength(1);
  });

  it('defaults the query timeout to 30 s and refuses what is not 1000-3600000 ms', () => {
    expect(loadCollectorConfig({}).dbQueryTimeoutMs).toBe(30_000);
    expect(loadCollectorConfig({ SPANLITE_DB_QUERY_TIMEOUT_MS: '5000' }).dbQueryTimeoutMs).toBe(5_000);
    expect(configProblems({ SPANLITE_DB_QUERY_TIMEOUT_MS: '500' })).toEqual([
      'SPANLITE_DB_QUERY_TIMEOUT_MS: expected an integer 1000-3600000 (got "500")',
    ]);
    expect(configProblems({ SPANLITE_DB_QUERY_TIMEOUT_MS: '30s' })).toHaveLength(1);
  });

  it('refuses a PostgreSQL URL it cannot read, without echoing the password', () => {
    const problems = configProblems({ SPANLITE_DB: 'postgres://u:secret-pw@db.example:notaport/spans' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SPANLITE_DB: /);
    expect(problems[0]).not.toContain('secret-pw');
  });
});

describe('settings of the other engine', () => {
  it('are listed as ignored with why, not refused: SQLite cache and sync on PostgreSQL, the pool on SQLite', () => {
    const onPostgres = loadCollectorConfig({ SPANLITE_DB: 'postgres://u:p@db.example/spans', SPANLITE_DB_SYNC: 'normal', SPANLITE_DB_CACHE_MB: '256' });
    expect(onPostgres.ignoredSettings).toEqual([
      "SPANLITE_DB_SYNC is ignored on PostgreSQL: it applies to SQLite only (set durability with the server's synchronous_commit)",
      "SPANLITE_DB_CACHE_MB is ignored on PostgreSQL: it applies to SQLite only (the cache is the server's shared_buffers)",
    ]);
    expect(loadCollectorConfig({ SPANLITE_DB_POOL: '20', SPANLITE_DB_QUERY_TIMEOUT_MS: '5000' }).ignoredSettings).toEqual([
      'SPANLITE_DB_POOL is ignored on SQLite: it applies to PostgreSQL only (SQLite is one file with one writer)',
      'SPANLITE_DB_QUERY_TIMEOUT_MS is ignored on SQLite: it applies to PostgreSQL only (SQLite is a file on this machine, with no network to wait on)',
    ]);
  });

  it("are none when every setting given is the selected engine's own", () => {
    expect(loadCollectorConfig({ SPANLITE_DB_SYNC: 'normal', SPANLITE_DB_CACHE_MB: '128' }).ignoredSettings).toEqual([]);
    expect(loadCollectorConfig({ SPANLITE_DB: 'postgres://u:p@db.example/spans', SPANLITE_DB_POOL: '4' }).ignoredSettings).toEqual([]);
  });
});
