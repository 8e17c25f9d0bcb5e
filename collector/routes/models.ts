/**
 * /api/public/models: model prices. Custom ones created here are matched before the pricing
 * file's and the model catalog's, for spans ingested from then on (stored costs do not change
 * until repriced: POST /api/public/models/reprice), from their start date on. The list names the
 * model catalog package and its version.
 */
import type { FastifyInstance } from 'fastify';
import type { QueryApiOptions } from './route-options.js';
import { SpanliteError } from '../errors.js';
import { found } from './found.js';
import { invalidParameter } from './query-params.js';
import type { ModelListPage } from './views.js';
import { customModelFromBody, modelBodySchema, toModelView, type ModelBody } from './model-input.js';
import { refuseUnknownRepriceFields, repriceBodySchema, repriceRangeOf, type RepriceBody } from './reprice-input.js';
import { repriceStored } from '../pricing/repricer.js';
import {
  byIdSchema,
  idParams,
  listSchema,
  metaSchema,
  modelCatalogSchema,
  modelSchema,
  objectSchema,
  postSchema,
  repriceResultSchema,
  withErrors,
} from './schemas.js';

const modelParams = idParams('id', 'Model id.');

interface ModelListQuerystring {
  page: number;
  limit: number;
  modelName?: string;
  provider?: string;
}

export async function modelRoutes(app: FastifyInstance, { prices, projectOf, store }: QueryApiOptions): Promise<void> {
  /** Projects being repriced by this collector: one repricing at a time per project. */
  const repricing = new Set<string>();

  app.get<{ Querystring: ModelListQuerystring }>(
    '/api/public/models',
    {
      schema: {
        ...listSchema(
          'models',
          'List model prices',
          'Custom models (newest first), then the pricing file, then the model catalog (`catalog` names its package and version). Every filter given must hold; meta counts the prices that match.',
          {
            modelName: { type: 'string', maxLength: 256, description: 'Extension: prices whose model name contains this, case aside.' },
            provider: {
              type: 'string',
              enum: [...prices.providerIds],
              description: "Extension: the model catalog's prices of this provider (its id, e.g. openai).",
            },
          },
          modelSchema,
        ),
        response: withErrors(
          { 200: objectSchema({ data: { type: 'array', items: modelSchema }, meta: metaSchema, catalog: modelCatalogSchema }) },
          400,
        ),
      },
    },
    async (request): Promise<ModelListPage> => {
      const { page, limit, modelName, provider } = request.query;
      const entries = await prices.list(projectOf(request), { modelName: modelName === '' ? undefined : modelName, provider });
      const totalItems = entries.length;
      return {
        data: entries.slice((page - 1) * limit, page * limit).map(toModelView),
        meta: { page, limit, totalItems, totalPages: Math.ceil(totalItems / limit) },
        catalog: { ...prices.catalogVersion, providers: [...prices.providerIds] },
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/public/models/:id',
    { schema: byIdSchema('models', 'Get a model price', modelParams, { 200: modelSchema }) },
    async (request) => {
      const entry = await prices.get(projectOf(request), request.params.id);
      return toModelView(found(entry, 'model', request.params.id));
    },
  );

  app.post<{ Body: ModelBody }>(
    '/api/public/models',
    {
      schema: postSchema(
        'models',
        'Create a custom model price',
        'inputPrice/outputPrice, or pricingTiers (one default tier; others on an input-token threshold). Prices spans ingested from now on that started on or after startDate (any date when null).',
        modelBodySchema,
        { 200: modelSchema },
      ),
    },
    async (request) => {
      const entry = await prices.createCustom(projectOf(request), customModelFromBody(request.body, Date.now()));
      return toModelView(entry);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/public/models/:id',
    {
      schema: {
        summary: 'Delete a custom model price',
        tags: ['models'],
        params: modelParams,
        response: withErrors({ 204: { type: 'null' } }, 400, 404),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const outcome = await prices.deleteCustom(projectOf(request), id);
      if (outcome === 'not_found') throw new SpanliteError('notFound', `model ${id} not found`);
      if (outcome === 'not_custom') {
        throw invalidParameter('id', 'the id of a custom model (built-in prices are overridden by creating one)', JSON.stringify(id));
      }
      return reply.code(204).send();
    },
  );

  app.post<{ Body: RepriceBody }>(
    '/api/public/models/reprice',
    {
      schema: {
        ...postSchema(
          'models',
          'Reprice stored observations',
          'Recomputes the costs of the stored observations that started in the range (of one model, or all), with the prices in force now, ' +
            'and their traces\' totals, daily metrics, session and user totals, in short batches beside ingestion. Costs an app reported are never changed. ' +
            'Answers how many observations and traces changed, and how many were examined. One repricing at a time per project: another answers 409.',
          repriceBodySchema,
          { 200: repriceResultSchema },
        ),
        response: withErrors({ 200: repriceResultSchema }, 400, 409),
      },
      preValidation: async (request) => {
        // No body at all (`curl -X POST`): every model, any time.
        request.body ??= {};
        refuseUnknownRepriceFields(request.body);
      },
    },
    async (request) => {
      const projectId = projectOf(request);
      const range = repriceRangeOf(request.body);
      if (repricing.has(projectId)) {
        throw new SpanliteError('conflict', `a repricing of this project is already running on this collector: send this one again once it has answered`);
      }
      repricing.add(projectId);
      try {
        return await repriceStored(projectId, range, { store, prices });
      } finally {
        repricing.delete(projectId);
      }
    },
  );
}
