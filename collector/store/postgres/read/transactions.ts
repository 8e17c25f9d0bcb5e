/**
 * Transactions of the query API. Reads of several statements (a page and its count, a session
 * and its traces) run in one snapshot, so a collector committing between them cannot make the
 * count disagree with the page; writes run in a transaction of their own.
 */
import type { Pool, PoolClient } from 'pg';
import { isTransientPostgresError } from '../write/errors.js';

/** Runs `work` in a read-only snapshot (REPEATABLE READ). */
export function inSnapshot<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', work);
}

/** Runs `work` between `begin` and COMMIT on one connection; rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, begin: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
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
    // A connection that failed is closed rather than handed to the next caller.
    client.release(broken !== undefined && isTransientPostgresError(broken) ? broken : undefined);
  }
}
