/** mapSpan over a decodedSpan, for convention tests that only care about what some attributes become. */
import type { Attributes, DecodedSpan } from '../../collector/decode/span.js';
import type { Observation } from '../../collector/model.js';
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
