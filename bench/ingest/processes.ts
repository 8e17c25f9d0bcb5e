/**
 * Child processes of the benchmark: servers under test and load senders. Every child is tracked
 * and killed when the runner exits, fails or is interrupted; every wait is bounded.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { openSync, closeSync, readFileSync } from 'node:fs';
import type { RunnerMessage, SendCommand, SendResult, SenderMessage } from './sender.js';

const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** SIGKILLs every child still running; safe to call from an 'exit' handler. */
export function killAllChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

/** A free TCP port on `host`, found by binding port 0 and letting it go. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  logFile: string;
}

export interface StartServerOptions {
  name: string;
  script: string;
  args?: readonly string[];
  nodeOptions?: readonly string[];
  env?: NodeJS.ProcessEnv;
  host: string;
  port: number;
  /** Path answered with any HTTP status once the server listens. */
  readyPath: string;
  /** stdout and stderr of the server go here (read back when it fails). */
  logFile: string;
  readyTimeoutMs: number;
}

export async function startServer(options: StartServerOptions): Promise<ServerProcess> {
  const log = openSync(options.logFile, 'a');
  const child = track(
    spawn(process.execPath, [...(options.nodeOptions ?? []), options.script, ...(options.args ?? [])], {
      env: options.env ?? process.env,
      stdio: ['ignore', log, log],
    }),
  );
  closeSync(log);
  const baseUrl = `http://${options.host}:${options.port}`;
  const deadline = Date.now() + options.readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${options.name} exited during start-up (${child.exitCode ?? child.signalCode}):\n${tail(options.logFile)}`);
    }
    try {
      await fetch(baseUrl + options.readyPath, { signal: AbortSignal.timeout(1000) });
      return { name: options.name, child, pid: child.pid!, baseUrl, logFile: options.logFile };
    } catch {
      await pause(100);
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${options.name} did not listen on ${baseUrl} within ${options.readyTimeoutMs} ms:\n${tail(options.logFile)}`);
}

/** What stopServer resolves with when the server exited with status 0. */
export const CLEAN_EXIT = 'exit 0';

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with how it ended. */
export async function stopServer(server: ServerProcess, graceMs: number): Promise<string> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return `already exited (${child.exitCode ?? child.signalCode})`;
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`exit ${code ?? signal}`)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const outcome = await exited;
  clearTimeout(timer);
  return outcome;
}

function tail(file: string, chars = 2000): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.slice(-chars);
  } catch {
    return '(no log)';
  }
}

export interface SenderRun {
  /** Resolves when the sender is ready to send. */
  ready: Promise<void>;
  /** Starts sending; resolves with the sender's result. */
  go(): Promise<SendResult>;
}

/** Forks a sender process and has it prepare its payloads; kill deadline = command.deadlineMs + slack. */
export function startSender(script: string, command: SendCommand): SenderRun {
  const child = track(fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  let onReady!: () => void;
  let onDone!: (result: SendResult) => void;
  let onFailure!: (error: Error) => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<SendResult>((resolve, reject) => {
    onDone = resolve;
    onFailure = reject;
  });
  const readyOrFailed = Promise.race([ready, done.then(() => undefined)]);
  done.catch(() => undefined); // observed through go() or ready
  child.on('message', (message: SenderMessage) => {
    if (message.type === 'ready') onReady();
    else if (message.type === 'done') onDone(message.result);
    else onFailure(new Error(`sender failed: ${message.error}`));
  });
  child.once('exit', (code, signal) => onFailure(new Error(`sender exited (${code ?? signal}) before reporting`)));
  child.send({ type: 'prepare', command } satisfies RunnerMessage);
  const prepareTimer = setTimeout(() => onFailure(new Error('sender not ready within 60 s')), 60_000);
  prepareTimer.unref();
  return {
    ready: readyOrFailed.finally(() => clearTimeout(prepareTimer)),
    go() {
      child.send({ type: 'go' } satisfies RunnerMessage);
      const killTimer = setTimeout(() => {
        child.kill('SIGKILL');
        onFailure(new Error(`sender did not finish within ${command.deadlineMs + 60_000} ms`));
      }, command.deadlineMs + 60_000);
      return done.finally(() => clearTimeout(killTimer));
    },
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
