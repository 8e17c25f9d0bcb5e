/**
 * Which storage engine a benchmark measures: `--store sqlite|postgres` on its command line
 * (`npm run bench:query -- --store postgres`), else BENCH_STORE, default sqlite.
 */
import { parseArgs } from 'node:util';

export const BENCH_STORES = ['sqlite', 'postgres'] as const;
export type BenchStore = (typeof BENCH_STORES)[number];

/** The store chosen; a malformed choice adds a line to `problems` and reads as sqlite. */
export function readStoreOption(argv: readonly string[], env: NodeJS.ProcessEnv, problems: string[]): BenchStore {
  let fromArgs: string | undefined;
  try {
    fromArgs = parseArgs({ args: [...argv], options: { store: { type: 'string' } }, strict: true }).values.store;
  } catch (error) {
    problems.push(`command line: ${(error as Error).message} (expected --store sqlite|postgres)`);
    return 'sqlite';
  }
  const raw = fromArgs ?? (env.BENCH_STORE || undefined);
  if (raw === undefined) return 'sqlite';
  const store = BENCH_STORES.find((name) => name === raw.toLowerCase());
  if (store === undefined) {
    problems.push(`${fromArgs !== undefined ? '--store' : 'BENCH_STORE'}: expected one of ${BENCH_STORES.join(', ')} (got "${raw}")`);
    return 'sqlite';
  }
  return store;
}
