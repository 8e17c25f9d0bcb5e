/**
 * OTLP/HTTP JSON ExportTraceServiceRequest -> DecodedTraces (the envelope, attributes, resource and
 * scope: otlp-json-common).
 *
 * A body that cannot be read at all throws `OtlpDecodeError` (the whole request is a 400); a
 * readable span with unusable ids, an unknown status code or a time past 2262 is put in `refused`,
 * and the rest of the request is kept.
 */
import type { DecodedEvent, DecodedTraces } from './span.js';
import { DEFAULT_DECODE_LIMITS, ValueLimiter, type DecodeLimits } from './value-limits.js';
import { describe, withPath } from './decode-error.js';
import {
  expectObject,
  get,
  getArray,
  getEnum,
  getObject,
  getString,
  getUint64,
  optionalJsonId,
  isAllZeroHex,
  jsonHexId,
  readJsonAttributes,
  readJsonExport,
  type JsonEnvelope,
} from './otlp-json-common.js';
import { SPAN_ID_BYTES, TRACE_ID_BYTES, emptyAttributes, type ItemContext } from './otlp-values.js';
import { TRACE_ENVELOPE_NAMES, decodeTraces, emptySpan, keepOrRefuse } from './traces-common.js';

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

const TRACES: JsonEnvelope<DecodedTraces> = Object.freeze({ ...TRACE_ENVELOPE_NAMES, readItem: readJsonSpan });

/**
 * Decodes an OTLP/HTTP JSON body (`application/json`): the text, its UTF-8 bytes, or the value
 * `JSON.parse` already produced. An empty body or `{}` is an empty export.
 *
 * Ids are hex (any case; output lowercase). int64 fields may be decimal strings or numbers, enums
 * integers or their names, keys lowerCamelCase or the proto field names. `limits` and
 * `receivedAtUnixNano` as for decodeProtobufTraces; spans share resource and scope objects as there.
 *
 * @throws OtlpDecodeError when the body is not JSON or not shaped like an ExportTraceServiceRequest.
 */
export function decodeJsonTraces(
  body: unknown,
  limits: Readonly<DecodeLimits> = DEFAULT_DECODE_LIMITS,
  receivedAtUnixNano?: bigint,
): DecodedTraces {
  return decodeTraces((out) => readJsonExport(body, TRACES, out, new ValueLimiter(limits)), receivedAtUnixNano);
}

/** A span's id: lowercase hex, or '' when it is unusable, with a problem naming `field`. */
function requiredJsonId(value: unknown, field: string, hexLength: number, problems: string[]): string {
  const id = jsonHexId(value, hexLength);
  if (id !== undefined) return id;
  if (isAllZeroHex(value, hexLength)) problems.push(`${field}: expected a non-zero id (got all zeros)`);
  else problems.push(`${field}: expected ${hexLength} hex characters (got ${describe(value)})`);
  return '';
}

function readJsonSpan(value: unknown, context: ItemContext, spanIndex: number, out: DecodedTraces): void {
  const { limiter } = context;
  const message = expectObject(value);
  const span = emptySpan(context);
  span.name = getString(message, 'name');
  span.kind = getEnum(message, 'kind', SPAN_KIND_BY_NAME);
  span.startTimeUnixNano = getUint64(message, 'startTimeUnixNano', 'start_time_unix_nano');
  span.endTimeUnixNano = getUint64(message, 'endTimeUnixNano', 'end_time_unix_nano');
  readJsonAttributes(getArray(message, 'attributes'), span.attributes, limiter);
  span.events = readJsonEvents(getArray(message, 'events'), limiter);
  const statusMessage = getObject(message, 'status');
  let statusCode = 0;
  if (statusMessage !== undefined) {
    try {
      statusCode = getEnum(statusMessage, 'code', STATUS_CODE_BY_NAME);
      span.status.message = getString(statusMessage, 'message');
    } catch (error) {
      throw withPath(error, 'status');
    }
  }

  const problems: string[] = [];
  span.traceId = requiredJsonId(get(message, 'traceId', 'trace_id'), 'traceId', TRACE_ID_BYTES * 2, problems);
  span.spanId = requiredJsonId(get(message, 'spanId', 'span_id'), 'spanId', SPAN_ID_BYTES * 2, problems);
  const parentSpanId = get(message, 'parentSpanId', 'parent_span_id');
  span.parentSpanId = optionalJsonId(parentSpanId, 'parentSpanId', SPAN_ID_BYTES * 2, problems);
  keepOrRefuse(out, span, statusCode, problems, context, spanIndex);
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
