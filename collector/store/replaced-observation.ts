/**
 * Observations folded onto the stored one under their key (MappedSpan.foldOntoStored: Langfuse
 * ingestion events). The fold runs inside the write transaction, where no other write to the
 * trace can come between the read and the write; the trace totals and the rollups then take the
 * stored observation (`before`) out and count its replacement (`after`) in, so an observation
 * is counted once, with its latest usage and cost.
 */
import type { Observation } from '../model.js';
import type { ObservationRecord } from './contract.js';

export interface ReplacedObservation {
  before: Observation;
  after: Observation;
}

/** A stored observation as a fold takes it: its settled cost counts as reported (it is kept unless repriced). */
export function observationOfRecord(record: ObservationRecord): Observation {
  const { costUsd, totalCostUsd: _totalCostUsd, environment: _environment, attributes, ...fields } = record;
  return { ...fields, modelProvider: null, cost: costUsd, reportedCost: costUsd, rawAttributes: attributes };
}
