/**
 * GET /api/public/openapi.json: an OpenAPI 3.1 document made from the route schemas as Fastify
 * registered them, so it cannot drift from what the API validates and sends.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { errorSchema } from './schemas.js';

type Schema = Record<string, unknown>;

/** Documentation keys on route schemas (as @fastify/swagger adds them); Fastify ignores them. */
declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: readonly string[];
    /** Left out of the OpenAPI document. */
    hide?: boolean;
  }
}

interface RouteSchema {
  summary?: string;
  description?: string;
  tags?: readonly string[];
  querystring?: Schema;
  params?: Schema;
  body?: Schema;
  response?: Record<string, Schema>;
  hide?: boolean;
}

interface CollectedRoute {
  method: string;
  url: string;
  schema: RouteSchema;
}

/** Records every route registered after this call in `app`'s context. */
export function collectRoutes(app: FastifyInstance): CollectedRoute[] {
  const routes: CollectedRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const schema = (route.schema ?? {}) as RouteSchema;
    if (schema.hide === true) return;
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({ method: method.toLowerCase(), url: route.url, schema });
    }
  });
  return routes;
}

export function openApiRoute(app: FastifyInstance, routes: readonly CollectedRoute[]): void {
  let document: Schema | undefined;
  app.get('/api/public/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
    document ??= openApiDocument(routes);
    return reply.type('application/json').send(document);
  });
}

export function openApiDocument(routes: readonly CollectedRoute[]): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'spanlite query API',
      version: '1.0.0',
      description:
        "Traces, observations, sessions, users, scores, daily metrics and model prices, in the shapes of Langfuse's public API " +
        "(its clients work against it) with spanlite's extensions. Errors are `{ error, message }`, the message naming the " +
        'parameter at fault.',
    },
    paths,
    components: { schemas: { Error: errorSchema } },
  };
}

function operation(route: CollectedRoute): Schema {
  const { schema } = route;
  const parameters = [
    ...parametersOf(schema.params, 'path'),
    ...parametersOf(schema.querystring, 'query'),
  ];
  const responses: Record<string, Schema> = {};
  for (const [status, body] of Object.entries(schema.response ?? {})) {
    responses[status] =
      status === '204'
        ? { description: 'No content.' }
        : { description: describeStatus(status), content: { 'application/json': { schema: body } } };
  }
  return {
    operationId: operationId(route),
    ...(schema.summary === undefined ? {} : { summary: schema.summary }),
    ...(schema.description === undefined ? {} : { description: schema.description }),
    ...(schema.tags === undefined ? {} : { tags: schema.tags }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(schema.body === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: schema.body } } } }),
    responses,
  };
}

function parametersOf(schema: Schema | undefined, location: 'path' | 'query'): Schema[] {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
      ...(property.type === 'array' ? { style: 'form', explode: true } : {}),
    };
  });
}

function operationId(route: CollectedRoute): string {
  const words = route.url
    .replace('/api/public/', '')
    .split('/')
    .filter((part) => part !== '')
    .map((part) => (part.startsWith(':') ? `by ${part.slice(1)}` : part));
  return [route.method, ...words]
    .join(' ')
    .replace(/[^a-zA-Z0-9]+(.)/g, (_match, letter: string) => letter.toUpperCase());
}

function describeStatus(status: string): string {
  const descriptions: Record<string, string> = {
    '200': 'OK.',
    '201': 'Created.',
    '207': 'Each event answered on its own.',
    '400': 'A parameter or the body is invalid; the message names it.',
    '404': 'No such resource.',
  };
  return descriptions[status] ?? `HTTP ${status}.`;
}
