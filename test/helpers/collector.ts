/** A real collector on an ephemeral 127.0.0.1 port, with its own temp database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { loadCollectorConfig, type CollectorConfig } from '../../config/collector-config.js';
import { startCollector } from '../../collector/main.js';

export interface TestCollector {
  url: string;
  tracesEndpoint: string;
  logsEndpoint: string;
  /** OTLP/gRPC endpoint (`http://127.0.0.1:<port>`); null when started with `grpcPort: null`. */
  grpcUrl: string | null;
  dbFile: string;
  close(): Promise<void>;
  /** GET a REST path and parse the JSON body; throws on a non-2xx answer. */
  getJson<T = any>(path: string): Promise<T>;
}

export async function startTestCollector(overrides: Partial<CollectorConfig> = {}): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'spanlite-test-'));
  const config: CollectorConfig = {
    ...loadCollectorConfig({}),
    host: '127.0.0.1',
    port: 0,
    dbFile: join(dir, 'spanlite.db'),
    dbSynchronous: 'normal',
    logLevel: 'silent',
    grpcPort: 0,
    ...overrides,
  };
  const collector = await startCollector(Object.freeze(config), pino({ level: 'silent' }));
  return {
    url: collector.url,
    tracesEndpoint: collector.tracesEndpoint,
    logsEndpoint: collector.logsEndpoint,
    grpcUrl: collector.grpcUrl,
    dbFile: config.dbFile,
    async close() {
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
    async getJson(path) {
      const response = await fetch(collector.url + path);
      const body = await response.json();
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(body)}`);
      return body as any;
    },
  };
}

/**
 * One collector for the calling suite (a file, or the describe it is called in): started before
 * its tests, closed after them. The returned collector stands for the running one.
 */
export function collectorPerSuite(overrides: Partial<CollectorConfig> = {}): TestCollector {
  let current: TestCollector | undefined;
  beforeAll(async () => {
    current = await startTestCollector(overrides);
  });
  afterAll(async () => current?.close());
  const running = (): TestCollector => {
    if (current === undefined) throw new Error('collectorPerSuite: used before the suite started');
    return current;
  };
  return {
    get url() {
      return running().url;
    },
    get tracesEndpoint() {
      return running().tracesEndpoint;
    },
    get logsEndpoint() {
      return running().logsEndpoint;
    },
    get grpcUrl() {
      return running().grpcUrl;
    },
    get dbFile() {
      return running().dbFile;
    },
    close: () => running().close(),
    getJson: (path) => running().getJson(path),
  };
}

/** A response's JSON body, untyped: tests assert its shape. */
export function jsonBody(response: Response): Promise<any> {
  return response.json() as Promise<any>;
}
