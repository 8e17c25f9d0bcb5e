/**
 * Sets the createdAt and updatedAt of stored traces and scores (contract.ts, CopyableStore):
 * `spanlite copy` keeps its source's, which its own writes set to the time of the copy. One
 * statement per table; nothing derived follows these columns.
 */
import type { Pool } from 'pg';
import type { WriteTimes } from '../../contract.js';
import { inTransaction } from '../upkeep/transaction.js';

export async function restoreWriteTimes(
  pool: Pool,
  projectId: string,
  times: { traces: readonly WriteTimes[]; scores: readonly WriteTimes[] },
): Promise<void> {
  await inTransaction(pool, async (client) => {
    for (const [table, rows] of [['traces', times.traces], ['scores', times.scores]] as const) {
      if (rows.length === 0) continue;
      await client.query(
        `UPDATE ${table} r SET created_at_ms = v.created_at_ms, updated_at_ms = v.updated_at_ms
         FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS v (id, created_at_ms, updated_at_ms)
         WHERE r.project_id = $1 AND r.id = v.id`,
        [projectId, rows.map((row) => row.id), rows.map((row) => row.createdAtMs), rows.map((row) => row.updatedAtMs)],
      );
    }
  });
}
