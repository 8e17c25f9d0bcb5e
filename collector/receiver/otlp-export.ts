/**
 * The OTLP export services, whatever the transport: a request body in its encoding -> decode ->
 * pipeline -> what the response reports. The HTTP receiver and the gRPC receiver both call these,
 * so the two transports store the same things and refuse the same things.
 */
import type { Pipeline } from '../pipeline.js';
import { decodeJsonTraces, decodeProtobufTraces, OtlpDecodeError } from '../decode/traces.js';
import { decodeJsonLogs, decodeProtobufLogs } from '../decode/logs.js';
import { SpanliteError } from '../errors.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../decode/value-limits.js';
import {
  logsPartialSuccessMessage,
  partialSuccessMessage,
  type ExportOutcome,
  type OtlpEncoding,
  type OtlpSignal,
} from './otlp-response.js';

/**
 * Decodes, ingests and resolves once committed.
 *
 * @throws SpanliteError `undecodableBody` for a body that is not an export of this signal, or
 *   what the pipeline rejects with (`overloaded`, `storeUnavailable`, ...).
 */
export type OtlpExportService = (projectId: string, encoding: OtlpEncoding, body: Buffer) => Promise<ExportOutcome>;

export function createExportServices(
  pipeline: Pipeline,
  limits: Readonly<DecodeLimits> = DEFAULT_DECODE_LIMITS,
  /** Wall clock in ms: the start of spans sent without times. */
  now: () => number = Date.now,
): Record<OtlpSignal, OtlpExportService> {
  return {
    async traces(projectId, encoding, body) {
      const receivedAt = BigInt(now()) * 1_000_000n;
      const decoded = decoding(encoding, () =>
        encoding === 'protobuf'
          ? decodeProtobufTraces(body, limits, receivedAt)
          : decodeJsonTraces(body, limits, receivedAt),
      );
      const { acceptedSpans, refused } = await pipeline.ingest(projectId, decoded);
      return { accepted: acceptedSpans, rejected: refused.length, errorMessage: partialSuccessMessage(refused) };
    },
    async logs(projectId, encoding, body) {
      const decoded = decoding(encoding, () =>
        encoding === 'protobuf' ? decodeProtobufLogs(body, limits) : decodeJsonLogs(body, limits),
      );
      const { acceptedLogRecords, refused } = await pipeline.ingestLogs(projectId, decoded);
      return {
        accepted: acceptedLogRecords,
        rejected: refused.length,
        errorMessage: logsPartialSuccessMessage(refused),
      };
    },
  };
}

function decoding<T>(encoding: OtlpEncoding, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof OtlpDecodeError) {
      throw new SpanliteError('undecodableBody', `invalid OTLP ${encoding} body: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
