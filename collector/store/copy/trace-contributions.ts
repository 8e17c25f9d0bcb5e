/**
 * A stored trace as the contributions that merge (store/trace-merge.ts) into exactly it: one per
 * rank its fact ranks name, each carrying the facts that rank set, in the tier that set them.
 * Written to an empty store they give the same facts with the same ranks, so a span arriving
 * there later outranks, or not, what it would have outranked in the source; written again, or
 * over an older copy of the trace, they change nothing the source would not have.
 */
import type { JsonValue, TraceContribution, TraceFacts } from '../../model.js';
import type { TraceExportRecord } from '../contract.js';

const METADATA_PREFIX = 'metadata.';

/** The trace's facts as a contribution carries them (null: no fact; trace-merge never stores a null string). */
function factOf(trace: TraceExportRecord, field: string): Partial<TraceFacts> {
  switch (field) {
    case 'name':
    case 'userId':
    case 'sessionId':
    case 'release':
    case 'version': {
      const value = trace[field];
      return value === null ? {} : { [field]: value };
    }
    case 'environment':
      return { environment: trace.environment };
    case 'public':
      return { public: trace.public };
    case 'input':
    case 'output':
      return { [field]: trace[field] };
  }
  return {};
}

export function contributionsOf(trace: TraceExportRecord): TraceContribution[] {
  const byRank = new Map<string, TraceContribution>();
  const contributionAt = (rank: string): TraceContribution => {
    let contribution = byRank.get(rank);
    if (contribution === undefined) {
      contribution = {
        traceId: trace.id,
        rank,
        explicit: {},
        implicit: {},
        startTimeUnixNano: trace.startTimeUnixNano,
        endTimeUnixNano: trace.endTimeUnixNano,
      };
      byRank.set(rank, contribution);
    }
    return contribution;
  };
  for (const [field, tierAndRank] of Object.entries(trace.factRanks)) {
    const contribution = contributionAt(tierAndRank.slice(1));
    const facts = tierAndRank.startsWith('1') ? contribution.explicit : contribution.implicit;
    if (field.startsWith(METADATA_PREFIX)) {
      const key = field.slice(METADATA_PREFIX.length);
      if (Object.hasOwn(trace.metadata, key)) (facts.metadata ??= {})[key] = trace.metadata[key] as JsonValue;
    } else {
      Object.assign(facts, factOf(trace, field));
    }
  }
  // Tags are a set union and times a min and max, whatever the rank: any contribution carries them.
  const first = byRank.values().next().value ?? contributionAt('');
  if (trace.tags.length > 0) first.implicit.tags = [...trace.tags];
  return [...byRank.values()];
}
