#!/usr/bin/env node
/**
 * The `spanlite` command. Default (and `spanlite start`): run the collector until SIGTERM/SIGINT.
 * `spanlite keys ...`: manage API keys (auth/keys-command.ts).
 * `spanlite backup FILE`: copy the SQLite database while it is in use (store/backup-command.ts).
 * `spanlite reprice ...`: recompute stored costs with today's prices (pricing/reprice-command.ts).
 */
import { ConfigError, loadCollectorConfig } from '../config/collector-config.js';
import { describeDatabase, startCollector } from './main.js';
import { KEYS_USAGE, runKeysCommand } from './auth/keys-command.js';
import { openSqliteKeyStore } from './store/sqlite/keys.js';
import { openPostgresKeyStore } from './store/postgres/keys.js';
import { createLogger, logFormatOf } from './logger.js';
import { logStart } from './start-banner.js';
import { ListenError } from './receiver/listen-error.js';
import { routeGrpcLogs } from './receiver/grpc-logs.js';
import { BACKUP_USAGE, runBackupCommand } from './store/backup-command.js';
import { runCopyCommandInProcess } from './copy/copy-command.js';
import { REPRICE_USAGE, runRepriceCommand } from './pricing/reprice-command.js';

const USAGE = `usage: spanlite [start]
       spanlite keys create|list|revoke ...
       spanlite backup FILE [--force]
       spanlite copy --to TARGET     (copy the database to another: spanlite copy --help)
       spanlite reprice [--model M] [--from ISO] [--to ISO] [--project P]

Runs the spanlite collector. Configuration comes from environment variables
(SPANLITE_HOST, SPANLITE_PORT, SPANLITE_GRPC_PORT, SPANLITE_DB, SPANLITE_LOG_FORMAT, ...):
see the README.

${KEYS_USAGE}

${BACKUP_USAGE}

${REPRICE_USAGE}`;

async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0] ?? 'start';
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'start' && command !== 'keys' && command !== 'backup' && command !== 'copy' && command !== 'reprice') {
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
  if (command === 'reprice') {
    return runRepriceCommand(argv.slice(1), config, { out: (text) => console.log(text), err: (text) => console.error(text) });
  }
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
  if (command === 'backup') {
    const location = config.dbEngine === 'postgres' ? describeDatabase(config) : config.dbFile;
    return runBackupCommand(argv.slice(1), { engine: config.dbEngine, location }, {
      out: (text) => console.log(text),
      err: (text) => console.error(text),
    });
  }
  const terminal = process.stdout.isTTY === true;
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, terminal });
  routeGrpcLogs(logger);
  let collector;
  try {
    collector = await startCollector(config, logger);
  } catch (error) {
    if (error instanceof ListenError) {
      console.error(`spanlite: ${error.message}`);
      return 1;
    }
    logger.fatal({ err: error }, `spanlite could not start: ${(error as Error).message}`);
    return 1;
  }
  logStart(logger, logFormatOf({ format: config.logFormat, terminal }), {
    url: collector.url,
    tracesEndpoint: collector.tracesEndpoint,
    logsEndpoint: collector.logsEndpoint,
    grpcUrl: collector.grpcUrl,
    database: describeDatabase(config),
    apiKeysRequired: collector.apiKeysRequired,
  });

  await new Promise<void>((done) => {
    // Ctrl-C under `npm start` delivers SIGINT twice (from the terminal, and forwarded by npm):
    // a repeat must not cut the drain short, so every signal after the first is only noted.
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.info(`${signal} received: already stopping`);
        return;
      }
      stopping = true;
      logger.info(`${signal} received: finishing in-flight requests, then closing the database`);
      collector
        .close()
        .then(() => logger.info('spanlite stopped'))
        .catch((error: unknown) => logger.error({ err: error }, 'error while stopping'))
        .finally(done);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
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
