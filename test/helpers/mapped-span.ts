/** mapSpan over a decodedSpan, for convention tests that only care about what some attributes become. */
import { expect, it } from 'vitest';
import type { Attributes, DecodedSpan } from '../../collector/decode/span.js';
import type { Observation, ObservationType, TraceContribution } from '../../collector/model.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { decodedSpan } from './decoded-span.js';

/**
 * The observation mapSpan makes of a span with these attributes (the rest of the span from
 * decodedSpan, with `overrides`). Throws when it makes none (a score carrier).
 */
export function observationOf(attributes: Attributes, overrides: Partial<DecodedSpan> = {}): Observation {
  const { observation } = mapSpan(decodedSpan({ ...overrides, attributes }));
  if (observation === null) throw new Error('mapSpan made no observation of this span');
  return observation;
}

/**
 * What mapSpan reads about the trace from a span with these attributes (the rest of the span
 * from decodedSpan, with `overrides`). Throws when it reads nothing (a score carrier).
 */
export function traceOf(attributes: Attributes, overrides: Partial<DecodedSpan> = {}): TraceContribution {
  const { trace } = mapSpan(decodedSpan({ ...overrides, attributes }));
  if (trace === null) throw new Error('mapSpan read no trace facts from this span');
  return trace;
}

/** One test per row: a span whose attribute `key` has the row's value becomes an observation of the row's type. */
export function itMapsToType(key: string, rows: ReadonlyArray<[string, ObservationType]>): void {
  it.each(rows)(`maps ${key} %s to %s`, (value, type) => {
    expect(observationOf({ [key]: value }).type).toBe(type);
  });
}
