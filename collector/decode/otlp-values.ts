/**
 * What the protobuf and JSON readers of every OTLP signal agree on about the values they produce:
 * id widths, how deep an AnyValue may nest, which attribute keys are never written, the latest
 * time kept, and the names of a signal's export envelope.
 */
import type { AttributeValue, Attributes, DecodedSpan } from './span.js';
import { MAX_UNIX_NANO } from './span.js';
import type { ValueLimiter } from './value-limits.js';
import { OtlpDecodeError } from './decode-error.js';

/** AnyValue nesting (arrays and kvlists) allowed before a body is refused; bounds recursion. */
export const MAX_ANY_VALUE_DEPTH = 32;
export const TRACE_ID_BYTES = 16;
export const SPAN_ID_BYTES = 8;
const ALL_ZERO_PATTERN = /^0*$/;

/** An InstrumentationScope as spans and log records carry it. */
export type DecodedScope = DecodedSpan['scope'];

/** What the items (spans, log records) of one Scope<Items> message share, as their readers get it. */
export interface ItemContext {
  /** The Resource<Items>' attributes: one object for all its items, treat as read-only. */
  readonly resource: Attributes;
  /** One object for all the scope's items, treat as read-only. */
  readonly scope: DecodedScope;
  /** `resourceSpans[i].scopeSpans[j]`, for naming an item by position when it is refused. */
  readonly scopePosition: string;
  readonly limiter: ValueLimiter;
}

/**
 * The field names of one signal's export envelope, for error paths and JSON keys. Every OTLP
 * signal nests the same way with the same field numbers, only the names differ:
 * `Export<Signal>ServiceRequest { repeated Resource<Items> = 1 }`,
 * `Resource<Items> { Resource resource = 1; repeated Scope<Items> = 2 }`,
 * `Scope<Items> { InstrumentationScope scope = 1; repeated <Item> = 2 }`.
 */
export interface OtlpEnvelopeNames {
  /** The request message, for messages: `ExportTraceServiceRequest`. */
  readonly request: string;
  /** lowerCamelCase JSON name and proto field name of each level. */
  readonly resources: string;
  readonly resourcesProto: string;
  readonly scopes: string;
  readonly scopesProto: string;
  readonly items: string;
  /** Absent when it is the same as `items`. */
  readonly itemsProto?: string;
}

/** Whether a hex id is all zeros (or empty), which OTLP uses for "none". */
export function isZeroId(hex: string): boolean {
  return ALL_ZERO_PATTERN.test(hex);
}

export function emptyAttributes(): Attributes {
  return {};
}

export function emptyScope(): DecodedScope {
  return { name: '', version: '', attributes: emptyAttributes() };
}

/**
 * Keys never written into an attribute object: `__proto__` would replace its prototype, and
 * `constructor.prototype` is the other way to reach it when code later merges attribute objects or
 * walks them by dotted key path.
 */
function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/**
 * Sets one KeyValue read at `depth`; at depth 1 (a top-level attribute), the values the limiter
 * cut inside it are recorded in `into` under its key (or forgotten with a forbidden key).
 */
export function setAttribute(
  into: Attributes,
  key: string,
  value: AttributeValue,
  depth: number,
  limiter: ValueLimiter,
): void {
  const forbidden = isForbiddenKey(key);
  if (!forbidden) into[key] = value;
  if (depth !== 1) return;
  if (forbidden) limiter.discard();
  else limiter.record(into, key);
}

/** Refuses an AnyValue nested deeper than MAX_ANY_VALUE_DEPTH (`depth` 1: a top-level value). */
export function checkDepth(depth: number): void {
  if (depth > MAX_ANY_VALUE_DEPTH) throw new OtlpDecodeError('', `AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
}

export function expectedTime(): string {
  return `expected unix nanoseconds up to ${MAX_UNIX_NANO} (year 2262)`;
}
