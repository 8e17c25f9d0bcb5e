/**
 * A describe whose tests share one throwaway PostgreSQL server (postgres-server.ts), started
 * before them and stopped after; skipped where PostgreSQL is not installed (postgresAvailable()
 * prints why, and fails under CI).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { postgresAvailable, startPostgres, type PostgresServer } from './postgres-server.js';

/** `suite` registers the tests; its argument gives the running server inside them. */
export function describeOnPostgres(name: string, suite: (server: () => PostgresServer) => void): void {
  describe.skipIf(!postgresAvailable())(name, () => {
    let server: PostgresServer | undefined;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(() => server?.stop());
    suite(() => {
      if (server === undefined) throw new Error(`${name}: the PostgreSQL server runs only inside the tests`);
      return server;
    });
  });
}
