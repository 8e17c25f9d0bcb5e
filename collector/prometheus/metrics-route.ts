/**
 * GET /metrics in Prometheus's text format, and the hook that counts every HTTP request by route.
 *
 * Open while the collector runs open (no API key exists: every route is open then); once a key
 * exists it needs the admin token (SPANLITE_ADMIN_TOKEN), not a project key: the figures are the
 * whole collector's, every project's together.
 */
import type { FastifyInstance } from 'fastify';
import { SpanliteError } from '../errors.js';
import type { AccessMode } from '../auth/authenticator.js';
import { requireAdminToken } from '../auth/admin-token.js';
import type { CollectorMetrics } from './collector-metrics.js';

export interface MetricsRouteOptions {
  metrics: CollectorMetrics;
  /** Whether the collector runs open or needs keys now. */
  accessMode: () => Promise<AccessMode>;
  /** SPANLITE_ADMIN_TOKEN; undefined: once keyed, /metrics cannot be opened. */
  adminToken: string | undefined;
}

export const METRICS_PATH = '/metrics';

export async function metricsRoute(app: FastifyInstance, options: MetricsRouteOptions): Promise<void> {
  const { registry } = options.metrics;
  const { adminToken } = options;
  app.get(METRICS_PATH, {
    async onRequest(request, reply) {
      if ((await options.accessMode()) === 'open') return;
      if (adminToken === undefined) {
        reply.header('www-authenticate', 'Bearer realm="spanlite-admin"');
        throw new SpanliteError(
          'unauthenticated',
          `${METRICS_PATH}: API keys exist, so it needs the admin token: set SPANLITE_ADMIN_TOKEN and send Authorization: Bearer <SPANLITE_ADMIN_TOKEN>`,
        );
      }
      requireAdminToken(request, reply, adminToken, METRICS_PATH);
    },
    handler: async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  });
}

/** Counts every response of `app` (added at its root, before the routes). */
export function countHttpRequests(app: FastifyInstance, metrics: CollectorMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequests.inc({
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    });
  });
}
