/**
 * Observations: inserted ON CONFLICT DO NOTHING, so a re-sent span (an exporter's retry, or the
 * same span sent to two collectors) is ignored whole and nothing is counted twice.
 */
import type { PoolClient } from 'pg';
import type { MappedSpan, Observation } from '../../../model.js';
import { insertRows } from './multi-row.js';
import { jsonb, jsonText, text } from './values.js';
import { usageColumnValues } from '../../usage-columns.js';
import { observationOfRecord, type ReplacedObservation } from '../../replaced-observation.js';
import { DEFAULT_ENVIRONMENT } from '../../contract.js';
import { OBSERVATION_COLUMNS, toObservationRecord, type ObservationRow } from '../read/rows.js';

const INSERT = `
  INSERT INTO observations (
    project_id, trace_id, id, parent_observation_id, type, name, start_time_ns, end_time_ns,
    completion_start_time_ns, level, status_message, version, model, model_parameters, input, output,
    metadata, input_tokens, output_tokens, total_tokens, cached_input_tokens, cache_write_tokens,
    reasoning_tokens, cost_details, total_cost, cost_missing_reason, counts_in_trace_totals,
    attributes, resource_attributes, scope_name, scope_version
  )`;

/** `traceId NUL id`: an observation's key within its project. */
export function observationKey(traceId: string, id: string): string {
  return `${traceId}\u0000${id}`;
}

/**
 * Inserts the observations not stored yet and returns the keys (observationKey) of those it
 * stored. Of two with one key in the list, the first is stored.
 */
export async function insertObservations(
  client: PoolClient,
  projectId: string,
  observations: readonly Observation[],
): Promise<Set<string>> {
  const rows = observations.map((o) => [
    text(projectId),
    text(o.traceId),
    text(o.id),
    text(o.parentObservationId),
    o.type,
    text(o.name),
    o.startTimeUnixNano,
    o.endTimeUnixNano,
    o.completionStartTimeUnixNano,
    o.level,
    text(o.statusMessage),
    text(o.version),
    text(o.model),
    jsonb(o.modelParameters),
    text(jsonText(o.input)),
    text(jsonText(o.output)),
    jsonb(o.metadata),
    ...usageColumnValues(o.usage),
    jsonb(o.cost),
    o.cost?.total ?? null,
    o.costMissingReason,
    o.countsInTraceTotals,
    jsonb(o.rawAttributes),
    jsonb(o.resourceAttributes),
    text(o.scope.name),
    text(o.scope.version),
  ]);
  const stored = await insertRows<{ trace_id: string; id: string }>(client, INSERT, rows, 'ON CONFLICT DO NOTHING RETURNING trace_id, id');
  return new Set(stored.map((row) => observationKey(row.trace_id, row.id)));
}

/**
 * Folds each span that asks for it (MappedSpan.foldOntoStored) onto the observation stored under
 * its key, which is deleted to make way for the result: the spans with their folded
 * observations, and the stored ones replaced, to be taken out of the totals. Under the trace
 * locks, so no other transaction writes these observations in between.
 */
export async function foldOntoStored(
  client: PoolClient,
  projectId: string,
  spans: readonly MappedSpan[],
): Promise<{ spans: MappedSpan[]; replaced: ReplacedObservation[] }> {
  const folding = spans.flatMap((span) => (span.foldOntoStored && span.observation ? [span.observation] : []));
  if (folding.length === 0) return { spans: [...spans], replaced: [] };
  const deleted = await client.query<ObservationRow>(
    `DELETE FROM observations o USING unnest($2::text[], $3::text[]) AS k (trace_id, id)
     WHERE o.project_id = $1 AND o.trace_id = k.trace_id AND o.id = k.id
     RETURNING ${OBSERVATION_COLUMNS}`,
    [projectId, folding.map((o) => o.traceId), folding.map((o) => o.id)],
  );
  const stored = new Map(deleted.rows.map((row) => [observationKey(row.trace_id, row.id), observationOfRecord(toObservationRecord(row, DEFAULT_ENVIRONMENT))]));
  const replaced: ReplacedObservation[] = [];
  const folded = spans.map((span) => {
    if (!span.foldOntoStored || !span.observation) return span;
    const before = stored.get(observationKey(span.observation.traceId, span.observation.id)) ?? null;
    const observation = span.foldOntoStored(before);
    if (before) replaced.push({ before, after: observation });
    return { ...span, observation };
  });
  return { spans: folded, replaced };
}
