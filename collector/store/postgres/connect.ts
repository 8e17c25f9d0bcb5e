/**
 * Connects to PostgreSQL with node-postgres's pool, at start: the pool is returned only after a
 * first query succeeded, and each way a first connection commonly fails (server down, bad
 * password, no such database, a URL that is not one) is an error naming the host, port,
 * database and user, never the password.
 *
 * The URL is libpq's: `postgres://` or `postgresql://`, with the query parameters node-postgres
 * reads (`sslmode`, `sslrootcert`, `application_name`, `options`, `host` for a socket directory,
 * `connect_timeout`...).
 */
import pg from 'pg';
import type { Pool, PoolConfig } from 'pg';

/** node-postgres's own default: the writer holds one connection at a time, the query API the rest. */
export const DEFAULT_POOL_SIZE = 10;

/** PostgreSQL 13 made pg_trgm a trusted extension, which a database owner may create. */
const MIN_SERVER_VERSION = 130000;

/**
 * How long a new connection may take (or the query timeout, when shorter); an unroutable host, or
 * one that accepts the connection and never answers, would otherwise hang for minutes.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The server's statement_timeout by default (SPANLITE_DB_QUERY_TIMEOUT_MS): far above the slowest
 * legitimate statement measured on 2 cores: a whole 4,096-span group commit took at most 3.8 s, a
 * count of 2M observations of one type on 1M traces about 1 s, a 500-trace retention batch 0.8 s,
 * schema creation 0.1 s (docs/operations.md, Outages).
 */
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;

/**
 * How much longer than the server's statement_timeout the client waits for an answer: a slow
 * statement is ended by the server (its error, the connection kept), and only a server that does
 * not answer at all (a partition, a hung host) meets the client's timeout (the connection dropped).
 */
const CLIENT_TIMEOUT_MARGIN_MS = 1_000;

/**
 * A session that idles this long inside a transaction is ended by the server, which frees its
 * trace locks: a collector cut off mid-transaction would otherwise hold them until the server's
 * TCP keepalive notices (two hours on Linux), and every write of those traces would wait. The
 * collector never pauses between two statements of a transaction for anything near that long.
 */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/** Idle time after which TCP keepalive probes a connection, so one whose server vanished is noticed and dropped. */
const KEEPALIVE_DELAY_MS = 10_000;

export interface PostgresConnectOptions {
  /** `postgres://user:password@host:port/database?sslmode=...` */
  url: string;
  /** Connections at most; default DEFAULT_POOL_SIZE. */
  poolSize?: number;
  /**
   * How long a statement may run, in ms (the server's statement_timeout); the client gives up on
   * an answer a second later, and on a new connection after 10 s or this, whichever is shorter.
   * Such a failure is transient (write/errors.ts): 503 with Retry-After. Default DEFAULT_QUERY_TIMEOUT_MS.
   */
  queryTimeoutMs?: number;
  /**
   * Told of a pooled connection that failed while idle (a server restart): the pool drops it and
   * opens a new one for the next query. Without a listener such an error would end the process.
   */
  onIdleError?: (error: Error) => void;
}

/** Where a URL points, for messages: `host:port/database as user`, without the password. */
export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

export function describeTarget(target: PostgresTarget): string {
  return `${target.host}:${target.port}/${target.database} (user "${target.user}")`;
}

/**
 * The host, port, database and user a URL connects to, as node-postgres resolves them (its
 * defaults and the PG* environment variables included). Throws, naming the URL without its
 * password, when the URL is not a PostgreSQL URL.
 */
export function postgresTarget(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`SPANLITE_DB: not a valid URL: ${redact(url)} (expected postgres://user:password@host:5432/database)`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`SPANLITE_DB: expected a postgres:// or postgresql:// URL (got ${parsed.protocol}//...)`);
  }
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url });
  } catch (error) {
    throw new Error(`SPANLITE_DB: not a valid PostgreSQL URL: ${redact(url)} (${(error as Error).message})`, { cause: error });
  }
  return { host: client.host, port: client.port, database: client.database ?? client.user ?? '', user: client.user ?? '' };
}

/**
 * A pool connected to the database at `url`, after a first query succeeded on it. Throws an
 * error naming the target when the server cannot be reached, refuses the login, has no such
 * database, or is older than PostgreSQL 13.
 */
export async function connectPostgres(options: PostgresConnectOptions): Promise<Pool> {
  const target = postgresTarget(options.url);
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const connectTimeoutMs = Math.min(CONNECT_TIMEOUT_MS, queryTimeoutMs);
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: connectTimeoutMs,
    query_timeout: queryTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    // Names the collector's connections in pg_stat_activity; a URL's application_name wins.
    application_name: 'spanlite',
    // Run on each new connection before it is handed out; its failure fails that connect. A SET
    // rather than startup parameters, which poolers such as PgBouncer refuse.
    onConnect: (client) =>
      client.query(`SET statement_timeout = ${queryTimeoutMs}; SET idle_in_transaction_session_timeout = ${IDLE_IN_TRANSACTION_TIMEOUT_MS}`),
  };
  const pool = new pg.Pool(config);
  pool.on('error', (error) => options.onIdleError?.(error));
  let version: number;
  try {
    const result = await pool.query<{ version: string }>(`SELECT current_setting('server_version_num') AS version`);
    version = Number(result.rows[0]?.version);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectError(error, target, connectTimeoutMs);
  }
  if (version < MIN_SERVER_VERSION) {
    await pool.end().catch(() => undefined);
    throw new Error(
      `PostgreSQL at ${describeTarget(target)} is version ${Math.floor(version / 10000)}; spanlite needs PostgreSQL 13 or later`,
    );
  }
  return pool;
}

/** A failed first connection, said in terms of what to check. */
function connectError(error: unknown, target: PostgresTarget, connectTimeoutMs: number): Error {
  const where = describeTarget(target);
  const code = errorCode(error);
  const reason = (error as Error).message;
  const explain = (message: string) => new Error(message, { cause: error });
  switch (code) {
    case 'ECONNREFUSED':
      return explain(`cannot connect to PostgreSQL at ${where}: connection refused (is the server running and listening there?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return explain(`cannot connect to PostgreSQL at ${where}: host "${target.host}" not found`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return explain(`cannot connect to PostgreSQL at ${where}: no answer (${code}); check the host, port and firewall`);
    case 'ENOENT':
      return explain(`cannot connect to PostgreSQL at ${where}: no server socket in ${target.host}`);
    // invalid_password
    case '28P01':
      return explain(`PostgreSQL at ${where} refused the login: wrong password for user "${target.user}"`);
    // invalid_authorization_specification: no pg_hba.conf entry, SSL required, no such role...
    case '28000':
      return explain(`PostgreSQL at ${where} refused the login: ${reason}`);
    // invalid_catalog_name
    case '3D000':
      return explain(
        `PostgreSQL at ${target.host}:${target.port} has no database "${target.database}": create it (CREATE DATABASE) or fix the URL`,
      );
  }
  if (/timeout/i.test(reason)) {
    return explain(`cannot connect to PostgreSQL at ${where}: no answer within ${connectTimeoutMs / 1000} s`);
  }
  return explain(`cannot connect to PostgreSQL at ${where}: ${reason}`);
}

/** A socket error's code (Node gives an AggregateError when every address of a host failed) or a server's SQLSTATE. */
function errorCode(error: unknown): string | undefined {
  const withCode = error as { code?: string; errors?: Array<{ code?: string }> };
  return withCode.code ?? withCode.errors?.[0]?.code;
}

/** The URL with its password (in the user info or a `password` parameter) replaced, for messages. */
function redact(url: string): string {
  return url.replace(/(:\/\/[^:/@]*):[^@/]*@/, '$1:***@').replace(/([?&]password=)[^&]*/, '$1***');
}
