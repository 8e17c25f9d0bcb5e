/**
 * The collector as a child process (`spanlite start`), for tests that kill it. The sources are
 * bundled once per test process with esbuild into dist/reliability/cli.mjs (about a second; no
 * full `npm run build`), dependencies left to node_modules (the model catalog package among
 * them), as the built collector finds them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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

export interface CollectorProcess {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  tracesEndpoint: string;
  child: ChildProcess;
  /** Resolves when the process has exited, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Log lines (pino JSON) written so far. */
  logs: string[];
}

/** Starts `spanlite start` on `dbFile`, on a free port, and resolves once it listens. */
export async function startCollectorProcess(dbFile: string, env: NodeJS.ProcessEnv = {}): Promise<CollectorProcess> {
  const script = await collectorScript();
  const child = spawn(process.execPath, [script, 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      SPANLITE_HOST: '127.0.0.1',
      SPANLITE_PORT: '0',
      SPANLITE_GRPC_PORT: 'off',
      SPANLITE_DB: dbFile,
      SPANLITE_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const logs: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start within 15 s:\n${logs.join('\n')}`)), 15_000);
    lines.on('line', (line) => {
      logs.push(line);
      const match = /"url":"(http:\/\/[^"]+)"/.exec(line);
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
