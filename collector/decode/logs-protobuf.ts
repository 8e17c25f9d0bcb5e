/**
 * OTLP/HTTP protobuf ExportLogsServiceRequest -> DecodedLogs, by the field numbers of
 * opentelemetry/proto/logs/v1 (the envelope, attributes, resource and scope: otlp-protobuf-common).
 *
 * A body that cannot be read at all throws `OtlpDecodeError` (the whole request is a 400); a
 * readable record with malformed ids or a time past 2262 is put in `refused`, and the rest of the
 * request is kept.
 */
import type { Buffer } from 'node:buffer';
import type { Reader } from 'protobufjs/minimal.js';
import type { DecodedLogs } from './log-record.js';
import { DEFAULT_DECODE_LIMITS, LOG_BODY_KEY, ValueLimiter, type DecodeLimits } from './value-limits.js';
import { withPath } from './decode-error.js';
import {
  expectEnd,
  optionalId,
  readAnyValue,
  readBytesAsHex,
  readEnd,
  readFixed64,
  readKeyValue,
  readProtobufExport,
  readString,
  skipField,
  type ProtobufEnvelope,
} from './otlp-protobuf-common.js';
import { SPAN_ID_BYTES, TRACE_ID_BYTES, type ItemContext } from './otlp-values.js';
import { LOG_ENVELOPE_NAMES, emptyRecord, keepOrRefuse } from './logs-common.js';

/** Tags (field number << 3 | wire type); a known number with another wire type is skipped. */
const Tag = Object.freeze({
  // LogRecord
  recordTime: (1 << 3) | 1,
  recordSeverityNumber: (2 << 3) | 0,
  recordSeverityText: (3 << 3) | 2,
  recordBody: (5 << 3) | 2,
  recordAttributes: (6 << 3) | 2,
  recordTraceId: (9 << 3) | 2,
  recordSpanId: (10 << 3) | 2,
  recordObservedTime: (11 << 3) | 1,
  recordEventName: (12 << 3) | 2,
});

const LOGS: ProtobufEnvelope<DecodedLogs> = Object.freeze({ ...LOG_ENVELOPE_NAMES, readItem: readLogRecord });

/**
 * Decodes an OTLP protobuf ExportLogsServiceRequest. An empty body is an empty export.
 *
 * @throws OtlpDecodeError when the bytes are not an ExportLogsServiceRequest.
 */
export function decodeProtobufLogs(body: Uint8Array, limits: Readonly<DecodeLimits> = DEFAULT_DECODE_LIMITS): DecodedLogs {
  const out: DecodedLogs = { records: [], refused: [] };
  readProtobufExport(body, LOGS, out, new ValueLimiter(limits));
  return out;
}

function readLogRecord(reader: Reader, buf: Buffer, context: ItemContext, recordIndex: number, out: DecodedLogs): void {
  const { limiter } = context;
  const end = readEnd(reader);
  const record = emptyRecord(context, recordIndex);
  let observedTimeUnixNano = 0n;
  // Ids are checked once the whole record is read.
  let traceId = '';
  let spanId = '';
  let attributeIndex = 0;
  let at = '';
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      switch (tag) {
        case Tag.recordAttributes:
          at = `attributes[${attributeIndex}]`;
          readKeyValue(reader, buf, record.attributes, 1, limiter);
          attributeIndex++;
          break;
        case Tag.recordBody:
          at = 'body';
          record.body = readAnyValue(reader, buf, 1, limiter);
          limiter.record(record.attributes, LOG_BODY_KEY);
          break;
        case Tag.recordTime:
          record.timeUnixNano = readFixed64(reader);
          break;
        case Tag.recordObservedTime:
          observedTimeUnixNano = readFixed64(reader);
          break;
        case Tag.recordSeverityNumber:
          record.severityNumber = reader.int32();
          break;
        case Tag.recordSeverityText:
          record.severityText = readString(reader, buf);
          break;
        case Tag.recordEventName:
          record.eventName = readString(reader, buf);
          break;
        case Tag.recordTraceId:
          traceId = readBytesAsHex(reader, buf);
          break;
        case Tag.recordSpanId:
          spanId = readBytesAsHex(reader, buf);
          break;
        default:
          skipField(reader, tag);
      }
      at = '';
    }
    expectEnd(reader, end);
  } catch (error) {
    throw withPath(error, at);
  }

  // Unlike a span's, a record's ids are optional: none, or all zeros, is no trace context.
  const problems: string[] = [];
  record.traceId = optionalId(traceId, 'traceId', TRACE_ID_BYTES, problems);
  record.spanId = optionalId(spanId, 'spanId', SPAN_ID_BYTES, problems);
  keepOrRefuse(out, record, observedTimeUnixNano, problems);
}
