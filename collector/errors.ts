/**
 * The one error catalog. Each error has a stable code, an HTTP status and whether a client should
 * retry. The receiver maps these to OTLP responses; the REST API to `{ error, code, message }`.
 */
export interface ErrorKind {
  code: string;
  httpStatus: number;
  retryable: boolean;
}

export const ERROR_KINDS = {
  undecodableBody: { code: 'undecodable_body', httpStatus: 400, retryable: false },
  invalidParameter: { code: 'invalid_parameter', httpStatus: 400, retryable: false },
  /** No credentials, malformed ones, or a key that is unknown, revoked or has the wrong secret. */
  unauthenticated: { code: 'unauthenticated', httpStatus: 401, retryable: false },
  notFound: { code: 'not_found', httpStatus: 404, retryable: false },
  /** The request would run alongside one of its kind still running (a repricing of the same project). */
  conflict: { code: 'conflict', httpStatus: 409, retryable: false },
  payloadTooLarge: { code: 'payload_too_large', httpStatus: 413, retryable: false },
  unsupportedMediaType: { code: 'unsupported_media_type', httpStatus: 415, retryable: false },
  unsupportedEncoding: { code: 'unsupported_encoding', httpStatus: 415, retryable: false },
  /** The key's requests per minute (SPANLITE_RATE_LIMIT_PER_MINUTE) are used up; Retry-After says when one is free. */
  rateLimited: { code: 'rate_limited', httpStatus: 429, retryable: true },
  overloaded: { code: 'overloaded', httpStatus: 503, retryable: true },
  storeUnavailable: { code: 'store_unavailable', httpStatus: 503, retryable: true },
  shuttingDown: { code: 'shutting_down', httpStatus: 503, retryable: true },
  internal: { code: 'internal', httpStatus: 500, retryable: false },
} as const satisfies Record<string, ErrorKind>;

export type ErrorKindName = keyof typeof ERROR_KINDS;

export class SpanliteError extends Error {
  readonly kind: ErrorKind;
  /** Seconds a client should wait before retrying (sent as Retry-After); only for retryable kinds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ErrorKindName, message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SpanliteError';
    this.kind = ERROR_KINDS[kind];
    this.retryAfterSeconds = this.kind.retryable ? (options.retryAfterSeconds ?? 1) : undefined;
  }

  get code(): string {
    return this.kind.code;
  }

  get httpStatus(): number {
    return this.kind.httpStatus;
  }
}
