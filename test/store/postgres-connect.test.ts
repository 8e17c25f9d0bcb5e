/**
 * Connecting to PostgreSQL at start (store/postgres/connect.ts): a pool only after a first query
 * succeeded, and for each common failure (server down, wrong password, no such database, a URL
 * that is not one) an error naming host, port and database, never the password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../../collector/store/postgres/connect.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';

describe.skipIf(!postgresAvailable())('connecting to PostgreSQL', () => {
  let server: PostgresServer;
  let password: string;
  beforeAll(async () => {
    server = await startPostgres();
    password = new URL(server.url).password;
  });
  afterAll(() => server?.stop());

  /** The error connectPostgres rejects with, checked not to reveal the password. */
  async function connectError(url: string): Promise<Error> {
    const error = await connectPostgres({ url }).then(
      () => null,
      (rejected: unknown) => rejected as Error,
    );
    expect(error, `connecting to ${url} should fail`).toBeInstanceOf(Error);
    expect(error!.message).not.toContain(password);
    return error!;
  }

  it('returns a pool that has run a query, for postgres:// and postgresql:// URLs with libpq parameters', async () => {
    for (const url of [server.url, server.url.replace('postgres://', 'postgresql://') + '?sslmode=disable&connect_timeout=5']) {
      const pool = await connectPostgres({ url, poolSize: 2 });
      try {
        expect(pool.totalCount).toBe(1);
        expect((await pool.query('SELECT 1 + 1 AS two')).rows).toEqual([{ two: 2 }]);
      } finally {
        await pool.end();
      }
    }
  });

  it('names its connections spanlite (application_name) unless the URL names them', async () => {
    for (const [url, name] of [
      [server.url, 'spanlite'],
      [`${server.url}?application_name=probe`, 'probe'],
    ] as const) {
      const pool = await connectPostgres({ url });
      try {
        const result = await pool.query<{ name: string }>(`SELECT current_setting('application_name') AS name`);
        expect(result.rows).toEqual([{ name }]);
      } finally {
        await pool.end();
      }
    }
  });

  it('reports a stopped server as a refused connection, naming host, port and database', async () => {
    const stopped = await startPostgres();
    await stopped.stop();

    const error = await connectError(stopped.url);
    expect(error.message).toBe(
      `cannot connect to PostgreSQL at 127.0.0.1:${stopped.port}/postgres (user "postgres"): connection refused ` +
        '(is the server running and listening there?)',
    );
  });

  it('reports a wrong password as a refused login for that user, without either password', async () => {
    const url = new URL(server.url);
    url.password = 'not-the-password';

    const error = await connectError(url.href);
    expect(error.message).toBe(
      `PostgreSQL at 127.0.0.1:${server.port}/postgres (user "postgres") refused the login: wrong password for user "postgres"`,
    );
    expect(error.message).not.toContain('not-the-password');
  });

  it('reports a database that does not exist by name', async () => {
    const url = new URL(server.url);
    url.pathname = '/no_such_database';

    const error = await connectError(url.href);
    expect(error.message).toBe(
      `PostgreSQL at 127.0.0.1:${server.port} has no database "no_such_database": create it (CREATE DATABASE) or fix the URL`,
    );
  });

  it('reports a URL that is not a PostgreSQL URL without its password', async () => {
    const badPort = await connectError(`postgres://spanlite:${password}@127.0.0.1:99999/spanlite`);
    expect(badPort.message).toBe(
      'SPANLITE_DB: not a valid URL: postgres://spanlite:***@127.0.0.1:99999/spanlite (expected postgres://user:password@host:5432/database)',
    );
    const otherScheme = await connectError(`mysql://spanlite:${password}@127.0.0.1/spanlite`);
    expect(otherScheme.message).toBe('SPANLITE_DB: expected a postgres:// or postgresql:// URL (got mysql://...)');
  });

  it('reports a server refusing the SSL a URL requires, naming the target', async () => {
    const error = await connectError(`${server.url}?sslmode=verify-full`);
    expect(error.message).toBe(
      `cannot connect to PostgreSQL at 127.0.0.1:${server.port}/postgres (user "postgres"): The server does not support SSL connections`,
    );
  });
});
