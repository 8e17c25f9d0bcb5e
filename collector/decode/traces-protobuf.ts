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
import type { DecodedEvent, DecodedTraces } from './span.js';
import { DEFAULT_DECODE_LIMITS, ValueLimiter, type DecodeLimits } from './value-limits.js';
import { withPath } from './decode-error.js';
import {
  expectEnd,
  optionalId,
  readAttributedMessage,
  readBytesAsHex,
  readEnd,
  readFixed64,
  readKeyValue,
  readProtobufExport,
  readString,
  skipField,
  type ProtobufEnvelope,
} from './otlp-protobuf-common.js';
import { SPAN_ID_BYTES, TRACE_ID_BYTES, emptyAttributes, isZeroId, type ItemContext } from './otlp-values.js';
import { TRACE_ENVELOPE_NAMES, decodeTraces, emptySpan, keepOrRefuse } from './traces-common.js';

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
 * with neither start nor end time (default: now; see normaliseTimes in traces-common).
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
  return decodeTraces((out) => readProtobufExport(body, TRACES, out, new ValueLimiter(limits)), receivedAtUnixNano);
}

function readSpan(reader: Reader, buf: Buffer, context: ItemContext, spanIndex: number, out: DecodedTraces): void {
  const { limiter } = context;
  const end = readEnd(reader);
  const span = emptySpan(context);
  // Ids are checked once the whole span is read.
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  const status = { code: 0, message: '' };
  let attributeIndex = 0;
  let at = '';
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      switch (tag) {
        case Tag.spanAttributes:
          at = 'attributes';
          readKeyValue(reader, buf, span.attributes, 1, limiter);
          attributeIndex++;
          break;
        case Tag.spanTraceId:
          traceId = readBytesAsHex(reader, buf);
          break;
        case Tag.spanSpanId:
          spanId = readBytesAsHex(reader, buf);
          break;
        case Tag.spanParentSpanId:
          parentSpanId = readBytesAsHex(reader, buf);
          break;
        case Tag.spanName:
          span.name = readString(reader, buf);
          break;
        case Tag.spanKind:
          span.kind = reader.int32();
          break;
        case Tag.spanStartTime:
          span.startTimeUnixNano = readFixed64(reader);
          break;
        case Tag.spanEndTime:
          span.endTimeUnixNano = readFixed64(reader);
          break;
        case Tag.spanEvents:
          at = `events[${span.events.length}]`;
          span.events.push(readEvent(reader, buf, limiter));
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
  span.traceId = requiredId(traceId, 'traceId', TRACE_ID_BYTES, problems);
  span.spanId = requiredId(spanId, 'spanId', SPAN_ID_BYTES, problems);
  span.parentSpanId = optionalId(parentSpanId, 'parentSpanId', SPAN_ID_BYTES, problems);
  span.status.message = status.message;
  keepOrRefuse(out, span, status.code, problems, context, spanIndex);
}

/** A span's id (read with readBytesAsHex), or '' when it is unusable, with a problem naming `field`. */
function requiredId(hex: string, field: string, bytes: number, problems: string[]): string {
  if (hex.length !== bytes * 2) problems.push(`${field}: expected ${bytes} bytes (got ${hex.length / 2})`);
  else if (isZeroId(hex)) problems.push(`${field}: expected a non-zero id (got all zeros)`);
  else return hex;
  return '';
}

function readEvent(reader: Reader, buf: Buffer, limiter: ValueLimiter): DecodedEvent {
  const event: DecodedEvent = { name: '', timeUnixNano: 0n, attributes: emptyAttributes() };
  readAttributedMessage(reader, buf, Tag.eventAttributes, event.attributes, limiter, (tag) => {
    if (tag === Tag.eventName) event.name = readString(reader, buf);
    else if (tag === Tag.eventTime) event.timeUnixNano = readFixed64(reader);
    else skipField(reader, tag);
  });
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
