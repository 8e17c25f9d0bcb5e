/**
 * PostgreSQL for tests: the throwaway server of bench/postgres/throwaway-server.ts (one
 * implementation for tests and benchmarks), and whether this machine can run the tests at all.
 */
import { postgresMissingReason } from '../../bench/postgres/throwaway-server.js';

export { startPostgres, type PostgresServer } from '../../bench/postgres/throwaway-server.js';

/**
 * Whether this machine can run the PostgreSQL tests. Where it cannot, the reason is printed and
 * the tests skip, except under CI=true, where a missing PostgreSQL is a failure: `.ci/run`
 * installs it, so a skip there would hide a broken setup.
 */
export function postgresAvailable(): boolean {
  const reason = postgresMissingReason();
  if (reason === null) return true;
  if (process.env.CI === 'true') throw new Error(`PostgreSQL tests cannot run under CI: ${reason}`);
  console.warn(`PostgreSQL tests skipped: ${reason}`);
  return false;
}
