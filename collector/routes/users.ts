/** /api/public/users (extension): per user, trace count, first/last trace, tokens and cost. */
import type { FastifyInstance } from 'fastify';
import type { QueryApiOptions } from './route-options.js';
import { found } from './found.js';
import { USER_ORDER_FIELDS } from '../store/contract.js';
import { pageOf, parseOrderBy } from './query-params.js';
import { byIdSchema, idParams, listSchema, userSchema } from './schemas.js';
import { toPageView, toUserView } from './wire.js';

interface UserListQuerystring {
  page: number;
  limit: number;
  orderBy?: string;
}

export async function userRoutes(app: FastifyInstance, { store, projectOf }: QueryApiOptions): Promise<void> {
  app.get<{ Querystring: UserListQuerystring }>(
    '/api/public/users',
    {
      schema: listSchema(
        'users',
        'List users',
        'Extension. Each user id seen on a trace, with its traces in aggregate.',
        {
          orderBy: {
            type: 'string',
            description: `${USER_ORDER_FIELDS.join(', ')}; optionally .asc or .desc (default desc). Default lastTraceAt.desc.`,
          },
        },
        userSchema,
      ),
    },
    async (request) => {
      const query = request.query;
      const page = await store.listUsers(projectOf(request), {
        ...pageOf(query),
        orderBy: parseOrderBy('orderBy', query.orderBy, USER_ORDER_FIELDS, { field: 'lastTraceAt', direction: 'desc' }),
      });
      return toPageView(page, toUserView);
    },
  );

  app.get<{ Params: { userId: string } }>(
    '/api/public/users/:userId',
    { schema: byIdSchema('users', "Get a user's aggregates", idParams('userId', 'User id.'), { 200: userSchema }) },
    async (request) => {
      const { userId } = request.params;
      const user = await store.getUser(projectOf(request), userId);
      return toUserView(found(user, 'user', userId));
    },
  );
}
