/** /api/public/sessions: sessions newest first, and one session with its traces in order. */
import type { FastifyInstance } from 'fastify';
import type { QueryApiOptions } from './route-options.js';
import { found } from './found.js';
import { pageOf, splitList, timeRangeOf } from './query-params.js';
import { byIdSchema, idParams, listParam, listSchema, sessionDetailSchema, sessionSchema, timeParam } from './schemas.js';
import { toPageView, toSessionDetail, toSessionView } from './wire.js';

interface SessionListQuerystring {
  page: number;
  limit: number;
  fromTimestamp?: string;
  toTimestamp?: string;
  environment?: string[];
}

export async function sessionRoutes(app: FastifyInstance, { store, projectOf }: QueryApiOptions): Promise<void> {
  app.get<{ Querystring: SessionListQuerystring }>(
    '/api/public/sessions',
    {
      schema: listSchema(
        'sessions',
        'List sessions',
        'Newest first (by their first trace), with trace count, first and last trace time, tokens and cost.',
        {
          fromTimestamp: timeParam('Sessions whose first trace starts at or after this time.'),
          toTimestamp: timeParam('Sessions whose first trace starts before this time.'),
          environment: listParam('Sessions in any of these environments.'),
        },
        sessionSchema,
      ),
    },
    async (request) => {
      const query = request.query;
      const projectId = projectOf(request);
      const page = await store.listSessions(projectId, {
        ...pageOf(query),
        ...timeRangeOf(query.fromTimestamp, query.toTimestamp),
        environments: splitList(query.environment),
      });
      return toPageView(page, (session) => toSessionView(projectId, session));
    },
  );

  app.get<{ Params: { sessionId: string } }>(
    '/api/public/sessions/:sessionId',
    {
      schema: byIdSchema(
        'sessions',
        'Get a session with its traces in start order',
        idParams('sessionId', 'Session id.'),
        { 200: sessionDetailSchema },
        'To replay a conversation: its traces oldest first, each with its input and output.',
      ),
    },
    async (request) => {
      const { sessionId } = request.params;
      const projectId = projectOf(request);
      const session = await store.getSession(projectId, sessionId);
      return toSessionDetail(projectId, found(session, 'session', sessionId));
    },
  );
}
