/** REST read routes, in the shapes of Langfuse's public API. Store reads only. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TraceStore } from './store/trace-store.js';
import { SpanliteError } from './errors.js';
import { integerParam, optionalString, stringList } from './query-params.js';

export interface QueryApiOptions {
  store: TraceStore;
  projectOf: (request: FastifyRequest) => string;
}

type Query = Record<string, string | string[] | undefined>;

export async function queryApi(app: FastifyInstance, options: QueryApiOptions): Promise<void> {
  const { store, projectOf } = options;

  app.get('/api/public/traces', async (request) => {
    const query = request.query as Query;
    return store.listTraces(projectOf(request), {
      page: integerParam(query, 'page', { min: 1, max: 1_000_000, fallback: 1 }),
      limit: integerParam(query, 'limit', { min: 1, max: 1000, fallback: 50 }),
      userId: optionalString(query, 'userId'),
      sessionId: optionalString(query, 'sessionId'),
      name: optionalString(query, 'name'),
      tags: stringList(query, 'tags'),
    });
  });

  app.get('/api/public/traces/:traceId', async (request) => {
    const { traceId } = request.params as { traceId: string };
    const trace = await store.getTrace(projectOf(request), traceId.toLowerCase());
    if (!trace) throw new SpanliteError('notFound', `trace ${traceId} not found`);
    return trace;
  });
}
