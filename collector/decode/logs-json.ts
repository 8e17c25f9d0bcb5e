/**
 * OTLP/HTTP JSON ExportLogsServiceRequest -> DecodedLogs (the envelope, attributes, resource and
 * scope: otlp-json-common).
 *
 * A body that cannot be read at all throws `OtlpDecodeError` (the whole request is a 400); a
 * readable record with malformed ids or a time past 2262 is put in `refused`, and the rest of the
 * request is kept.
 */
import type { DecodedLogs } from './log-record.js';
import { DEFAULT_DECODE_LIMITS, LOG_BODY_KEY, ValueLimiter, type DecodeLimits } from './value-limits.js';
import { withPath } from './decode-error.js';
import {
  expectObject,
  get,
  getArray,
  getEnum,
  getString,
  getUint64,
  optionalJsonId,
  readJsonAnyValue,
  readJsonAttributes,
  readJsonExport,
  type JsonEnvelope,
  type JsonObject,
} from './otlp-json-common.js';
import { SPAN_ID_BYTES, TRACE_ID_BYTES, type ItemContext } from './otlp-values.js';
import { LOG_ENVELOPE_NAMES, emptyRecord, keepOrRefuse } from './logs-common.js';

const SEVERITY_NUMBER_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['SEVERITY_NUMBER_UNSPECIFIED', 0],
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level, group) =>
    ['', '2', '3', '4'].map((step, offset): [string, number] => [
      `SEVERITY_NUMBER_${level}${step}`,
      group * 4 + offset + 1,
    ]),
  ),
]);

const LOGS: JsonEnvelope<DecodedLogs> = Object.freeze({ ...LOG_ENVELOPE_NAMES, readItem: readJsonLogRecord });

/**
 * Decodes an OTLP JSON ExportLogsServiceRequest: the text, its UTF-8 bytes, or the parsed value.
 * An empty body or `{}` is an empty export. Accepts what `decodeJsonTraces` accepts (snake_case
 * keys, enum names, int64 as numbers).
 *
 * @throws OtlpDecodeError when the body is not JSON or not shaped like an ExportLogsServiceRequest.
 */
export function decodeJsonLogs(body: unknown, limits: Readonly<DecodeLimits> = DEFAULT_DECODE_LIMITS): DecodedLogs {
  const out: DecodedLogs = { records: [], refused: [] };
  readJsonExport(body, LOGS, out, new ValueLimiter(limits));
  return out;
}

function readJsonLogRecord(value: unknown, context: ItemContext, recordIndex: number, out: DecodedLogs): void {
  const { limiter } = context;
  const record = emptyRecord(context, recordIndex);
  const message = expectObject(value);
  record.timeUnixNano = getUint64(message, 'timeUnixNano', 'time_unix_nano');
  const observedTimeUnixNano = getUint64(message, 'observedTimeUnixNano', 'observed_time_unix_nano');
  record.severityNumber = getEnum(
    withCamelKey(message, 'severityNumber', 'severity_number'),
    'severityNumber',
    SEVERITY_NUMBER_BY_NAME,
  );
  record.severityText = getString(withCamelKey(message, 'severityText', 'severity_text'), 'severityText');
  record.eventName = getString(withCamelKey(message, 'eventName', 'event_name'), 'eventName');
  const rawBody = get(message, 'body');
  if (rawBody !== undefined) {
    try {
      record.body = readJsonAnyValue(rawBody, 1, limiter);
    } catch (error) {
      throw withPath(error, 'body');
    }
    limiter.record(record.attributes, LOG_BODY_KEY);
  }
  readJsonAttributes(getArray(message, 'attributes'), record.attributes, limiter);

  const problems: string[] = [];
  record.traceId = optionalJsonId(get(message, 'traceId', 'trace_id'), 'traceId', TRACE_ID_BYTES * 2, problems);
  record.spanId = optionalJsonId(get(message, 'spanId', 'span_id'), 'spanId', SPAN_ID_BYTES * 2, problems);
  keepOrRefuse(out, record, observedTimeUnixNano, problems);
}

/** The message with `snake` copied to `camel` when only the proto field name was sent. */
function withCamelKey(message: JsonObject, camel: string, snake: string): JsonObject {
  if (message[camel] !== undefined && message[camel] !== null) return message;
  const value = message[snake];
  return value === undefined || value === null ? message : { [camel]: value };
}
