/**
 * What `spanlite start` says once it listens: where to send OTLP, where the web UI is, which
 * database it writes and whether requests need an API key. For people (pretty format) a block of
 * aligned lines; for machines (json format) one log line carrying the same facts as fields.
 */
import type { Logger } from 'pino';
import type { LogFormat } from './logger.js';

export interface StartFacts {
  /** Base URL, e.g. http://127.0.0.1:4318: OTEL_EXPORTER_OTLP_ENDPOINT, and the web UI's address. */
  url: string;
  tracesEndpoint: string;
  logsEndpoint: string;
  /** null when SPANLITE_GRPC_PORT=off. */
  grpcUrl: string | null;
  /** `SQLite /abs/path.db` or `PostgreSQL host:port/db (user "u")`, never a password. */
  database: string;
  apiKeysRequired: boolean;
}

/** The human block: a title line, then one `label  value` line per fact. */
export function startBanner(facts: StartFacts): string {
  const rows: Array<[string, string]> = [
    ['OTLP/HTTP traces', facts.tracesEndpoint],
    ['OTLP/HTTP logs', facts.logsEndpoint],
    ['OTLP/gRPC', facts.grpcUrl ?? 'off (SPANLITE_GRPC_PORT=off)'],
    ['Web UI', `${facts.url}/`],
    ['Database', facts.database],
    [
      'API keys',
      facts.apiKeysRequired
        ? 'required (Authorization: Basic public:secret or Bearer secret, or x-api-key: secret)'
        : 'not required: no key exists yet (spanlite keys create --project NAME makes one)',
    ],
    ['Exporters', `OTEL_EXPORTER_OTLP_ENDPOINT=${facts.url}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return ['spanlite is running', ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)].join('\n');
}

/** Logs the start: the banner in pretty format, one structured line in json format. */
export function logStart(logger: Pick<Logger, 'info'>, format: LogFormat, facts: StartFacts): void {
  if (format === 'pretty') {
    logger.info(startBanner(facts));
    return;
  }
  const grpc = facts.grpcUrl === null ? 'OTLP/gRPC off' : `OTLP/gRPC on ${facts.grpcUrl}`;
  logger.info(
    { ...facts, uiUrl: `${facts.url}/`, otlpEndpoint: facts.url },
    `spanlite listening on ${facts.url}; ${grpc}; web UI ${facts.url}/; database ${facts.database}; ` +
      `API keys ${facts.apiKeysRequired ? 'required' : 'not required'}; ` +
      `point exporters at OTEL_EXPORTER_OTLP_ENDPOINT=${facts.url} ` +
      `(traces: ${facts.tracesEndpoint}, logs: ${facts.logsEndpoint})`,
  );
}
