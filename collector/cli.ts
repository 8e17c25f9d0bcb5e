#!/usr/bin/env node
/**
 * The `spanlite` command. Default (and `spanlite start`): run the collector until SIGTERM/SIGINT.
 * `spanlite keys ...`: manage API keys (auth/keys-command.ts).
 */
import pino from 'pino';
import { ConfigError, loadCollectorConfig } from '../config/collector-config.js';
import { describeDatabase, startCollector } from './main.js';
import { KEYS_USAGE, runKeysCommand } from './auth/keys-command.js';
import { openSqliteKeyStore } from './store/sqlite/keys.js';
import { openPostgresKeyStore } from './store/postgres/keys.js';
import { runCopyCommandInProcess } from './copy/copy-command.js';

const USAGE = `usage: spanlite [start]
       spanlite keys create|list|revoke ...
       spanlite copy --to TARGET     (copy the database to another: spanlite copy --help)

Runs the spanlite collector. Configuration comes from environment variables
(SPANLITE_HOST, SPANLITE_PORT, SPANLITE_GRPC_PORT, SPANLITE_DB, ...): see the README.

${KEYS_USAGE}`;

async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0] ?? 'start';
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'start' && command !== 'keys' && command !== 'copy') {
    console.error(`spanlite: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }

  let config;
  try {
    config = loadCollectorConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`spanlite: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (command === 'copy') return runCopyCommandInProcess(argv.slice(1), config.dbFile);
  if (command === 'keys') {
    const dbFile = config.dbFile;
    const openKeys = config.dbEngine === 'postgres'
      ? () => openPostgresKeyStore({ url: dbFile, poolSize: 1 })
      : () => openSqliteKeyStore({ file: dbFile });
    return runKeysCommand(argv.slice(1), openKeys, {
      out: (text) => console.log(text),
      err: (text) => console.error(text),
    });
  }
  const logger = pino({ level: config.logLevel });
  let collector;
  try {
    collector = await startCollector(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, `spanlite could not start: ${(error as Error).message}`);
    return 1;
  }
  const grpc = collector.grpcUrl === null ? 'OTLP/gRPC off' : `OTLP/gRPC on ${collector.grpcUrl}`;
  const database = describeDatabase(config);
  logger.info(
    { url: collector.url, grpcUrl: collector.grpcUrl, database, otlpEndpoint: collector.url },
    `spanlite listening on ${collector.url}; ${grpc}; database ${database}; ` +
      `point exporters at OTEL_EXPORTER_OTLP_ENDPOINT=${collector.url} ` +
      `(traces: ${collector.tracesEndpoint}, logs: ${collector.logsEndpoint})`,
  );

  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      logger.info(`${signal} received: finishing in-flight requests, then closing the database`);
      collector
        .close()
        .then(() => logger.info('spanlite stopped'))
        .catch((error: unknown) => logger.error({ err: error }, 'error while stopping'))
        .finally(done);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('spanlite: unexpected error', error);
    process.exitCode = 1;
  },
);
