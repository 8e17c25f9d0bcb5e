/**
 * One connection of the pool for a run of statements (a transaction, a session lock), watched
 * while it is out. The pool listens for a connection's errors only while it is idle, and an
 * error event nobody listens to ends the process: a server that ends the connection between two
 * statements (a fast shutdown, pg_terminate_backend) sends such an event to whoever holds it.
 * A connection that was lost, or whose work failed for the database's reasons
 * (isTransientPostgresError), is closed rather than handed on.
 */
import type { Pool, PoolClient } from 'pg';
import { isTransientPostgresError } from './write/errors.js';

export async function withConnection<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost = false;
  // The statement running (or the next one) fails too, and carries the reason to the caller.
  const onLost = () => {
    lost = true;
  };
  client.on('error', onLost);
  let broken = false;
  try {
    return await work(client);
  } catch (error) {
    broken = isTransientPostgresError(error);
    throw error;
  } finally {
    client.off('error', onLost);
    client.release(lost || broken);
  }
}
