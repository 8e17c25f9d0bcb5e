/**
 * The web UI, served by the collector itself: the static files `npm run build` writes to
 * dist/ui (ui/build.mjs). Each page address answers index.html and the app routes in the
 * browser; it reads only the public REST API. Assets have content-hashed names, so browsers
 * keep them for a year; index.html is revalidated on every load, so a rebuild shows at once.
 * Without a build, pages answer 503 saying how to make one. Any other address answers index.html
 * with 404, and the UI shows its not-found page; nothing here shadows /api/* or /v1/*, whose
 * unknown addresses keep their JSON 404.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface UiRoutesOptions {
  /** Folder with index.html and assets/ (default: dist/ui of this package). */
  root?: string;
}

/** The UI's page addresses; ui/src/router.ts routes the same ones. */
export const UI_PAGES = [
  '/',
  '/traces/:traceId',
  '/sessions',
  '/sessions/:sessionId',
  '/users',
  '/scores',
  '/models',
  '/dashboard',
] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Addresses that belong to the REST API, OTLP or the UI's files: never answered with a page. */
const NOT_UI = /^\/(api|v1|assets)(\/|\?|$)/;

/** esbuild's names: `app-<hash>.js`; anything else (dot files, `..`, slashes) is not an asset. */
const ASSET_NAME = /^[A-Za-z0-9][\w-]*(\.[\w-]+)+$/;

/** Same origin only; styles inline because the chart library sizes its elements that way. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT =
  'The spanlite web UI is not built.\n\n' +
  'Run `npm run build` in the spanlite folder (it writes dist/ui), then reload this page.\n' +
  'The collector is running: OTLP is at /v1/traces and the REST API at /api/public/ (see /api/public/openapi.json).\n';

/** dist/ui beside the package.json above this file, from collector/ (tests) or dist/collector/ (built). */
export function defaultUiRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(dir, 'dist', 'ui');
}

export async function uiRoutes(app: FastifyInstance, options: UiRoutesOptions = {}): Promise<void> {
  const root = options.root ?? defaultUiRoot();

  const sendPage = async (reply: FastifyReply, status = 200) => {
    let html: Buffer;
    try {
      // Read each time: small, and a rebuild (new asset hashes) shows without a restart.
      html = await readFile(join(root, 'index.html'));
    } catch {
      return reply.code(503).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(NOT_BUILT);
    }
    return reply
      .code(status)
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(html);
  };

  for (const page of UI_PAGES) {
    app.get(page, (_request, reply) => sendPage(reply));
  }
  // Any other address a person may type or follow: the UI says "No such page" itself. Only the
  // lowest-priority match, so every other route wins; the API, OTLP and assets keep a JSON 404.
  app.get('/*', (request, reply) => (NOT_UI.test(request.url) ? reply.callNotFound() : sendPage(reply, 404)));

  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const { file } = request.params;
    const contentType = CONTENT_TYPES[extname(file)];
    if (!ASSET_NAME.test(file) || contentType === undefined) return reply.callNotFound();
    let body: Buffer;
    try {
      body = await readFile(join(root, 'assets', file));
    } catch {
      return reply.callNotFound();
    }
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .type(contentType)
      .send(body);
  });
}

export default uiRoutes;
