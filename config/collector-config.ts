/**
 * Collector configuration: read from the environment once, validated, frozen, passed down.
 * Every problem is reported at once so a bad deployment is fixed in one go.
 */
import { envReader } from './env-reader.js';
import { DEFAULT_QUERY_TIMEOUT_MS, postgresTarget } from '../collector/store/postgres/connect.js';
import { DETECTOR_NAMES, type DetectorName } from '../collector/masking/detectors.js';

export interface CollectorConfig {
  /** SPANLITE_HOST, default 127.0.0.1. */
  host: string;
  /** SPANLITE_PORT, default 4318 (the OTLP/HTTP port). */
  port: number;
  /**
   * SPANLITE_DB, default ./data/spanlite.db: a SQLite database file, or a `postgres://` or
   * `postgresql://` URL, which selects the PostgreSQL engine (`dbEngine`).
   */
  dbFile: string;
  /** `postgres` when SPANLITE_DB is a PostgreSQL URL, else `sqlite`. */
  dbEngine: 'sqlite' | 'postgres';
  /** SPANLITE_DB_POOL, default 10 (1-1000): PostgreSQL connections at most. */
  dbPoolSize: number;
  /**
   * SPANLITE_DB_QUERY_TIMEOUT_MS, default 30000 (1000-3600000): how long a PostgreSQL statement
   * may run; it also bounds a new connection (at most 10 s) and, a second later, the wait for a
   * server that does not answer (collector/store/postgres/connect.ts).
   */
  dbQueryTimeoutMs: number;
  /** SPANLITE_DB_SYNC: full (default, survives power loss) or normal (survives a process crash). */
  dbSynchronous: 'full' | 'normal';
  /**
   * SPANLITE_DB_CACHE_MB, default 64: the most memory SQLite's page cache may take (it fills with
   * the pages read and written, up to the database's size).
   */
  dbCacheMiB: number;
  /**
   * Settings given that the selected engine does not use (SPANLITE_DB_SYNC and
   * SPANLITE_DB_CACHE_MB on PostgreSQL, SPANLITE_DB_POOL on SQLite), each with why: logged as
   * warnings at start rather than refused, so one environment file can serve both engines.
   */
  ignoredSettings: readonly string[];
  /** SPANLITE_MAX_BODY_BYTES, default 16 MiB: limit on a request body, after decompression too. */
  maxBodyBytes: number;
  /** SPANLITE_MAX_QUEUED_SPANS, default 100000: spans waiting to be written before 503. */
  maxQueuedSpans: number;
  /**
   * SPANLITE_MAX_QUEUE_DELAY_MS, default 2000: when even the quickest export of the last second
   * took longer, new exports and Langfuse ingestion requests get 503 + Retry-After before their
   * body is read (collector/receiver/admission.ts).
   */
  maxQueueDelayMs: number;
  /**
   * SPANLITE_MAX_ATTRIBUTE_BYTES, default 1 MiB: largest attribute value (or log body) in UTF-8
   * bytes; a longer one is truncated with a marker and the cut recorded (collector/value-limits).
   */
  maxAttributeBytes: number;
  /**
   * SPANLITE_RETENTION_DAYS, default 0 (keep forever): traces that started longer ago are deleted,
   * with everything under them, in small background batches (collector/retention).
   */
  retentionDays: number;
  /**
   * SPANLITE_MASK: built-in detectors (comma list of DETECTOR_NAMES) whose matches are replaced
   * in every stored text before the write. Default none.
   */
  maskDetectors: readonly DetectorName[];
  /** SPANLITE_MASK_FILE: a JSON file of custom masking rules (collector/masking/mask-rules.ts). */
  maskFile: string | undefined;
  /** SPANLITE_PRICING_FILE: a JSON file of model prices tried before the model catalog's. */
  pricingFile: string | undefined;
  /** SPANLITE_LOG_LEVEL, default info. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * SPANLITE_LOG_FORMAT: `json` (one pino JSON object a line, for machines) or `pretty` (pino-pretty,
   * for people). Unset: pretty when standard output is a terminal, json otherwise (collector/logger).
   */
  logFormat: 'json' | 'pretty' | undefined;
  /**
   * SPANLITE_GRPC_PORT, default 4317 (the OTLP/gRPC port); 0 picks a free one; null (`off` or
   * `-1`) runs no gRPC receiver. Listens on `host`, with `maxBodyBytes` as the message limit.
   */
  grpcPort: number | null;
  /**
   * SPANLITE_CORS_ORIGINS: origins (`https://app.example.com`) browsers may send from, or `*` for
   * any. Default none: no CORS headers at all.
   */
  corsOrigins: readonly string[];
  /**
   * SPANLITE_ADMIN_TOKEN: bearer token of the admin API (/api/admin/keys), at least 16
   * characters. Default none: the admin API is disabled.
   */
  adminToken: string | undefined;
  /**
   * SPANLITE_ALLOW_OPEN, default false: start open (no key exists) even when bound to a
   * non-loopback address. Without it such a start is refused (collector/auth/open-mode).
   */
  allowOpen: boolean;
  /**
   * SPANLITE_RATE_LIMIT_PER_MINUTE, default 0 (off): requests per API key per minute, bursts up to
   * as many; beyond it 429 + Retry-After (collector/auth/rate-limiter).
   */
  rateLimitPerMinute: number;
  /**
   * SPANLITE_KEY_RECHECK_MS, default 5000: how long a verified key is trusted before the key table
   * is read again, i.e. how late a key revoked by another process (the CLI) is still accepted.
   */
  keyRecheckMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const MIN_ADMIN_TOKEN_LENGTH = 16;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const LOG_FORMATS = ['json', 'pretty'] as const;

export function loadCollectorConfig(env: NodeJS.ProcessEnv = process.env): Readonly<CollectorConfig> {
  const { problems, integer, oneOf, flag } = envReader(env);

  const config: CollectorConfig = {
    host: env.SPANLITE_HOST || '127.0.0.1',
    port: integer('SPANLITE_PORT', 4318, 0, 65535),
    dbFile: env.SPANLITE_DB || './data/spanlite.db',
    dbEngine: /^postgres(ql)?:\/\//i.test(env.SPANLITE_DB ?? '') ? 'postgres' : 'sqlite',
    dbPoolSize: integer('SPANLITE_DB_POOL', 10, 1, 1_000),
    dbQueryTimeoutMs: integer('SPANLITE_DB_QUERY_TIMEOUT_MS', DEFAULT_QUERY_TIMEOUT_MS, 1_000, 3_600_000),
    dbSynchronous: oneOf('SPANLITE_DB_SYNC', ['full', 'normal'] as const, 'full'),
    dbCacheMiB: integer('SPANLITE_DB_CACHE_MB', 64, 2, 65_536),
    ignoredSettings: [],
    maxBodyBytes: integer('SPANLITE_MAX_BODY_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxQueuedSpans: integer('SPANLITE_MAX_QUEUED_SPANS', 100_000, 1, 10_000_000),
    maxQueueDelayMs: integer('SPANLITE_MAX_QUEUE_DELAY_MS', 2_000, 100, 600_000),
    maxAttributeBytes: integer('SPANLITE_MAX_ATTRIBUTE_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    retentionDays: integer('SPANLITE_RETENTION_DAYS', 0, 0, 36_500),
    maskDetectors: maskDetectors(env, problems),
    maskFile: env.SPANLITE_MASK_FILE || undefined,
    pricingFile: env.SPANLITE_PRICING_FILE || undefined,
    logLevel: oneOf('SPANLITE_LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: env.SPANLITE_LOG_FORMAT ? oneOf('SPANLITE_LOG_FORMAT', LOG_FORMATS, 'json') : undefined,
    grpcPort: grpcPort(env, problems),
    corsOrigins: corsOrigins(env, problems),
    adminToken: adminToken(env, problems),
    allowOpen: flag('SPANLITE_ALLOW_OPEN', false),
    rateLimitPerMinute: integer('SPANLITE_RATE_LIMIT_PER_MINUTE', 0, 0, 100_000_000),
    keyRecheckMs: integer('SPANLITE_KEY_RECHECK_MS', 5_000, 0, 300_000),
  };
  if (config.grpcPort !== null && config.grpcPort !== 0 && config.grpcPort === config.port) {
    problems.push(`SPANLITE_GRPC_PORT: must differ from SPANLITE_PORT (both ${config.port})`);
  }
  if (config.dbEngine === 'postgres') {
    try {
      postgresTarget(config.dbFile);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ ...config, ignoredSettings: Object.freeze(ignoredSettings(env, config.dbEngine)) });
}

/** Settings of one engine only, and what takes their place on the other. */
const ENGINE_SETTINGS: ReadonlyArray<{ name: string; engine: CollectorConfig['dbEngine']; instead: string }> = [
  { name: 'SPANLITE_DB_SYNC', engine: 'sqlite', instead: "set durability with the server's synchronous_commit" },
  { name: 'SPANLITE_DB_CACHE_MB', engine: 'sqlite', instead: "the cache is the server's shared_buffers" },
  { name: 'SPANLITE_DB_POOL', engine: 'postgres', instead: 'SQLite is one file with one writer' },
  { name: 'SPANLITE_DB_QUERY_TIMEOUT_MS', engine: 'postgres', instead: 'SQLite is a file on this machine, with no network to wait on' },
];

const ENGINE_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

function ignoredSettings(env: NodeJS.ProcessEnv, engine: CollectorConfig['dbEngine']): string[] {
  return ENGINE_SETTINGS
    .filter((setting) => setting.engine !== engine && (env[setting.name] ?? '') !== '')
    .map((setting) => `${setting.name} is ignored on ${ENGINE_NAMES[engine]}: it applies to ${ENGINE_NAMES[setting.engine]} only (${setting.instead})`);
}

function maskDetectors(env: NodeJS.ProcessEnv, problems: string[]): readonly DetectorName[] {
  const names = (env.SPANLITE_MASK ?? '').split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(DETECTOR_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    problems.push(`SPANLITE_MASK: unknown detector ${unknown.map((name) => `"${name}"`).join(', ')} (expected some of ${DETECTOR_NAMES.join(', ')})`);
  }
  return Object.freeze([...new Set(names.filter((name): name is DetectorName => !unknown.includes(name)))]);
}

/** Long enough not to be guessed; its value is never echoed. */
function adminToken(env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const raw = env.SPANLITE_ADMIN_TOKEN;
  if (raw === undefined || raw === '') return undefined;
  const token = raw.trim();
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    problems.push(`SPANLITE_ADMIN_TOKEN: expected at least ${MIN_ADMIN_TOKEN_LENGTH} characters (got ${token.length}); e.g. openssl rand -hex 32`);
    return undefined;
  }
  return token;
}

function grpcPort(env: NodeJS.ProcessEnv, problems: string[]): number | null {
  const raw = env.SPANLITE_GRPC_PORT;
  if (raw === undefined || raw === '') return 4317;
  const value = raw.trim().toLowerCase();
  if (value === 'off' || value === '-1') return null;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    problems.push(`SPANLITE_GRPC_PORT: expected an integer 0-65535, or off / -1 to disable (got "${raw}")`);
    return null;
  }
  return port;
}

/** `*`, or a comma list of origins: scheme, host and optional port, nothing else. */
function corsOrigins(env: NodeJS.ProcessEnv, problems: string[]): readonly string[] {
  const raw = env.SPANLITE_CORS_ORIGINS;
  if (raw === undefined || raw.trim() === '') return Object.freeze([]);
  const origins = raw.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  if (origins.includes('*')) {
    if (origins.length > 1) {
      problems.push(`SPANLITE_CORS_ORIGINS: "*" allows every origin and cannot be combined with others (got "${raw}")`);
    }
    return Object.freeze(['*']);
  }
  const valid: string[] = [];
  for (const origin of origins) {
    const normalised = originOf(origin.replace(/\/+$/, ''));
    if (normalised === undefined) {
      problems.push(`SPANLITE_CORS_ORIGINS: expected origins like https://app.example.com or * (got "${origin}")`);
    } else {
      valid.push(normalised);
    }
  }
  return Object.freeze(valid);
}

/** The URL's origin when `text` is exactly an http(s) origin, else undefined. */
function originOf(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.origin === text.toLowerCase() ? url.origin : undefined;
}
