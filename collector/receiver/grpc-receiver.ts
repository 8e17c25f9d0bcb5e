/**
 * OTLP/gRPC receiver: `TraceService/Export` and `LogsService/Export` on one grpc-js server, with
 * hand-written method definitions that pass the raw request bytes to the same export services
 * as the HTTP receiver (no .proto loading, no generated classes).
 *
 * - gzip / deflate requests (`grpc-encoding`) are decompressed by grpc-js itself, and the message
 *   limit applies to the decompressed size too (RESOURCE_EXHAUSTED beyond it).
 * - Status codes follow https://opentelemetry.io/docs/specs/otlp/#failures : INVALID_ARGUMENT for
 *   a message that is not an export (not retryable); UNAVAILABLE with a RetryInfo delay when the
 *   write queue is full or the store is down (retryable); partial success in the response.
 * - Keys come in the call metadata (`authorization`, `x-api-key`), checked as over HTTP:
 *   UNAUTHENTICATED without a valid one, RESOURCE_EXHAUSTED with RetryInfo over the rate limit.
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Pipeline } from '../pipeline.js';
import { SpanliteError } from '../errors.js';
import { createExportServices, type OtlpExportService } from './otlp-export.js';
import { decodeLimits } from '../decode/value-limits.js';
import type { Admission } from './admission.js';
import type { HeaderLookup } from '../auth/credentials.js';
import { grpcStatusCode, grpcStatusDetails, protobufExportResponse, type OtlpSignal } from './otlp-response.js';

export const OTLP_GRPC_METHODS: Record<OtlpSignal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

export interface GrpcReceiverOptions {
  pipeline: Pipeline;
  /** Largest request message, after decompression too. */
  maxMessageBytes: number;
  /** Largest attribute value before truncation (SPANLITE_MAX_ATTRIBUTE_BYTES); default 1 MiB. */
  maxAttributeBytes?: number;
  /** Load shedding shared with the HTTP receiver; none: every export is admitted. */
  admission?: Admission;
  /**
   * The project a call writes to, from its metadata (`authorization`, `x-api-key`).
   *
   * @throws SpanliteError `unauthenticated` (UNAUTHENTICATED) or `rateLimited` (RESOURCE_EXHAUSTED with RetryInfo).
   */
  projectOf: (header: HeaderLookup) => Promise<string>;
  logger: Pick<Logger, 'warn' | 'error' | 'info'>;
}

const passBytes = (bytes: Buffer): Buffer => bytes;

/** One unary method whose request and response stay bytes: decoding is the export service's job. */
function rawUnaryMethod(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: passBytes,
    requestDeserialize: passBytes,
    responseSerialize: passBytes,
    responseDeserialize: passBytes,
  };
}

/** A grpc-js server with both OTLP services; not bound yet (see `listenGrpc`). */
export function buildGrpcServer(options: GrpcReceiverOptions): grpc.Server {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
  });
  const services = createExportServices(options.pipeline, decodeLimits(options.maxAttributeBytes));
  for (const signal of ['traces', 'logs'] as const) {
    server.addService(
      { Export: rawUnaryMethod(OTLP_GRPC_METHODS[signal]) },
      { Export: exportHandler(signal, services[signal], options) },
    );
  }
  return server;
}

function exportHandler(
  signal: OtlpSignal,
  service: OtlpExportService,
  options: GrpcReceiverOptions,
): grpc.handleUnaryCall<Buffer, Buffer> {
  async function exportCall(metadata: grpc.Metadata, request: Buffer): Promise<Buffer> {
    const projectId = await options.projectOf((name) => firstMetadataString(metadata, name));
    const end = options.admission?.enter();
    try {
      const outcome = await service(projectId, 'protobuf', request);
      if (outcome.rejected > 0) {
        const counts = { signal, refused: outcome.rejected, accepted: outcome.accepted };
        options.logger.warn(counts, `${signal}: items refused`);
      }
      return protobufExportResponse(outcome);
    } finally {
      end?.();
    }
  }
  return (call, callback) => {
    exportCall(call.metadata, call.request).then(
      (response) => callback(null, response),
      (error: unknown) => {
        const status = grpcErrorFor(error);
        if (status.code === grpc.status.INTERNAL) options.logger.error({ err: error }, 'OTLP/gRPC export failed');
        else options.logger.info({ code: status.code, message: status.details }, 'OTLP/gRPC export rejected');
        callback(status);
      },
    );
  };
}

function firstMetadataString(metadata: grpc.Metadata, name: string): string | undefined {
  const value = metadata.get(name)[0];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The gRPC status for an error from the export service: the catalog's HTTP status mapped to its
 * gRPC code, and for retryable errors a `grpc-status-details-bin` trailer with RetryInfo.
 */
export function grpcErrorFor(error: unknown): grpc.ServerErrorResponse & { code: grpc.status; details: string } {
  const known = error instanceof SpanliteError
    ? error
    : new SpanliteError('internal', `internal error: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  const code = grpcStatusCode(known.httpStatus) as grpc.status;
  const metadata = new grpc.Metadata();
  if (known.retryAfterSeconds !== undefined) {
    metadata.set('grpc-status-details-bin', grpcStatusDetails(code, known.message, known.retryAfterSeconds));
  }
  return Object.assign(new Error(known.message), { code, details: known.message, metadata });
}

/** Binds `host:port` (0 picks a free port) and resolves with the port bound. */
export function listenGrpc(server: grpc.Server, host: string, port: number): Promise<number> {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) reject(error);
      else resolve(boundPort);
    });
  });
}

/**
 * Stops accepting calls and resolves once the calls in flight have answered (they wait for their
 * commit); after `graceMs`, remaining connections are cut. Safe to call once per server.
 */
export function closeGrpcServer(server: grpc.Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    timer.unref();
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
