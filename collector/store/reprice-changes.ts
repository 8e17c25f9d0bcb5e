/**
 * What one repricing step changes, for every engine: the observations whose cost `reprice`
 * changes, their traces, and how much each (day, model) row of the daily usage moves. The
 * engines write these in their own way (sqlite/write/reprice.ts, postgres/write/reprice.ts).
 */
import type { ObservationRecord, RepriceCursor, RepricedCost, RepriceObservation } from './contract.js';
import { NS_PER_DAY } from './daily-metrics.js';

export interface RepricedObservation {
  observation: ObservationRecord;
  repriced: RepricedCost;
}

/** A daily_usage row's cost change: `day` as the writers number it (start_time_ns / NS_PER_DAY), `model` '' for none. */
export interface DailyCostDelta {
  day: bigint;
  model: string;
  deltaUsd: number;
}

export interface RepriceChanges {
  observations: RepricedObservation[];
  /** Each once, in the order first changed. */
  traceIds: string[];
  /** Only of observations that count in trace totals, as the daily usage counts cost. */
  dailyCostDeltas: DailyCostDelta[];
}

export function repriceChanges(records: readonly ObservationRecord[], reprice: RepriceObservation): RepriceChanges {
  const observations: RepricedObservation[] = [];
  const traceIds = new Set<string>();
  const deltas = new Map<string, DailyCostDelta>();
  for (const observation of records) {
    const repriced = reprice(observation);
    if (repriced === null) continue;
    observations.push({ observation, repriced });
    traceIds.add(observation.traceId);
    if (!observation.countsInTraceTotals) continue;
    const deltaUsd = (repriced.cost?.total ?? 0) - (observation.totalCostUsd ?? 0);
    if (deltaUsd === 0) continue;
    const day = observation.startTimeUnixNano / NS_PER_DAY;
    const model = observation.model ?? '';
    const key = `${day}\u0000${model}`;
    const delta = deltas.get(key);
    if (delta) delta.deltaUsd += deltaUsd;
    else deltas.set(key, { day, model, deltaUsd });
  }
  return { observations, traceIds: [...traceIds], dailyCostDeltas: [...deltas.values()] };
}

/** Where the next step starts: after the last candidate read, or null when fewer than `limit` were left. */
export function repriceCursorAfter(candidates: readonly RepriceCursor[], limit: number): RepriceCursor | null {
  return candidates.length < limit ? null : (candidates[candidates.length - 1] ?? null);
}
