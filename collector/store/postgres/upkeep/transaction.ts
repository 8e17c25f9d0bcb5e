/**
 * One transaction on a connection of the pool: committed when `work` resolves, rolled back when
 * it throws. A connection that failed mid-transaction is closed rather than handed on.
 */
import type { Pool, PoolClient } from 'pg';
import { isTransientPostgresError } from '../write/errors.js';

export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch(() => undefined);
    throw broken;
  } finally {
    client.release(broken !== undefined && isTransientPostgresError(broken) ? broken : undefined);
  }
}
