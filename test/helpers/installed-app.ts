/**
 * A temporary app directory where `spanlite` is an installed package: this repo's package.json
 * (its "exports" map) and the instrumentation compiled with the repo's compiler options into the
 * package's own dist/, so tests neither depend on nor write the repo's dist/.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const REPO = resolve(import.meta.dirname, '../..');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export interface InstalledApp {
  dir: string;
  /** Writes `source` to `file` in the app directory and runs it with node and `nodeArgs`. */
  run(
    file: string,
    source: string,
    nodeArgs: string[],
    env: Record<string, string>,
    onStdout?: (text: string, child: ReturnType<typeof spawn>) => void,
  ): Promise<RunResult>;
  remove(): void;
}

export async function installSpanliteApp(): Promise<InstalledApp> {
  const dir = mkdtempSync(join(tmpdir(), 'spanlite-app-'));
  const packageDir = join(dir, 'node_modules/spanlite');
  mkdirSync(packageDir, { recursive: true });
  copyFileSync(join(REPO, 'package.json'), join(packageDir, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(packageDir, 'node_modules'), 'dir');
  // An instrumented app has its own @opentelemetry/api (and the SDK, if it configures one).
  symlinkSync(join(REPO, 'node_modules/@opentelemetry'), join(dir, 'node_modules/@opentelemetry'), 'dir');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(REPO, 'tsconfig.json'),
      compilerOptions: {
        rootDir: REPO,
        outDir: join(packageDir, 'dist'),
        typeRoots: [join(REPO, 'node_modules/@types')],
        incremental: false,
        sourceMap: false,
      },
      files: ['index.ts', 'register.ts', 'register.cts'].map((file) => join(REPO, 'instrumentation', file)),
      include: [],
    }),
  );
  await promisify(execFile)(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')]);
  for (const file of ['index.js', 'register.js', 'register.cjs']) {
    if (!existsSync(join(packageDir, 'dist/instrumentation', file))) {
      throw new Error(`installSpanliteApp: ${file} was not compiled into ${packageDir}/dist/instrumentation`);
    }
  }

  return {
    dir,
    run(file, source, nodeArgs, env, onStdout) {
      writeFileSync(join(dir, file), source);
      const started = Date.now();
      const child = spawn(process.execPath, [...nodeArgs, file], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        onStdout?.(stdout, child);
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return new Promise((done) => {
        child.on('close', (code, signal) => done({ code, signal, stdout, stderr, elapsedMs: Date.now() - started }));
      });
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
