/**
 * How the collector serves the web UI (collector/receiver/ui-routes.ts): pages answer index.html, assets
 * are cached for good, nothing shadows the REST API or OTLP, and a missing build says what to do.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_PAGES, defaultUiRoot, uiRoutes } from '../../collector/receiver/ui-routes.js';
import { collectorPerSuite } from '../helpers/collector.js';

const INDEX = '<!doctype html><title>spanlite</title><script type="module" src="/assets/app-ABC123.js"></script>';

let root: string;
let app: FastifyInstance;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'spanlite-ui-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'app-ABC123.js'), 'console.log("ui")');
  writeFileSync(join(root, 'assets', 'app-ABC123.css'), 'body{}');
  app = Fastify();
  await app.register(uiRoutes, { root });
});
afterAll(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

describe('pages', () => {
  it.each(['/', '/traces/0af7651916cd43dd8448eb211c80319c', '/sessions', '/sessions/chat%2042', '/users', '/scores', '/models', '/dashboard', '/?userId=alice&tags=a&tags=b'])(
    'answers index.html at %s, revalidated on every load',
    async (url) => {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.body).toBe(INDEX);
    },
  );

  it.each(['/no/such/page', '/tracez', '/traces/a/b', '/apis'])('answers index.html with 404 at %s, for the UI to say there is no such page', async (url) => {
    const response = await app.inject({ url });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toBe(INDEX);
  });

  it.each(['/api/public/nothing-here', '/api', '/v1/metrics', '/assets/', '/api?x=1'])('leaves %s to the JSON 404', async (url) => {
    const response = await app.inject({ url });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/json');
  });

  it('routes the same pages as the UI', () => {
    expect(UI_PAGES).toEqual(['/', '/traces/:traceId', '/sessions', '/sessions/:sessionId', '/users', '/scores', '/models', '/dashboard']);
  });

  it('answers 503 saying to run npm run build when the UI is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'spanlite-ui-empty-'));
    const bare = Fastify();
    await bare.register(uiRoutes, { root: empty });
    const response = await bare.inject({ url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toContain('npm run build');
    expect((await bare.inject({ url: '/assets/app-ABC123.js' })).statusCode).toBe(404);
    await bare.close();
    rmSync(empty, { recursive: true, force: true });
  });

  it('defaults to dist/ui of the package', () => {
    expect(defaultUiRoot()).toMatch(/[/\\]dist[/\\]ui$/);
  });
});

describe('assets', () => {
  it('serves a hashed asset with its type, cached for a year', async () => {
    const response = await app.inject({ url: '/assets/app-ABC123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.body).toBe('console.log("ui")');
    expect((await app.inject({ url: '/assets/app-ABC123.css' })).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers HEAD without a body', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/assets/app-ABC123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
  });

  it.each(['/assets/missing-XYZ.js', '/assets/..%2Findex.html', '/assets/.hidden.js', '/assets/app-ABC123.exe', '/assets/%2E%2E%2F%2E%2E%2Fpackage.json'])(
    'refuses %s',
    async (url) => {
      expect((await app.inject({ url })).statusCode).toBe(404);
    },
  );
});

describe('inside the collector', () => {
  const collector = collectorPerSuite({ grpcPort: null });

  it('leaves the REST API and OTLP to their routes', async () => {
    const traces = await fetch(`${collector.url}/api/public/traces`);
    expect(traces.headers.get('content-type')).toContain('application/json');
    expect(((await traces.json()) as { data: unknown[] }).data).toEqual([]);
    const unknownApi = await fetch(`${collector.url}/api/public/nothing-here`);
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toContain('application/json');
    const otlp = await fetch(`${collector.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(otlp.status).toBe(200);
    expect(otlp.headers.get('content-type')).toContain('application/json');
  });

  it('answers 404 with the UI (or how to build it) for addresses that are not pages, and JSON under /api/ and /v1/', async () => {
    const page = await fetch(`${collector.url}/no/such/page`);
    expect([404, 503]).toContain(page.status);
    expect(page.headers.get('content-type')).toContain('text/');
    for (const path of ['/api/public/nothing-here', '/v1/nothing']) {
      const response = await fetch(`${collector.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'not_found', message: `no route for GET ${path}` });
    }
  });

  it('serves the UI at / (or says how to build it)', async () => {
    const response = await fetch(`${collector.url}/`);
    expect([200, 503]).toContain(response.status);
    if (response.status === 200) expect(await response.text()).toContain('<div id="app">');
    else expect(await response.text()).toContain('npm run build');
  });
});
