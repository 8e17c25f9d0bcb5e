/**
 * Wires the concrete pieces: config -> prices -> store -> keys -> metrics -> queue -> pipeline -> app (HTTP)
 * and gRPC server -> listen. The one place that knows them all. Shutdown stops both servers
 * accepting, finishes in-flight requests and queued writes, then closes the database; it is
 * idempotent.
 */
import pino, { type Logger } from 'pino';
import { resolve } from 'node:path';
import type { CollectorConfig } from '../config/collector-config.js';
import { loadPricingFile } from '../config/pricing.js';
import { createPriceCatalog } from './pricing/price-catalog.js';
import { loadModelCatalog } from './pricing/genai-prices.js';
import { describeCatalogVersion } from './pricing/model-catalog.js';
import { openSqliteStore } from './store/sqlite/store.js';
import { createWriteQueue } from './write-queue.js';
import { createPipeline } from './pipeline.js';
import { buildApp } from './app.js';
import { buildGrpcServer, closeGrpcServer, listenGrpc } from './receiver/grpc-receiver.js';
import { startRetention } from './store/retention.js';
import { createAdmission } from './receiver/admission.js';
import { openSqliteKeyStore } from './store/sqlite/keys.js';
import { createAccessControl, type AccessControl } from './auth/access-control.js';
import type { KeyStore } from './auth/key-store.js';
import type { TraceStore } from './store/contract.js';
import { openPostgresStore } from './store/postgres/store.js';
import { openPostgresKeyStore } from './store/postgres/keys.js';
import { describeTarget, postgresTarget } from './store/postgres/connect.js';
import { loadMaskRules } from './masking/mask-rules.js';
import { createMasker } from './masking/masker.js';
import { listenError } from './receiver/listen-error.js';
import { createCollectorMetrics } from './prometheus/collector-metrics.js';
import { meterPipeline, meterWrites } from './prometheus/metered-ingest.js';
import { packageVersion } from './package-version.js';

export interface RunningCollector {
  /** Base URL, e.g. http://127.0.0.1:4318 */
  url: string;
  /** OTLP traces endpoint to point exporters at. */
  tracesEndpoint: string;
  /** OTLP logs endpoint. */
  logsEndpoint: string;
  /** OTLP/gRPC endpoint (`http://host:port`, as gRPC exporters take it); null when disabled. */
  grpcUrl: string | null;
  /** Whether requests needed an API key at start (a key existed); open otherwise, until one is created. */
  apiKeysRequired: boolean;
  close(): Promise<void>;
}

export async function startCollector(
  config: Readonly<CollectorConfig>,
  logger: Logger = pino({ level: config.logLevel }),
): Promise<RunningCollector> {
  const filePrices = config.pricingFile === undefined ? [] : loadPricingFile(config.pricingFile);
  const catalog = await loadModelCatalog();
  const masker = createMasker(loadMaskRules(config.maskDetectors, config.maskFile));
  for (const warning of config.ignoredSettings) logger.warn(warning);
  const store = await openStore(config, logger);
  let keyStore: KeyStore | undefined;
  let accessControl: AccessControl;
  try {
    keyStore = await openKeyStore(config);
    accessControl = await createAccessControl({
      keys: keyStore,
      host: config.host,
      allowOpen: config.allowOpen,
      keyRecheckMs: config.keyRecheckMs,
      rateLimitPerMinute: config.rateLimitPerMinute,
      logger,
    });
  } catch (error) {
    await keyStore?.close();
    await store.close();
    throw error;
  }
  const keys = keyStore;
  const { access } = accessControl;
  const prices = await createPriceCatalog({ filePrices, catalog, store });
  const catalogModels = catalog.providers.reduce((sum, provider) => sum + provider.models.length, 0);
  logger.info(
    { catalog: catalog.version, providers: catalog.providers.length, models: catalogModels },
    `Model prices: ${describeCatalogVersion(catalog.version)} (${catalogModels} models from ${catalog.providers.length} providers)` +
      (config.pricingFile === undefined ? '' : `, after ${filePrices.length} from ${config.pricingFile}`),
  );
  const metrics = createCollectorMetrics({
    queuedSpans: () => queue.queuedSpans,
    databaseSizeBytes: () => store.databaseSizeBytes(),
    maskedValues: () => masker.counts(),
  });
  const queue = createWriteQueue({
    store: meterWrites(store, metrics),
    maxQueuedSpans: config.maxQueuedSpans,
    maxConcurrentWrites: concurrentWrites(config),
  });
  const pipeline = meterPipeline(createPipeline({ queue, prices, masker }), metrics);
  const { maxAttributeBytes } = config;
  const admission = createAdmission({ maxQueueDelayMs: config.maxQueueDelayMs });
  const app = await buildApp({
    pipeline, store, prices, maxBodyBytes: config.maxBodyBytes, maxAttributeBytes, admission, logger,
    corsOrigins: config.corsOrigins,
    access,
    masker,
    admin: { keys: accessControl.keys, adminToken: config.adminToken },
    accessMode: accessControl.mode,
    metrics,
    version: packageVersion(),
  });
  const grpcServer = config.grpcPort === null
    ? null
    : buildGrpcServer({
      pipeline, maxMessageBytes: config.maxBodyBytes, maxAttributeBytes, admission, projectOf: access.projectOf,
      logger,
    });

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await keys.close();
    await store.close();
    throw listenError(error, { what: 'OTLP/HTTP and the web UI', host: config.host, port: config.port, portVariable: 'SPANLITE_PORT' });
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  let grpcUrl: string | null = null;
  if (grpcServer !== null && config.grpcPort !== null) {
    try {
      grpcUrl = `http://${host}:${await listenGrpc(grpcServer, config.host, config.grpcPort)}`;
    } catch (error) {
      grpcServer.forceShutdown();
      await app.close();
      await keys.close();
      await store.close();
      throw listenError(error, { what: 'OTLP/gRPC', host: config.host, port: config.grpcPort, portVariable: 'SPANLITE_GRPC_PORT' });
    }
  }

  const retention = config.retentionDays > 0
    ? startRetention({ store, retentionDays: config.retentionDays, logger })
    : null;
  let closing: Promise<void> | null = null;
  return {
    url,
    tracesEndpoint: `${url}/v1/traces`,
    logsEndpoint: `${url}/v1/logs`,
    grpcUrl,
    apiKeysRequired: accessControl.startsKeyed,
    close() {
      closing ??= (async () => {
        // Let requests that have already arrived be read first: closing cuts every connection
        // with no request begun, including one accepted in this turn whose bytes wait unread.
        // Two turns: accepted in this one, read in the next.
        for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
        // Both stop accepting, then wait for their in-flight requests (which await their commit).
        await Promise.all([app.close(), grpcServer === null ? undefined : closeGrpcServer(grpcServer), retention?.stop()]);
        await queue.drain();
        await keys.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/** Where the collector stores its data, for logs: the SQLite file, or PostgreSQL's host, port, database and user (never the password). */
export function describeDatabase(config: Readonly<CollectorConfig>): string {
  return config.dbEngine === 'postgres'
    ? `PostgreSQL ${describeTarget(postgresTarget(config.dbFile))}`
    : `SQLite ${resolve(config.dbFile)}`;
}

/** The store SPANLITE_DB names: a failed PostgreSQL connection or migration throws, naming the target without its password. */
async function openStore(config: Readonly<CollectorConfig>, logger: Logger): Promise<TraceStore> {
  if (config.dbEngine === 'postgres') {
    const store = await openPostgresStore({
      url: config.dbFile,
      poolSize: config.dbPoolSize,
      queryTimeoutMs: config.dbQueryTimeoutMs,
      // The message only: node-postgres errors can carry the connection's settings, password included.
      onIdleError: (error) => logger.warn(`PostgreSQL connection lost while idle: ${error.message}`),
    });
    const target = postgresTarget(config.dbFile);
    logger.info({ host: target.host, port: target.port, database: target.database, poolSize: config.dbPoolSize }, `PostgreSQL in use: ${describeTarget(target)}`);
    return store;
  }
  return openSqliteStore({
    file: config.dbFile,
    synchronous: config.dbSynchronous,
    cacheMiB: config.dbCacheMiB,
    onUpkeepFailure: (error) => logger.warn({ err: error }, error.message),
  });
}

/**
 * Group commits at once: SQLite has one writer; on PostgreSQL two, so that the server writes one
 * group while the collector prepares the next (measured with bench:ingest --store postgres),
 * leaving a pooled connection to the REST API.
 */
function concurrentWrites(config: Readonly<CollectorConfig>): number {
  return config.dbEngine === 'postgres' ? Math.max(1, Math.min(2, config.dbPoolSize - 1)) : 1;
}

/** After the store's open, which prepared the database: its own connection (store/sqlite/keys.ts) or small pool. */
function openKeyStore(config: Readonly<CollectorConfig>): KeyStore | Promise<KeyStore> {
  if (config.dbEngine === 'postgres') return openPostgresKeyStore({ url: config.dbFile, poolSize: 2, queryTimeoutMs: config.dbQueryTimeoutMs });
  return openSqliteKeyStore({ file: config.dbFile });
}
