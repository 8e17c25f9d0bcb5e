/**
 * A listen that failed for a reason the person starting the collector fixes (the port is taken or
 * not allowed, the address is not this machine's), said in one line that names the setting to
 * change. Other listen failures stay plain errors with their cause.
 */
export class ListenError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'ListenError';
  }
}

export interface ListenTarget {
  /** What listens there, e.g. `OTLP/HTTP and the web UI`. */
  what: string;
  host: string;
  port: number;
  /** The variable that sets the port, e.g. `SPANLITE_PORT`. */
  portVariable: string;
}

/** Node's listen errors carry `code`; grpc-js folds them into its message ("... [listen EADDRINUSE: ...]"). */
function failureCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return /\b(EADDRINUSE|EACCES|EADDRNOTAVAIL)\b/.exec(String((error as Error | null)?.message))?.[1];
}

/** The error to throw for a failed listen on `target`. */
export function listenError(error: unknown, target: ListenTarget): Error {
  const { what, host, port, portVariable } = target;
  switch (failureCode(error)) {
    case 'EADDRINUSE':
      return new ListenError(
        `port ${port} on ${host} (${what}) is already in use: stop the process that holds it, or set ${portVariable} to another port (0 picks a free one)`,
        { cause: error },
      );
    case 'EACCES':
      return new ListenError(
        `port ${port} on ${host} (${what}) is not allowed for this user: set ${portVariable} to 1024 or above`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
      return new ListenError(`address ${host} (${what}) is not one of this machine's: set SPANLITE_HOST to one that is`, {
        cause: error,
      });
    default:
      return new Error(`cannot listen for ${what} on ${host}:${port}: ${(error as Error).message}`, { cause: error });
  }
}
