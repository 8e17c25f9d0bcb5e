/**
 * The collector as a child process (`spanlite start`), for tests that kill it. The sources are
 * bundled once per test process with esbuild into dist/reliability/cli.mjs (about a second; no
 * full `npm run build`), dependencies left to node_modules (the model catalog package among
 * them), as the built collector finds them.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUNDLE = join(ROOT, 'dist', 'reliability', 'cli.mjs');

let bundled: Promise<string> | null = null;

/** Bundles collector/cli.ts once; resolves with the script path. */
export function collectorScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [join(ROOT, 'collector', 'cli.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  }).then(() => BUNDLE);
  return bundled;
}

export interface SpanliteRun {
  /** Exit code; null when the run was killed at `timeoutMs`. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `spanlite ARGS` to its end with only PATH and `env` set, for commands that exit by
 * themselves (`keys ...`, a start that fails); killed after `timeoutMs`.
 */
export async function runSpanlite(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<SpanliteRun> {
  const script = await collectorScript();
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface CollectorProcess {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  tracesEndpoint: string;
  child: ChildProcess;
  /** Resolves when the process has exited and its output is read, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Log lines written so far (pino JSON unless SPANLITE_LOG_FORMAT=pretty), standard error's included. */
  logs: string[];
}

/** What every collector child here is started with: loopback, a free port, no gRPC, `dbFile`. */
export function collectorEnv(dbFile: string): NodeJS.ProcessEnv {
  return {
    SPANLITE_HOST: '127.0.0.1',
    SPANLITE_PORT: '0',
    SPANLITE_GRPC_PORT: 'off',
    SPANLITE_DB: dbFile,
    SPANLITE_LOG_LEVEL: 'info',
  };
}

/** Starts `spanlite start` on `dbFile`, on a free port, and resolves once it listens. */
export async function startCollectorProcess(dbFile: string, env: NodeJS.ProcessEnv = {}): Promise<CollectorProcess> {
  const script = await collectorScript();
  return launchCollector({
    command: process.execPath,
    args: [script, 'start'],
    env: { PATH: process.env.PATH, ...collectorEnv(dbFile), ...env },
    startTimeoutMs: 15_000,
  });
}

/** Stops a collector child that is still running (SIGTERM) and waits for its exit; nothing for none or one that exited. */
export async function stopCollectorProcess(collector: CollectorProcess | undefined): Promise<void> {
  if (collector?.child.exitCode !== null) return;
  collector.child.kill('SIGTERM');
  await collector.exited;
}

export interface CollectorLaunch {
  command: string;
  args: readonly string[];
  /** The child's whole environment. */
  env: NodeJS.ProcessEnv;
  /** How long until the start banner, at most. */
  startTimeoutMs: number;
  /** Leads its own process group (whose id is the child's pid), so the whole tree can be found. */
  detached?: boolean;
}

/** Runs a command that starts the collector, and resolves once its start banner names the URL. */
export async function launchCollector(launch: CollectorLaunch): Promise<CollectorProcess> {
  const child = spawn(launch.command, launch.args, {
    cwd: ROOT,
    env: launch.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: launch.detached ?? false,
  });
  // 'close', not 'exit': by then every line it wrote has been read.
  const exited = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const logs: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const seconds = launch.startTimeoutMs / 1000;
    const timer = setTimeout(() => {
      if (launch.detached) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
      reject(new Error(`collector did not start within ${seconds} s:\n${logs.join('\n')}`));
    }, launch.startTimeoutMs);
    lines.on('line', (line) => {
      logs.push(line);
      // The start banner's traces endpoint, in either log format.
      const match = /(http:\/\/[^"\s]+)\/v1\/traces/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`collector exited during start-up (${code ?? signal}):\n${logs.join('\n')}`));
    });
  });
  return { url, tracesEndpoint: `${url}/v1/traces`, child, exited, logs };
}
