/**
 * Folds the events of one observation (its create, its updates, in any arrival order, in this
 * batch or onto what earlier batches stored) into the one observation to store. Pure.
 *
 * Each field keeps the value of the event with the highest (tier, rank) that named it: a create
 * is authoritative for the type and start (tier 2), an update beats a create for every other
 * field (tier 1 over 0), and within a tier the later event (eventRank: its time, then its place
 * in its batch) wins. The ranks are stored with the observation (SPANLITE_INGESTION_FIELD_RANKS),
 * so the fold is a per-field maximum: the same observation for every arrival order, and nothing
 * changed by a batch sent again.
 */
import type { Attributes } from '../decode/span.js';
import type { Observation } from '../model.js';
import type { ObservationPatch, PatchFields } from './ingestion-event.js';
import { SPANLITE_INGESTION_FIELD_RANKS } from '../../semconv/spanlite.js';

/** The instrumentation scope of what a client sent through ingestion (from the request's `metadata.sdk_name`). */
export interface IngestionScope {
  name: string;
  version: string;
}

export type RankedField = keyof PatchFields | 'type';

/** Fields the store prices from: a stored cost stands unless one of them changes. */
const PRICED_FROM: readonly RankedField[] = ['usage', 'model', 'reportedCost'];

export function foldObservation(
  stored: Observation | null,
  patches: readonly ObservationPatch[],
  traceId: string,
  scope: IngestionScope,
): Observation {
  const observation: Observation = stored ? { ...stored } : emptyObservation(patches[0]!, traceId, scope);
  const ranks = storedRanks(stored);
  const values = observation as unknown as Record<string, unknown>;
  let repriced = stored === null;
  for (const patch of patches) {
    const candidates: Array<[RankedField, unknown]> = [['type', patch.type], ...(Object.entries(patch.fields) as Array<[RankedField, unknown]>)];
    for (const [field, value] of candidates) {
      if (value === undefined) continue;
      const rank = tierOf(patch, field) + patch.rank;
      if (ranks[field] !== undefined && rank <= ranks[field]!) continue;
      ranks[field] = rank;
      values[field] = value;
      if (PRICED_FROM.includes(field)) repriced = true;
    }
  }
  // Until its create (or an update) names the start: the earliest time its updates name.
  if (ranks.startTimeUnixNano === undefined) observation.startTimeUnixNano = earliestTime(observation.startTimeUnixNano, patches);
  if (repriced) {
    observation.reportedCost = ranks.reportedCost === undefined ? null : observation.reportedCost;
    observation.cost = null;
    observation.costMissingReason = null;
  } else {
    observation.reportedCost = observation.cost;
  }
  if (observation.type === 'EVENT') observation.endTimeUnixNano = null;
  else if (observation.endTimeUnixNano !== null && observation.endTimeUnixNano < observation.startTimeUnixNano) {
    observation.endTimeUnixNano = observation.startTimeUnixNano;
  }
  // Keys in order, so that every arrival order stores the same text.
  const rankText = JSON.stringify(Object.fromEntries(Object.entries(ranks).sort(([a], [b]) => (a < b ? -1 : 1))));
  observation.rawAttributes = { ...(values.rawAttributes as Observation['rawAttributes']), [SPANLITE_INGESTION_FIELD_RANKS]: rankText };
  return observation;
}

/** A create names the type and start for good; any update beats a create elsewhere. */
function tierOf(patch: ObservationPatch, field: RankedField): string {
  if (patch.kind === 'update') return '1';
  return field === 'type' || field === 'startTimeUnixNano' ? '2' : '0';
}

function storedRanks(stored: Observation | null): Partial<Record<RankedField, string>> {
  return stored === null ? {} : storedFieldRanks(stored.rawAttributes);
}

/** The rank that set each field of an observation stored by ingestion (empty for any other observation). */
export function storedFieldRanks(attributes: Attributes): Partial<Record<RankedField, string>> {
  const text = attributes[SPANLITE_INGESTION_FIELD_RANKS];
  if (typeof text !== 'string') return {};
  try {
    const ranks: unknown = JSON.parse(text);
    return typeof ranks === 'object' && ranks !== null ? (ranks as Partial<Record<RankedField, string>>) : {};
  } catch {
    return {};
  }
}

function earliestTime(start: bigint, patches: readonly ObservationPatch[]): bigint {
  let earliest = start;
  for (const { fields, eventTimeUnixNano } of patches) {
    for (const time of [fields.endTimeUnixNano, eventTimeUnixNano]) {
      if (time !== undefined && time !== null && time < earliest) earliest = time;
    }
  }
  return earliest;
}

function emptyObservation(first: ObservationPatch, traceId: string, scope: IngestionScope): Observation {
  return {
    id: first.id,
    traceId,
    parentObservationId: null,
    type: first.type,
    name: '',
    startTimeUnixNano: first.eventTimeUnixNano,
    endTimeUnixNano: null,
    completionStartTimeUnixNano: null,
    level: 'DEFAULT',
    statusMessage: null,
    version: null,
    model: null,
    modelProvider: null,
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
