/**
 * Repricing in PostgreSQL (TraceStore.repriceObservations): one step is one transaction. It
 * takes the advisory locks of its candidates' traces in key order, as the batch writer does
 * (trace-locks.ts), then reads the candidates again: a write to one of those traces committed
 * meanwhile (a span folded onto an observation, say) is seen, and none can come between the read
 * and the update. A changed observation is updated in place (its searchable text is untouched);
 * its trace's total cost is summed again from its observations, and the daily usage, session and
 * user sums move by the difference through rollups.ts, in the writer's table and key order.
 */
import type { Pool, PoolClient } from 'pg';
import { DEFAULT_ENVIRONMENT, type RepriceObservation, type RepriceStep, type RepriceStepResult } from '../../contract.js';
import { repriceChanges, repriceCursorAfter, type RepriceChanges } from '../../reprice-changes.js';
import { inTransaction } from '../upkeep/transaction.js';
import { OBSERVATION_COLUMNS, toObservationRecord, type ObservationRow } from '../read/rows.js';
import { lockTraces } from './trace-locks.js';
import { emptyRollupChanges, rollupKey, writeRollups, type RollupChanges } from './rollups.js';
import { jsonb } from './values.js';

interface CandidateKey {
  trace_id: string;
  id: string;
  start_time_ns: string;
}

interface TraceCost {
  id: string;
  session_id: string | null;
  user_id: string | null;
  before: number | null;
  after: number | null;
}

export function repriceStep(
  pool: Pool,
  projectId: string,
  step: RepriceStep,
  reprice: RepriceObservation,
  now: () => number = Date.now,
): Promise<RepriceStepResult> {
  return inTransaction(pool, async (client) => {
    const filter = candidateFilter(projectId, step);
    const keysValues = [...filter.values];
    // Ids order as bytes (COLLATE "C"), as observations_by_time orders them and SQLite compares text.
    const keys = await client.query<CandidateKey>(
      `SELECT o.trace_id, o.id, o.start_time_ns FROM observations o WHERE ${[...filter.conditions, ...afterCondition(step, keysValues)].join(' AND ')}
       ORDER BY o.start_time_ns, o.id COLLATE "C", o.trace_id COLLATE "C" LIMIT ${Number(step.limit)}`,
      keysValues,
    );
    const next = repriceCursorAfter(
      keys.rows.map((row) => ({ startTimeUnixNano: BigInt(row.start_time_ns), observationId: row.id, traceId: row.trace_id })),
      step.limit,
    );
    const result = { examined: keys.rows.length, changedObservations: 0, changedTraceIds: [] as string[], next };
    if (keys.rows.length === 0) return result;
    await lockTraces(client, keys.rows.map((row) => ({ projectId, traceId: row.trace_id })));
    const keyArrays = [keys.rows.map((row) => row.trace_id), keys.rows.map((row) => row.id)];
    const at = filter.values.length;
    const rows = await client.query<ObservationRow>(
      `SELECT ${OBSERVATION_COLUMNS} FROM observations o JOIN unnest($${at + 1}::text[], $${at + 2}::text[]) AS k (trace_id, id)
         ON o.trace_id = k.trace_id AND o.id = k.id
       WHERE ${filter.conditions.join(' AND ')}`,
      [...filter.values, ...keyArrays],
    );
    const changes = repriceChanges(rows.rows.map((row) => toObservationRecord(row, DEFAULT_ENVIRONMENT)), reprice);
    if (changes.observations.length === 0) return result;
    await updateObservations(client, projectId, changes);
    const traces = await updateTraceCosts(client, projectId, changes.traceIds, now());
    await writeRollups(client, costRollups(projectId, changes, traces));
    return { ...result, changedObservations: changes.observations.length, changedTraceIds: changes.traceIds };
  });
}

/** The conditions every candidate meets, whatever the cursor: the project, a model or usage, the model and time range asked for. */
function candidateFilter(projectId: string, step: RepriceStep): { conditions: string[]; values: unknown[] } {
  const values: unknown[] = [projectId];
  const conditions = ['o.project_id = $1', '(o.model IS NOT NULL OR o.total_tokens IS NOT NULL)'];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(condition(`$${values.length}`));
  };
  if (step.model !== undefined) add((p) => `o.model = ${p}`, step.model);
  if (step.fromTimeUnixNano !== undefined) add((p) => `o.start_time_ns >= ${p}`, String(step.fromTimeUnixNano));
  if (step.toTimeUnixNano !== undefined) add((p) => `o.start_time_ns < ${p}`, String(step.toTimeUnixNano));
  return { conditions, values };
}

/** After the cursor in keyset order; adds its values to `values`. */
function afterCondition(step: RepriceStep, values: unknown[]): string[] {
  if (step.after === null) return [];
  values.push(String(step.after.startTimeUnixNano), step.after.observationId, step.after.traceId);
  const [start, id, trace] = [values.length - 2, values.length - 1, values.length].map((n) => `$${n}`);
  return [`(o.start_time_ns, o.id COLLATE "C", o.trace_id COLLATE "C") > (${start}::bigint, ${id}::text COLLATE "C", ${trace}::text COLLATE "C")`];
}

async function updateObservations(client: PoolClient, projectId: string, { observations }: RepriceChanges): Promise<void> {
  await client.query(
    `UPDATE observations o SET cost_details = k.cost_details::jsonb, total_cost = k.total_cost, cost_missing_reason = k.missing_reason
     FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::text[]) AS k (trace_id, id, cost_details, total_cost, missing_reason)
     WHERE o.project_id = $1 AND o.trace_id = k.trace_id AND o.id = k.id`,
    [
      projectId,
      observations.map(({ observation }) => observation.traceId),
      observations.map(({ observation }) => observation.id),
      observations.map(({ repriced }) => jsonb(repriced.cost)),
      observations.map(({ repriced }) => repriced.cost?.total ?? null),
      observations.map(({ repriced }) => repriced.missingReason),
    ],
  );
}

/** Sums each trace's cost again from its observations (null when none is priced) and writes it; returns each trace's cost before and after. */
async function updateTraceCosts(client: PoolClient, projectId: string, traceIds: readonly string[], nowMs: number): Promise<TraceCost[]> {
  const traces = await client.query<TraceCost>(
    `SELECT t.id, t.session_id, t.user_id, t.total_cost AS before,
       (SELECT sum(o.total_cost) FROM observations o WHERE o.project_id = t.project_id AND o.trace_id = t.id AND o.counts_in_trace_totals) AS after
     FROM traces t WHERE t.project_id = $1 AND t.id = ANY($2::text[])`,
    [projectId, traceIds],
  );
  await client.query(
    `UPDATE traces t SET total_cost = k.total_cost, updated_at_ms = $4
     FROM unnest($2::text[], $3::float8[]) AS k (id, total_cost)
     WHERE t.project_id = $1 AND t.id = k.id`,
    [projectId, traces.rows.map((trace) => trace.id), traces.rows.map((trace) => trace.after), nowMs],
  );
  return traces.rows;
}

/** The daily usage rows' cost changes, and each changed trace's session and user by its cost's difference. */
function costRollups(projectId: string, changes: RepriceChanges, traces: readonly TraceCost[]): RollupChanges {
  const rollups = emptyRollupChanges();
  const zero = { traceCount: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0 };
  for (const { day, model, deltaUsd } of changes.dailyCostDeltas) {
    rollups.dailyUsage.set(rollupKey(projectId, day, model), { ...zero, observationCount: 0, costUsd: deltaUsd });
  }
  for (const trace of traces) {
    const deltaUsd = (trace.after ?? 0) - (trace.before ?? 0);
    if (deltaUsd === 0) continue;
    for (const [map, id] of [[rollups.sessions, trace.session_id], [rollups.users, trace.user_id]] as const) {
      if (id === null) continue;
      const key = rollupKey(projectId, id);
      const totals = map.get(key) ?? { ...zero };
      totals.costUsd += deltaUsd;
      map.set(key, totals);
    }
  }
  return rollups;
}
