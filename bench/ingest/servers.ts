/**
 * The servers under test as child processes: the collector (dist/collector/cli.js, configured
 * through SPANLITE_* variables) or the baseline, each on a free port of 127.0.0.1 and its own
 * database file (or, for the collector, a postgres:// URL, which collectors may share).
 */
import { rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from './bench-config.js';
import type { ServerKind } from './load-phase.js';
import { freePort, startServer, type ServerProcess } from './processes.js';

export const HOST = '127.0.0.1';
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
export const SCRIPTS = {
  collector: here('../../collector/cli.js'),
  baseline: here('./baseline-server.js'),
  sender: here('./sender.js'),
};
const START_TIMEOUT_MS = 30_000;
/** The collector checkpoints and truncates the WAL on SIGTERM; a large one takes a while. */
export const STOP_GRACE_MS = 120_000;

/** What every phase needs: settings, the temp dir, where to print. */
export interface Context {
  config: Readonly<BenchConfig>;
  dir: string;
  log: (line: string) => void;
}

/** `database`: a SQLite file, or for the collector a postgres:// URL. */
export async function startTarget(context: Context, kind: ServerKind, name: string, database: string): Promise<ServerProcess> {
  const port = await freePort(HOST);
  const logFile = join(context.dir, `${name}.log`);
  if (kind === 'baseline') {
    return startServer({
      name,
      script: SCRIPTS.baseline,
      args: ['--db', database, '--port', String(port), '--host', HOST, '--sync', context.config.dbSync],
      host: HOST,
      port,
      readyPath: '/health',
      logFile,
      readyTimeoutMs: START_TIMEOUT_MS,
    });
  }
  const profileDir = context.config.cpuProfileDir;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  return startServer({
    name,
    script: SCRIPTS.collector,
    nodeOptions: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [],
    env: {
      ...process.env,
      SPANLITE_HOST: HOST,
      SPANLITE_PORT: String(port),
      // OTLP/HTTP only: the default gRPC port would be taken by the second collector of a phase.
      SPANLITE_GRPC_PORT: 'off',
      SPANLITE_DB: database,
      SPANLITE_DB_SYNC: context.config.dbSync,
      SPANLITE_LOG_LEVEL: 'warn',
      ...(kind === 'collector+mask' ? { SPANLITE_MASK: context.config.mask } : {}),
    },
    host: HOST,
    port,
    readyPath: '/api/public/traces?limit=1',
    logFile,
    readyTimeoutMs: START_TIMEOUT_MS,
  });
}

export function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}
