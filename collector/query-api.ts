/**
 * The REST query API, in the shapes of Langfuse's public API (its client works against it), with
 * spanlite's extensions. Routes live in routes/, one file per resource; each declares JSON
 * schemas for its parameters, body and responses, which validate requests, serialise responses
 * and make the OpenAPI document. Routes call the store (and the price catalog) only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { QueryStore } from './store/query-store.js';
import type { PriceCatalog } from './price-catalog.js';
import { toApiError } from './routes/schema-errors.js';
import { collectRoutes, openApiRoute } from './routes/openapi.js';
import { traceRoutes } from './routes/traces.js';
import { observationRoutes } from './routes/observations.js';
import { sessionRoutes } from './routes/sessions.js';
import { userRoutes } from './routes/users.js';
import { scoreRoutes } from './routes/scores.js';
import { metricsRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';

export interface QueryApiOptions {
  store: QueryStore;
  prices: PriceCatalog;
  projectOf: (request: FastifyRequest) => string;
}

export async function queryApi(app: FastifyInstance, options: QueryApiOptions): Promise<void> {
  // Validation and query errors become invalid_parameter messages; the app's handler sends them.
  app.setErrorHandler((error, request) => {
    throw toApiError(error, request) ?? error;
  });
  const routes = collectRoutes(app);
  await traceRoutes(app, options);
  await observationRoutes(app, options);
  await sessionRoutes(app, options);
  await userRoutes(app, options);
  await scoreRoutes(app, options);
  await metricsRoutes(app, options);
  await modelRoutes(app, options);
  openApiRoute(app, routes);
}
