/**
 * /api/admin/keys: the `spanlite keys` commands over HTTP, for provisioning without a shell on the
 * collector's machine. Guarded by SPANLITE_ADMIN_TOKEN (`Authorization: Bearer <token>`, compared
 * in constant time); without a token configured every admin route answers 404 saying how to
 * enable it. Project keys never open it, and the admin token opens nothing else but /metrics.
 */
import type { FastifyInstance } from 'fastify';
import { SpanliteError } from '../errors.js';
import { toApiError } from '../routes/schema-errors.js';
import { MAX_NOTE_LENGTH, type KeyManager } from './key-manager.js';
import { requireAdminToken } from './admin-token.js';

export interface AdminApiOptions {
  keys: KeyManager;
  /** SPANLITE_ADMIN_TOKEN; undefined: the admin API is disabled. */
  adminToken: string | undefined;
}

const keyViewSchema = {
  type: 'object',
  properties: {
    publicKey: { type: 'string' },
    projectId: { type: 'string' },
    secretKeyHint: { type: 'string' },
    note: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    revokedAt: { type: ['string', 'null'] },
  },
} as const;

export async function adminApi(app: FastifyInstance, options: AdminApiOptions): Promise<void> {
  const { keys, adminToken } = options;
  app.setErrorHandler((error, request) => {
    throw toApiError(error, request) ?? error;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (adminToken === undefined) {
      throw new SpanliteError('notFound', 'the admin API is disabled: set SPANLITE_ADMIN_TOKEN to enable it');
    }
    requireAdminToken(request, reply, adminToken, 'admin API');
  });

  app.post<{ Body: { project: string; note?: string } }>(
    '/api/admin/keys',
    {
      schema: {
        body: {
          type: 'object',
          required: ['project'],
          additionalProperties: false,
          properties: { project: { type: 'string' }, note: { type: 'string', maxLength: MAX_NOTE_LENGTH } },
        },
        response: { 201: { ...keyViewSchema, properties: { ...keyViewSchema.properties, secretKey: { type: 'string' } } } },
      },
    },
    async (request, reply) => {
      const created = await keys.create(request.body.project, request.body.note ?? null);
      request.log.info({ publicKey: created.publicKey, projectId: created.projectId }, 'API key created (admin API)');
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.get('/api/admin/keys', { schema: { response: { 200: { type: 'object', properties: { data: { type: 'array', items: keyViewSchema } } } } } }, async () => ({
    data: await keys.list(),
  }));

  app.delete<{ Params: { publicKey: string } }>(
    '/api/admin/keys/:publicKey',
    { schema: { params: { type: 'object', properties: { publicKey: { type: 'string' } }, required: ['publicKey'] } } },
    async (request, reply) => {
      const { publicKey } = request.params;
      const outcome = await keys.revoke(publicKey);
      if (outcome === 'not_found') throw new SpanliteError('notFound', `API key ${JSON.stringify(publicKey)} not found`);
      request.log.info({ publicKey, outcome }, 'API key revoked (admin API)');
      return reply.code(204).send();
    },
  );
}
