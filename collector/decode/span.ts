/**
 * The one span shape everything after `decode` sees. Wire details (protobuf vs JSON, base64 vs
 * hex ids, `{intValue}` wrappers) stop at the decoder.
 */

/** An attribute value with its OTLP `AnyValue` wrapper removed. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/**
 * Attributes as a plain object. `intValue`s that fit in a double are numbers; larger ones are
 * decimal strings. `bytesValue`s are base64 strings. Keys named `__proto__` are dropped.
 */
export type Attributes = Record<string, AttributeValue>;

/** OTLP `Status.StatusCode`. */
export const SpanStatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type SpanStatusCodeValue = (typeof SpanStatusCode)[keyof typeof SpanStatusCode];

/**
 * The latest time a span, event or log record may carry: int64 nanoseconds (SQLite's INTEGER),
 * 2262-04-11T23:47:16.854775807Z. The decoders refuse later ones; mapping drops later derived times.
 */
export const MAX_UNIX_NANO = (1n << 63n) - 1n;

export interface DecodedEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

export interface DecodedSpan {
  /** 32 lowercase hex characters, never all zero. */
  traceId: string;
  /** 16 lowercase hex characters, never all zero. */
  spanId: string;
  /** 16 lowercase hex characters, or null for a root span (absent, empty or all-zero on the wire). */
  parentSpanId: string | null;
  name: string;
  /** OTLP `SpanKind` number (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer). */
  kind: number;
  /** From 1 to MAX_UNIX_NANO. */
  startTimeUnixNano: bigint;
  /** From `startTimeUnixNano` to MAX_UNIX_NANO (an earlier end is moved to the start, see decode). */
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: DecodedEvent[];
  status: { code: SpanStatusCodeValue; message: string };
  /** Resource attributes of the ResourceSpans this span came in. */
  resource: Attributes;
  /** Instrumentation scope of the ScopeSpans this span came in. */
  scope: { name: string; version: string; attributes: Attributes };
}

/** A span the decoder could read but refused (bad ids, ...); the rest of the request is kept. */
export interface RefusedSpan {
  /** The span's id as sent (hex), or its position when the id itself is unusable. */
  span: string;
  reason: string;
}

export interface DecodedTraces {
  spans: DecodedSpan[];
  refused: RefusedSpan[];
}
