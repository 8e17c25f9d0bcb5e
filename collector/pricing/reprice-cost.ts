/**
 * The new cost of a stored observation, for a repricing: the price in force when it started,
 * for the provider its stored attributes name, by the same arithmetic as ingestion
 * (priceObservation). A cost the app reported is never changed. Pure.
 */
import type { CostDetails } from '../model.js';
import type { ObservationRecord, RepricedCost } from '../store/contract.js';
import { isLlmCall, priceObservation } from './cost.js';
import type { PriceIndex } from './price-index.js';
import { OBSERVATION_FIELD_KEYS, readReportedCost } from '../mapping/observation-fields.js';
import { ANY_KEY, firstString } from '../mapping/attribute-readers.js';
import { storedFieldRanks } from '../ingestion/observation-fold.js';

const NS_PER_MS = 1_000_000n;

/**
 * The cost `observation` would be given if ingested now, or null when it is to be left alone:
 * its cost was reported by the app (cost attributes on the span, or a cost sent through
 * Langfuse ingestion), it is not a model call (no model and no usage), or the new cost and
 * missing reason equal the stored ones.
 */
export function repricedCost(observation: ObservationRecord, prices: PriceIndex): RepricedCost | null {
  if (costWasReported(observation)) return null;
  if (!isLlmCall(observation.model, observation.usage)) return null;
  const priced = priceObservation(observation.model, observation.usage, prices, {
    provider: firstString(observation.attributes, OBSERVATION_FIELD_KEYS.modelProvider) ?? null,
    atMs: Number(observation.startTimeUnixNano / NS_PER_MS),
  });
  const unchanged = sameCost(priced.cost, observation.costUsd) && priced.missingReason === observation.costMissingReason;
  return unchanged ? null : priced;
}

function costWasReported({ attributes }: ObservationRecord): boolean {
  return readReportedCost(attributes, ANY_KEY) !== null || storedFieldRanks(attributes).reportedCost !== undefined;
}

/** Bucket by bucket, whatever order the keys were stored in (PostgreSQL's JSONB orders them its own way). */
function sameCost(a: CostDetails | null, b: CostDetails | null): boolean {
  if (a === null || b === null) return a === b;
  const keys = Object.keys(a) as Array<keyof CostDetails>;
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
