/**
 * register(): the one place the concrete pieces are wired. NodeTracerProvider with the
 * AsyncLocalStorage context manager, the spanlite span processor batching into the OTLP
 * protobuf exporter, the env resource, and flushing at exit. Never throws into the app: a
 * failure is logged through diag and the app runs untraced.
 */
import {
  diag,
  DiagConsoleLogger,
  DiagLogLevel,
  ProxyTracerProvider,
  trace,
  type Attributes,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { readInstrumentationEnv, type InstrumentationEnv, type LogLevelName } from '../config/instrumentation-env.js';
import { SERVICE_NAME } from '../semconv/otel.js';
import { installExitHooks } from './exit-hooks.js';
import { WarningExporter } from './export-warnings.js';
import { endOpenTraces } from './manual.js';
import type { MaskFunction } from './mask.js';
import { SpanliteSpanProcessor, type ScopeFilter } from './span-processor.js';

export interface RegisterOptions {
  /**
   * OTLP/HTTP protobuf traces URL. Default: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, else `http://127.0.0.1:4318/v1/traces`.
   */
  endpoint?: string;
  /** Request headers (e.g. auth). Default: `OTEL_EXPORTER_OTLP_(TRACES_)HEADERS`. */
  headers?: Record<string, string>;
  /** `service.name`. Default: `OTEL_SERVICE_NAME`, then `OTEL_RESOURCE_ATTRIBUTES`. */
  serviceName?: string;
  /** Resource attributes, over those of `OTEL_RESOURCE_ATTRIBUTES`. */
  resourceAttributes?: Attributes;
  /** Default: parent-based, always on. */
  sampler?: Sampler;
  /** Run after spanlite's processor (they see spans unmasked and unfiltered). */
  spanProcessors?: SpanProcessor[];
  /** Replaces the OTLP exporter (tests, or another backend). */
  exporter?: SpanExporter;
  mask?: MaskFunction;
  scopeFilter?: ScopeFilter;
  /** Bound on one export, in milliseconds. Default 5 000. */
  exportTimeoutMs?: number;
  /** Spans waiting for export; beyond it new spans are dropped. Default 2 048. */
  maxQueueSize?: number;
  /** Delay between two scheduled exports, in milliseconds. Default 1 000. */
  scheduledDelayMs?: number;
  /** Flush on `beforeExit`, SIGTERM and SIGINT. Default true. */
  flushOnExit?: boolean;
  /** Bound on the flush at exit, in milliseconds. Default 2 000. */
  exitTimeoutMs?: number;
  /**
   * Console diag logger level (spanlite's warnings, e.g. collector unreachable). Default
   * `OTEL_LOG_LEVEL`, else `warn`; `none` leaves the global diag logger as it is.
   */
  logLevel?: LogLevelName;
  /** Install nothing. Default `OTEL_SDK_DISABLED`. */
  disabled?: boolean;
}

export interface SpanliteHandle {
  /** False when disabled or when setup failed. */
  readonly enabled: boolean;
  /** Exports every finished span now; resolves (never rejects) when done or timed out. */
  flush(): Promise<void>;
  /** Ends open manual traces, flushes, shuts the exporter down. Idempotent; never rejects. */
  shutdown(): Promise<void>;
}

const DEFAULT_EXPORT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_QUEUE_SIZE = 2_048;
const DEFAULT_SCHEDULED_DELAY_MS = 1_000;
const DEFAULT_EXIT_TIMEOUT_MS = 2_000;
const MAX_EXPORT_BATCH_SIZE = 512;
/**
 * The batch processor and provider wait a little longer than the exporter, so a slow export ends
 * with the exporter's own result (a spanlite warning naming the endpoint) rather than their
 * context-free "Timeout" error.
 */
const BATCH_TIMEOUT_MARGIN_MS = 1_000;

const DIAG_LEVELS: Record<LogLevelName, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

const DISABLED: SpanliteHandle = Object.freeze({
  enabled: false,
  flush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
});

let registered: SpanliteHandle | undefined;

/**
 * Sets up tracing for this process and returns its handle. A second call returns the first
 * handle (with a warning): there is one global tracer provider.
 */
export function register(options: RegisterOptions = {}, env: InstrumentationEnv = readInstrumentationEnv()): SpanliteHandle {
  if (registered !== undefined) {
    diag.warn('spanlite: register() called again; returning the handle of the first call');
    return registered;
  }
  try {
    registered = setUp(options, env);
  } catch (error) {
    diag.error('spanlite: tracing setup failed; the app runs untraced', error);
    registered = DISABLED;
  }
  return registered;
}

function setUp(options: RegisterOptions, env: InstrumentationEnv): SpanliteHandle {
  const logLevel = options.logLevel ?? env.logLevel ?? 'warn';
  if (logLevel !== 'none') {
    diag.setLogger(new DiagConsoleLogger(), { logLevel: DIAG_LEVELS[logLevel], suppressOverrideMessage: true });
  }
  for (const problem of env.problems) diag.warn(`spanlite: ignoring ${problem}`);
  if (options.disabled ?? env.disabled) return DISABLED;

  const endpoint = options.endpoint ?? env.tracesEndpoint;
  const exportTimeoutMs = options.exportTimeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS;
  const exporter =
    options.exporter ??
    new OTLPTraceExporter({
      url: endpoint,
      headers: { ...env.headers, ...options.headers },
      timeoutMillis: exportTimeoutMs,
    });
  const destination = options.exporter === undefined ? endpoint : 'the configured exporter';
  const processor = new SpanliteSpanProcessor({
    exporter: new WarningExporter(exporter, destination),
    mask: options.mask,
    scopeFilter: options.scopeFilter,
    batch: {
      maxQueueSize: options.maxQueueSize ?? DEFAULT_MAX_QUEUE_SIZE,
      maxExportBatchSize: Math.min(MAX_EXPORT_BATCH_SIZE, options.maxQueueSize ?? DEFAULT_MAX_QUEUE_SIZE),
      scheduledDelayMillis: options.scheduledDelayMs ?? DEFAULT_SCHEDULED_DELAY_MS,
      exportTimeoutMillis: exportTimeoutMs + BATCH_TIMEOUT_MARGIN_MS,
    },
  });
  const provider = new NodeTracerProvider({
    resource: buildResource(options, env),
    sampler: options.sampler,
    spanProcessors: [processor, ...(options.spanProcessors ?? [])],
    forceFlushTimeoutMillis: exportTimeoutMs + BATCH_TIMEOUT_MARGIN_MS,
  });
  provider.register();
  const global = trace.getTracerProvider();
  if (global instanceof ProxyTracerProvider && global.getDelegate() !== provider) {
    diag.warn(
      'spanlite: another OpenTelemetry tracer provider is already registered; add SpanliteSpanProcessor to it ' +
        'instead of calling register()',
    );
  }

  let uninstallExitHooks = (): void => {};
  let shuttingDown: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    shuttingDown ??= Promise.resolve()
      .then(() => {
        uninstallExitHooks();
        endOpenTraces();
        return provider.shutdown();
      })
      .catch((error: unknown) => diag.warn('spanlite: shutdown did not complete cleanly', error));
    return shuttingDown;
  };
  if (options.flushOnExit ?? true) {
    const exitTimeoutMs = options.exitTimeoutMs ?? DEFAULT_EXIT_TIMEOUT_MS;
    uninstallExitHooks = installExitHooks(shutdown, exitTimeoutMs, () =>
      diag.warn(
        `spanlite: spans not exported to ${destination} within ${exitTimeoutMs} ms at exit; is the collector running?`,
      ),
    );
  }
  return {
    enabled: true,
    flush: () => provider.forceFlush().catch((error: unknown) => diag.warn('spanlite: flush did not complete', error)),
    shutdown,
  };
}

/** Default resource (SDK facts), then the env's, then the options'; later wins. */
function buildResource(options: RegisterOptions, env: InstrumentationEnv): Resource {
  const attributes: Attributes = { ...env.resourceAttributes };
  if (env.serviceName !== undefined) attributes[SERVICE_NAME] = env.serviceName;
  Object.assign(attributes, options.resourceAttributes);
  if (options.serviceName !== undefined) attributes[SERVICE_NAME] = options.serviceName;
  return defaultResource().merge(resourceFromAttributes(attributes));
}
