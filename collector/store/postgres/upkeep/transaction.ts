/**
 * One transaction on a connection of the pool: committed when `work` resolves, rolled back when
 * it throws. A connection that failed mid-transaction is closed rather than handed on.
 */
import type { Pool, PoolClient } from 'pg';
import { isTransientPostgresError } from '../write/errors.js';

/**
 * @param begin the statement that opens the transaction: a plain `BEGIN` for a write, or one
 *   naming an isolation level (read/snapshot.ts).
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
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
