/**
 * The limit the decoders apply to attribute values, once per value while it is read (a length
 * compare when under it).
 *
 * An attribute value (or log body) larger than `maxAttributeBytes` is cut to that many bytes on a
 * character boundary and ends with the truncationMarker text; string values at any depth of an
 * array or kvlist count, and bytes values are cut without a marker (it would make the base64
 * invalid). Each cut is recorded in the attribute set that held it, under SPANLITE_TRUNCATED: a
 * list of `{ key, originalBytes }`, `key` being the top-level attribute key (`(body)` for a log
 * record's body). Nothing is dropped silently. (Times are checked in decode/traces-common.ts and logs-common.ts.)
 */
import { Buffer } from 'node:buffer';
import type { AttributeValue, Attributes } from './span.js';
import { SPANLITE_TRUNCATED } from '../../semconv/spanlite.js';

/** Default SPANLITE_MAX_ATTRIBUTE_BYTES: 1 MiB per value. */
export const DEFAULT_MAX_ATTRIBUTE_BYTES = 1024 * 1024;

/** Key recorded for a log record's body, which is not an attribute. */
export const LOG_BODY_KEY = '(body)';

export interface DecodeLimits {
  /** Largest attribute value in UTF-8 bytes (bytes values: raw bytes); longer ones are truncated. */
  maxAttributeBytes: number;
}

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxAttributeBytes: DEFAULT_MAX_ATTRIBUTE_BYTES,
});

/** The limits for a configured value, the defaults when none is. */
export function decodeLimits(maxAttributeBytes: number | undefined): Readonly<DecodeLimits> {
  return maxAttributeBytes === undefined ? DEFAULT_DECODE_LIMITS : Object.freeze({ maxAttributeBytes });
}

/** What ends a truncated string value: the size it was sent with and the limit. */
export function truncationMarker(originalBytes: number, maxBytes: number): string {
  return `…[spanlite: truncated from ${originalBytes} bytes to ${maxBytes}]`;
}

/**
 * The decoders' per-request view of the limits. Value readers call `string`/`bytes` and note
 * each cut; the reader of a top-level attribute (or body) then moves the cuts made inside its
 * value into its attribute set with `record`.
 */
export class ValueLimiter {
  readonly maxBytes: number;
  /** A string of at most this many UTF-16 units is within the limit whatever it holds. */
  private readonly safeChars: number;
  /** Original sizes of the values cut since the last `record`. */
  private readonly cuts: number[] = [];

  constructor(limits: Readonly<DecodeLimits>) {
    this.maxBytes = limits.maxAttributeBytes;
    this.safeChars = Math.floor(limits.maxAttributeBytes / 3);
  }

  /** UTF-8 bytes `buf[start, end)` as a string, truncated with the marker when over the limit. */
  stringFromBytes(buf: Buffer, start: number, end: number): string {
    const size = end - start;
    if (size <= this.maxBytes) return buf.toString('utf8', start, end);
    this.cuts.push(size);
    return buf.toString('utf8', start, utf8Boundary(buf, start, start + this.maxBytes)) + truncationMarker(size, this.maxBytes);
  }

  /** A string value (JSON), truncated with the marker when its UTF-8 form is over the limit. */
  string(value: string): string {
    if (value.length <= this.safeChars) return value;
    const size = Buffer.byteLength(value, 'utf8');
    if (size <= this.maxBytes) return value;
    this.cuts.push(size);
    const bytes = Buffer.from(value, 'utf8');
    return bytes.toString('utf8', 0, utf8Boundary(bytes, 0, this.maxBytes)) + truncationMarker(size, this.maxBytes);
  }

  /** Raw bytes `buf[start, end)` as base64, cut to the limit (no marker: it would not be base64). */
  bytesAsBase64(buf: Buffer, start: number, end: number): string {
    const size = end - start;
    if (size > this.maxBytes) this.cuts.push(size);
    return buf.toString('base64', start, start + Math.min(size, this.maxBytes));
  }

  /** Records the cuts made since the last call under `key` in `into`. */
  record(into: Attributes, key: string): void {
    if (this.cuts.length === 0) return;
    const existing = into[SPANLITE_TRUNCATED];
    const entries: AttributeValue[] = Array.isArray(existing) ? existing : [];
    for (const originalBytes of this.cuts) entries.push({ key, originalBytes });
    into[SPANLITE_TRUNCATED] = entries;
    this.cuts.length = 0;
  }

  /** Forgets cuts not recorded (a value that was then refused or overwritten). */
  discard(): void {
    this.cuts.length = 0;
  }
}

/** The largest index <= `at` that does not split a UTF-8 sequence of `buf` (`start` at least). */
function utf8Boundary(buf: Buffer, start: number, at: number): number {
  let cut = at;
  while (cut > start && (buf[cut]! & 0xc0) === 0x80) cut--;
  return cut;
}
