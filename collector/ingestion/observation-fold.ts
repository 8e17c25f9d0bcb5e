/**
 * Folds the events of one observation (its create, its updates, in any arrival order, in this
 * batch or onto what an earlier batch stored) into the one observation to store. Pure.
 *
 * The rule, whatever order the events come in: an update sets every field it names, later
 * updates (by event rank) winning; a create sets its type and start, and fills the fields no
 * update set. So a create arriving after its update (another batch, a retry) does not undo the
 * update, and a batch sent twice folds to the same observation.
 */
import type { Observation } from '../model.js';
import type { ObservationPatch, PatchFields } from './ingestion-event.js';

/** The instrumentation scope of what a client sent through ingestion (from the request's `metadata.sdk_name`). */
export interface IngestionScope {
  name: string;
  version: string;
}

export function foldObservation(
  stored: Observation | null,
  patches: readonly ObservationPatch[],
  traceId: string,
  scope: IngestionScope,
): Observation {
  const ordered = [...patches].sort(
    (a, b) => (a.kind === b.kind ? (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0) : a.kind === 'create' ? -1 : 1),
  );
  const first = ordered[0]!;
  const observation: Observation = stored ? { ...stored } : emptyObservation(first, placeholderStart(ordered), traceId, scope);
  // A stored cost stands unless the events change what it was priced from.
  let repriced = stored === null;
  for (const patch of ordered) {
    if (patch.kind === 'create') observation.type = patch.type;
    for (const key of Object.keys(patch.fields) as Array<keyof PatchFields>) {
      const value = patch.fields[key];
      if (value === undefined) continue;
      if (patch.kind === 'create' && key !== 'startTimeUnixNano' && !isUnset(observation, key)) continue;
      if (key === 'usage' || key === 'model' || key === 'reportedCost') repriced = true;
      (observation as unknown as Record<string, unknown>)[key] = key === 'rawAttributes' ? { ...observation.rawAttributes, ...(value as object) } : value;
    }
  }
  if (repriced) {
    observation.reportedCost = ordered.reduce<Observation['reportedCost']>((cost, patch) => patch.fields.reportedCost ?? cost, null);
    observation.cost = null;
    observation.costMissingReason = null;
  } else {
    observation.reportedCost = observation.cost;
  }
  if (observation.type === 'EVENT') observation.endTimeUnixNano = null;
  else if (observation.endTimeUnixNano !== null && observation.endTimeUnixNano < observation.startTimeUnixNano) {
    observation.endTimeUnixNano = observation.startTimeUnixNano;
  }
  return observation;
}

/**
 * The start of an observation whose create has not arrived (only updates): the earliest time
 * they name, so that an end they give is not before it. The create's start replaces it.
 */
function placeholderStart(patches: readonly ObservationPatch[]): bigint {
  let start: bigint | undefined;
  for (const { fields, eventTimeUnixNano } of patches) {
    for (const time of [fields.startTimeUnixNano, fields.endTimeUnixNano, eventTimeUnixNano]) {
      if (time !== undefined && time !== null && (start === undefined || time < start)) start = time;
    }
  }
  return start!;
}

function emptyObservation(first: ObservationPatch, startTimeUnixNano: bigint, traceId: string, scope: IngestionScope): Observation {
  return {
    id: first.id,
    traceId,
    parentObservationId: null,
    type: first.type,
    name: '',
    startTimeUnixNano,
    endTimeUnixNano: null,
    completionStartTimeUnixNano: null,
    level: 'DEFAULT',
    statusMessage: null,
    version: null,
    model: null,
    modelParameters: null,
    input: null,
    output: null,
    metadata: {},
    usage: {},
    reportedCost: null,
    cost: null,
    costMissingReason: null,
    countsInTraceTotals: true,
    rawAttributes: {},
    resourceAttributes: {},
    scope: { ...scope },
  };
}

/** A field no event has set yet: still its empty value. */
function isUnset(observation: Observation, key: keyof PatchFields): boolean {
  const value = observation[key];
  if (value === null || value === '') return true;
  if (key === 'level') return value === 'DEFAULT';
  if (key === 'usage') return observation.usage.total === undefined;
  if (key === 'rawAttributes') return true;
  return typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}
