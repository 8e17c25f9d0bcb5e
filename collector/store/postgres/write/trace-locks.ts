/**
 * Per-trace advisory locks: a writer merges a trace's row (read, merge in JavaScript with
 * store/trace-merge.ts, write) only while it holds its trace's lock, so two collectors writing
 * spans of one trace at once merge one after the other and lose no update. Each transaction
 * takes every lock it needs at its start, in ascending key order: two transactions never wait
 * for each other in a cycle, so they cannot deadlock.
 */
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';

/** The lock key of a trace: 64 bits of SHA-256 over project and trace id (two traces sharing one only wait for each other). */
export function traceLockKey(projectId: string, traceId: string): bigint {
  return createHash('sha256').update(projectId).update('\u0000').update(traceId).digest().readBigInt64BE(0);
}

/** Takes the transaction-scoped locks of these traces, in ascending key order; held until COMMIT or ROLLBACK. */
export async function lockTraces(client: PoolClient, traces: Iterable<{ projectId: string; traceId: string }>): Promise<void> {
  const keys = [...new Set([...traces].map(({ projectId, traceId }) => traceLockKey(projectId, traceId)))];
  if (keys.length === 0) return;
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // One round trip; unnest yields the keys in array order, so the locks are taken in that order.
  await client.query('SELECT count(pg_advisory_xact_lock(key)) FROM unnest($1::bigint[]) AS key', [keys.map(String)]);
}
