/**
 * buildApp: the Fastify instance with the OTLP receiver and the REST API. Never listens; main
 * does, and tests use it on an ephemeral port or through inject().
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import { corsOptions } from './receiver/cors.js';
import type { Pipeline } from './pipeline.js';
import type { TraceStore } from './store/contract.js';
import type { PriceCatalog } from './pricing/price-catalog.js';
import type { Admission } from './receiver/admission.js';
import { SpanliteError } from './errors.js';
import { otlpReceiver, fromFastifyError } from './receiver/http-receiver.js';
import { queryApi } from './routes/query-api.js';
import type { ProjectAccess } from './auth/project-access.js';
import { projectOfRequest, requireProject } from './auth/request-project.js';
import { adminApi } from './auth/admin-api.js';
import type { KeyManager } from './auth/key-manager.js';
import type { Masker } from './masking/masker.js';
import type { AccessMode } from './auth/authenticator.js';
import { healthRoute } from './routes/health.js';
import type { CollectorMetrics } from './prometheus/collector-metrics.js';
import { countHttpRequests, metricsRoute } from './prometheus/metrics-route.js';

export interface AppDeps {
  pipeline: Pipeline;
  store: TraceStore;
  /** Model prices: read and changed through the API, used by the pipeline. */
  prices: PriceCatalog;
  maxBodyBytes: number;
  /** Largest attribute value before truncation (SPANLITE_MAX_ATTRIBUTE_BYTES); default 1 MiB. */
  maxAttributeBytes?: number;
  /** Load shedding for OTLP exports (shared with gRPC) and Langfuse ingestion; none: every request is admitted. */
  admission?: Admission;
  logger: FastifyBaseLogger | false;
  /** Origins browsers may send from (SPANLITE_CORS_ORIGINS), `['*']` for any; none: no CORS headers. */
  corsOrigins?: readonly string[];
  /** Resolves each OTLP and REST request's project from its key (or the default one, running open). */
  access: ProjectAccess;
  /** Masks scores posted to the REST API as the pipeline masks spans; none: stored as sent. */
  masker?: Masker;
  /** The admin API (/api/admin/keys): keys, and SPANLITE_ADMIN_TOKEN (undefined: disabled). */
  admin: { keys: KeyManager; adminToken: string | undefined };
  /** Open until a key exists, keyed from then on: /metrics is open while the collector is. */
  accessMode: () => Promise<AccessMode>;
  /** Prometheus metrics: every HTTP request counted, served on /metrics. */
  metrics: CollectorMetrics;
  /** The spanlite package's version, for the health check. */
  version: string;
}

export { DEFAULT_PROJECT_ID } from './auth/project-id.js';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const common = {
    bodyLimit: deps.maxBodyBytes,
    // Per-request logs would cost more than the ingest itself at exporter rates.
    logController: new LogController({ disableRequestLogging: true }),
    // Requests that reached the server before SIGTERM are still stored and answered (drained), not 503ed.
    return503OnClosing: false,
  };
  const app: FastifyInstance =
    deps.logger === false ? Fastify({ ...common, logger: false }) : Fastify({ ...common, loggerInstance: deps.logger });
  countHttpRequests(app, deps.metrics);
  if (deps.corsOrigins !== undefined && deps.corsOrigins.length > 0) {
    await app.register(cors, corsOptions(deps.corsOrigins));
  }

  app.setErrorHandler((error, request, reply) => {
    const known = error instanceof SpanliteError ? error : fromFastifyError(error);
    // A retryable refusal (the database unreachable, load shed) is one line each, not a stack.
    if (known.kind.retryable) {
      request.log.warn({ code: known.code }, `${request.method} ${request.routeOptions.url ?? request.url}: ${known.message}`);
    } else if (known.httpStatus >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    if (known.retryAfterSeconds !== undefined) reply.header('retry-after', String(known.retryAfterSeconds));
    return reply.code(known.httpStatus).send({ error: known.code, message: known.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not_found', message: `no route for ${request.method} ${request.url}` }),
  );

  // Everything that reads or writes data is registered in this scope, behind its project hook.
  await app.register(async (scope) => {
    // The OpenAPI document describes routes and holds no data; the web UI links to it.
    requireProject(scope, deps.access, ['/api/public/openapi.json']);
    await scope.register(otlpReceiver, {
      pipeline: deps.pipeline,
      maxBodyBytes: deps.maxBodyBytes,
      maxAttributeBytes: deps.maxAttributeBytes,
      admission: deps.admission,
      projectOf: projectOfRequest,
    });
    await scope.register(queryApi, {
      store: deps.store,
      prices: deps.prices,
      projectOf: projectOfRequest,
      masker: deps.masker,
      pipeline: deps.pipeline,
      maxAttributeBytes: deps.maxAttributeBytes,
      admission: deps.admission,
    });
  });
  await app.register(adminApi, deps.admin);
  // Outside the project scope: probes and scrapers send no project key.
  await app.register(healthRoute, { store: deps.store, version: deps.version });
  await app.register(metricsRoute, { metrics: deps.metrics, accessMode: deps.accessMode, adminToken: deps.admin.adminToken });
  await app.register(import('./receiver/ui-routes.js'));
  return app;
}
