/**
 * What `spanlite start` (the real child process) tells the person who started it: a banner with
 * the OTLP endpoints, the web UI, the database and whether keys are required, as aligned lines in
 * the pretty format and as one structured line in the json format; a bad SPANLITE_LOG_FORMAT is
 * refused; and a taken port is one line naming the port and the variable that sets it, exit 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorScript, runSpanlite, startCollectorProcess, type CollectorProcess } from '../helpers/collector-process.js';

let dir: string;
let dbFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-start-'));
  dbFile = join(dir, 'spanlite.db');
  await collectorScript();
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function stopped(collector: CollectorProcess): Promise<string[]> {
  collector.child.kill('SIGTERM');
  await collector.exited;
  return collector.logs;
}

function parsesAsJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

describe('spanlite start, pretty format', () => {
  let collector: CollectorProcess;
  let logs: string[];
  beforeAll(async () => {
    collector = await startCollectorProcess(dbFile, { SPANLITE_LOG_FORMAT: 'pretty', SPANLITE_GRPC_PORT: '0' });
    logs = await stopped(collector);
  }, 30_000);

  it('prints a banner with the OTLP endpoints, the gRPC address, the web UI, the database and the key requirement', () => {
    const text = logs.join('\n');
    const { url } = collector;
    expect(text).toContain('spanlite is running');
    expect(text).toMatch(new RegExp(`OTLP/HTTP traces +${url}/v1/traces\\n`));
    expect(text).toMatch(new RegExp(`OTLP/HTTP logs +${url}/v1/logs\\n`));
    expect(text).toMatch(/OTLP\/gRPC +http:\/\/127\.0\.0\.1:\d+\n/);
    expect(text).toMatch(new RegExp(`Web UI +${url}/\\n`));
    expect(text).toMatch(new RegExp(`Database +SQLite ${dbFile}\\n`));
    expect(text).toMatch(/API keys +not required: no key exists yet/);
  });

  it('writes lines for people, none of them JSON', () => {
    const lines = logs.join('\n').split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.filter(parsesAsJson)).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/INFO: spanlite stopped$/));
  });
});

describe('spanlite start, json format (the default when output is not a terminal)', () => {
  it('writes one JSON object a line, the start line carrying the banner facts as fields', async () => {
    const collector = await startCollectorProcess(dbFile);
    const logs = await stopped(collector);
    const lines = logs.join('\n').split('\n').filter((line) => line.trim() !== '');
    expect(lines.filter((line) => !parsesAsJson(line))).toEqual([]);
    const start = lines.map((line) => JSON.parse(line)).find((record) => 'tracesEndpoint' in record);
    expect(start).toMatchObject({
      url: collector.url,
      tracesEndpoint: `${collector.url}/v1/traces`,
      logsEndpoint: `${collector.url}/v1/logs`,
      grpcUrl: null,
      uiUrl: `${collector.url}/`,
      database: `SQLite ${dbFile}`,
      apiKeysRequired: false,
    });
    expect(start.msg).toContain('OTLP/gRPC off');
  });
});

describe('spanlite start refuses to start', () => {
  let holder: Server;
  let takenPort: number;
  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    takenPort = (holder.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  const start = (env: NodeJS.ProcessEnv) =>
    runSpanlite(['start'], { SPANLITE_HOST: '127.0.0.1', SPANLITE_PORT: '0', SPANLITE_GRPC_PORT: 'off', SPANLITE_DB: dbFile, ...env });

  it('on a bad SPANLITE_LOG_FORMAT, naming the variable, the choices and the value, exit code 2', async () => {
    const run = await start({ SPANLITE_LOG_FORMAT: 'xml' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SPANLITE_LOG_FORMAT: expected one of json, pretty (got "xml")');
  });

  it('on a taken HTTP port, in one line naming the port and SPANLITE_PORT, exit code 1, no stack trace', async () => {
    const run = await start({ SPANLITE_PORT: String(takenPort) });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `spanlite: port ${takenPort} on 127.0.0.1 (OTLP/HTTP and the web UI) is already in use: stop the process that holds it, ` +
        'or set SPANLITE_PORT to another port (0 picks a free one)\n',
    );
    expect(run.stdout).not.toMatch(/EADDRINUSE|"level":60|\n\s+at /);
  });

  it('on a taken gRPC port, in one line naming the port and SPANLITE_GRPC_PORT, exit code 1, no stack trace', async () => {
    const run = await start({ SPANLITE_GRPC_PORT: String(takenPort), SPANLITE_LOG_FORMAT: 'pretty' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `spanlite: port ${takenPort} on 127.0.0.1 (OTLP/gRPC) is already in use: stop the process that holds it, ` +
        'or set SPANLITE_GRPC_PORT to another port (0 picks a free one)\n',
    );
    expect(run.stdout).not.toMatch(/EADDRINUSE|No address added|FATAL|\n\s+at /);
  });
});
