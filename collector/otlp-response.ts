/**
 * OTLP/HTTP responses: ExportTraceServiceResponse on success (with partial_success when spans
 * were refused), google.rpc.Status on failure; each in the encoding of the request.
 * https://opentelemetry.io/docs/specs/otlp/#otlphttp-response
 */
import protobuf from 'protobufjs/minimal.js';
import type { RefusedSpan } from './span.js';

export type OtlpEncoding = 'protobuf' | 'json';

export const OTLP_CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** Refusals beyond this many are summarised, so the message stays readable and bounded. */
const MAX_LISTED_REFUSALS = 20;

export function partialSuccessMessage(refused: readonly RefusedSpan[]): string {
  const listed = refused.slice(0, MAX_LISTED_REFUSALS).map((r) => `span ${r.span}: ${r.reason}`);
  const more = refused.length - listed.length;
  return listed.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** ExportTraceServiceResponse { 1: ExportTracePartialSuccess { 1: rejected_spans int64, 2: error_message } } */
export function exportResponse(encoding: OtlpEncoding, refused: readonly RefusedSpan[]): Buffer | string {
  if (refused.length === 0) return encoding === 'json' ? '{}' : Buffer.alloc(0);
  const message = partialSuccessMessage(refused);
  if (encoding === 'json') {
    return JSON.stringify({ partialSuccess: { rejectedSpans: String(refused.length), errorMessage: message } });
  }
  const writer = protobuf.Writer.create();
  writer.uint32((1 << 3) | 2).fork();
  writer.uint32((1 << 3) | 0).int64(refused.length);
  writer.uint32((2 << 3) | 2).string(message);
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

/** google.rpc.Status { 1: code int32, 2: message string } */
export function statusResponse(encoding: OtlpEncoding, httpStatus: number, message: string): Buffer | string {
  const code = GRPC_CODE_BY_HTTP[httpStatus] ?? 2; // UNKNOWN
  if (encoding === 'json') return JSON.stringify({ code, message });
  const writer = protobuf.Writer.create();
  writer.uint32((1 << 3) | 0).int32(code);
  writer.uint32((2 << 3) | 2).string(message);
  return Buffer.from(writer.finish());
}
