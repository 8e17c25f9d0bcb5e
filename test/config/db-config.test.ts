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
