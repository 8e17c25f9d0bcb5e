/**
 * OTLP ExportTraceServiceRequest -> DecodedTraces, for both OTLP/HTTP encodings.
 *
 * The protobuf decoder walks protobufjs's `Reader` over the OTLP field numbers
 * (opentelemetry/proto/{collector/trace,trace,common,resource}/v1) and writes straight into the
 * output shape: no generated message classes, no intermediate objects. The JSON decoder follows
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding and also accepts what
 * proto3 JSON parsers accept (snake_case keys, enum names, int64 as numbers).
 *
 * Two kinds of failure:
 * - a body that cannot be read at all throws `OtlpDecodeError` (the whole request is a 400);
 * - a readable span with unusable ids or an unknown status code is put in `refused`, and the
 *   rest of the request is kept.
 *
 * Spans of one ResourceSpans share one `resource` object, and spans of one ScopeSpans one `scope`
 * object: treat them as read-only.
 */
import { Buffer } from 'node:buffer';
import protobuf from 'protobufjs/minimal.js';
import type { Reader } from 'protobufjs/minimal.js';
import type {
  AttributeValue,
  Attributes,
  DecodedEvent,
  DecodedSpan,
  DecodedTraces,
  SpanStatusCodeValue,
} from './span.js';
import { MAX_UNIX_NANO } from './span.js';
import { DEFAULT_DECODE_LIMITS, ValueLimiter, type DecodeLimits } from './value-limits.js';
import { SPANLITE_ORIGINAL_END_TIME } from '../semconv/spanlite.js';

/** The body is not an OTLP trace export: nothing in it is ingested. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
  /** Where decoding failed, e.g. `resourceSpans[0].scopeSpans[1].spans[3].attributes`; '' for the body. */
  readonly path: string;
  /** What was wrong there, without the path. */
  readonly problem: string;

  constructor(path: string, problem: string, options?: ErrorOptions) {
    super(path === '' ? problem : `${path}: ${problem}`, options);
    this.path = path;
    this.problem = problem;
  }
}

/** AnyValue nesting (arrays and kvlists) allowed before a body is refused; bounds recursion. */
export const MAX_ANY_VALUE_DEPTH = 32;
export const TRACE_ID_BYTES = 16;
export const SPAN_ID_BYTES = 8;

/**
 * Keys never written into an attribute object: `__proto__` would replace its prototype, and
 * `constructor.prototype` is the other way to reach it when code later merges attribute objects or
 * walks them by dotted key path.
 */
function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

function isStatusCode(code: number): code is SpanStatusCodeValue {
  return code === 0 || code === 1 || code === 2;
}

export function prefixPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '') return prefix;
  return path.startsWith('[') ? prefix + path : `${prefix}.${path}`;
}

/** Re-throwable error with `segment` prepended to its path; foreign errors are wrapped (cause kept). */
export function withPath(error: unknown, segment: string): OtlpDecodeError {
  if (error instanceof OtlpDecodeError) {
    return new OtlpDecodeError(prefixPath(segment, error.path), error.problem, { cause: error.cause });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new OtlpDecodeError(segment, `malformed body (${detail})`, { cause: error });
}

export function emptyAttributes(): Attributes {
  return {};
}

function setAttribute(target: Attributes, key: string, value: AttributeValue): void {
  if (!isForbiddenKey(key)) target[key] = value;
}

/** Names a refused span by position when its own id is unusable. */
function spanPosition(scopePosition: string, spanIndex: number): string {
  return `${scopePosition}.spans[${spanIndex}]`;
}

// ---------------------------------------------------------------------------------------------
// Protobuf
// ---------------------------------------------------------------------------------------------

const { Reader: ProtobufReader } = protobuf;

const HEX_BY_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

/**
 * Tags (field number << 3 | wire type) of the fields we read. A known field number sent with a
 * different wire type is treated as unknown and skipped, as protobuf-go does; this is what lets an
 * OTLP logs body posted here decode into id-less spans that are refused, not misread.
 */
const Tag = Object.freeze({
  // ExportTraceServiceRequest
  requestResourceSpans: (1 << 3) | 2,
  // ResourceSpans
  resourceSpansResource: (1 << 3) | 2,
  resourceSpansScopeSpans: (2 << 3) | 2,
  // Resource
  resourceAttributes: (1 << 3) | 2,
  // ScopeSpans
  scopeSpansScope: (1 << 3) | 2,
  scopeSpansSpans: (2 << 3) | 2,
  // InstrumentationScope
  scopeName: (1 << 3) | 2,
  scopeVersion: (2 << 3) | 2,
  scopeAttributes: (3 << 3) | 2,
  // Span
  spanTraceId: (1 << 3) | 2,
  spanSpanId: (2 << 3) | 2,
  spanParentSpanId: (4 << 3) | 2,
  spanName: (5 << 3) | 2,
  spanKind: (6 << 3) | 0,
  spanStartTime: (7 << 3) | 1,
  spanEndTime: (8 << 3) | 1,
  spanAttributes: (9 << 3) | 2,
  spanEvents: (11 << 3) | 2,
  spanStatus: (15 << 3) | 2,
  // Span.Event
  eventTime: (1 << 3) | 1,
  eventName: (2 << 3) | 2,
  eventAttributes: (3 << 3) | 2,
  // Status
  statusMessage: (2 << 3) | 2,
  statusCode: (3 << 3) | 0,
  // KeyValue
  keyValueKey: (1 << 3) | 2,
  keyValueValue: (2 << 3) | 2,
  // AnyValue
  anyString: (1 << 3) | 2,
  anyBool: (2 << 3) | 0,
  anyInt: (3 << 3) | 0,
  anyDouble: (4 << 3) | 1,
  anyArray: (5 << 3) | 2,
  anyKvlist: (6 << 3) | 2,
  anyBytes: (7 << 3) | 2,
  // ArrayValue and KeyValueList
  listValues: (1 << 3) | 2,
});

/**
 * Decodes an OTLP/HTTP protobuf body (`application/x-protobuf`). An empty body is an empty export.
 * `limits` cap attribute values (value-limits.ts); `receivedAtUnixNano` is the start of a span sent
 * with neither start nor end time (default: now; see normaliseTimes).
 *
 * @throws OtlpDecodeError when the bytes are not an ExportTraceServiceRequest.
 */
export function decodeProtobufTraces(
  body: Uint8Array,
  limits: Readonly<DecodeLimits> = DEFAULT_DECODE_LIMITS,
  receivedAtUnixNano?: bigint,
): DecodedTraces {
  if (!(body instanceof Uint8Array)) {
    throw new OtlpDecodeError('', `expected protobuf bytes (got ${describe(body)})`);
  }
  const out: DecodedTraces = { spans: [], refused: [] };
  const limiter = new ValueLimiter(limits);
  let resourceIndex = 0;
  let at = '';
  try {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const reader = ProtobufReader.create(buf);
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag === Tag.requestResourceSpans) {
        at = `resourceSpans[${resourceIndex}]`;
        readResourceSpans(reader, buf, resourceIndex, out, limiter);
        resourceIndex++;
      } else {
        skipField(reader, tag);
      }
      at = '';
    }
  } catch (error) {
    throw withPath(error, at);
  }
  normaliseTimes(out.spans, receivedAtUnixNano);
  return out;
}

/** Reads a length prefix and returns where the field ends, refusing one that runs past the body. */
export function readEnd(reader: Reader): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > reader.len) {
    throw new OtlpDecodeError(
      '',
      `truncated: a ${length}-byte field at offset ${reader.pos} runs past the end of the ${reader.len}-byte body`,
    );
  }
  return end;
}

export function expectEnd(reader: Reader, end: number): void {
  if (reader.pos !== end) {
    throw new OtlpDecodeError(
      '',
      `malformed: a field overran its enclosing message (offset ${reader.pos}, message ends at ${end})`,
    );
  }
}

export function skipField(reader: Reader, tag: number): void {
  const wireType = tag & 7;
  if (tag >>> 3 === 0) throw new OtlpDecodeError('', `malformed: field number 0 at offset ${reader.pos}`);
  // Groups (3, 4) do not occur in proto3 OTLP; 6 and 7 do not exist.
  if (wireType !== 0 && wireType !== 1 && wireType !== 2 && wireType !== 5) {
    throw new OtlpDecodeError('', `malformed: unsupported wire type ${wireType} for field ${tag >>> 3}`);
  }
  reader.skipType(wireType);
}

export function readString(reader: Reader, buf: Buffer): string {
  const end = readEnd(reader);
  const start = reader.pos;
  reader.pos = end;
  return buf.toString('utf8', start, end);
}

export function readHex(buf: Buffer, start: number, end: number): string {
  let hex = '';
  for (let i = start; i < end; i++) hex += HEX_BY_BYTE[buf[i]!];
  return hex;
}

export function isAllZero(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

/** fixed64 read as two uint32 halves (low first), so no Long is allocated. */
export function readFixed64(reader: Reader): bigint {
  const lo = reader.fixed32();
  const hi = reader.fixed32();
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** int64 varint as a number when it fits in a double exactly, else as a decimal string. */
function readInt64(reader: Reader): number | string {
  const buf = reader.buf;
  const len = reader.len;
  let pos = reader.pos;
  let lo = 0;
  let hi = 0;
  let byte = 0;
  let done = false;
  // Bytes 0-3 carry bits 0-27, byte 4 bits 28-34, bytes 5-9 bits 35-63.
  for (let shift = 0; shift < 28 && !done; shift += 7) {
    if (pos >= len) throw truncatedVarint(reader);
    byte = buf[pos++]!;
    lo |= (byte & 127) << shift;
    done = byte < 128;
  }
  if (!done) {
    if (pos >= len) throw truncatedVarint(reader);
    byte = buf[pos++]!;
    lo |= (byte & 15) << 28;
    hi = (byte & 127) >> 4;
    done = byte < 128;
  }
  for (let shift = 3; shift < 32 && !done; shift += 7) {
    if (pos >= len) throw truncatedVarint(reader);
    byte = buf[pos++]!;
    hi |= (byte & 127) << shift;
    done = byte < 128;
  }
  if (!done) throw new OtlpDecodeError('', `malformed: varint longer than 10 bytes at offset ${reader.pos}`);
  reader.pos = pos;
  lo >>>= 0;
  hi |= 0;
  // Exact whenever the result is a safe integer: hi * 2^32 is exact and |lo| < 2^32.
  const value = hi * 4294967296 + lo;
  return Number.isSafeInteger(value) ? value : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function truncatedVarint(reader: Reader): OtlpDecodeError {
  return new OtlpDecodeError('', `truncated: varint at offset ${reader.pos} runs past the end of the body`);
}

function readResourceSpans(
  reader: Reader,
  buf: Buffer,
  resourceIndex: number,
  out: DecodedTraces,
  limiter: ValueLimiter,
): void {
  const end = readEnd(reader);
  // Filled in place, so a `resource` field sent after `scope_spans` still reaches every span.
  const resource = emptyAttributes();
  let scopeIndex = 0;
  let at = '';
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === Tag.resourceSpansScopeSpans) {
        at = `scopeSpans[${scopeIndex}]`;
        readScopeSpans(reader, buf, resource, resourceIndex, scopeIndex, out, limiter);
        scopeIndex++;
      } else if (tag === Tag.resourceSpansResource) {
        at = 'resource';
        readResource(reader, buf, resource, limiter);
      } else {
        skipField(reader, tag);
      }
      at = '';
    }
    expectEnd(reader, end);
  } catch (error) {
    throw withPath(error, at);
  }
}

export function readResource(reader: Reader, buf: Buffer, into: Attributes, limiter: ValueLimiter): void {
  const end = readEnd(reader);
  let attributeIndex = 0;
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === Tag.resourceAttributes) {
        readKeyValue(reader, buf, into, 1, limiter);
        attributeIndex++;
      } else {
        skipField(reader, tag);
      }
    }
  } catch (error) {
    throw withPath(error, `attributes[${attributeIndex}]`);
  }
  expectEnd(reader, end);
}

function readScopeSpans(
  reader: Reader,
  buf: Buffer,
  resource: Attributes,
  resourceIndex: number,
  scopeIndex: number,
  out: DecodedTraces,
  limiter: ValueLimiter,
): void {
  const end = readEnd(reader);
  const scope: DecodedSpan['scope'] = { name: '', version: '', attributes: emptyAttributes() };
  const scopePosition = `resourceSpans[${resourceIndex}].scopeSpans[${scopeIndex}]`;
  let spanIndex = 0;
  let at = '';
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === Tag.scopeSpansSpans) {
        at = `spans[${spanIndex}]`;
        readSpan(reader, buf, resource, scope, scopePosition, spanIndex, out, limiter);
        spanIndex++;
      } else if (tag === Tag.scopeSpansScope) {
        at = 'scope';
        readScope(reader, buf, scope, limiter);
      } else {
        skipField(reader, tag);
      }
      at = '';
    }
    expectEnd(reader, end);
  } catch (error) {
    throw withPath(error, at);
  }
}

export function readScope(reader: Reader, buf: Buffer, scope: DecodedSpan['scope'], limiter: ValueLimiter): void {
  const end = readEnd(reader);
  let attributeIndex = 0;
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === Tag.scopeName) scope.name = readString(reader, buf);
      else if (tag === Tag.scopeVersion) scope.version = readString(reader, buf);
      else if (tag === Tag.scopeAttributes) {
        readKeyValue(reader, buf, scope.attributes, 1, limiter);
        attributeIndex++;
      } else skipField(reader, tag);
    }
  } catch (error) {
    throw withPath(error, `attributes[${attributeIndex}]`);
  }
  expectEnd(reader, end);
}

function readSpan(
  reader: Reader,
  buf: Buffer,
  resource: Attributes,
  scope: DecodedSpan['scope'],
  scopePosition: string,
  spanIndex: number,
  out: DecodedTraces,
  limiter: ValueLimiter,
): void {
  const end = readEnd(reader);
  let traceIdStart = 0;
  let traceIdEnd = 0;
  let spanIdStart = 0;
  let spanIdEnd = 0;
  let parentStart = 0;
  let parentEnd = 0;
  let name = '';
  let kind = 0;
  let startTimeUnixNano = 0n;
  let endTimeUnixNano = 0n;
  const attributes = emptyAttributes();
  const events: DecodedEvent[] = [];
  const status = { code: 0, message: '' };
  let attributeIndex = 0;
  let at = '';
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      switch (tag) {
        case Tag.spanAttributes:
          at = 'attributes';
          readKeyValue(reader, buf, attributes, 1, limiter);
          attributeIndex++;
          break;
        case Tag.spanTraceId:
          traceIdEnd = readEnd(reader);
          traceIdStart = reader.pos;
          reader.pos = traceIdEnd;
          break;
        case Tag.spanSpanId:
          spanIdEnd = readEnd(reader);
          spanIdStart = reader.pos;
          reader.pos = spanIdEnd;
          break;
        case Tag.spanParentSpanId:
          parentEnd = readEnd(reader);
          parentStart = reader.pos;
          reader.pos = parentEnd;
          break;
        case Tag.spanName:
          name = readString(reader, buf);
          break;
        case Tag.spanKind:
          kind = reader.int32();
          break;
        case Tag.spanStartTime:
          startTimeUnixNano = readFixed64(reader);
          break;
        case Tag.spanEndTime:
          endTimeUnixNano = readFixed64(reader);
          break;
        case Tag.spanEvents:
          at = `events[${events.length}]`;
          events.push(readEvent(reader, buf, limiter));
          break;
        case Tag.spanStatus:
          at = 'status';
          readStatus(reader, buf, status);
          break;
        default:
          skipField(reader, tag);
      }
      at = '';
    }
    expectEnd(reader, end);
  } catch (error) {
    throw withPath(error, at === 'attributes' ? `attributes[${attributeIndex}]` : at);
  }

  const problems: string[] = [];
  const traceIdBytes = traceIdEnd - traceIdStart;
  if (traceIdBytes !== TRACE_ID_BYTES) problems.push(`traceId: expected ${TRACE_ID_BYTES} bytes (got ${traceIdBytes})`);
  else if (isAllZero(buf, traceIdStart, traceIdEnd)) problems.push('traceId: expected a non-zero id (got all zeros)');
  const spanIdBytes = spanIdEnd - spanIdStart;
  let spanIdUsable = false;
  if (spanIdBytes !== SPAN_ID_BYTES) problems.push(`spanId: expected ${SPAN_ID_BYTES} bytes (got ${spanIdBytes})`);
  else if (isAllZero(buf, spanIdStart, spanIdEnd)) problems.push('spanId: expected a non-zero id (got all zeros)');
  else spanIdUsable = true;
  const parentBytes = parentEnd - parentStart;
  if (parentBytes !== 0 && parentBytes !== SPAN_ID_BYTES) {
    problems.push(`parentSpanId: expected ${SPAN_ID_BYTES} bytes or none (got ${parentBytes})`);
  }
  const statusCode = status.code;
  if (!isStatusCode(statusCode)) problems.push(`status.code: expected 0, 1 or 2 (got ${statusCode})`);
  addTimeProblems(startTimeUnixNano, endTimeUnixNano, events, problems);

  // The status test repeats only to narrow `statusCode` for the push below.
  if (problems.length > 0 || !isStatusCode(statusCode)) {
    out.refused.push({
      span: spanIdUsable ? readHex(buf, spanIdStart, spanIdEnd) : spanPosition(scopePosition, spanIndex),
      reason: problems.join('; '),
    });
    return;
  }
  out.spans.push({
    traceId: readHex(buf, traceIdStart, traceIdEnd),
    spanId: readHex(buf, spanIdStart, spanIdEnd),
    parentSpanId: parentBytes === 0 || isAllZero(buf, parentStart, parentEnd) ? null : readHex(buf, parentStart, parentEnd),
    name,
    kind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    events,
    status: { code: statusCode, message: status.message },
    resource,
    scope,
  });
}

/** Times a span is refused for: past 2262, they would not fit the store (SQLite's int64). */
function addTimeProblems(
  startTimeUnixNano: bigint,
  endTimeUnixNano: bigint,
  events: readonly DecodedEvent[],
  problems: string[],
): void {
  if (startTimeUnixNano > MAX_UNIX_NANO) problems.push(`startTimeUnixNano: ${expectedTime()} (got ${startTimeUnixNano})`);
  if (endTimeUnixNano > MAX_UNIX_NANO) problems.push(`endTimeUnixNano: ${expectedTime()} (got ${endTimeUnixNano})`);
  events.forEach((event, index) => {
    if (event.timeUnixNano > MAX_UNIX_NANO) {
      problems.push(`events[${index}].timeUnixNano: ${expectedTime()} (got ${event.timeUnixNano})`);
    }
  });
}

export function expectedTime(): string {
  return `expected unix nanoseconds up to ${MAX_UNIX_NANO} (year 2262)`;
}

/**
 * Times every span keeps, whatever it was sent with (after addTimeProblems refused those past 2262):
 * - no start (0): its end, or when it has none either the time the export was received, as
 *   Langfuse does (test/interop: missing timestamps are never a reason to refuse a span);
 * - no end (0): its start;
 * - an end before the start (a clock stepped back): its start, as the OTel SDKs themselves do,
 *   with the end it was sent with recorded in SPANLITE_ORIGINAL_END_TIME. Its content and usage
 *   are worth more than its duration.
 */
function normaliseTimes(spans: readonly DecodedSpan[], receivedAtUnixNano: bigint | undefined): void {
  for (const span of spans) {
    if (span.startTimeUnixNano === 0n) {
      span.startTimeUnixNano = span.endTimeUnixNano !== 0n ? span.endTimeUnixNano : (receivedAtUnixNano ?? nowUnixNano());
    }
    if (span.endTimeUnixNano >= span.startTimeUnixNano) continue;
    if (span.endTimeUnixNano !== 0n) span.attributes[SPANLITE_ORIGINAL_END_TIME] = span.endTimeUnixNano.toString();
    span.endTimeUnixNano = span.startTimeUnixNano;
  }
}

function nowUnixNano(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

function readEvent(reader: Reader, buf: Buffer, limiter: ValueLimiter): DecodedEvent {
  const end = readEnd(reader);
  const event: DecodedEvent = { name: '', timeUnixNano: 0n, attributes: emptyAttributes() };
  let attributeIndex = 0;
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === Tag.eventAttributes) {
        readKeyValue(reader, buf, event.attributes, 1, limiter);
        attributeIndex++;
      } else if (tag === Tag.eventName) event.name = readString(reader, buf);
      else if (tag === Tag.eventTime) event.timeUnixNano = readFixed64(reader);
      else skipField(reader, tag);
    }
  } catch (error) {
    throw withPath(error, `attributes[${attributeIndex}]`);
  }
  expectEnd(reader, end);
  return event;
}

function readStatus(reader: Reader, buf: Buffer, status: { code: number; message: string }): void {
  const end = readEnd(reader);
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === Tag.statusCode) status.code = reader.int32();
    else if (tag === Tag.statusMessage) status.message = readString(reader, buf);
    else skipField(reader, tag);
  }
  expectEnd(reader, end);
}

/** A KeyValue into `into`; at depth 1 (a top-level attribute), values cut inside it are recorded there. */
export function readKeyValue(reader: Reader, buf: Buffer, into: Attributes, depth: number, limiter: ValueLimiter): void {
  const end = readEnd(reader);
  let key = '';
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === Tag.keyValueKey) key = readString(reader, buf);
    else if (tag === Tag.keyValueValue) value = readAnyValue(reader, buf, depth, limiter);
    else skipField(reader, tag);
  }
  expectEnd(reader, end);
  setAttribute(into, key, value);
  if (depth === 1) recordCuts(limiter, into, key);
}

function recordCuts(limiter: ValueLimiter, into: Attributes, key: string): void {
  if (isForbiddenKey(key)) limiter.discard();
  else limiter.record(into, key);
}

export function readAnyValue(reader: Reader, buf: Buffer, depth: number, limiter: ValueLimiter): AttributeValue {
  if (depth > MAX_ANY_VALUE_DEPTH) throw tooDeep();
  const end = readEnd(reader);
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.uint32();
    switch (tag) {
      case Tag.anyString: {
        const stringEnd = readEnd(reader);
        value = limiter.stringFromBytes(buf, reader.pos, stringEnd);
        reader.pos = stringEnd;
        break;
      }
      case Tag.anyInt:
        value = readInt64(reader);
        break;
      case Tag.anyDouble:
        value = reader.double();
        break;
      case Tag.anyBool:
        value = reader.bool();
        break;
      case Tag.anyArray:
        value = readArrayValue(reader, buf, depth, limiter);
        break;
      case Tag.anyKvlist:
        value = readKeyValueList(reader, buf, depth, limiter);
        break;
      case Tag.anyBytes: {
        const bytesEnd = readEnd(reader);
        value = limiter.bytesAsBase64(buf, reader.pos, bytesEnd);
        reader.pos = bytesEnd;
        break;
      }
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end);
  return value;
}

function readArrayValue(reader: Reader, buf: Buffer, depth: number, limiter: ValueLimiter): AttributeValue[] {
  const end = readEnd(reader);
  const values: AttributeValue[] = [];
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === Tag.listValues) values.push(readAnyValue(reader, buf, depth + 1, limiter));
    else skipField(reader, tag);
  }
  expectEnd(reader, end);
  return values;
}

function readKeyValueList(reader: Reader, buf: Buffer, depth: number, limiter: ValueLimiter): Attributes {
  const end = readEnd(reader);
  const values = emptyAttributes();
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === Tag.listValues) readKeyValue(reader, buf, values, depth + 1, limiter);
    else skipField(reader, tag);
  }
  expectEnd(reader, end);
  return values;
}

function tooDeep(): OtlpDecodeError {
  return new OtlpDecodeError('', `AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

export type JsonObject = Record<string, unknown>;

const SPAN_KIND_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['SPAN_KIND_UNSPECIFIED', 0],
  ['SPAN_KIND_INTERNAL', 1],
  ['SPAN_KIND_SERVER', 2],
  ['SPAN_KIND_CLIENT', 3],
  ['SPAN_KIND_PRODUCER', 4],
  ['SPAN_KIND_CONSUMER', 5],
]);

const STATUS_CODE_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['STATUS_CODE_UNSET', 0],
  ['STATUS_CODE_OK', 1],
  ['STATUS_CODE_ERROR', 2],
]);

const HEX_PATTERN = /^[0-9a-fA-F]*$/;
export const ALL_ZERO_PATTERN = /^0*$/;
const UINT_PATTERN = /^\d+$/;
const INT_PATTERN = /^-?\d+$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/\-_]*={0,2}$/;
export const BLANK_PATTERN = /^\s*$/;
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const NO_ITEMS: readonly unknown[] = Object.freeze([]);

/**
 * Decodes an OTLP/HTTP JSON body (`application/json`): the text, its UTF-8 bytes, or the value
 * `JSON.parse` already produced. An empty body or `{}` is an empty export.
 *
 * Ids are hex (any case; output lowercase). int64 fields may be decimal strings or numbers, enums
 * integers or their names, keys lowerCamelCase or the proto field names. `limits` and
 * `receivedAtUnixNano` as for decodeProtobufTraces.
 *
 * @throws OtlpDecodeError when the body is not JSON or not shaped like an ExportTraceServiceRequest.
 */
export function decodeJsonTraces(
  body: unknown,
  limits: Readonly<DecodeLimits> = DEFAULT_DECODE_LIMITS,
  receivedAtUnixNano?: bigint,
): DecodedTraces {
  let request = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string'
      ? body
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    if (BLANK_PATTERN.test(text)) return { spans: [], refused: [] };
    try {
      request = JSON.parse(text);
    } catch (error) {
      throw new OtlpDecodeError('', `invalid JSON (${(error as Error).message})`, { cause: error });
    }
  }
  try {
    const out = readJsonRequest(request, new ValueLimiter(limits));
    normaliseTimes(out.spans, receivedAtUnixNano);
    return out;
  } catch (error) {
    throw withPath(error, '');
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value was, for messages: `"abc"`, `42`, `array`, `object`, `nothing`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  }
  if (typeof value === 'object') return 'object';
  return String(value);
}

/** A field by its lowerCamelCase or proto name; `null` means absent, as in proto3 JSON. */
export function get(message: JsonObject, camel: string, snake?: string): unknown {
  const value = message[camel];
  if (value !== undefined && value !== null) return value;
  if (snake === undefined) return undefined;
  const alternative = message[snake];
  return alternative === null ? undefined : alternative;
}

export function getArray(message: JsonObject, camel: string, snake?: string): readonly unknown[] {
  const value = get(message, camel, snake);
  if (value === undefined) return NO_ITEMS;
  if (!Array.isArray(value)) throw new OtlpDecodeError(camel, `expected an array (got ${describe(value)})`);
  return value;
}

export function getObject(message: JsonObject, camel: string): JsonObject | undefined {
  const value = get(message, camel);
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) throw new OtlpDecodeError(camel, `expected an object (got ${describe(value)})`);
  return value;
}

export function getString(message: JsonObject, camel: string): string {
  const value = get(message, camel);
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new OtlpDecodeError(camel, `expected a string (got ${describe(value)})`);
  return value;
}

export function expectObject(value: unknown): JsonObject {
  if (!isJsonObject(value)) throw new OtlpDecodeError('', `expected an object (got ${describe(value)})`);
  return value;
}

export function getEnum(message: JsonObject, camel: string, names: ReadonlyMap<string, number>): number {
  const value = get(message, camel);
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const byName = typeof value === 'string' ? names.get(value) : undefined;
  if (byName !== undefined) return byName;
  throw new OtlpDecodeError(camel, `expected an integer or one of ${[...names.keys()].join(', ')} (got ${describe(value)})`);
}

/** An unsigned 64-bit integer (times): decimal string or non-negative integer number. */
export function getUint64(message: JsonObject, camel: string, snake: string): bigint {
  const value = get(message, camel, snake);
  if (value === undefined) return 0n;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 64) {
    return BigInt(value);
  }
  if (typeof value === 'string' && UINT_PATTERN.test(value)) {
    const parsed = BigInt(value);
    if (parsed <= UINT64_MAX) return parsed;
  }
  throw new OtlpDecodeError(camel, `expected an unsigned 64-bit integer as a decimal string or number (got ${describe(value)})`);
}

function readJsonRequest(request: unknown, limiter: ValueLimiter): DecodedTraces {
  if (!isJsonObject(request)) {
    throw new OtlpDecodeError('', `expected an ExportTraceServiceRequest object (got ${describe(request)})`);
  }
  const resourceSpansList = getArray(request, 'resourceSpans', 'resource_spans');
  const out: DecodedTraces = { spans: [], refused: [] };
  for (let i = 0; i < resourceSpansList.length; i++) {
    try {
      readJsonResourceSpans(resourceSpansList[i], i, out, limiter);
    } catch (error) {
      throw withPath(error, `resourceSpans[${i}]`);
    }
  }
  return out;
}

function readJsonResourceSpans(value: unknown, resourceIndex: number, out: DecodedTraces, limiter: ValueLimiter): void {
  const message = expectObject(value);
  const resource = emptyAttributes();
  const resourceMessage = getObject(message, 'resource');
  if (resourceMessage !== undefined) {
    try {
      readJsonAttributes(getArray(resourceMessage, 'attributes'), resource, limiter);
    } catch (error) {
      throw withPath(error, 'resource');
    }
  }
  const scopeSpansList = getArray(message, 'scopeSpans', 'scope_spans');
  for (let j = 0; j < scopeSpansList.length; j++) {
    try {
      readJsonScopeSpans(scopeSpansList[j], resource, resourceIndex, j, out, limiter);
    } catch (error) {
      throw withPath(error, `scopeSpans[${j}]`);
    }
  }
}

function readJsonScopeSpans(
  value: unknown,
  resource: Attributes,
  resourceIndex: number,
  scopeIndex: number,
  out: DecodedTraces,
  limiter: ValueLimiter,
): void {
  const message = expectObject(value);
  const scope: DecodedSpan['scope'] = { name: '', version: '', attributes: emptyAttributes() };
  const scopePosition = `resourceSpans[${resourceIndex}].scopeSpans[${scopeIndex}]`;
  const scopeMessage = getObject(message, 'scope');
  if (scopeMessage !== undefined) {
    try {
      scope.name = getString(scopeMessage, 'name');
      scope.version = getString(scopeMessage, 'version');
      readJsonAttributes(getArray(scopeMessage, 'attributes'), scope.attributes, limiter);
    } catch (error) {
      throw withPath(error, 'scope');
    }
  }
  const spans = getArray(message, 'spans');
  for (let k = 0; k < spans.length; k++) {
    try {
      readJsonSpan(spans[k], resource, scope, scopePosition, k, out, limiter);
    } catch (error) {
      throw withPath(error, `spans[${k}]`);
    }
  }
}

/** Lowercase hex of a valid, non-zero id, or undefined. */
export function jsonHexId(value: unknown, hexLength: number): string | undefined {
  if (typeof value !== 'string' || value.length !== hexLength || !HEX_PATTERN.test(value)) return undefined;
  return ALL_ZERO_PATTERN.test(value) ? undefined : value.toLowerCase();
}

function jsonIdProblem(field: string, value: unknown, hexLength: number): string {
  if (typeof value === 'string' && value.length === hexLength && ALL_ZERO_PATTERN.test(value)) {
    return `${field}: expected a non-zero id (got all zeros)`;
  }
  return `${field}: expected ${hexLength} hex characters (got ${describe(value)})`;
}

function readJsonSpan(
  value: unknown,
  resource: Attributes,
  scope: DecodedSpan['scope'],
  scopePosition: string,
  spanIndex: number,
  out: DecodedTraces,
  limiter: ValueLimiter,
): void {
  const message = expectObject(value);
  const rawTraceId = get(message, 'traceId', 'trace_id');
  const rawSpanId = get(message, 'spanId', 'span_id');
  const rawParentSpanId = get(message, 'parentSpanId', 'parent_span_id');
  const traceId = jsonHexId(rawTraceId, TRACE_ID_BYTES * 2);
  const spanId = jsonHexId(rawSpanId, SPAN_ID_BYTES * 2);
  let parentSpanId: string | null = null;
  let parentUsable = true;
  if (rawParentSpanId !== undefined && rawParentSpanId !== '') {
    parentSpanId = jsonHexId(rawParentSpanId, SPAN_ID_BYTES * 2) ?? null;
    parentUsable = parentSpanId !== null || (typeof rawParentSpanId === 'string'
      && rawParentSpanId.length === SPAN_ID_BYTES * 2 && ALL_ZERO_PATTERN.test(rawParentSpanId));
  }

  const name = getString(message, 'name');
  const kind = getEnum(message, 'kind', SPAN_KIND_BY_NAME);
  const startTimeUnixNano = getUint64(message, 'startTimeUnixNano', 'start_time_unix_nano');
  const endTimeUnixNano = getUint64(message, 'endTimeUnixNano', 'end_time_unix_nano');
  const attributes = emptyAttributes();
  readJsonAttributes(getArray(message, 'attributes'), attributes, limiter);
  const events = readJsonEvents(getArray(message, 'events'), limiter);
  const statusMessage = getObject(message, 'status');
  let statusCode = 0;
  let statusText = '';
  if (statusMessage !== undefined) {
    try {
      statusCode = getEnum(statusMessage, 'code', STATUS_CODE_BY_NAME);
      statusText = getString(statusMessage, 'message');
    } catch (error) {
      throw withPath(error, 'status');
    }
  }

  const problems: string[] = [];
  if (traceId === undefined) problems.push(jsonIdProblem('traceId', rawTraceId, TRACE_ID_BYTES * 2));
  if (spanId === undefined) problems.push(jsonIdProblem('spanId', rawSpanId, SPAN_ID_BYTES * 2));
  if (!parentUsable) {
    problems.push(`parentSpanId: expected ${SPAN_ID_BYTES * 2} hex characters or none (got ${describe(rawParentSpanId)})`);
  }
  if (!isStatusCode(statusCode)) problems.push(`status.code: expected 0, 1 or 2 (got ${statusCode})`);
  addTimeProblems(startTimeUnixNano, endTimeUnixNano, events, problems);
  // The id and status tests repeat only to narrow their types for the push below.
  if (problems.length > 0 || traceId === undefined || spanId === undefined || !isStatusCode(statusCode)) {
    out.refused.push({ span: spanId ?? spanPosition(scopePosition, spanIndex), reason: problems.join('; ') });
    return;
  }
  out.spans.push({
    traceId,
    spanId,
    parentSpanId,
    name,
    kind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    events,
    status: { code: statusCode, message: statusText },
    resource,
    scope,
  });
}

function readJsonEvents(list: readonly unknown[], limiter: ValueLimiter): DecodedEvent[] {
  const events: DecodedEvent[] = [];
  for (let n = 0; n < list.length; n++) {
    try {
      const message = expectObject(list[n]);
      const attributes = emptyAttributes();
      readJsonAttributes(getArray(message, 'attributes'), attributes, limiter);
      events.push({
        name: getString(message, 'name'),
        timeUnixNano: getUint64(message, 'timeUnixNano', 'time_unix_nano'),
        attributes,
      });
    } catch (error) {
      throw withPath(error, `events[${n}]`);
    }
  }
  return events;
}

/** KeyValues into `into`; errors name `field[index]`. */
export function readJsonAttributes(
  list: readonly unknown[],
  into: Attributes,
  limiter: ValueLimiter,
  field = 'attributes',
): void {
  for (let n = 0; n < list.length; n++) {
    try {
      readJsonKeyValue(list[n], into, 1, limiter);
    } catch (error) {
      throw withPath(error, `${field}[${n}]`);
    }
  }
}

function readJsonKeyValue(value: unknown, into: Attributes, depth: number, limiter: ValueLimiter): void {
  const message = expectObject(value);
  const key = message.key;
  if (typeof key !== 'string') throw new OtlpDecodeError('key', `expected a string (got ${describe(key)})`);
  const anyValue = message.value;
  setAttribute(into, key, anyValue === undefined || anyValue === null ? null : readJsonAnyValue(anyValue, depth, limiter));
  if (depth === 1) recordCuts(limiter, into, key);
}

export function readJsonAnyValue(value: unknown, depth: number, limiter: ValueLimiter): AttributeValue {
  if (depth > MAX_ANY_VALUE_DEPTH) throw tooDeep();
  const message = expectObject(value);
  let field: unknown;
  if ((field = get(message, 'stringValue', 'string_value')) !== undefined) {
    if (typeof field !== 'string') throw new OtlpDecodeError('stringValue', `expected a string (got ${describe(field)})`);
    return limiter.string(field);
  }
  if ((field = get(message, 'intValue', 'int_value')) !== undefined) return readJsonInt64(field);
  if ((field = get(message, 'boolValue', 'bool_value')) !== undefined) {
    if (typeof field !== 'boolean') throw new OtlpDecodeError('boolValue', `expected true or false (got ${describe(field)})`);
    return field;
  }
  if ((field = get(message, 'doubleValue', 'double_value')) !== undefined) return readJsonDouble(field);
  if ((field = get(message, 'arrayValue', 'array_value')) !== undefined) {
    const list = getArray(expectObject(field), 'values');
    const values: AttributeValue[] = new Array<AttributeValue>(list.length);
    for (let n = 0; n < list.length; n++) values[n] = readJsonAnyValue(list[n], depth + 1, limiter);
    return values;
  }
  if ((field = get(message, 'kvlistValue', 'kvlist_value')) !== undefined) {
    const list = getArray(expectObject(field), 'values');
    const values = emptyAttributes();
    for (let n = 0; n < list.length; n++) readJsonKeyValue(list[n], values, depth + 1, limiter);
    return values;
  }
  if ((field = get(message, 'bytesValue', 'bytes_value')) !== undefined) {
    if (typeof field !== 'string' || !BASE64_PATTERN.test(field)) {
      throw new OtlpDecodeError('bytesValue', `expected a base64 string (got ${describe(field)})`);
    }
    const bytes = Buffer.from(field, 'base64');
    return limiter.bytesAsBase64(bytes, 0, bytes.length);
  }
  return null;
}

function readJsonInt64(value: unknown): number | string {
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (Number.isSafeInteger(value)) return value;
    if (value >= -(2 ** 63) && value < 2 ** 63) return BigInt(value).toString();
  } else if (typeof value === 'string' && INT_PATTERN.test(value)) {
    if (value.length <= 15) return Number(value);
    const parsed = BigInt(value);
    if (parsed >= INT64_MIN && parsed <= INT64_MAX) {
      const asNumber = Number(parsed);
      return Number.isSafeInteger(asNumber) ? asNumber : parsed.toString();
    }
  }
  throw new OtlpDecodeError(
    'intValue',
    `expected a signed 64-bit integer as a decimal string or number (got ${describe(value)})`,
  );
}

/** proto3 JSON doubles: numbers, numeric strings, or "NaN" / "Infinity" / "-Infinity". */
function readJsonDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return Number.NaN;
    const parsed = Number(value);
    if (value.trim() !== '' && !Number.isNaN(parsed)) return parsed;
  }
  throw new OtlpDecodeError('doubleValue', `expected a number (got ${describe(value)})`);
}
