/**
 * OTLP ExportLogsServiceRequest -> DecodedLogs, for both OTLP/HTTP encodings; the entry the
 * receivers and tests import. Laid out as the trace decoders are (decode/traces.ts):
 * logs-protobuf.ts and logs-json.ts, one per encoding, over logs-common.ts and the readers every
 * signal shares (otlp-protobuf-common.ts, otlp-json-common.ts).
 *
 * Two kinds of failure, as for spans:
 * - a body that cannot be read at all throws `OtlpDecodeError` (the whole request is a 400);
 * - a readable record with malformed ids or a time past 2262 is put in `refused`, and the rest of
 *   the request is kept.
 *
 * Unlike spans, trace and span ids are optional on a log record: absent, empty or all-zero ids
 * decode to null (what to do with such records is the mapping's decision, not the decoder's).
 */
export { decodeProtobufLogs } from './logs-protobuf.js';
export { decodeJsonLogs } from './logs-json.js';
