/**
 * The REST query API, in the shapes of Langfuse's public API (its client works against it), with
 * spanlite's extensions. Routes live in routes/, one file per resource; each declares JSON
 * schemas for its parameters, body and responses, which validate requests, serialise responses
 * and make the OpenAPI document. Routes call the store (and the price catalog) only.
 */
import type { FastifyInstance } from 'fastify';
import type { QueryApiOptions } from './route-options.js';
import { toApiError } from './schema-errors.js';
import { collectRoutes, openApiRoute } from './openapi.js';
import { traceRoutes } from './traces.js';
import { observationRoutes } from './observations.js';
import { sessionRoutes } from './sessions.js';
import { userRoutes } from './users.js';
import { scoreRoutes } from './scores.js';
import { ingestionRoutes } from './ingestion.js';
import { metricsRoutes } from './metrics.js';
import { modelRoutes } from './models.js';

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
  await ingestionRoutes(app, options);
  await metricsRoutes(app, options);
  await modelRoutes(app, options);
  openApiRoute(app, routes);
}
