/**
 * The PostgreSQL store assembled (store/postgres/store.ts): it connects and migrates, answers
 * through every part (the contract suite, test/store/*.contract.test.ts, checks what each read
 * returns), lets two stores on one database see each other's writes, closes once however often
 * asked, and refuses to open where it cannot connect, naming the target but not the password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../collector/store/postgres/store.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { traceIdOf, traceSpans, writeSpans } from './trace-spans.js';

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

  it('refuses to open where it cannot log in, naming the database and not the password', async () => {
    const url = new URL(server.url);
    url.password = 'not-the-password-1234';
    const error = await openPostgresStore({ url: url.toString() }).then(() => null, (rejected: Error) => rejected);
    expect(error?.message).toMatch(/refused the login/);
    expect(error?.message).toContain(`127.0.0.1:${server.port}/postgres`);
    expect(error?.message).not.toContain('not-the-password-1234');
  });
});
