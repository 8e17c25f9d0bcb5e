/**
 * OTLP ExportTraceServiceRequest -> DecodedTraces, for both OTLP/HTTP encodings; the entry the
 * receivers and tests import. The decoders live in decode/:
 * - traces-protobuf.ts and traces-json.ts, one per encoding, over traces-common.ts;
 * - otlp-protobuf-common.ts and otlp-json-common.ts, the readers every signal shares (envelope,
 *   AnyValue, KeyValue, Resource, InstrumentationScope), also used by the log decoders (decode/logs.ts);
 * - otlp-values.ts (ids, depth limit, attribute keys) and decode-error.ts (`OtlpDecodeError`).
 *
 * Two kinds of failure:
 * - a body that cannot be read at all throws `OtlpDecodeError` (the whole request is a 400);
 * - a readable span with unusable ids or an unknown status code is put in `refused`, and the
 *   rest of the request is kept.
 */
export { OtlpDecodeError } from './decode-error.js';
export { decodeProtobufTraces } from './traces-protobuf.js';
export { decodeJsonTraces } from './traces-json.js';
