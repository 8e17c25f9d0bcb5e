/**
 * OTLP responses: Export{Trace,Logs}ServiceResponse on success (with partial_success when items
 * were refused), google.rpc.Status on failure; each in the encoding of the request. The gRPC
 * receiver sends the same protobuf messages, and the Status in its error details.
 * https://opentelemetry.io/docs/specs/otlp/#otlphttp-response
 */
import protobuf from 'protobufjs/minimal.js';
import type { RefusedSpan } from '../decode/span.js';
import type { RefusedLogRecord } from '../decode/log-record.js';

export type OtlpEncoding = 'protobuf' | 'json';

/** The OTLP signals spanlite receives. */
export type OtlpSignal = 'traces' | 'logs';

export const OTLP_CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** What an export response reports: how many items were refused, and which and why. */
export interface ExportOutcome {
  /** Items stored. */
  accepted: number;
  /** Items refused (partial success); 0 when everything was stored. */
  rejected: number;
  /** Names each refused item and why; '' when none was. */
  errorMessage: string;
}

/** The partial-success count field of each signal's response, in JSON. */
const REJECTED_JSON_KEY: Record<OtlpSignal, string> = { traces: 'rejectedSpans', logs: 'rejectedLogRecords' };

/** Refusals beyond this many are summarised, so the message stays readable and bounded. */
const MAX_LISTED_REFUSALS = 20;

function listRefusals<T>(refused: readonly T[], describe: (refusal: T) => string): string {
  const listed = refused.slice(0, MAX_LISTED_REFUSALS).map(describe);
  const more = refused.length - listed.length;
  return listed.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

export function partialSuccessMessage(refused: readonly RefusedSpan[]): string {
  return listRefusals(refused, (r) => `span ${r.span}: ${r.reason}`);
}

export function logsPartialSuccessMessage(refused: readonly RefusedLogRecord[]): string {
  return listRefusals(refused, (r) => `log record ${r.record}: ${r.reason}`);
}

/**
 * Export{Trace,Logs}ServiceResponse { 1: partial_success { 1: rejected int64, 2: error_message } };
 * the two signals share the field numbers.
 */
export function exportResponse(encoding: OtlpEncoding, signal: OtlpSignal, outcome: ExportOutcome): Buffer | string {
  if (encoding === 'json') {
    if (outcome.rejected === 0) return '{}';
    return JSON.stringify({
      partialSuccess: { [REJECTED_JSON_KEY[signal]]: String(outcome.rejected), errorMessage: outcome.errorMessage },
    });
  }
  return protobufExportResponse(outcome);
}

export function protobufExportResponse(outcome: ExportOutcome): Buffer {
  if (outcome.rejected === 0) return Buffer.alloc(0);
  const writer = protobuf.Writer.create();
  writer.uint32((1 << 3) | 2).fork();
  writer.uint32((1 << 3) | 0).int64(outcome.rejected);
  writer.uint32((2 << 3) | 2).string(outcome.errorMessage);
  writer.ldelim();
  return Buffer.from(writer.finish());
}

/** gRPC status codes used in the Status body (the HTTP status carries the meaning for OTLP/HTTP). */
const GRPC_CODE_BY_HTTP: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  413: 8, // RESOURCE_EXHAUSTED
  415: 3,
  429: 8,
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};

/** The gRPC status code for an error with this HTTP status (UNKNOWN for any other). */
export function grpcStatusCode(httpStatus: number): number {
  return GRPC_CODE_BY_HTTP[httpStatus] ?? 2; // UNKNOWN
}

/** google.rpc.Status { 1: code int32, 2: message string } */
export function statusResponse(encoding: OtlpEncoding, httpStatus: number, message: string): Buffer | string {
  const code = grpcStatusCode(httpStatus);
  if (encoding === 'json') return JSON.stringify({ code, message });
  return grpcStatusDetails(code, message, undefined);
}

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * google.rpc.Status { 1: code, 2: message, 3: details: Any { 1: type_url, 2: value } }, with a
 * google.rpc.RetryInfo { 1: retry_delay: Duration { 1: seconds } } detail when the client should
 * retry after a delay: what a gRPC server sends in the `grpc-status-details-bin` trailer, and how
 * OTLP/gRPC says "retry later". https://opentelemetry.io/docs/specs/otlp/#otlpgrpc-throttling
 */
export function grpcStatusDetails(code: number, message: string, retryAfterSeconds: number | undefined): Buffer {
  const writer = protobuf.Writer.create();
  writer.uint32((1 << 3) | 0).int32(code);
  writer.uint32((2 << 3) | 2).string(message);
  if (retryAfterSeconds !== undefined) {
    writer.uint32((3 << 3) | 2).fork(); // details[0]: Any
    writer.uint32((1 << 3) | 2).string(RETRY_INFO_TYPE_URL);
    writer.uint32((2 << 3) | 2).fork(); // value: RetryInfo
    writer.uint32((1 << 3) | 2).fork(); // retry_delay: Duration
    writer.uint32((1 << 3) | 0).int64(retryAfterSeconds);
    writer.ldelim().ldelim().ldelim();
  }
  return Buffer.from(writer.finish());
}
