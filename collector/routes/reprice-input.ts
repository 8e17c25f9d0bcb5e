/** The body of POST /api/public/models/reprice -> the range of stored observations to reprice. */
import type { RepriceRange } from '../pricing/repricer.js';
import { SpanliteError } from '../errors.js';
import { invalidParameter, unixNanoOf } from './query-params.js';
import { timeParam } from './schemas.js';

export interface RepriceBody {
  model?: string;
  fromTimestamp?: string;
  toTimestamp?: string;
}

export const repriceBodySchema = {
  type: 'object',
  properties: {
    model: { type: 'string', minLength: 1, maxLength: 256, description: 'Only observations whose stored model is exactly this name. Absent: every model.' },
    fromTimestamp: timeParam('Observations that started at or after this time.'),
    toTimestamp: timeParam('Observations that started before this time.'),
  },
  additionalProperties: false,
} as const;

/**
 * Refuses a field the body does not have, before validation drops it: a misspelt range field
 * (`fromTimeStamp`) ignored would reprice more than was asked for.
 */
export function refuseUnknownRepriceFields(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const known = Object.keys(repriceBodySchema.properties);
  const unknown = Object.keys(body).find((field) => !known.includes(field));
  if (unknown !== undefined) throw new SpanliteError('invalidParameter', `${unknown}: unknown field (expected ${known.join(', ')})`);
}

/** The range asked for; the schema has checked each field, this checks them together. */
export function repriceRangeOf(body: RepriceBody | undefined): RepriceRange {
  const range: RepriceRange = {};
  if (body?.model !== undefined) range.model = body.model;
  const from = unixNanoOf(body?.fromTimestamp);
  const to = unixNanoOf(body?.toTimestamp);
  if (from !== undefined && to !== undefined && from > to) {
    throw invalidParameter('toTimestamp', `a time at or after fromTimestamp ${body!.fromTimestamp}`, JSON.stringify(body!.toTimestamp));
  }
  if (from !== undefined) range.fromTimeUnixNano = from;
  if (to !== undefined) range.toTimeUnixNano = to;
  return range;
}
