/**
 * Runs a read of several statements on one snapshot (a read-only REPEATABLE READ transaction),
 * so that a batch committed by any collector in between shows in all of them or in none: a list
 * page counts the rows it shows, a trace's totals add up its observations.
 */
import type { Pool, PoolClient } from 'pg';

export async function inSnapshot<T>(pool: Pool, read: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await read(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
