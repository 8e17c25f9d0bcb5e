/**
 * OTLP ExportLogsServiceRequest -> DecodedLogs, for both OTLP encodings.
 *
 * Same approach and failure model as `decode.ts` (whose readers for AnyValue, KeyValue, Resource
 * and InstrumentationScope this reuses): protobufjs's `Reader` over the OTLP field numbers of
 * opentelemetry/proto/{collector/logs,logs}/v1, no generated classes. A body that cannot be read
 * throws `OtlpDecodeError`; a readable record with malformed ids is put in `refused`.
 *
 * Unlike spans, trace and span ids are optional on a log record: absent, empty or all-zero ids
 * decode to null (what to do with such records is the mapping's decision, not the decoder's).
 */
import { Buffer } from 'node:buffer';
import protobuf from 'protobufjs/minimal.js';
import type { Reader } from 'protobufjs/minimal.js';
import type { AttributeValue, Attributes } from './span.js';
import type { DecodedLogRecord, DecodedLogs } from './log-record.js';
import { MAX_UNIX_NANO } from './span.js';
import { DEFAULT_DECODE_LIMITS, LOG_BODY_KEY, ValueLimiter, type DecodeLimits } from './value-limits.js';
import {
  ALL_ZERO_PATTERN,
  BLANK_PATTERN,
  OtlpDecodeError,
  SPAN_ID_BYTES,
  TRACE_ID_BYTES,
  describe,
  emptyAttributes,
  expectedTime,
  expectEnd,
  expectObject,
  get,
  getArray,
  getEnum,
  getObject,
  getString,
  getUint64,
  isAllZero,
  isJsonObject,
  jsonHexId,
  readAnyValue,
  readEnd,
  readFixed64,
  readHex,
  readJsonAnyValue,
  readJsonAttributes,
  readKeyValue,
  readResource,
  readScope,
  readString,
  skipField,
  withPath,
  type JsonObject,
} from './decode.js';

type Scope = DecodedLogRecord['scope'];

/** Tags (field number << 3 | wire type); a known number with another wire type is skipped. */
const Tag = Object.freeze({
  // ExportLogsServiceRequest
  requestResourceLogs: (1 << 3) | 2,
  // ResourceLogs
  resourceLogsResource: (1 << 3) | 2,
  resourceLogsScopeLogs: (2 << 3) | 2,
  // ScopeLogs
  scopeLogsScope: (1 << 3) | 2,
  scopeLogsLogRecords: (2 << 3) | 2,
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

function recordPosition(resourceIndex: number, scopeIndex: number, recordIndex: number): string {
  return `resourceLogs[${resourceIndex}].scopeLogs[${scopeIndex}].logRecords[${recordIndex}]`;
}

function emptyScope(): Scope {
  return { name: '', version: '', attributes: emptyAttributes() };
}

// ---------------------------------------------------------------------------------------------
// Protobuf
// ---------------------------------------------------------------------------------------------

/**
 * Decodes an OTLP protobuf ExportLogsServiceRequest. An empty body is an empty export.
 *
 * @throws OtlpDecodeError when the bytes are not an ExportLogsServiceRequest.
 */
export function decodeProtobufLogs(body: Uint8Array, limits: Readonly<DecodeLimits> = DEFAULT_DECODE_LIMITS): DecodedLogs {
  if (!(body instanceof Uint8Array)) {
    throw new OtlpDecodeError('', `expected protobuf bytes (got ${describe(body)})`);
  }
  const out: DecodedLogs = { records: [], refused: [] };
  const limiter = new ValueLimiter(limits);
  let resourceIndex = 0;
  let at = '';
  try {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const reader = protobuf.Reader.create(buf);
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag === Tag.requestResourceLogs) {
        at = `resourceLogs[${resourceIndex}]`;
        readResourceLogs(reader, buf, resourceIndex, out, limiter);
        resourceIndex++;
      } else {
        skipField(reader, tag);
      }
      at = '';
    }
  } catch (error) {
    throw withPath(error, at);
  }
  return out;
}

function readResourceLogs(
  reader: Reader,
  buf: Buffer,
  resourceIndex: number,
  out: DecodedLogs,
  limiter: ValueLimiter,
): void {
  const end = readEnd(reader);
  // Filled in place, so a `resource` sent after `scope_logs` still reaches every record.
  const resource = emptyAttributes();
  let scopeIndex = 0;
  let at = '';
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === Tag.resourceLogsScopeLogs) {
        at = `scopeLogs[${scopeIndex}]`;
        readScopeLogs(reader, buf, resource, resourceIndex, scopeIndex, out, limiter);
        scopeIndex++;
      } else if (tag === Tag.resourceLogsResource) {
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

function readScopeLogs(
  reader: Reader,
  buf: Buffer,
  resource: Attributes,
  resourceIndex: number,
  scopeIndex: number,
  out: DecodedLogs,
  limiter: ValueLimiter,
): void {
  const end = readEnd(reader);
  const scope = emptyScope();
  let recordIndex = 0;
  let at = '';
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === Tag.scopeLogsLogRecords) {
        at = `logRecords[${recordIndex}]`;
        readLogRecord(reader, buf, resource, scope, recordPosition(resourceIndex, scopeIndex, recordIndex), out, limiter);
        recordIndex++;
      } else if (tag === Tag.scopeLogsScope) {
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

function readLogRecord(
  reader: Reader,
  buf: Buffer,
  resource: Attributes,
  scope: Scope,
  position: string,
  out: DecodedLogs,
  limiter: ValueLimiter,
): void {
  const end = readEnd(reader);
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
          traceIdEnd = readEnd(reader);
          traceIdStart = reader.pos;
          reader.pos = traceIdEnd;
          break;
        case Tag.recordSpanId:
          spanIdEnd = readEnd(reader);
          spanIdStart = reader.pos;
          reader.pos = spanIdEnd;
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

/**
 * Decodes an OTLP JSON ExportLogsServiceRequest: the text, its UTF-8 bytes, or the parsed value.
 * An empty body or `{}` is an empty export. Accepts what `decodeJsonTraces` accepts (snake_case
 * keys, enum names, int64 as numbers).
 *
 * @throws OtlpDecodeError when the body is not JSON or not shaped like an ExportLogsServiceRequest.
 */
export function decodeJsonLogs(body: unknown, limits: Readonly<DecodeLimits> = DEFAULT_DECODE_LIMITS): DecodedLogs {
  let request = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string'
      ? body
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    if (BLANK_PATTERN.test(text)) return { records: [], refused: [] };
    try {
      request = JSON.parse(text);
    } catch (error) {
      throw new OtlpDecodeError('', `invalid JSON (${(error as Error).message})`, { cause: error });
    }
  }
  if (!isJsonObject(request)) {
    throw new OtlpDecodeError('', `expected an ExportLogsServiceRequest object (got ${describe(request)})`);
  }
  const out: DecodedLogs = { records: [], refused: [] };
  const limiter = new ValueLimiter(limits);
  try {
    const resourceLogsList = getArray(request, 'resourceLogs', 'resource_logs');
    for (let i = 0; i < resourceLogsList.length; i++) {
      try {
        readJsonResourceLogs(resourceLogsList[i], i, out, limiter);
      } catch (error) {
        throw withPath(error, `resourceLogs[${i}]`);
      }
    }
  } catch (error) {
    throw withPath(error, '');
  }
  return out;
}

function readJsonResourceLogs(value: unknown, resourceIndex: number, out: DecodedLogs, limiter: ValueLimiter): void {
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
  const scopeLogsList = getArray(message, 'scopeLogs', 'scope_logs');
  for (let j = 0; j < scopeLogsList.length; j++) {
    try {
      readJsonScopeLogs(scopeLogsList[j], resource, resourceIndex, j, out, limiter);
    } catch (error) {
      throw withPath(error, `scopeLogs[${j}]`);
    }
  }
}

function readJsonScopeLogs(
  value: unknown,
  resource: Attributes,
  resourceIndex: number,
  scopeIndex: number,
  out: DecodedLogs,
  limiter: ValueLimiter,
): void {
  const message = expectObject(value);
  const scope = emptyScope();
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
  const records = getArray(message, 'logRecords', 'log_records');
  for (let k = 0; k < records.length; k++) {
    try {
      readJsonLogRecord(records[k], resource, scope, recordPosition(resourceIndex, scopeIndex, k), out, limiter);
    } catch (error) {
      throw withPath(error, `logRecords[${k}]`);
    }
  }
}

function readJsonLogRecord(
  value: unknown,
  resource: Attributes,
  scope: Scope,
  position: string,
  out: DecodedLogs,
  limiter: ValueLimiter,
): void {
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
