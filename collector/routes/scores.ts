/**
 * /api/public/scores: feedback that arrives after the trace (create, idempotent on the client's
 * id), filtered lists, one by id, deletion. Also at Langfuse's /api/public/v2/scores (its client
 * lists there). Langfuse's `score-create` ingestion events are taken in routes/ingestion.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { QueryApiOptions } from './route-options.js';
import { SpanliteError } from '../errors.js';
import { found } from './found.js';
import { COMPARISON_OPERATORS, type ComparisonOperator, type ScoreListQuery } from '../store/contract.js';
import { invalidParameter, pageOf, splitList, timeRangeOf } from './query-params.js';
import { scoreBodySchema, scoreFromBody, type ScoreBody } from './score-input.js';
import { byIdSchema, idParams, listParam, objectSchema, pageParams, pageSchema, postSchema, scoreListItemSchema, scoreSchema, timeParam, withErrors } from './schemas.js';
import { toPageView, toScoreListItem, toScoreView } from './wire.js';

interface ScoreListQuerystring
  extends Omit<ScoreListQuery, 'ids' | 'valueCondition' | 'fromTimeUnixNano' | 'toTimeUnixNano'> {
  scoreIds?: string[];
  operator?: ComparisonOperator;
  value?: number;
  fromTimestamp?: string;
  toTimestamp?: string;
}

const text = (description: string) => ({ type: 'string', maxLength: 1000, description });

const scoreListQuerystring = {
  type: 'object',
  properties: {
    ...pageParams,
    scoreIds: listParam('Scores with these ids.'),
    name: text('Scores with this name.'),
    traceId: text('Scores of this trace.'),
    observationId: text('Scores of this observation.'),
    userId: text("Scores of this user's traces."),
    sessionId: text("Scores of this session's traces."),
    source: { type: 'string', enum: ['API', 'EVAL', 'ANNOTATION'] },
    dataType: { type: 'string', enum: ['NUMERIC', 'CATEGORICAL', 'BOOLEAN'] },
    operator: { type: 'string', enum: COMPARISON_OPERATORS, description: 'With value: scores whose numeric value compares true.' },
    value: { type: 'number', description: 'With operator.' },
    minValue: { type: 'number', description: 'Extension: numeric value at least this.' },
    maxValue: { type: 'number', description: 'Extension: numeric value at most this.' },
    fromTimestamp: timeParam('Scores given at or after this time.'),
    toTimestamp: timeParam('Scores given before this time.'),
  },
} as const;

const scoreParams = idParams('scoreId', 'Score id.');

export async function scoreRoutes(app: FastifyInstance, { store, projectOf, masker }: QueryApiOptions): Promise<void> {
  for (const base of ['/api/public/scores', '/api/public/v2/scores']) {
    app.get<{ Querystring: ScoreListQuerystring }>(
      base,
      {
        schema: {
          summary: 'List scores',
          description: 'Newest first, each with its trace user, tags and environment. Every filter given must hold.',
          tags: ['scores'],
          querystring: scoreListQuerystring,
          response: withErrors({ 200: pageSchema(scoreListItemSchema) }, 400),
        },
      },
      async (request) => {
        const query = request.query;
        if ((query.operator === undefined) !== (query.value === undefined)) {
          const missing = query.operator === undefined ? 'operator' : 'value';
          throw invalidParameter(missing, `${missing} with ${missing === 'operator' ? 'value' : 'operator'}`, 'nothing');
        }
        const page = await store.listScores(projectOf(request), {
          ...pageOf(query),
          ids: splitList(query.scoreIds),
          name: query.name,
          traceId: query.traceId?.toLowerCase(),
          observationId: query.observationId?.toLowerCase(),
          userId: query.userId,
          sessionId: query.sessionId,
          source: query.source,
          dataType: query.dataType,
          minValue: query.minValue,
          maxValue: query.maxValue,
          valueCondition:
            query.operator !== undefined && query.value !== undefined ? { operator: query.operator, value: query.value } : undefined,
          ...timeRangeOf(query.fromTimestamp, query.toTimestamp),
        });
        return toPageView(page, toScoreListItem);
      },
    );

    app.get<{ Params: { scoreId: string } }>(
      `${base}/:scoreId`,
      {
        schema: byIdSchema('scores', 'Get a score', scoreParams, { 200: scoreSchema }),
      },
      async (request) => {
        const score = await store.getScore(projectOf(request), request.params.scoreId);
        return toScoreView(found(score, 'score', request.params.scoreId));
      },
    );
  }

  app.post<{ Body: ScoreBody }>(
    '/api/public/scores',
    {
      schema: postSchema(
        'scores',
        'Create a score',
        'Numeric, categorical or boolean; on a trace or one of its observations. Posting the same id again replaces the score.',
        scoreBodySchema,
        { 200: objectSchema({ id: { type: 'string' } }) },
      ),
    },
    async (request) => {
      const projectId = projectOf(request);
      const score = await scoreFromBody(request.body, { projectId, store, nowUnixNano: nowUnixNano() });
      masker?.maskScore(score);
      await store.upsertScore(projectId, score);
      return { id: score.id };
    },
  );

  app.delete<{ Params: { scoreId: string } }>(
    '/api/public/scores/:scoreId',
    {
      schema: byIdSchema('scores', 'Delete a score', scoreParams, { 204: { type: 'null' } }),
    },
    async (request, reply) => {
      const deleted = await store.deleteScore(projectOf(request), request.params.scoreId);
      if (!deleted) throw new SpanliteError('notFound', `score ${request.params.scoreId} not found`);
      return reply.code(204).send();
    },
  );
}

function nowUnixNano(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
