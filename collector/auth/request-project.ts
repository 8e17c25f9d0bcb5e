/**
 * The HTTP side of project access: an `onRequest` hook that resolves each request's project
 * before its body is read (a refused body is left unread) and decorates the request with it.
 * Added to a scope, it guards every route of that scope and its child plugins, and nothing else
 * (the web UI's static files stay reachable: they hold no data, and the UI asks for keys itself).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SpanliteError } from '../errors.js';
import type { ProjectAccess } from './project-access.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The project this request reads and writes; set by the hook of `requireProject`. */
    projectId: string;
  }
}

/**
 * The challenge sent with every 401. Bearer rather than Basic (which is accepted too): a Basic
 * challenge makes browsers open their own login dialog over the web UI's.
 */
const CHALLENGE = 'Bearer realm="spanlite"';

/**
 * Every route registered in `scope` (and its children) from now on needs a project, except the
 * routes (as declared, e.g. `/api/public/openapi.json`) in `keyless`: those must hold no data.
 */
export function requireProject(scope: FastifyInstance, access: ProjectAccess, keyless: readonly string[] = []): void {
  scope.decorateRequest('projectId', '');
  scope.addHook('onRequest', async (request, reply) => {
    if (keyless.includes(request.routeOptions.url ?? '')) return;
    try {
      request.projectId = await access.projectOf((name) => firstHeader(request.headers[name]));
    } catch (error) {
      if (error instanceof SpanliteError && error.code === 'unauthenticated') reply.header('www-authenticate', CHALLENGE);
      throw error;
    }
  });
}

/** The request's project. Fails closed: a route outside `requireProject` never reads the default project. */
export function projectOfRequest(request: FastifyRequest): string {
  if (request.projectId === '' || request.projectId === undefined) {
    throw new SpanliteError('internal', `${request.method} ${request.url}: route has no project (not registered under requireProject)`);
  }
  return request.projectId;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
