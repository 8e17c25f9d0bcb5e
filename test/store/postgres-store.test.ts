/**
 * The PostgreSQL store assembled (store/postgres/store.ts): it connects and migrates, answers
 * through every part (the contract suite, test/store/*.contract.test.ts, checks what each read
 * returns), lets two stores on one database see each other's writes, closes once however often
 * asked, and refuses to open where it cannot connect, naming the target but not the password.
 * While its server is down it fails as unavailable (a 503 to clients) and serves again once the
 * server is back; a connection the server ends in the middle of a transaction fails that
 * transaction alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../collector/store/postgres/store.js';
import { preparePostgresDatabase } from '../../collector/store/postgres/prepare.js';
import { inTransaction } from '../../collector/store/postgres/upkeep/transaction.js';
import { isTransientPostgresError } from '../../collector/store/postgres/write/errors.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { batchOf, traceIdOf, traceSpans, writeSpans } from './trace-spans.js';

const PROJECT = 'store-project';

describe.skipIf(!postgresAvailable())('the PostgreSQL store', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());

  it('migrates a new database, writes and reads through one store, and sees what another store on it wrote', async () => {
    const url = await server.createDatabase('assembled');
    const [first, second] = await Promise.all([openPostgresStore({ url, poolSize: 2 }), openPostgresStore({ url, poolSize: 2 })]);
    try {
      const id = traceIdOf(0x51);
      await writeSpans(first, PROJECT, traceSpans({ id, name: 'assembled run', startMs: Date.UTC(2026, 0, 5), generations: [{ model: 'gpt-4o', costUsd: 0.5 }] }));
      expect(await second.getTrace(PROJECT, id)).toMatchObject({ id, name: 'assembled run', totalCostUsd: 0.5 });
      const found = await second.listTraces(PROJECT, { page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' }, searchTerms: ['assembled'] });
      expect(found.data.map((t) => t.id)).toEqual([id]);
      expect(found.meta.totalItems).toBe(1);
      expect(await first.deleteTrace(PROJECT, id)).toBe(true);
      expect(await second.getTrace(PROJECT, id)).toBeNull();
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('closes once: a second close resolves and ends nothing twice', async () => {
    const store = await openPostgresStore({ url: await server.createDatabase('closing'), poolSize: 1 });
    await Promise.all([store.close(), store.close()]);
    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.listCustomModels(PROJECT)).rejects.toThrow();
  });

  it('fails a transaction whose connection the server ends between two statements, and goes on on a new connection', async () => {
    const pool = await preparePostgresDatabase({ url: await server.createDatabase('terminated'), poolSize: 2 });
    try {
      const transaction = inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const ended = new Promise((resolve) => client.once('end', resolve));
        await pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        // The server's error arrives while no statement runs: an event the pool does not listen to.
        await ended;
        await client.query('SELECT 1');
      });
      const error = await transaction.then(() => null, (rejected: unknown) => rejected);
      expect(isTransientPostgresError(error), String(error)).toBe(true);
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('fails as unavailable while its server is down, and serves again once it is back', async () => {
    const store = await openPostgresStore({ url: await server.createDatabase('outage'), poolSize: 2 });
    const id = traceIdOf(0x52);
    try {
      await server.shutDown();
      const unavailable = { code: 'store_unavailable', message: expect.stringMatching(/^PostgreSQL unavailable: /) };
      await expect(store.getTrace(PROJECT, id)).rejects.toMatchObject(unavailable);
      await expect(store.writeBatches([batchOf(PROJECT, [{ id, name: 'after the outage', startMs: Date.UTC(2026, 0, 6) }])])).rejects.toMatchObject(unavailable);
      await server.start();
      await writeSpans(store, PROJECT, traceSpans({ id, name: 'after the outage', startMs: Date.UTC(2026, 0, 6) }));
      expect(await store.getTrace(PROJECT, id)).toMatchObject({ id, name: 'after the outage' });
    } finally {
      await server.start().catch(() => undefined);
      await store.close();
    }
  });

  it('refuses to open where it cannot log in, naming the database and not the password', async () => {
    const url = new URL(server.url);
    url.password = 'not-the-password-1234';
    const error = await openPostgresStore({ url: url.toString() }).then(() => null, (rejected: Error) => rejected);
    expect(error?.message).toMatch(/refused the login/);
    expect(error?.message).toContain(`127.0.0.1:${server.port}/postgres`);
    expect(error?.message).not.toContain('not-the-password-1234');
  });
});
