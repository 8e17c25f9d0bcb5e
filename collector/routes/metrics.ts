/** /api/public/metrics/daily: per UTC day, traces, observations, errors, usage and cost by model. */
import type { FastifyInstance } from 'fastify';
import type { QueryApiOptions } from './route-options.js';
import { pageOf, splitList, timeRangeOf } from './query-params.js';
import { dailyMetricsSchema, listParam, listSchema, timeParam } from './schemas.js';
import { toDailyMetricsView, toPageView } from './wire.js';

interface DailyMetricsQuerystring {
  page: number;
  limit: number;
  traceName?: string;
  userId?: string;
  tags?: string[];
  environment?: string[];
  fromTimestamp?: string;
  toTimestamp?: string;
}

export async function metricsRoutes(app: FastifyInstance, { store, projectOf }: QueryApiOptions): Promise<void> {
  app.get<{ Querystring: DailyMetricsQuerystring }>(
    '/api/public/metrics/daily',
    {
      schema: listSchema(
        'metrics',
        'Daily metrics',
        'Newest day first; only days with data. Traces count on the day they start, observations on theirs; ' +
          'countErrorTraces counts the traces with an ERROR observation on the day the trace starts. ' +
          'fromTimestamp/toTimestamp select the UTC days they overlap, each reported whole.',
        {
          traceName: { type: 'string', maxLength: 1000, description: 'Only traces with this name.' },
          userId: { type: 'string', maxLength: 1000, description: "Only this user's traces." },
          tags: listParam('Only traces carrying all of these tags.'),
          environment: listParam('Only traces in any of these environments.'),
          fromTimestamp: timeParam('From the day of this time.'),
          toTimestamp: timeParam('To the day of this time (exclusive).'),
        },
        dailyMetricsSchema,
      ),
    },
    async (request) => {
      const query = request.query;
      const page = await store.dailyMetrics(projectOf(request), {
        ...pageOf(query),
        traceName: query.traceName,
        userId: query.userId,
        tags: splitList(query.tags),
        environments: splitList(query.environment),
        ...timeRangeOf(query.fromTimestamp, query.toTimestamp),
      });
      return toPageView(page, toDailyMetricsView);
    },
  );
}
