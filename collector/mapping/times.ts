/** Time attributes that arrive as ISO strings or as unix nanoseconds. */

/** ISO-8601 text, a decimal string or a number of unix nanoseconds -> bigint; null if unusable. */
export function parseTimeToUnixNano(value: unknown): bigint | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return BigInt(Math.trunc(value));
  if (typeof value !== 'string' || value === '') return null;
  if (/^\d+$/.test(value)) return BigInt(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : BigInt(ms) * 1_000_000n;
}
