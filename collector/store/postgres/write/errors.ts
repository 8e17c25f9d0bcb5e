/**
 * Which PostgreSQL failures are the database's state (the connection lost, the server shutting
 * down or short of resources, a lock conflict: retrying later can succeed) and which are the
 * data's (a value out of range, a constraint: the same batch will fail again). The write queue
 * answers the first kind with a retryable 503 and the second with a 500 that exporters do not
 * retry. SQLSTATE classes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */

/** Classes whose every code may pass: connection exception, transaction rollback (serialization, deadlock), insufficient resources, operator intervention (shutdown, cancel), system error. */
const TRANSIENT_CLASSES: ReadonlySet<string> = new Set(['08', '40', '53', '57', '58']);

/** lock_not_available, and read_only_sql_transaction (a standby promoted later accepts the write). */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['55P03', '25006']);

/** node-postgres's error when its query_timeout passed without an answer. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * node-postgres's messages for a connection lost, not made within the connect timeout, or a
 * statement not answered within the client's query timeout (connect.ts): the server unreachable.
 */
const CONNECTION_FAILURES: readonly string[] = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  QUERY_READ_TIMEOUT,
];

export function isTransientPostgresError(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return TRANSIENT_CLASSES.has(code.slice(0, 2)) || TRANSIENT_CODES.has(code);
  }
  // A socket's error (ECONNRESET, EPIPE...) or node-postgres's own on a lost or unreachable connection.
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return typeof message === 'string' && CONNECTION_FAILURES.some((start) => message.startsWith(start));
}

/** A statement the server did not answer within the client's query timeout: the server unreachable or hung. */
export function isQueryReadTimeout(error: unknown): boolean {
  return (error as { message?: unknown }).message === QUERY_READ_TIMEOUT;
}
