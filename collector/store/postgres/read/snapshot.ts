/**
 * Reads of several statements (a page and its count, a session and its traces) see one snapshot:
 * a collector committing between them cannot make the count disagree with the page.
 */
import type { Pool, PoolClient } from 'pg';
import { isTransientPostgresError } from '../write/errors.js';

export async function inSnapshot<T>(pool: Pool, read: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await read(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch(() => undefined);
    throw broken;
  } finally {
    // A connection that failed is closed rather than handed to the next reader.
    client.release(broken !== undefined && isTransientPostgresError(broken) ? broken : undefined);
  }
}

export function pageMeta(query: { page: number; limit: number }, totalItems: number) {
  return { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) };
}
