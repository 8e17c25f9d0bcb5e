/**
 * The one error the OTLP decoders throw, with the path in the request where reading failed.
 */

/** The body is not an OTLP export of the signal it was sent as: nothing in it is ingested. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
  /** Where decoding failed, e.g. `resourceSpans[0].scopeSpans[1].spans[3].attributes`; '' for the body. */
  readonly path: string;
  /** What was wrong there, without the path. */
  readonly problem: string;

  constructor(path: string, problem: string, options?: ErrorOptions) {
    super(path === '' ? problem : `${path}: ${problem}`, options);
    this.path = path;
    this.problem = problem;
  }
}

function prefixPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '') return prefix;
  return path.startsWith('[') ? prefix + path : `${prefix}.${path}`;
}

/** Re-throwable error with `segment` prepended to its path; foreign errors are wrapped (cause kept). */
export function withPath(error: unknown, segment: string): OtlpDecodeError {
  if (error instanceof OtlpDecodeError) {
    return new OtlpDecodeError(prefixPath(segment, error.path), error.problem, { cause: error.cause });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new OtlpDecodeError(segment, `malformed body (${detail})`, { cause: error });
}

/** What a value was, for messages: `"abc"`, `42`, `array`, `object`, `nothing`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  }
  if (typeof value === 'object') return 'object';
  return String(value);
}
