/**
 * OTLP/HTTP receiver for traces and logs: content type, bounded (de)compression, then the export
 * service of the signal (decode, ingest), then the OTLP response. Registered in its own Fastify
 * context so its raw-body parsing does not touch the REST API.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { Pipeline } from '../pipeline.js';
import { SpanliteError } from '../errors.js';
import { readBoundedBody } from './request-body.js';
import { createExportServices } from './otlp-export.js';
import { decodeLimits } from '../decode/value-limits.js';
import type { Admission } from './admission.js';
import {
  exportResponse,
  OTLP_CONTENT_TYPES,
  statusResponse,
  type OtlpEncoding,
  type OtlpSignal,
} from './otlp-response.js';

export const OTLP_TRACES_PATHS = ['/v1/traces', '/api/public/otel/v1/traces'] as const;
export const OTLP_LOGS_PATHS = ['/v1/logs', '/api/public/otel/v1/logs'] as const;

const PATHS_BY_SIGNAL: Record<OtlpSignal, readonly string[]> = { traces: OTLP_TRACES_PATHS, logs: OTLP_LOGS_PATHS };

export interface ReceiverOptions {
  pipeline: Pipeline;
  /** Limit on the body, on the wire and after decompression. */
  maxBodyBytes: number;
  /** Largest attribute value before truncation (SPANLITE_MAX_ATTRIBUTE_BYTES); default 1 MiB. */
  maxAttributeBytes?: number;
  /** Load shedding shared with the gRPC receiver; none: every export is admitted. */
  admission?: Admission;
  /** The project a request writes to. */
  projectOf: (request: FastifyRequest) => string;
}

export async function otlpReceiver(app: FastifyInstance, options: ReceiverOptions): Promise<void> {
  // Hand the raw stream to the handler: it decides the content type, limits and decompression.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.setErrorHandler((error, request, reply) => sendOtlpError(request, reply, error));

  const services = createExportServices(options.pipeline, decodeLimits(options.maxAttributeBytes));
  for (const signal of ['traces', 'logs'] as const) {
    const service = services[signal];
    for (const url of PATHS_BY_SIGNAL[signal]) {
      app.post(url, async (request, reply) => {
        const encoding = otlpEncodingOf(request.headers['content-type']);
        const stream = request.body as Readable;
        const end = options.admission?.enter(); // a refused body is left unread (Node discards it)
        try {
          const body = await readBoundedBody(stream, request.headers['content-encoding'], options.maxBodyBytes);
          const outcome = await service(options.projectOf(request), encoding, body);
          if (outcome.rejected > 0) {
            const counts = { signal, refused: outcome.rejected, accepted: outcome.accepted };
            request.log.warn(counts, `${signal}: items refused`);
          }
          return reply
            .code(200)
            .type(OTLP_CONTENT_TYPES[encoding])
            .send(exportResponse(encoding, signal, outcome));
        } finally {
          end?.();
        }
      });
    }
  }
}

export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  throw new SpanliteError(
    'unsupportedMediaType',
    `Content-Type "${contentType ?? ''}" is not supported: send application/x-protobuf or application/json`,
  );
}

function sendOtlpError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  let encoding: OtlpEncoding;
  try {
    encoding = otlpEncodingOf(request.headers['content-type']);
  } catch {
    encoding = 'json';
  }
  const known = error instanceof SpanliteError ? error : fromFastifyError(error);
  // A retryable refusal (the database unreachable, load shed) is one line each, not a stack.
  if (known.kind.retryable) request.log.warn({ code: known.code }, `OTLP export refused for now: ${known.message}`);
  else if (known.httpStatus >= 500) request.log.error({ err: error }, 'OTLP export failed');
  else request.log.info({ code: known.code, message: known.message }, 'OTLP export rejected');
  if (known.retryAfterSeconds !== undefined) reply.header('retry-after', String(known.retryAfterSeconds));
  return reply
    .code(known.httpStatus)
    .type(OTLP_CONTENT_TYPES[encoding])
    .send(statusResponse(encoding, known.httpStatus, known.message));
}

/** Errors Fastify raises itself (before our handler runs) in catalog terms. */
export function fromFastifyError(error: unknown): SpanliteError {
  const status = (error as { statusCode?: number }).statusCode;
  const message = (error as Error).message ?? String(error);
  if (status === 413) return new SpanliteError('payloadTooLarge', message, { cause: error });
  if (status === 415) return new SpanliteError('unsupportedMediaType', message, { cause: error });
  if (status !== undefined && status >= 400 && status < 500) {
    return new SpanliteError('undecodableBody', message, { cause: error });
  }
  return new SpanliteError('internal', `internal error: ${message}`, { cause: error });
}
