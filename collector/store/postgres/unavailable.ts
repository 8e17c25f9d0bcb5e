/**
 * The PostgreSQL store's failures of the database's state (isTransientPostgresError: the server
 * down, restarting or out of connections, the connection lost, a deadlock) as the catalog's
 * `storeUnavailable`: the REST API and the receivers answer it 503 with Retry-After, as the write
 * queue answers a failed write, rather than 500. Any other failure passes unchanged.
 */
import { SpanliteError } from '../../errors.js';
import { isQueryReadTimeout, isTransientPostgresError } from './write/errors.js';

/** `methods` with each one's transient failures thrown as SpanliteError `storeUnavailable`. */
export function transientAsUnavailable<T extends object>(methods: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(methods)) {
    wrapped[name] =
      typeof method === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await method(...args);
            } catch (error) {
              throw isTransientPostgresError(error) ? storeUnavailable(error) : error;
            }
          }
        : method;
  }
  return wrapped as T;
}

/** The message says what failed, not where: the server's address is in the collector's start-up log. */
function storeUnavailable(cause: unknown): SpanliteError {
  if (isQueryReadTimeout(cause)) {
    return new SpanliteError('storeUnavailable', 'PostgreSQL unavailable: no answer within the query timeout (SPANLITE_DB_QUERY_TIMEOUT_MS)', { cause });
  }
  const { message, code } = cause as { message?: string; code?: string };
  // Node's AggregateError (every address of a host refused) has no message of its own.
  return new SpanliteError('storeUnavailable', `PostgreSQL unavailable: ${message || code || String(cause)}`, { cause });
}
