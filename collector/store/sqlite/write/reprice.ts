/**
 * Repricing in SQLite (TraceStore.repriceObservations): one step is one IMMEDIATE transaction,
 * so the candidates are read, repriced and written with no other write in between, whether the
 * writer is this collector or another process on the same file (which waits for the busy
 * timeout). A changed observation is updated in place (its searchable text is untouched, so the
 * full-text index is not); its trace's total cost is summed again from its observations, and the
 * traces_sessions / traces_users triggers move the session and user sums by the difference.
 */
import type { Database } from 'better-sqlite3';
import { DEFAULT_ENVIRONMENT, type RepriceObservation, type RepriceStep, type RepriceStepResult } from '../../contract.js';
import { repriceChanges, repriceCursorAfter } from '../../reprice-changes.js';
import { StatementCache } from '../statement-cache.js';
import { toJson } from '../json-columns.js';
import { OBSERVATION_COLUMNS, toObservationRecord, type ObservationRow } from '../read/rows.js';

type CandidateRow = ObservationRow & { trace_key: bigint };

export type RepriceStepWriter = (projectId: string, step: RepriceStep, reprice: RepriceObservation) => RepriceStepResult;

export function createRepriceStep(db: Database, now: () => number = Date.now): RepriceStepWriter {
  const candidates = new StatementCache(db);
  const updateObservation = db.prepare(`
    UPDATE observations SET cost_details = @costDetails, total_cost = @totalCost, cost_missing_reason = @missingReason
    WHERE project_id = @projectId AND trace_key = @traceKey AND id = @id`);
  const updateTraceCost = db.prepare(`
    UPDATE traces SET
      total_cost = (SELECT sum(o.total_cost) FROM observations o
        WHERE o.project_id = @projectId AND o.trace_key = @traceKey AND o.counts_in_trace_totals = 1),
      updated_at_ms = @nowMs
    WHERE trace_key = @traceKey AND project_id = @projectId`);
  const addDailyCost = db.prepare(`
    UPDATE daily_usage SET total_cost = total_cost + @deltaUsd WHERE project_id = @projectId AND day = @day AND model = @model`);

  const run = db.transaction((projectId: string, step: RepriceStep, reprice: RepriceObservation): RepriceStepResult => {
    const { sql, values } = candidateQuery(projectId, step);
    const rows = candidates.get(sql).all(values) as CandidateRow[];
    const traceKeys = new Map(rows.map((row) => [row.trace_id, row.trace_key]));
    const records = rows.map((row) => toObservationRecord(row, DEFAULT_ENVIRONMENT));
    const changes = repriceChanges(records, reprice);
    for (const { observation, repriced } of changes.observations) {
      updateObservation.run({
        costDetails: toJson(repriced.cost),
        totalCost: repriced.cost?.total ?? null,
        missingReason: repriced.missingReason,
        projectId,
        traceKey: traceKeys.get(observation.traceId),
        id: observation.id,
      });
    }
    const nowMs = now();
    for (const traceId of changes.traceIds) updateTraceCost.run({ projectId, traceKey: traceKeys.get(traceId), nowMs });
    for (const { day, model, deltaUsd } of changes.dailyCostDeltas) addDailyCost.run({ projectId, day, model, deltaUsd });
    return {
      examined: rows.length,
      changedObservations: changes.observations.length,
      changedTraceIds: changes.traceIds,
      next: repriceCursorAfter(
        records.map((record) => ({ startTimeUnixNano: record.startTimeUnixNano, observationId: record.id, traceId: record.traceId })),
        step.limit,
      ),
    };
  });
  return (projectId, step, reprice) => run.immediate(projectId, step, reprice);
}

/**
 * The step's candidates in keyset order (start, id, trace id; text compares as bytes). The
 * model is tested as `+o.model`, which keeps the planner off the model index: walked in time
 * order from the cursor, a step reads what it returns, where the model index would sort every
 * observation of the model again at each step.
 */
function candidateQuery(projectId: string, step: RepriceStep): { sql: string; values: Record<string, unknown> } {
  const conditions = ['o.project_id = @projectId', '(o.model IS NOT NULL OR o.total_tokens IS NOT NULL)'];
  const values: Record<string, unknown> = { projectId, limit: step.limit };
  if (step.model !== undefined) {
    conditions.push('+o.model = @model');
    values.model = step.model;
  }
  if (step.fromTimeUnixNano !== undefined) {
    conditions.push('o.start_time_ns >= @from');
    values.from = step.fromTimeUnixNano;
  }
  if (step.toTimeUnixNano !== undefined) {
    conditions.push('o.start_time_ns < @to');
    values.to = step.toTimeUnixNano;
  }
  if (step.after !== null) {
    conditions.push('o.start_time_ns >= @afterStart', '(o.start_time_ns, o.id, o.trace_id) > (@afterStart, @afterId, @afterTrace)');
    Object.assign(values, { afterStart: step.after.startTimeUnixNano, afterId: step.after.observationId, afterTrace: step.after.traceId });
  }
  const sql = `SELECT ${OBSERVATION_COLUMNS}, o.trace_key FROM observations o WHERE ${conditions.join(' AND ')}
    ORDER BY o.start_time_ns, o.id, o.trace_id LIMIT @limit`;
  return { sql, values };
}
