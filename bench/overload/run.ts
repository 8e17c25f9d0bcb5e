/**
 * Overload benchmark (`npm run bench:overload`): the collector as a child process on a file
 * database, its capacity measured, then flooded at multiples of it (1x, 2x, 4x by default) from a
 * separate process by an exporter-like client that honours Retry-After (flood-sender.ts).
 *
 * Prints per flood: spans offered and accepted per second, the 503 rate, retries, what the client
 * dropped, the collector's peak RSS, and loss: spans answered 200 but not in the database, which
 * must be 0 (the run exits 1 otherwise). Each run gets a fresh database; settings in
 * overload-config.ts.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, killAllChildren, startServer, stopServer, type ServerProcess } from '../ingest/processes.js';
import { sampleProcess } from '../ingest/proc-sampler.js';
import { loadOverloadConfig, type OverloadConfig } from './overload-config.js';
import type { FloodCommand, FloodReply, FloodRequest, FloodResult } from './flood-sender.js';
import { checkStored, type LossReport } from './stored-spans.js';

const HOST = '127.0.0.1';
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const COLLECTOR_SCRIPT = here('../../collector/cli.js');
const SENDER_SCRIPT = here('./flood-sender.js');

interface RunOutcome {
  label: string;
  offeredPerSecond: number;
  result: FloodResult;
  peakRssMiB: number;
  idleRssMiB: number;
  /** Collector CPU over the run, in cores (1 = one core busy all the time). */
  collectorCores: number;
  loss: LossReport;
}

async function startCollector(config: Readonly<OverloadConfig>, dir: string, name: string): Promise<{ server: ServerProcess; dbFile: string }> {
  const port = await freePort(HOST);
  const dbFile = join(dir, `${name}.db`);
  const server = await startServer({
    name,
    script: COLLECTOR_SCRIPT,
    env: {
      ...process.env,
      SPANLITE_HOST: HOST,
      SPANLITE_PORT: String(port),
      SPANLITE_GRPC_PORT: 'off',
      SPANLITE_DB: dbFile,
      SPANLITE_DB_SYNC: config.dbSync,
      SPANLITE_LOG_LEVEL: 'warn',
      ...(config.maxQueuedSpans === undefined ? {} : { SPANLITE_MAX_QUEUED_SPANS: config.maxQueuedSpans }),
    },
    host: HOST,
    port,
    readyPath: '/api/public/traces?limit=1',
    logFile: join(dir, `${name}.log`),
    readyTimeoutMs: 30_000,
  });
  return { server, dbFile };
}

function runSender(command: FloodCommand): Promise<FloodResult> {
  return new Promise((resolve, reject) => {
    const child = fork(SENDER_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('flood sender did not finish in time'));
    }, command.warmupMs + command.durationMs + command.drainMs + 60_000);
    child.once('message', (reply: FloodReply) => {
      clearTimeout(timer);
      if (reply.type === 'done') resolve(reply.result);
      else reject(new Error(`flood sender failed: ${reply.error}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`flood sender exited (${code ?? signal}) before reporting`));
    });
    child.send({ type: 'run', command } satisfies FloodRequest);
  });
}

/** One run on a fresh collector: send, stop the collector (SIGTERM drains), check what is stored. */
async function measuredRun(
  config: Readonly<OverloadConfig>,
  dir: string,
  label: string,
  command: Omit<FloodCommand, 'url'>,
): Promise<RunOutcome> {
  const { server, dbFile } = await startCollector(config, dir, label.replace(/\W+/g, '-'));
  const idle = sampleProcess(server.pid).stop();
  const sampler = sampleProcess(server.pid, 50);
  let result: FloodResult;
  try {
    result = await runSender({ ...command, url: `${server.baseUrl}/v1/traces` });
  } catch (error) {
    sampler.stop();
    await stopServer(server, 10_000);
    throw error;
  }
  const { peakRssMiB, cpuSeconds, wallSeconds } = sampler.stop();
  const ended = await stopServer(server, 120_000); // SIGTERM: the collector drains and closes
  if (ended !== 'exit 0') throw new Error(`${label}: collector ended with ${ended}`);
  return {
    label,
    offeredPerSecond: command.mode === 'flood' ? command.spansPerSecond : result.offeredSpans / result.windowSeconds,
    result,
    peakRssMiB,
    idleRssMiB: idle.peakRssMiB,
    collectorCores: cpuSeconds / wallSeconds,
    loss: checkStored(dbFile, result.acceptedTraceIds),
  };
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

function row(outcome: RunOutcome): string[] {
  const { result, loss } = outcome;
  const requests = Object.values(result.answers).reduce((sum, n) => sum + n, 0);
  const refused = (result.answers['503'] ?? 0) + (result.answers['429'] ?? 0);
  return [
    outcome.label,
    integer(outcome.offeredPerSecond),
    integer(result.windowAcceptedSpans / result.windowSeconds),
    integer(requests),
    percent(refused, requests),
    integer(result.retries),
    integer(result.droppedQueueFullSpans + result.droppedAfterRetriesSpans + result.unsentSpans),
    result.latency.p99Ms === null ? '-' : integer(result.latency.p99Ms),
    `${outcome.peakRssMiB.toFixed(0)} MiB`,
    outcome.collectorCores.toFixed(2),
    result.clientCores.toFixed(2),
    integer(loss.lostSpans + loss.duplicateSpans),
  ];
}

function table(rows: string[][]): string {
  const header = ['load', 'offered/s', 'accepted/s', 'requests', '503 rate', 'retries', 'client drops', 'p99 ms', 'peak RSS', 'CPU', 'client CPU', 'loss'];
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((cells) => cells[column]!.length)));
  return all.map((cells) => cells.map((cell, column) => cell.padStart(widths[column]!)).join('  ')).join('\n');
}

async function main(): Promise<number> {
  const config = loadOverloadConfig();
  const dir = mkdtempSync(join(tmpdir(), 'spanlite-overload-'));
  const log = (line: string) => console.log(line);
  try {
    log(`spanlite overload benchmark: DB sync ${config.dbSync}, ${config.tracesPerBatch * 8} spans per request, ` +
      `queue ${config.maxQueuedSpans ?? 'default (100000)'} spans; working in ${dir}`);
    const capacity = await measuredRun(config, dir, 'capacity', {
      mode: 'capacity',
      spansPerSecond: 0,
      concurrency: config.capacityConcurrency,
      queueBatches: 0,
      tracesPerBatch: config.tracesPerBatch,
      warmupMs: 2_000,
      durationMs: config.capacitySeconds * 1000,
      drainMs: 0,
    });
    const capacitySpansPerSecond = capacity.result.windowAcceptedSpans / capacity.result.windowSeconds;
    log(`capacity (closed loop, ${config.capacityConcurrency} requests in flight): ${integer(capacitySpansPerSecond)} spans/s, ` +
      `p50 ${integer(capacity.result.latency.p50Ms ?? 0)} ms; idle RSS ${capacity.idleRssMiB.toFixed(0)} MiB`);

    const outcomes: RunOutcome[] = [capacity];
    for (const factor of config.factors) {
      log(`flood at ${factor}x for ${config.floodSeconds} s (${integer(factor * capacitySpansPerSecond)} spans/s offered)...`);
      outcomes.push(
        await measuredRun(config, dir, `${factor}x`, {
          mode: 'flood',
          spansPerSecond: factor * capacitySpansPerSecond,
          concurrency: config.exporters,
          queueBatches: config.exporterQueueBatches,
          tracesPerBatch: config.tracesPerBatch,
          warmupMs: 0,
          durationMs: config.floodSeconds * 1000,
          drainMs: config.drainSeconds * 1000,
        }),
      );
    }

    log('');
    log(table(outcomes.map(row)));
    log('');
    log('offered/s and accepted/s: spans per second during the flood window (accepted: answered 200 within it).');
    log('503 rate: share of requests answered 503 (or 429) + Retry-After (write queue full, or exports waiting past');
    log('  SPANLITE_MAX_QUEUE_DELAY_MS); retries: batches re-sent after a 503, a network error or a time-out.');
    log('CPU, client CPU: cores used by the collector and by the flood client during the run.');
    log('client drops: spans the exporter-like client gave up on (its queue full, retries exhausted, or unsent at the end).');
    log('loss: spans answered 200 that are not in the database after the collector stopped (must be 0).');
    const lost = outcomes.reduce((sum, o) => sum + o.loss.lostSpans + o.loss.duplicateSpans, 0);
    if (lost > 0) {
      log(`FAILED: ${lost} spans answered 200 are missing or duplicated`);
      return 1;
    }
    return 0;
  } finally {
    killAllChildren();
    if (!config.keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

process.once('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    killAllChildren();
    console.error(error);
    process.exitCode = 1;
  },
);
