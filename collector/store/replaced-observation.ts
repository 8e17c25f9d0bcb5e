/**
 * A stored observation that a batch replaces (MappedSpan.replacesStoredObservation: Langfuse
 * ingestion updates), as its trace totals and the rollups counted it: they take `before` out and
 * count `after` in, so a replaced observation is counted once, with its latest usage and cost.
 */
import type { Observation } from '../model.js';
import { STORED_USAGE_BUCKETS } from './usage-columns.js';

export interface ReplacedObservation {
  before: Observation;
  after: Observation;
}

/** The observation columns totals are counted from, as both engines name them. */
export const COUNTED_OBSERVATION_COLUMNS =
  'start_time_ns, model, input_tokens, output_tokens, total_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, total_cost, counts_in_trace_totals';

export interface CountedObservationRow {
  start_time_ns: bigint | number | string;
  model: string | null;
  input_tokens: number | bigint | string | null;
  output_tokens: number | bigint | string | null;
  total_tokens: number | bigint | string | null;
  cached_input_tokens: number | bigint | string | null;
  cache_write_tokens: number | bigint | string | null;
  reasoning_tokens: number | bigint | string | null;
  total_cost: number | null;
  counts_in_trace_totals: boolean | number | bigint;
}

/** The stored row's counted facts over the replacing observation's others. */
export function replacedObservation(row: CountedObservationRow, after: Observation): ReplacedObservation {
  const usage: Observation['usage'] = {};
  const columns = [row.input_tokens, row.output_tokens, row.total_tokens, row.cached_input_tokens, row.cache_write_tokens, row.reasoning_tokens];
  STORED_USAGE_BUCKETS.forEach((bucket, index) => {
    const value = columns[index];
    if (value !== null && value !== undefined) usage[bucket] = Number(value);
  });
  const before: Observation = {
    ...after,
    startTimeUnixNano: BigInt(row.start_time_ns),
    model: row.model,
    usage,
    cost: row.total_cost === null ? null : { total: Number(row.total_cost) },
    countsInTraceTotals: Number(row.counts_in_trace_totals) === 1 || row.counts_in_trace_totals === true,
  };
  return { before, after };
}
