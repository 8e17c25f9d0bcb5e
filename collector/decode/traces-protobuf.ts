/**
 * OTLP/HTTP protobuf ExportTraceServiceRequest -> DecodedTraces, by the field numbers of
 * opentelemetry/proto/trace/v1 (the envelope, attributes, resource and scope: otlp-protobuf-common).
 *
 * A body that cannot be read at all throws `OtlpDecodeError` (the whole request is a 400); a
 * readable span with unusable ids, an unknown status code or a time past 2262 is put in `refused`,
 * and the rest of the request is kept.
 */
import type { Buffer } from 'node:buffer';
import type { Reader } from 'protobufjs/minimal.js';
import type { Attributes, DecodedEvent, DecodedTraces } from './span.js';
import { DEFAULT_DECODE_LIMITS, ValueLimiter, type DecodeLimits } from './value-limits.js';
import { withPath } from './decode-error.js';
import {
  expectEnd,
  isAllZero,
  readEnd,
  readFixed64,
  readHex,
  readKeyValue,
  readProtobufExport,
  readString,
  skipBytes,
  skipField,
  type ProtobufEnvelope,
} from './otlp-protobuf-common.js';
import { SPAN_ID_BYTES, TRACE_ID_BYTES, emptyAttributes, type DecodedScope } from './otlp-values.js';
import { TRACE_ENVELOPE_NAMES, addTimeProblems, isStatusCode, normaliseTimes, spanPosition } from './traces-common.js';

/** Tags (field number << 3 | wire type); a known number with another wire type is skipped. */
const Tag = Object.freeze({
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
});

const TRACES: ProtobufEnvelope<DecodedTraces> = Object.freeze({ ...TRACE_ENVELOPE_NAMES, readItem: readSpan });

/**
 * Decodes an OTLP/HTTP protobuf body (`application/x-protobuf`). An empty body is an empty export.
 * `limits` cap attribute values (decode/value-limits.ts); `receivedAtUnixNano` is the start of a span sent
 * with neither start nor end time (default: now; see normaliseTimes).
 *
 * Spans of one ResourceSpans share one `resource` object, and spans of one ScopeSpans one `scope`
 * object: treat them as read-only.
 *
 * @throws OtlpDecodeError when the bytes are not an ExportTraceServiceRequest.
 */
export function decodeProtobufTraces(
  body: Uint8Array,
  limits: Readonly<DecodeLimits> = DEFAULT_DECODE_LIMITS,
  receivedAtUnixNano?: bigint,
): DecodedTraces {
  const out: DecodedTraces = { spans: [], refused: [] };
  readProtobufExport(body, TRACES, out, new ValueLimiter(limits));
  normaliseTimes(out.spans, receivedAtUnixNano);
  return out;
}

function readSpan(
  reader: Reader,
  buf: Buffer,
  resource: Attributes,
  scope: DecodedScope,
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
          traceIdStart = skipBytes(reader);
          traceIdEnd = reader.pos;
          break;
        case Tag.spanSpanId:
          spanIdStart = skipBytes(reader);
          spanIdEnd = reader.pos;
          break;
        case Tag.spanParentSpanId:
          parentStart = skipBytes(reader);
          parentEnd = reader.pos;
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
