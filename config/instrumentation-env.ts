/**
 * The instrumentation's settings from the standard OpenTelemetry environment variables, read in
 * one place. Nothing here throws: a malformed value is skipped and named in `problems`, which the
 * caller reports through OTel `diag` (instrumentation never stops the host app).
 *
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 * https://opentelemetry.io/docs/specs/otel/protocol/exporter/
 */

/** Where spans go when no endpoint is configured: a spanlite collector on this machine. */
export const DEFAULT_TRACES_ENDPOINT = 'http://127.0.0.1:4318/v1/traces';

export const LOG_LEVEL_NAMES = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];

export interface InstrumentationEnv {
  /** `OTEL_SDK_DISABLED=true`: register() installs nothing and every span is a no-op. */
  readonly disabled: boolean;
  /**
   * Full OTLP/HTTP traces URL: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given, else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, else {@link DEFAULT_TRACES_ENDPOINT}.
   */
  readonly tracesEndpoint: string;
  /** `OTEL_EXPORTER_OTLP_TRACES_HEADERS` over `OTEL_EXPORTER_OTLP_HEADERS`, percent-decoded. */
  readonly headers: Readonly<Record<string, string>>;
  /** `OTEL_SERVICE_NAME`; wins over `service.name` in `OTEL_RESOURCE_ATTRIBUTES`. */
  readonly serviceName: string | undefined;
  /** `OTEL_RESOURCE_ATTRIBUTES`, percent-decoded. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** `OTEL_LOG_LEVEL`, lower-cased; undefined when unset. */
  readonly logLevel: LogLevelName | undefined;
  /** One line per malformed variable, naming it, the expectation and what was found. */
  readonly problems: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

export function readInstrumentationEnv(env: Env = process.env): InstrumentationEnv {
  const problems: string[] = [];
  const headers = {
    ...parseKeyValueList(env, 'OTEL_EXPORTER_OTLP_HEADERS', problems),
    ...parseKeyValueList(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', problems),
  };
  return Object.freeze({
    disabled: nonEmpty(env.OTEL_SDK_DISABLED)?.toLowerCase() === 'true',
    tracesEndpoint: readTracesEndpoint(env, problems),
    headers: Object.freeze(headers),
    serviceName: nonEmpty(env.OTEL_SERVICE_NAME),
    resourceAttributes: Object.freeze(parseKeyValueList(env, 'OTEL_RESOURCE_ATTRIBUTES', problems)),
    logLevel: readLogLevel(env, problems),
    problems: Object.freeze(problems),
  });
}

function readTracesEndpoint(env: Env, problems: string[]): string {
  const signal = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (signal !== undefined) {
    if (isHttpUrl(signal)) return signal;
    problems.push(`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: expected an http(s) URL (got "${signal}")`);
  }
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (base !== undefined) {
    if (isHttpUrl(base)) return `${base.replace(/\/+$/, '')}/v1/traces`;
    problems.push(`OTEL_EXPORTER_OTLP_ENDPOINT: expected an http(s) URL (got "${base}")`);
  }
  return DEFAULT_TRACES_ENDPOINT;
}

function readLogLevel(env: Env, problems: string[]): LogLevelName | undefined {
  const raw = nonEmpty(env.OTEL_LOG_LEVEL)?.toLowerCase();
  if (raw === undefined) return undefined;
  if ((LOG_LEVEL_NAMES as readonly string[]).includes(raw)) return raw as LogLevelName;
  problems.push(`OTEL_LOG_LEVEL: expected one of ${LOG_LEVEL_NAMES.join(', ')} (got "${raw}")`);
  return undefined;
}

/** `key1=value1,key2=value2` with percent-encoded values (the W3C baggage shape OTel uses). */
function parseKeyValueList(env: Env, name: string, problems: string[]): Record<string, string> {
  const raw = nonEmpty(env[name]);
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  for (const entry of raw.split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    const key = eq > 0 ? entry.slice(0, eq).trim() : '';
    if (key === '') {
      problems.push(`${name}: expected key=value pairs separated by commas (got "${entry.trim()}")`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      problems.push(`${name}: expected a percent-encoded value for "${key}" (got "${entry.slice(eq + 1)}")`);
    }
  }
  return out;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
