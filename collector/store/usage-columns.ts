/** How an observation's usage is stored by every engine: one nullable token column per bucket. */
import type { UsageDetails } from '../model.js';

/** The stored buckets, in the order of an observation row's `*_tokens` columns. */
export const STORED_USAGE_BUCKETS = ['input', 'output', 'total', 'cachedInput', 'cacheWrite', 'reasoning'] as const;

/** The token column values of `usage`, in STORED_USAGE_BUCKETS order: null where a bucket was not reported. */
export function usageColumnValues(usage: UsageDetails): (number | null)[] {
  return STORED_USAGE_BUCKETS.map((bucket) => usage[bucket] ?? null);
}
