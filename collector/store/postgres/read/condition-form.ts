/**
 * How a list page applies a condition on another table whose matching traces it has counted
 * exactly (one level, model or score condition, one full-text term), chosen from that count rather
 * than by the planner: PostgreSQL's estimate of a score condition ignores that a value range
 * depends on the name (toxicity is mostly 0, so `helpfulness < 0.0005` looks like half the
 * scores), and at 200k traces it walked 126k traces probing each for a condition that 92 matched
 * (2.5 s; read by id, 7 ms); it took 4k ERROR observations for 33 and read all their traces
 * to sort them (260 ms; hashed while walking the newest traces, 4-15 ms).
 * - `probe`: EXISTS per trace walked in list order; PostgreSQL plans it as a semi-join.
 * - `hash`: the matching trace ids hashed once, each trace of the walk tested against the hash.
 *   The condition is kept from becoming a join (`IS TRUE`): a join's output has no order, and
 *   the page would sort every match.
 * - `set`: the matching traces read by id, then put in order: for few matches.
 */
import type { PoolClient } from 'pg';
import { withLocalSettings } from './local-settings.js';

export type ConditionForm = 'probe' | 'hash' | 'set';

/**
 * Microseconds per row, warm, from EXPLAIN ANALYZE at 200k traces: an index probe per trace
 * walked; a match read and hashed, and a trace walked and tested against the hash; a trace read
 * by id (then sorted).
 */
const PROBE_US = 25;
const HASH_US = 0.5;
const READ_BY_ID_US = 25;

/** `rowsToPageEnd`: the rows of the list up to the end of the page asked (offset + limit + 1). */
export async function conditionForm(
  client: PoolClient,
  projectId: string,
  matchingTraces: number,
  rowsToPageEnd: number,
): Promise<ConditionForm> {
  const { rows } = await client.query<{ n: string }>(`SELECT coalesce(sum(trace_count), 0) AS n FROM daily_traces WHERE project_id = $1`, [projectId]);
  const allTraces = Number(rows[0]!.n);
  // Traces walked in list order to reach the end of the page, matches spread evenly.
  const walked = Math.min(allTraces, (rowsToPageEnd * allTraces) / Math.max(matchingTraces, 1));
  const costs: Record<ConditionForm, number> = {
    probe: walked * PROBE_US,
    hash: (matchingTraces + walked) * HASH_US,
    set: matchingTraces * READ_BY_ID_US,
  };
  return (Object.keys(costs) as ConditionForm[]).reduce((best, form) => (costs[form] < costs[best] ? form : best));
}

/**
 * Runs the statement of a `hash` form, in the caller's transaction, with memory enough that the
 * planner hashes the matches: it decides on its estimate of their number (up to every score of
 * the name), while the hash holds only the actual matches, which the costs above keep under about
 * 50 x the square root of the traces (50k at 1M) when they choose this form. 256 MB (x2,
 * hash_mem_multiplier) covers an estimate of about 9M rows; past that the planner would test each
 * trace by running the subquery again, so a project of that size needs a higher figure here.
 */
export async function withHashedSubplan<T>(client: PoolClient, form: ConditionForm, run: () => Promise<T>): Promise<T> {
  return form === 'hash' ? withLocalSettings(client, { work_mem: '256MB' }, run) : run();
}
