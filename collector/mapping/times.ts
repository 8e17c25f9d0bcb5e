/** Time attributes that arrive as ISO strings or as unix nanoseconds. */
import { MAX_UNIX_NANO } from '../decode/span.js';

/**
 * ISO-8601 text, a decimal string or a number of unix nanoseconds -> bigint; null if unusable,
 * which includes times before 1970 or after MAX_UNIX_NANO (they would not fit the store).
 */
export function parseTimeToUnixNano(value: unknown): bigint | null {
  let time: bigint | null = null;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) time = BigInt(Math.trunc(value));
  else if (typeof value !== 'string' || value === '') return null;
  else if (/^\d+$/.test(value)) time = BigInt(value);
  else {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) time = BigInt(ms) * 1_000_000n;
  }
  return inStoreRange(time);
}

/** The time when it is from 0 to MAX_UNIX_NANO, else null. */
export function inStoreRange(time: bigint | null): bigint | null {
  return time !== null && time >= 0n && time <= MAX_UNIX_NANO ? time : null;
}
