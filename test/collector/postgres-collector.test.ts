/**
 * The collector on PostgreSQL (SPANLITE_DB=postgres://...): started in-process on a throwaway
 * server, it takes spans sent by the real OTLP exporter and answers them through the REST API;
 * `spanlite start` logs that PostgreSQL is in use (host and database, never the password) and a
 * start against a server that refuses the login exits 1 with the reason and no password; and one
 * collector at a time sweeps retention (the sweep's advisory lock).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector } from '../helpers/collector.js';
import { startCollectorProcess } from '../helpers/collector-process.js';
import { exportSpans, otlpExporter } from '../helpers/otel-sdk.js';
import { recordSeedScenario, SEED } from '../helpers/seed-scenario.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { openPostgresStore } from '../../collector/store/postgres/store.js';
import { RETENTION_LOCK } from '../../collector/store/postgres/upkeep/retention.js';
import { traceIdOf, traceSpans, writeSpans } from '../store/trace-spans.js';

describe.skipIf(!postgresAvailable())('the collector on PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());

  it('stores OTLP spans sent by the exporter and reads them back through the REST API', async () => {
    const collector = await startTestCollector({ dbFile: await server.createDatabase('collector'), dbEngine: 'postgres', dbPoolSize: 4 });
    try {
      const spans = await recordSeedScenario();
      const traceId = spans[0]!.spanContext().traceId;
      await exportSpans(otlpExporter('protobuf', collector.tracesEndpoint), spans);
      const stored = await collector.getJson(`/api/public/traces/${traceId}`);
      expect(stored).toMatchObject({ id: traceId, name: SEED.traceName, userId: SEED.userId, sessionId: SEED.sessionId });
      expect(stored.observations.map((o: { name: string }) => o.name)).toContain('llm-answer');
      const listed = await collector.getJson(`/api/public/traces?userId=${encodeURIComponent(SEED.userId)}`);
      expect(listed.data.map((t: { id: string }) => t.id)).toEqual([traceId]);
    } finally {
      await collector.close();
    }
  });

  it('refuses to start when PostgreSQL refuses the login, saying so without the password', async () => {
    const url = new URL(await server.createDatabase('refused'));
    url.password = 'wrong-password-5678';
    const started = startTestCollector({ dbFile: url.toString(), dbEngine: 'postgres' });
    await expect(started).rejects.toThrow(/refused the login/);
    await expect(started).rejects.not.toThrow(/wrong-password-5678/);
  });

  it('spanlite start says PostgreSQL is in use without the password, and exits 1 when the login is refused', async () => {
    const url = await server.createDatabase('process');
    const password = new URL(url).password;
    const running = await startCollectorProcess(url);
    try {
      const log = running.logs.join('\n');
      expect(log).toContain(`PostgreSQL in use: 127.0.0.1:${server.port}/process`);
      expect(log).toContain(`"database":"PostgreSQL 127.0.0.1:${server.port}/process (user \\"`);
      expect(log).not.toContain(password);
    } finally {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    const wrong = new URL(url);
    wrong.password = 'wrong-password-5678';
    const failed = await startCollectorProcess(wrong.toString()).then(() => null, (error: Error) => error);
    expect(failed?.message).toMatch(/exited during start-up \(1\)/);
    expect(failed?.message).toMatch(/refused the login/);
    expect(failed?.message).not.toContain('wrong-password-5678');
  });

  it('sweeps retention in one collector at a time: a sweep finding the lock held deletes nothing', async () => {
    const url = await server.createDatabase('retention');
    const store = await openPostgresStore({ url, poolSize: 2 });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await writeSpans(store, 'p', traceSpans({ id: traceIdOf(0x71), name: 'old', startMs: Date.UTC(2020, 0, 1) }));
      const cutoff = BigInt(Date.UTC(2021, 0, 1)) * 1_000_000n;
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1, $2)', [...RETENTION_LOCK]);
      expect(await store.deleteTracesOlderThan(cutoff, 100)).toBe(0);
      await holder.query('COMMIT');
      expect(await store.deleteTracesOlderThan(cutoff, 100)).toBe(1);
    } finally {
      await holder.end();
      await store.close();
    }
  });
});
