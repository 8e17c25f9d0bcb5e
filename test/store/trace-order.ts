/**
 * The order the store contract promises for trace lists, computed from the listed values: by the
 * field, then by id, both in the asked direction; traces without a value (no cost, no name) first
 * ascending and last descending.
 */
import type { SortDirection, TraceOrderField } from '../../collector/store/contract.js';
import type { TraceListItem } from '../../collector/store/views.js';

export const ORDERINGS: ReadonlyArray<{ field: TraceOrderField; direction: SortDirection }> = (
  ['timestamp', 'latency', 'totalCost', 'name'] as const
).flatMap((field) => (['asc', 'desc'] as const).map((direction) => ({ field, direction })));

export function sortValue(trace: TraceListItem, field: TraceOrderField): number | string | null {
  switch (field) {
    case 'timestamp':
      return Date.parse(trace.timestamp);
    case 'latency':
      return trace.latencyMs;
    case 'totalCost':
      return trace.totalCost;
    case 'name':
      return trace.name;
  }
}

/** The ids of `traces` in the contract's order. */
export function expectedOrder(traces: readonly TraceListItem[], field: TraceOrderField, direction: SortDirection): string[] {
  const sign = direction === 'asc' ? 1 : -1;
  const compare = (x: number | string | null, y: number | string | null): number => {
    if (x === y) return 0;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  };
  return [...traces]
    .sort((a, b) => sign * (compare(sortValue(a, field), sortValue(b, field)) || compare(a.id, b.id)))
    .map((trace) => trace.id);
}
