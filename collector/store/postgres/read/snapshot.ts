/**
 * Runs a read of several statements on one snapshot (a read-only REPEATABLE READ transaction),
 * so that a batch committed by any collector in between shows in all of them or in none: a list
 * page counts the rows it shows, a trace's totals add up its observations.
 */
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../upkeep/transaction.js';

export function inSnapshot<T>(pool: Pool, read: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, read, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
}
