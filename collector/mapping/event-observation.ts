/** An EVENT observation: a point in time under a span (a span event, a log record), with no model, usage or cost. */
import type { Observation } from '../model.js';

/** What differs from one event to the next; the rest is the same for every event. */
export type EventFields = Pick<
  Observation,
  | 'id'
  | 'traceId'
  | 'parentObservationId'
  | 'name'
  | 'startTimeUnixNano'
  | 'level'
  | 'statusMessage'
  | 'input'
  | 'metadata'
  | 'rawAttributes'
  | 'resourceAttributes'
  | 'scope'
>;

export function eventObservation(fields: EventFields): Observation {
  return {
    ...fields,
    type: 'EVENT',
    endTimeUnixNano: null,
    completionStartTimeUnixNano: null,
    version: null,
    model: null,
    modelProvider: null,
    modelParameters: null,
    output: null,
    usage: {},
    reportedCost: null,
    cost: null,
    costMissingReason: null,
    countsInTraceTotals: true,
  };
}
