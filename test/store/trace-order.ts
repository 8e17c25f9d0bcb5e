/**
 * The order the store contract promises for trace lists, computed from the listed values: by the
 * field, then by id, both in the asked direction; traces without a value (no cost, no name) first
 * ascending and last descending.
 */
import type { SortDirection, TraceOrderField, TraceRecord } from '../../collector/store/contract.js';

export const ORDERINGS: ReadonlyArray<{ field: TraceOrderField; direction: SortDirection }> = (
  ['timestamp', 'latency', 'totalCost', 'name'] as const
).flatMap((field) => (['asc', 'desc'] as const).map((direction) => ({ field, direction })));

/** The trace's end minus its start (what `latency` orders by), in milliseconds. */
export function latencyMs(trace: TraceRecord): number {
  return Number(trace.endTimeUnixNano - trace.startTimeUnixNano) / 1e6;
}

export function sortValue(trace: TraceRecord, field: TraceOrderField): bigint | number | string | null {
  switch (field) {
    case 'timestamp':
      return trace.startTimeUnixNano;
    case 'latency':
      return latencyMs(trace);
    case 'totalCost':
      return trace.totalCostUsd;
    case 'name':
      return trace.name;
  }
}

/** The ids of `traces` in the contract's order. */
export function expectedOrder(traces: readonly TraceRecord[], field: TraceOrderField, direction: SortDirection): string[] {
  const sign = direction === 'asc' ? 1 : -1;
  const compare = (x: bigint | number | string | null, y: bigint | number | string | null): number => {
    if (x === y) return 0;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  };
  return [...traces]
    .sort((a, b) => sign * (compare(sortValue(a, field), sortValue(b, field)) || compare(a.id, b.id)))
    .map((trace) => trace.id);
}
