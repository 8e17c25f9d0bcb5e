/** SPANLITE_DB_CACHE_MB: the default, a value read, and what is refused. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadCollectorConfig } from '../../config/collector-config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadCollectorConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('SPANLITE_DB_CACHE_MB', () => {
  it('defaults to 64 MiB', () => {
    expect(loadCollectorConfig({}).dbCacheMiB).toBe(64);
  });

  it('reads a size in MiB', () => {
    expect(loadCollectorConfig({ SPANLITE_DB_CACHE_MB: '32' }).dbCacheMiB).toBe(32);
  });

  it('refuses what is not a whole number of MiB from 2 to 65536, naming what it got', () => {
    expect(problemsOf({ SPANLITE_DB_CACHE_MB: 'lots' })).toEqual(['SPANLITE_DB_CACHE_MB: expected an integer 2-65536 (got "lots")']);
    expect(problemsOf({ SPANLITE_DB_CACHE_MB: '1' })).toHaveLength(1);
    expect(problemsOf({ SPANLITE_DB_CACHE_MB: '0.5' })).toHaveLength(1);
  });
});
