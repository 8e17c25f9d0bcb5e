/**
 * /api/public/models: model prices. Custom ones created here are matched before the pricing
 * file's and the model catalog's, for spans ingested from then on (stored costs do not change),
 * from their start date on. The list names the model catalog package and its version.
 */
import type { FastifyInstance } from 'fastify';
import type { QueryApiOptions } from './route-options.js';
import { SpanliteError } from '../errors.js';
import { found } from './found.js';
import { invalidParameter } from './query-params.js';
import type { ModelListPage } from './views.js';
import { customModelFromBody, modelBodySchema, toModelView, type ModelBody } from './model-input.js';
import {
  byIdSchema,
  idParams,
  listSchema,
  metaSchema,
  modelCatalogSchema,
  modelSchema,
  objectSchema,
  postSchema,
  withErrors,
} from './schemas.js';

const modelParams = idParams('id', 'Model id.');

interface ModelListQuerystring {
  page: number;
  limit: number;
  modelName?: string;
  provider?: string;
}

export async function modelRoutes(app: FastifyInstance, { prices, projectOf }: QueryApiOptions): Promise<void> {
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
}
