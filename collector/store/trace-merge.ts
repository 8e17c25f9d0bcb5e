/**
 * Folds the trace facts of each span into one trace. Trace-level fields may arrive on any span,
 * in any batch, in any order (the root often last), so the fold must give the same trace for
 * every arrival order and for re-sent spans: each field keeps the value with the highest
 * (tier, rank) seen so far, tags are a set union, times are min/max. Max and union are
 * commutative, associative and idempotent, which is the whole argument.
 */
import type { JsonValue, TraceContribution, TraceFacts } from '../model.js';
import { isSafeKey } from '../model.js';

/** The merged trace facts as stored, with the rank that set each field. */
export interface TraceFactsState {
  traceId: string;
  facts: Required<Pick<TraceFacts, 'tags' | 'metadata'>> & Omit<TraceFacts, 'tags' | 'metadata'>;
  /** field (or `metadata.<key>`) -> `<tier><rank>`; tier 1 explicit, 0 implicit. */
  ranks: Record<string, string>;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
}

type ScalarField = Exclude<keyof TraceFacts, 'tags' | 'metadata'>;
const SCALAR_FIELDS: readonly ScalarField[] = [
  'name',
  'userId',
  'sessionId',
  'release',
  'version',
  'environment',
  'input',
  'output',
  'public',
];

export function emptyTraceFacts(traceId: string, startTimeUnixNano: bigint, endTimeUnixNano: bigint): TraceFactsState {
  return { traceId, facts: { tags: [], metadata: {} }, ranks: {}, startTimeUnixNano, endTimeUnixNano };
}

export function mergeTraceContribution(
  state: TraceFactsState | null,
  contribution: TraceContribution,
): TraceFactsState {
  const merged: TraceFactsState = state
    ? {
        ...state,
        facts: { ...state.facts, metadata: { ...state.facts.metadata } },
        ranks: { ...state.ranks },
      }
    : emptyTraceFacts(contribution.traceId, contribution.startTimeUnixNano, contribution.endTimeUnixNano);

  applyFacts(merged, contribution.implicit, '0' + contribution.rank);
  applyFacts(merged, contribution.explicit, '1' + contribution.rank);

  if (contribution.startTimeUnixNano < merged.startTimeUnixNano) merged.startTimeUnixNano = contribution.startTimeUnixNano;
  if (contribution.endTimeUnixNano > merged.endTimeUnixNano) merged.endTimeUnixNano = contribution.endTimeUnixNano;
  return merged;
}

function applyFacts(state: TraceFactsState, facts: TraceFacts, rank: string): void {
  for (const field of SCALAR_FIELDS) {
    const value = facts[field];
    if (value !== undefined && outranks(rank, state.ranks[field])) {
      (state.facts as Record<string, unknown>)[field] = value;
      state.ranks[field] = rank;
    }
  }
  if (facts.metadata) {
    for (const key of Object.keys(facts.metadata)) {
      const rankKey = `metadata.${key}`;
      if (!isSafeKey(key) || !outranks(rank, state.ranks[rankKey])) continue;
      state.facts.metadata[key] = facts.metadata[key] as JsonValue;
      state.ranks[rankKey] = rank;
    }
  }
  if (facts.tags && facts.tags.length > 0) {
    state.facts.tags = [...new Set([...state.facts.tags, ...facts.tags])].sort();
  }
}

/** Ties go to the value already there; equal ranks come only from the same span re-sent. */
function outranks(candidate: string, current: string | undefined): boolean {
  return current === undefined || candidate > current;
}
