/**
 * The drop-in and the package entry points as an app sees them: a child process started with
 * `node --import spanlite/register` (ESM) or `node -r spanlite/register` (CJS) from a directory
 * where `spanlite` is an installed package (this repo's package.json, its "exports" map, and
 * the instrumentation compiled with the repo's tsconfig), exporting to a small OTLP/HTTP server
 * on an ephemeral port.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installSpanliteApp, REPO, type InstalledApp, type RunResult } from '../helpers/installed-app.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let server: Server;
let received: Received[];
let endpoint: string;
let app: InstalledApp;

beforeAll(async () => {
  app = await installSpanliteApp();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  if (server !== undefined) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
  app?.remove();
});

beforeEach(() => {
  received = [];
});

function runApp(
  file: string,
  source: string,
  nodeArgs: string[],
  env: Record<string, string> = {},
  onStdout?: (text: string, child: ChildProcess) => void,
): Promise<RunResult> {
  return app.run(file, source, nodeArgs, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, ...env }, onStdout);
}

const bodies = (): Buffer => Buffer.concat(received.map((request) => request.body));

describe('the drop-in register file', { timeout: 20_000 }, () => {
  it('traces an ESM app started with --import spanlite/register and exports protobuf on exit', async () => {
    const result = await runApp(
      'app.mjs',
      `import { observe, updateCurrentTrace } from 'spanlite';
       const handler = observe(async function esmHandler(q) { updateCurrentTrace({ userId: 'esm-user' }); return q.length; });
       console.log(await handler('hello'));`,
      ['--import', 'spanlite/register'],
      { OTEL_SERVICE_NAME: 'esm-service', OTEL_EXPORTER_OTLP_HEADERS: 'x-spanlite-key=secret%20one' },
    );
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: '5\n' });
    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(received[0]).toMatchObject({
      path: '/v1/traces',
      headers: { 'content-type': 'application/x-protobuf', 'x-spanlite-key': 'secret one' },
    });
    for (const text of ['esmHandler', 'esm-service', 'esm-user']) expect(bodies().includes(text), text).toBe(true);
  });

  it('traces a CommonJS app preloaded with -r spanlite/register', async () => {
    const result = await runApp(
      'app.cjs',
      `const { observe } = require('spanlite');
       observe(function cjsHandler() { return 'ok'; })();
       console.log('done');`,
      ['-r', 'spanlite/register'],
      { OTEL_RESOURCE_ATTRIBUTES: 'service.name=cjs-service' },
    );
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: 'done\n' });
    expect(received.length).toBeGreaterThanOrEqual(1);
    for (const text of ['cjsHandler', 'cjs-service']) expect(bodies().includes(text), text).toBe(true);
  });

  it('flushes on SIGTERM and then exits by the signal as it would untraced', async () => {
    const result = await runApp(
      'server.mjs',
      `import { observe } from 'spanlite';
       observe(function beforeSignal() {})();
       setInterval(() => {}, 1000);
       console.log('ready');`,
      ['--import', 'spanlite/register'],
      {},
      (stdout, child) => {
        if (stdout.includes('ready')) child.kill('SIGTERM');
      },
    );
    expect(result.signal).toBe('SIGTERM');
    expect(bodies().includes('beforeSignal')).toBe(true);
  });

  it('costs an app whose collector is down a warning and a bounded wait, never a crash or a hang', async () => {
    const result = await runApp(
      'offline.mjs',
      `import { observe } from 'spanlite';
       observe(function offlineWork() { return 1; })();
       console.log('app finished');`,
      ['--import', 'spanlite/register'],
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9/v1/traces' },
    );
    expect(result).toMatchObject({ code: 0, stdout: 'app finished\n' });
    expect(result.stderr).toContain('spanlite: spans not exported to http://127.0.0.1:9/v1/traces');
    expect(result.elapsedMs).toBeLessThan(5_000);
  });

  it('installs nothing and sends nothing when OTEL_SDK_DISABLED=true', async () => {
    const result = await runApp(
      'disabled.mjs',
      `import { observe } from 'spanlite';
       console.log(observe(function work() { return 'still works'; })());`,
      ['--import', 'spanlite/register'],
      { OTEL_SDK_DISABLED: 'true' },
    );
    expect(result).toMatchObject({ code: 0, stdout: 'still works\n', stderr: '' });
    expect(received).toEqual([]);
  });
});

describe('the spanlite package entry points', { timeout: 20_000 }, () => {
  /** Lists the Fastify / better-sqlite3 files loaded (both are CommonJS, so in require.cache however imported). */
  const probe = (loadFastifyToo: boolean): string => `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    const heavy = () => Object.keys(require.cache).filter((file) => /node_modules[\\\\/](fastify|better-sqlite3)[\\\\/]/.test(file));
    await import('spanlite');
    const afterSpanlite = heavy();
    if (${loadFastifyToo}) await import(${JSON.stringify(join(REPO, 'node_modules/fastify/fastify.js'))});
    console.log(JSON.stringify({ afterSpanlite, afterControl: heavy() }));`;

  it('never load Fastify or better-sqlite3 (and the probe does see them when they are loaded)', async () => {
    const plain = await runApp('probe.mjs', probe(false), ['--import', 'spanlite/register']);
    expect(JSON.parse(plain.stdout)).toEqual({ afterSpanlite: [], afterControl: [] });

    const control = await runApp('probe-control.mjs', probe(true), ['--import', 'spanlite/register']);
    const parsed = JSON.parse(control.stdout) as { afterSpanlite: string[]; afterControl: string[] };
    expect(parsed.afterSpanlite).toEqual([]);
    expect(parsed.afterControl.some((file) => file.includes('fastify'))).toBe(true);
  });
});

describe('the examples', { timeout: 20_000 }, () => {
  const cases: Array<[string, string[]]> = [
    ['support-query.mjs', ['support-query', 'retrieval', 'llm-answer', 'rerank', 'helpfulness', 'user_123', 'gpt-4o-mini']],
    ['rag-pipeline.mjs', ['ragPipeline', 'embed', 'vectorSearch', 'rerank', 'generate', 'context_relevance', 'user_42']],
    ['parallel-search.mjs', ['researchPipeline', 'webSearch', 'docsSearch', 'fetchPage', 'summarise', 'session_parallel']],
  ];
  it.each(cases)('runs %s and exports its trace', async (file, expected) => {
    const source = readFileSync(join(REPO, 'examples', file), 'utf8');
    const result = await runApp(file, source, []);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^trace [0-9a-f]{32}/);
    for (const text of expected) expect(bodies().includes(text), text).toBe(true);
  });
});
