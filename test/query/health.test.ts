/**
 * GET /api/public/health, as Langfuse answers it so that its probes work here: 200 with the
 * package version while the store answers, 503 "Database not available" with the reason when it
 * does not, and no key needed either way.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { startKeyedCollector } from '../helpers/keyed-collector.js';
import { startTestCollector } from '../helpers/collector.js';
import { describeOnPostgres } from '../helpers/postgres-suite.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { healthRoute, HEALTH_PATH } from '../../collector/routes/health.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function health(baseUrl: string): Promise<{ status: number; body: any }> {
  const response = await fetch(baseUrl + HEALTH_PATH);
  return { status: response.status, body: await response.json() };
}

describe('the health check on SQLite', () => {
  it('answers 200 OK with the package version, without a key on a collector that requires keys', async () => {
    const keyed = await startKeyedCollector(['alpha']);
    try {
      expect(await health(keyed.collector.url)).toEqual({ status: 200, body: { status: 'OK', version: VERSION } });
      expect((await fetch(`${keyed.collector.url}/api/public/traces`)).status).toBe(401);
    } finally {
      await keyed.close();
    }
  });

  it('answers 503 Database not available, with the reason, once the store is closed', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    const app = Fastify();
    await app.register(healthRoute, { store, version: VERSION });
    try {
      expect((await app.inject({ url: HEALTH_PATH })).statusCode).toBe(200);
      await store.close();
      const answer = await app.inject({ url: HEALTH_PATH });
      expect(answer.statusCode).toBe(503);
      expect(answer.json()).toEqual({ status: 'Database not available', version: VERSION, message: expect.stringContaining('not open') });
    } finally {
      await app.close();
    }
  });
});

describeOnPostgres('the health check on PostgreSQL', (postgres) => {
  it('answers 503 with the connection error once the server has stopped, and the collector keeps answering', async () => {
    const server = postgres();
    const collector = await startTestCollector({ dbFile: await server.createDatabase('health'), dbEngine: 'postgres', dbPoolSize: 2 });
    try {
      expect(await health(collector.url)).toEqual({ status: 200, body: { status: 'OK', version: VERSION } });
      await server.stop();
      const down = await health(collector.url);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'Database not available', version: VERSION });
      expect(down.body.message).toMatch(/ECONNREFUSED|Connection terminated/);
      expect((await health(collector.url)).status).toBe(503);
    } finally {
      await collector.close();
    }
  });
});
