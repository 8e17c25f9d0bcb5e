/**
 * A throwaway PostgreSQL server for tests and benchmarks, from the machine's own binaries:
 * `initdb` into a fresh temp dir, `pg_ctl` to start it on 127.0.0.1 and a free port, password
 * (SCRAM) auth with a generated superuser password, and the temp dir removed on stop. Never a
 * shared server. Tests reach it through test/helpers/postgres-server.ts.
 *
 * Debian installs the binaries in /usr/lib/postgresql/<version>/bin, off PATH; the newest
 * version found is used. initdb refuses to run as root, so as root the server runs as the
 * `postgres` user (`runuser`), which owns the temp dir.
 *
 * One start takes about a second: start one server per test file (beforeAll/afterAll) and a
 * database per test where isolation needs it (`createDatabase`).
 */
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian's `postgresql-<version>` packages put the server binaries. */
const DEBIAN_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'postgres';

/** Waits for the test process ($1) to end, then stops the server (the rest of the arguments) and removes $2. */
const WATCHER_SCRIPT = 'parent=$1; dir=$2; shift 2; while kill -0 "$parent" 2>/dev/null; do sleep 1; done; "$@" >/dev/null 2>&1; rm -rf "$dir"';

/**
 * How much a commit waits for the disk:
 * - `none` (default): fsync, synchronous_commit and full_page_writes off; a test's data is
 *   thrown away, so nothing waits for the disk.
 * - `full`: PostgreSQL's defaults, each commit flushed to the WAL on disk before it returns (the
 *   counterpart of SQLite's synchronous=FULL).
 * - `normal`: fsync on, synchronous_commit off: a power loss may lose the last commits but
 *   leaves the database intact (the counterpart of SQLite's WAL with synchronous=NORMAL).
 */
export type PostgresDurability = 'none' | 'full' | 'normal';

const DURABILITY_SETTINGS: Record<PostgresDurability, readonly string[]> = {
  none: ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off'],
  full: ['fsync = on', 'synchronous_commit = on', 'full_page_writes = on'],
  normal: ['fsync = on', 'synchronous_commit = off', 'full_page_writes = on'],
};

export interface StartPostgresOptions {
  /** Default `none`. */
  durability?: PostgresDurability;
  /** shared_buffers in MiB; default the server's own (128 MiB). */
  sharedBuffersMb?: number;
}

export interface PostgresServer {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** The postmaster's process id, from postmaster.pid (it changes on restart); null when stopped. */
  postmasterPid(): number | null;
  /** Creates an empty database and returns its URL (same credentials). */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown: open connections are closed) and starts it again on the same port. */
  restart(): Promise<void>;
  /** Stops the server (fast shutdown: open connections are closed) and keeps its data: start() brings it back. */
  shutDown(): Promise<void>;
  /** Starts a server stopped by shutDown() again, on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the server (immediate shutdown) and removes its temp dir; a second call does nothing. */
  stop(): Promise<void>;
}

/** The bin directory holding initdb and pg_ctl, the newest version first; null when none is installed. */
export function findPostgresBin(): string | null {
  if (!existsSync(DEBIAN_ROOT)) return null;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(DEBIAN_ROOT, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

/** Why no server can start here, for a message; null when the binaries are installed. */
export function postgresMissingReason(): string | null {
  return findPostgresBin() === null
    ? `no PostgreSQL server binaries (initdb, pg_ctl) under ${DEBIAN_ROOT}/*/bin; install Debian's postgresql package`
    : null;
}

/** Starts a new server in a fresh temp dir; resolves once it accepts connections. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (bin === null) throw new Error(`startPostgres: no initdb and pg_ctl under ${DEBIAN_ROOT}/*/bin`);
  const dir = mkdtempSync(join(tmpdir(), 'spanlite-pg-'));
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresIds() : null;
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const password = randomBytes(18).toString('hex');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }

  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', SUPERUSER, '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const pgCtl = (...args: string[]) => command('pg_ctl', ['-D', dataDir, ...args]);
  // Env without PG* variables, so that the developer's own settings cannot redirect the tools.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PG')));
  const runOptions = { cwd: dir, env };

  const stopCommand = pgCtl('stop', '-m', 'immediate', '-w');
  // A test file that ends without stop() (a failed beforeAll, an interrupted run) leaks no server:
  // the 'exit' hook covers a normal exit, and a watcher process covers a killed one (vitest ends
  // its workers with SIGTERM, which runs no exit hook).
  const watcher = spawn(
    'sh',
    ['-c', WATCHER_SCRIPT, 'spanlite-pg-watcher', String(process.pid), dir, stopCommand[0], ...stopCommand[1]],
    { ...runOptions, detached: true, stdio: 'ignore' },
  );
  watcher.unref();
  let stopped = false;
  const removeSync = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', removeSync);
    watcher.kill();
    if (existsSync(join(dataDir, 'postmaster.pid'))) spawnSync(stopCommand[0], stopCommand[1], { ...runOptions, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', removeSync);

  /**
   * Starts the server on a port free a moment before. Another process may bind it in between:
   * then it starts again on another (the last `port` line of postgresql.conf wins).
   */
  async function startOnFreePort(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      writeFileSync(
        join(dataDir, 'postgresql.conf'),
        [
          `port = ${port}`,
          `listen_addresses = '127.0.0.1'`,
          `unix_socket_directories = '${dir}'`,
          ...DURABILITY_SETTINGS[options.durability ?? 'none'],
          ...(options.sharedBuffersMb === undefined ? [] : [`shared_buffers = '${Math.round(options.sharedBuffersMb)}MB'`]),
          '',
        ].join('\n'),
        { flag: 'a' },
      );
      try {
        await run(...pgCtl('start', '-w', '-t', '30', '-l', logFile), runOptions);
        return port;
      } catch (error) {
        const portTaken = existsSync(logFile) && readFileSync(logFile, 'utf8').includes('Address already in use');
        if (!portTaken || attempt === 3) throw error;
      }
    }
  }

  try {
    await run(
      ...command('initdb', [
        '-D', dataDir, '-U', SUPERUSER, `--pwfile=${pwfile}`,
        '--auth-local=scram-sha-256', '--auth-host=scram-sha-256',
        '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions',
      ]),
      runOptions,
    );
    const port = await startOnFreePort();
    const url = databaseUrl(password, port, 'postgres');
    return {
      url,
      port,
      postmasterPid() {
        try {
          const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
          return Number.isInteger(pid) && pid > 0 ? pid : null;
        } catch {
          return null;
        }
      },
      async createDatabase(name) {
        const psql = join(bin, 'psql');
        await run(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', `CREATE DATABASE "${name.replaceAll('"', '""')}"`], {
          env,
        });
        return databaseUrl(password, port, name);
      },
      async restart() {
        await run(...pgCtl('restart', '-m', 'fast', '-w', '-t', '30', '-l', logFile), runOptions);
      },
      async shutDown() {
        await run(...pgCtl('stop', '-m', 'fast', '-w', '-t', '30'), runOptions);
      },
      async start() {
        await run(...pgCtl('start', '-w', '-t', '30', '-l', logFile), runOptions);
      },
      async stop() {
        removeSync();
      },
    };
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
    removeSync();
    throw new Error(`startPostgres: could not start a server from ${bin}${log ? `; server log:\n${log}` : ''}`, { cause: error });
  }
}

function databaseUrl(password: string, port: number, database: string): string {
  return `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

function postgresIds(): { uid: number; gid: number } {
  try {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim()));
    return { uid: uid!, gid: gid! };
  } catch (error) {
    throw new Error(`startPostgres: running as root needs a "${SUPERUSER}" user to run the server as (initdb refuses root)`, {
      cause: error,
    });
  }
}

/** A port free on 127.0.0.1 now: the OS picks one for a listener that is closed at once. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('freePort: no port'))));
    });
  });
}
