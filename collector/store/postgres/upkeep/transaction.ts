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
  // A connection lost while checked out (the server stopped) is told to the client, not the pool:
  // without a listener the error would end the process. The statement in flight fails with it.
  const onLost = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onLost);
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
    client.off('error', onLost);
    client.release(broken !== undefined && isTransientPostgresError(broken) ? broken : undefined);
  }
}
