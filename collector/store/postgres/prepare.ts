/**
 * Readies a PostgreSQL database for the store at start: connects (connect.ts) and brings the
 * schema to this spanlite's version (migrate.ts). The caller owns the returned pool and ends it.
 */
import type { Pool } from 'pg';
import { connectPostgres, describeTarget, postgresTarget, type PostgresConnectOptions } from './connect.js';
import { migrate } from './migrate.js';

export async function preparePostgresDatabase(options: PostgresConnectOptions): Promise<Pool> {
  const pool = await connectPostgres(options);
  try {
    await migrate(pool, describeTarget(postgresTarget(options.url)));
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
