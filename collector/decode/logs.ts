/**
 * OTLP ExportLogsServiceRequest -> DecodedLogs, for both OTLP encodings.
 *
 * Same approach and failure model as the trace decoders, over the same shared readers (envelope,
 * AnyValue, KeyValue, Resource, InstrumentationScope: decode/otlp-protobuf-common.ts and
 * decode/otlp-json-common.ts), by the field numbers of opentelemetry/proto/{collector/logs,logs}/v1.
 * A body that cannot be read throws `OtlpDecodeError`; a readable record with malformed ids is put
 * in `refused`.
 *
 * Unlike spans, trace and span ids are optional on a log record: absent, empty or all-zero ids
 * decode to null (what to do with such records is the mapping's decision, not the decoder's).
 */
import type { Buffer } from 'node:buffer';
import type { Reader } from 'protobufjs/minimal.js';
import type { AttributeValue, Attributes } from './span.js';
import type { DecodedLogs } from './log-record.js';
import { MAX_UNIX_NANO } from './span.js';
import { DEFAULT_DECODE_LIMITS, LOG_BODY_KEY, ValueLimiter, type DecodeLimits } from './value-limits.js';
import { describe, withPath } from './decode-error.js';
import {
  ALL_ZERO_PATTERN,
  expectObject,
  get,
  getArray,
  getEnum,
  getString,
  getUint64,
  jsonHexId,
  readJsonAnyValue,
  readJsonAttributes,
  readJsonExport,
  type JsonEnvelope,
  type JsonObject,
} from './otlp-json-common.js';
import {
  expectEnd,
  isAllZero,
  readAnyValue,
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
import {
  SPAN_ID_BYTES,
  TRACE_ID_BYTES,
  emptyAttributes,
  expectedTime,
  type DecodedScope,
  type OtlpEnvelopeNames,
} from './otlp-values.js';

/** opentelemetry/proto/collector/logs/v1 ExportLogsServiceRequest and logs/v1. */
const LOG_ENVELOPE_NAMES: OtlpEnvelopeNames = Object.freeze({
  request: 'ExportLogsServiceRequest',
  resources: 'resourceLogs',
  resourcesProto: 'resource_logs',
  scopes: 'scopeLogs',
  scopesProto: 'scope_logs',
  items: 'logRecords',
  itemsProto: 'log_records',
});

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

/** Names a record in messages and in its `position`: `resourceLogs[0].scopeLogs[1].logRecords[2]`. */
function recordPosition(scopePosition: string, recordIndex: number): string {
  return `${scopePosition}.logRecords[${recordIndex}]`;
}

// ---------------------------------------------------------------------------------------------
// Protobuf
// ---------------------------------------------------------------------------------------------

const PROTOBUF_LOGS: ProtobufEnvelope<DecodedLogs> = Object.freeze({ ...LOG_ENVELOPE_NAMES, readItem: readLogRecord });

/**
 * Decodes an OTLP protobuf ExportLogsServiceRequest. An empty body is an empty export.
 *
 * @throws OtlpDecodeError when the bytes are not an ExportLogsServiceRequest.
 */
export function decodeProtobufLogs(body: Uint8Array, limits: Readonly<DecodeLimits> = DEFAULT_DECODE_LIMITS): DecodedLogs {
  const out: DecodedLogs = { records: [], refused: [] };
  readProtobufExport(body, PROTOBUF_LOGS, out, new ValueLimiter(limits));
  return out;
}

function readLogRecord(
  reader: Reader,
  buf: Buffer,
  resource: Attributes,
  scope: DecodedScope,
  scopePosition: string,
  recordIndex: number,
  out: DecodedLogs,
  limiter: ValueLimiter,
): void {
  const end = readEnd(reader);
  const position = recordPosition(scopePosition, recordIndex);
  let traceIdStart = 0;
  let traceIdEnd = 0;
  let spanIdStart = 0;
  let spanIdEnd = 0;
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let severityNumber = 0;
  let severityText = '';
  let eventName = '';
  let body: AttributeValue = null;
  const attributes = emptyAttributes();
  let attributeIndex = 0;
  let at = '';
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      switch (tag) {
        case Tag.recordAttributes:
          at = `attributes[${attributeIndex}]`;
          readKeyValue(reader, buf, attributes, 1, limiter);
          attributeIndex++;
          break;
        case Tag.recordBody:
          at = 'body';
          body = readAnyValue(reader, buf, 1, limiter);
          limiter.record(attributes, LOG_BODY_KEY);
          break;
        case Tag.recordTime:
          timeUnixNano = readFixed64(reader);
          break;
        case Tag.recordObservedTime:
          observedTimeUnixNano = readFixed64(reader);
          break;
        case Tag.recordSeverityNumber:
          severityNumber = reader.int32();
          break;
        case Tag.recordSeverityText:
          severityText = readString(reader, buf);
          break;
        case Tag.recordEventName:
          eventName = readString(reader, buf);
          break;
        case Tag.recordTraceId:
          traceIdStart = skipBytes(reader);
          traceIdEnd = reader.pos;
          break;
        case Tag.recordSpanId:
          spanIdStart = skipBytes(reader);
          spanIdEnd = reader.pos;
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

  const problems: string[] = [];
  const traceIdBytes = traceIdEnd - traceIdStart;
  const spanIdBytes = spanIdEnd - spanIdStart;
  if (traceIdBytes !== 0 && traceIdBytes !== TRACE_ID_BYTES) {
    problems.push(`traceId: expected ${TRACE_ID_BYTES} bytes or none (got ${traceIdBytes})`);
  }
  if (spanIdBytes !== 0 && spanIdBytes !== SPAN_ID_BYTES) {
    problems.push(`spanId: expected ${SPAN_ID_BYTES} bytes or none (got ${spanIdBytes})`);
  }
  addTimeProblems(timeUnixNano, observedTimeUnixNano, problems);
  if (problems.length > 0) {
    out.refused.push({ record: position, reason: problems.join('; ') });
    return;
  }
  out.records.push({
    traceId: optionalHexId(buf, traceIdStart, traceIdEnd),
    spanId: optionalHexId(buf, spanIdStart, spanIdEnd),
    timeUnixNano: timeUnixNano !== 0n ? timeUnixNano : observedTimeUnixNano,
    severityNumber,
    severityText,
    eventName,
    body,
    attributes,
    resource,
    scope,
    position,
  });
}

/** A time beyond 2262 would not fit the store: such a record is refused. */
function addTimeProblems(timeUnixNano: bigint, observedTimeUnixNano: bigint, problems: string[]): void {
  if (timeUnixNano > MAX_UNIX_NANO) problems.push(`timeUnixNano: ${expectedTime()} (got ${timeUnixNano})`);
  if (observedTimeUnixNano > MAX_UNIX_NANO) {
    problems.push(`observedTimeUnixNano: ${expectedTime()} (got ${observedTimeUnixNano})`);
  }
}

/** Lowercase hex of the id bytes, or null when there are none or all are zero. */
function optionalHexId(buf: Buffer, start: number, end: number): string | null {
  return start === end || isAllZero(buf, start, end) ? null : readHex(buf, start, end);
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

const SEVERITY_NUMBER_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['SEVERITY_NUMBER_UNSPECIFIED', 0],
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level, group) =>
    ['', '2', '3', '4'].map((step, offset): [string, number] => [
      `SEVERITY_NUMBER_${level}${step}`,
      group * 4 + offset + 1,
    ]),
  ),
]);

const JSON_LOGS: JsonEnvelope<DecodedLogs> = Object.freeze({ ...LOG_ENVELOPE_NAMES, readItem: readJsonLogRecord });

/**
 * Decodes an OTLP JSON ExportLogsServiceRequest: the text, its UTF-8 bytes, or the parsed value.
 * An empty body or `{}` is an empty export. Accepts what `decodeJsonTraces` accepts (snake_case
 * keys, enum names, int64 as numbers).
 *
 * @throws OtlpDecodeError when the body is not JSON or not shaped like an ExportLogsServiceRequest.
 */
export function decodeJsonLogs(body: unknown, limits: Readonly<DecodeLimits> = DEFAULT_DECODE_LIMITS): DecodedLogs {
  const out: DecodedLogs = { records: [], refused: [] };
  readJsonExport(body, JSON_LOGS, out, new ValueLimiter(limits));
  return out;
}

function readJsonLogRecord(
  value: unknown,
  resource: Attributes,
  scope: DecodedScope,
  scopePosition: string,
  recordIndex: number,
  out: DecodedLogs,
  limiter: ValueLimiter,
): void {
  const position = recordPosition(scopePosition, recordIndex);
  const message = expectObject(value);
  const timeUnixNano = getUint64(message, 'timeUnixNano', 'time_unix_nano');
  const observedTimeUnixNano = getUint64(message, 'observedTimeUnixNano', 'observed_time_unix_nano');
  const severityNumber = getEnum(
    withCamelKey(message, 'severityNumber', 'severity_number'),
    'severityNumber',
    SEVERITY_NUMBER_BY_NAME,
  );
  const severityText = getString(withCamelKey(message, 'severityText', 'severity_text'), 'severityText');
  const eventName = getString(withCamelKey(message, 'eventName', 'event_name'), 'eventName');
  const rawBody = get(message, 'body');
  const attributes = emptyAttributes();
  let body: AttributeValue = null;
  if (rawBody !== undefined) {
    try {
      body = readJsonAnyValue(rawBody, 1, limiter);
    } catch (error) {
      throw withPath(error, 'body');
    }
    limiter.record(attributes, LOG_BODY_KEY);
  }
  readJsonAttributes(getArray(message, 'attributes'), attributes, limiter);

  const problems: string[] = [];
  const traceId = optionalJsonId(get(message, 'traceId', 'trace_id'), 'traceId', TRACE_ID_BYTES * 2, problems);
  const spanId = optionalJsonId(get(message, 'spanId', 'span_id'), 'spanId', SPAN_ID_BYTES * 2, problems);
  addTimeProblems(timeUnixNano, observedTimeUnixNano, problems);
  if (problems.length > 0) {
    out.refused.push({ record: position, reason: problems.join('; ') });
    return;
  }
  out.records.push({
    traceId,
    spanId,
    timeUnixNano: timeUnixNano !== 0n ? timeUnixNano : observedTimeUnixNano,
    severityNumber,
    severityText,
    eventName,
    body,
    attributes,
    resource,
    scope,
    position,
  });
}

/** Lowercase hex id, or null when absent, empty or all zero; a malformed one adds a problem. */
function optionalJsonId(value: unknown, field: string, hexLength: number, problems: string[]): string | null {
  if (value === undefined || value === '') return null;
  const id = jsonHexId(value, hexLength);
  if (id !== undefined) return id;
  if (typeof value === 'string' && value.length === hexLength && ALL_ZERO_PATTERN.test(value)) return null;
  problems.push(`${field}: expected ${hexLength} hex characters or none (got ${describe(value)})`);
  return null;
}

/** The message with `snake` copied to `camel` when only the proto field name was sent. */
function withCamelKey(message: JsonObject, camel: string, snake: string): JsonObject {
  if (message[camel] !== undefined && message[camel] !== null) return message;
  const value = message[snake];
  return value === undefined || value === null ? message : { [camel]: value };
}
