/**
 * OTLP/HTTP JSON ExportTraceServiceRequest -> DecodedTraces (the envelope, attributes, resource and
 * scope: otlp-json-common).
 *
 * A body that cannot be read at all throws `OtlpDecodeError` (the whole request is a 400); a
 * readable span with unusable ids, an unknown status code or a time past 2262 is put in `refused`,
 * and the rest of the request is kept.
 */
import type { Attributes, DecodedEvent, DecodedTraces } from './span.js';
import { DEFAULT_DECODE_LIMITS, ValueLimiter, type DecodeLimits } from './value-limits.js';
import { describe, withPath } from './decode-error.js';
import {
  ALL_ZERO_PATTERN,
  expectObject,
  get,
  getArray,
  getEnum,
  getObject,
  getString,
  getUint64,
  jsonHexId,
  readJsonAttributes,
  readJsonExport,
  type JsonEnvelope,
} from './otlp-json-common.js';
import { SPAN_ID_BYTES, TRACE_ID_BYTES, emptyAttributes, type DecodedScope } from './otlp-values.js';
import { TRACE_ENVELOPE_NAMES, addTimeProblems, isStatusCode, normaliseTimes, spanPosition } from './traces-common.js';

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
  const out: DecodedTraces = { spans: [], refused: [] };
  readJsonExport(body, TRACES, out, new ValueLimiter(limits));
  normaliseTimes(out.spans, receivedAtUnixNano);
  return out;
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
  scope: DecodedScope,
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
