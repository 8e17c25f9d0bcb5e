/**
 * The admin API (/api/admin/keys): off without SPANLITE_ADMIN_TOKEN; with it, only that bearer
 * token opens it; keys created there work at once, revoked ones are refused at once, and the
 * secret is shown once, never listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorPerSuite, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { basicAuth, bearerAuth, callApi, type ProjectKey } from '../helpers/keyed-collector.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('without SPANLITE_ADMIN_TOKEN', () => {
  const collector = collectorPerSuite();

  it('answers every admin route 404, saying how to enable the admin API', async () => {
    for (const [method, path] of [['GET', '/api/admin/keys'], ['POST', '/api/admin/keys'], ['DELETE', '/api/admin/keys/pk-sl-x']]) {
      const answer = await callApi(collector.url, method!, path!, { authorization: 'Bearer anything-at-all-here' });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body).toEqual({ error: 'not_found', message: 'the admin API is disabled: set SPANLITE_ADMIN_TOKEN to enable it' });
    }
  });
});

describe('with SPANLITE_ADMIN_TOKEN', () => {
  let collector: TestCollector;
  let created: ProjectKey & Record<string, unknown>;
  beforeAll(async () => {
    collector = await startTestCollector({ adminToken: ADMIN_TOKEN });
  });
  afterAll(async () => {
    await collector.close();
  });
  const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    callApi(collector.url, method, path, headers, body);

  it('refuses a missing or wrong token with 401', async () => {
    const missing = await call('GET', '/api/admin/keys', {});
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: 'unauthenticated', message: 'admin API: expected Authorization: Bearer <SPANLITE_ADMIN_TOKEN>' });
    const wrong = await call('GET', '/api/admin/keys', { authorization: `Bearer ${ADMIN_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('admin API: the bearer token is not the admin token (SPANLITE_ADMIN_TOKEN)');
    expect((await call('GET', '/api/admin/keys', { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` })).status).toBe(401);
  });

  it('creates a key, shown once with its secret, that the collector requires from then on', async () => {
    expect((await call('GET', '/api/public/traces', {})).status).toBe(200); // open until a key exists
    const answer = await call('POST', '/api/admin/keys', admin, { project: 'web-shop', note: 'checkout service' });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    created = answer.body;
    expect(created).toMatchObject({
      projectId: 'web-shop',
      publicKey: expect.stringMatching(/^pk-sl-[0-9a-f]{24}$/),
      secretKey: expect.stringMatching(/^sk-sl-[0-9a-f]{24}-[0-9a-f]{64}$/),
      note: 'checkout service',
      revokedAt: null,
    });
    expect((await call('GET', '/api/public/traces', {})).status).toBe(401);
    expect((await call('GET', '/api/public/traces', basicAuth(created))).status).toBe(200);
  });

  it('lists keys without their secrets', async () => {
    const answer = await call('GET', '/api/admin/keys', admin);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual([
      {
        publicKey: created.publicKey,
        projectId: 'web-shop',
        secretKeyHint: `sk-sl-…${created.secretKey.slice(-4)}`,
        note: 'checkout service',
        createdAt: expect.any(String),
        revokedAt: null,
      },
    ]);
    expect(JSON.stringify(answer.body)).not.toContain(created.secretKey.slice(6, -4));
  });

  it('refuses a bad project name or body, naming the field', async () => {
    const badName = await call('POST', '/api/admin/keys', admin, { project: '../etc' });
    expect(badName.status).toBe(400);
    expect(badName.body).toEqual({ error: 'invalid_parameter', message: expect.stringMatching(/^project: expected 1-64 letters, digits/) });
    const missing = await call('POST', '/api/admin/keys', admin, { note: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/project/);
  });

  it('does not open to a project key, and project keys open nothing of it', async () => {
    expect((await call('GET', '/api/admin/keys', bearerAuth(created))).status).toBe(401);
    expect((await call('GET', '/api/public/traces', admin)).status).toBe(401);
  });

  it('revokes a key at once, keeps it listed as revoked, and answers 404 for an unknown one', async () => {
    expect((await call('DELETE', `/api/admin/keys/${created.publicKey}`, admin)).status).toBe(204);
    const refused = await call('GET', '/api/public/traces', basicAuth(created));
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/revoked at/);
    expect((await call('GET', '/api/admin/keys', admin)).body.data[0].revokedAt).toEqual(expect.any(String));
    expect((await call('DELETE', `/api/admin/keys/${created.publicKey}`, admin)).status).toBe(204);
    const unknown = await call('DELETE', '/api/admin/keys/pk-sl-nope', admin);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('API key "pk-sl-nope" not found');
  });

  it('stays keyed after its last key is revoked: it never falls back to open', async () => {
    expect((await call('GET', '/api/public/traces', {})).status).toBe(401);
  });
});
