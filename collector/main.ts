/**
 * Wires the concrete pieces: config -> prices -> store -> queue -> pipeline -> app -> listen.
 * The one place that knows them all. Shutdown stops accepting, finishes in-flight requests and
 * queued writes, then closes the database; it is idempotent.
 */
import pino, { type Logger } from 'pino';
import type { CollectorConfig } from '../config/collector-config.js';
import { loadPricingTable } from '../config/pricing.js';
import { createPriceIndex } from './cost.js';
import { openSqliteStore } from './store/sqlite-store.js';
import { createWriteQueue } from './write-queue.js';
import { createPipeline } from './pipeline.js';
import { buildApp } from './app.js';

export interface RunningCollector {
  /** Base URL, e.g. http://127.0.0.1:4318 */
  url: string;
  /** OTLP traces endpoint to point exporters at. */
  tracesEndpoint: string;
  close(): Promise<void>;
}

export async function startCollector(
  config: Readonly<CollectorConfig>,
  logger: Logger = pino({ level: config.logLevel }),
): Promise<RunningCollector> {
  const prices = createPriceIndex(loadPricingTable({ userPricingFile: config.pricingFile }));
  const store = openSqliteStore({ file: config.dbFile, synchronous: config.dbSynchronous });
  const queue = createWriteQueue({ store, maxQueuedSpans: config.maxQueuedSpans });
  const pipeline = createPipeline({ queue, prices });
  const app = await buildApp({ pipeline, store, maxBodyBytes: config.maxBodyBytes, logger });

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await store.close();
    throw new Error(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`, { cause: error });
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    tracesEndpoint: `${url}/v1/traces`,
    close() {
      closing ??= (async () => {
        await app.close(); // stops accepting; waits for in-flight requests (they await their commit)
        await queue.drain();
        await store.close();
      })();
      return closing;
    },
  };
}
