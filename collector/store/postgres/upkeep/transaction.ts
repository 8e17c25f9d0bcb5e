/**
 * One transaction on a connection of the pool (connection.ts): committed when `work` resolves,
 * rolled back when it throws.
 */
import type { Pool, PoolClient } from 'pg';
import { withConnection } from '../connection.js';
import { isTransientPostgresError } from '../write/errors.js';

/**
 * @param begin the statement that opens the transaction: a plain `BEGIN` for a write, or one
 *   naming an isolation level (read/snapshot.ts).
 */
export function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  return withConnection(pool, async (client) => {
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that failed for the database's reasons is closed (connection.ts), which ends
      // the transaction on the server; a ROLLBACK on it would wait behind a statement that timed
      // out, as long again.
      if (!isTransientPostgresError(error)) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
