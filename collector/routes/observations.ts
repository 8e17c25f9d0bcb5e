/** /api/public/observations: filtered list, newest first, and one by id (Langfuse's v1 shapes). */
import type { FastifyInstance } from 'fastify';
import type { QueryApiOptions } from './route-options.js';
import { found } from './found.js';
import { LEVELS, OBSERVATION_TYPES } from '../model.js';
import type { ObservationListQuery } from '../store/contract.js';
import { pageOf, splitList, timeRangeOf } from './query-params.js';
import { byIdSchema, idParams, listParam, listSchema, observationSchema, timeParam } from './schemas.js';
import { toObservationView, toPageView } from './wire.js';

interface ObservationListQuerystring
  extends Omit<ObservationListQuery, 'environments' | 'fromTimeUnixNano' | 'toTimeUnixNano'> {
  environment?: string[];
  fromStartTime?: string;
  toStartTime?: string;
}

const text = (description: string) => ({ type: 'string', maxLength: 1000, description });

export async function observationRoutes(app: FastifyInstance, { store, projectOf }: QueryApiOptions): Promise<void> {
  app.get<{ Querystring: ObservationListQuerystring }>(
    '/api/public/observations',
    {
      schema: listSchema(
        'observations',
        'List observations',
        'Newest first. Every filter given must hold.',
        {
          traceId: text('Observations of this trace.'),
          type: { type: 'string', enum: OBSERVATION_TYPES, description: 'Observations of this type.' },
          name: text('Observations with this name.'),
          userId: text("Observations of this user's traces."),
          level: { type: 'string', enum: LEVELS, description: 'Observations at this level.' },
          model: text('Observations on this model.'),
          parentObservationId: text('Children of this observation.'),
          environment: listParam("Observations whose trace is in any of these environments."),
          fromStartTime: timeParam('Observations starting at or after this time.'),
          toStartTime: timeParam('Observations starting before this time.'),
        },
        observationSchema,
      ),
    },
    async (request) => {
      const query = request.query;
      const page = await store.listObservations(projectOf(request), {
        ...pageOf(query),
        traceId: query.traceId?.toLowerCase(),
        type: query.type,
        name: query.name,
        userId: query.userId,
        level: query.level,
        model: query.model,
        parentObservationId: query.parentObservationId?.toLowerCase(),
        environments: splitList(query.environment),
        ...timeRangeOf(query.fromStartTime, query.toStartTime),
      });
      return toPageView(page, toObservationView);
    },
  );

  app.get<{ Params: { observationId: string } }>(
    '/api/public/observations/:observationId',
    {
      schema: byIdSchema(
        'observations',
        'Get an observation',
        idParams('observationId', 'Observation id (the span id, 16 hex characters).'),
        { 200: observationSchema },
      ),
    },
    async (request) => {
      const { observationId } = request.params;
      const observation = await store.getObservation(projectOf(request), observationId.toLowerCase());
      return toObservationView(found(observation, 'observation', observationId));
    },
  );
}
