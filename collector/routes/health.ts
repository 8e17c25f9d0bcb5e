/**
 * GET /api/public/health, at Langfuse's path and in its shape so that probes written for Langfuse
 * work: 200 `{ status: "OK", version }` once the store has answered a trivial query, 503
 * `{ status: "Database not available", version, message }` when it failed or took longer than
 * `timeoutMs`. No key is needed (as with Langfuse): the answer says nothing of the data.
 */
import type { FastifyInstance } from 'fastify';
import type { TraceStore } from '../store/contract.js';

export interface HealthRouteOptions {
  store: Pick<TraceStore, 'ping'>;
  /** The spanlite package's version. */
  version: string;
  /** Longest wait for the store, in ms; default 3000 (probes commonly give up after 5 s). */
  timeoutMs?: number;
}

export const HEALTH_PATH = '/api/public/health';

const DEFAULT_TIMEOUT_MS = 3_000;

const healthSchema = {
  type: 'object',
  required: ['status', 'version'],
  properties: { status: { type: 'string' }, version: { type: 'string' }, message: { type: 'string' } },
} as const;

export async function healthRoute(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  const { store, version } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  app.get(HEALTH_PATH, { schema: { response: { 200: healthSchema, 503: healthSchema } } }, async (request, reply) => {
    const problem = await storeProblem(store, timeoutMs);
    reply.header('cache-control', 'no-store');
    if (problem === null) return reply.code(200).send({ status: 'OK', version });
    request.log.warn(`health check: the database did not answer: ${problem}`);
    return reply.code(503).send({ status: 'Database not available', version, message: problem });
  });
}

/** Why the store did not answer within `timeoutMs`, or null when it did. */
async function storeProblem(store: Pick<TraceStore, 'ping'>, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([
      store.ping().then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
