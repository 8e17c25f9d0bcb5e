/**
 * The storage engines the store contract runs against (test/store/*.contract.test.ts). Each
 * `open()` gives a new, empty store of its own, and `cleanup()` closes it and removes whatever
 * it left behind; an engine added here runs the whole contract suite.
 *
 * PostgreSQL runs where its server binaries are installed (postgresAvailable(): otherwise left
 * out with the reason printed, and a failure under CI=true): one throwaway server per test file,
 * started at the first open() and stopped after the file's tests, and a database per open(),
 * copied from a template database migrated once per file (CREATE DATABASE ... TEMPLATE is a file
 * copy, far quicker than creating the schema again).
 */
import { afterAll } from 'vitest';
import pg from 'pg';
import type { CopyableStore } from '../../collector/store/contract.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { openPostgresStore } from '../../collector/store/postgres/store.js';
import { preparePostgresDatabase } from '../../collector/store/postgres/prepare.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';

export interface OpenedStore {
  store: CopyableStore;
  /** Closes the store and removes its data. */
  cleanup(): Promise<void>;
}

export interface StoreEngine {
  name: string;
  open(): Promise<OpenedStore>;
}

const SQLITE: StoreEngine = {
  name: 'sqlite',
  // In memory: the contract is about what the store answers, and a file adds only its own upkeep
  // (WAL checkpoints, statistics), tested in test/store/{wal-checkpoint,planner-statistics}.test.ts.
  open: async () => {
    const store = openSqliteStore({ file: ':memory:' });
    return { store, cleanup: () => store.close() };
  },
};

const TEMPLATE = 'contract_template';

/** This file's server, with its migrated template database; started at the first open(). */
let postgres: Promise<{ server: PostgresServer; admin: pg.Pool }> | undefined;
let databases = 0;

function postgresServer(): Promise<{ server: PostgresServer; admin: pg.Pool }> {
  postgres ??= (async () => {
    const server = await startPostgres();
    try {
      const template = await preparePostgresDatabase({ url: await server.createDatabase(TEMPLATE), poolSize: 1 });
      await template.end();
      return { server, admin: new pg.Pool({ connectionString: server.url, max: 2 }) };
    } catch (error) {
      await server.stop();
      throw error;
    }
  })();
  return postgres;
}

/**
 * A new database copied from the template. The next one is copied while a test runs (a copy takes
 * about a quarter of a second, most of a short test's time), so open() mostly finds it ready.
 */
let spare: Promise<string> | undefined;
const drops: Array<Promise<void>> = [];

async function copyTemplate(admin: pg.Pool): Promise<string> {
  const name = `contract_${++databases}`;
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
  return name;
}

const POSTGRES: StoreEngine = {
  name: 'postgres',
  open: async () => {
    const { server, admin } = await postgresServer();
    const name = await (spare ?? copyTemplate(admin));
    spare = copyTemplate(admin);
    spare.catch(() => undefined); // awaited by the next open(), which reports its failure
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    // A small pool: the contract writes and reads one request at a time, a few at once at most.
    const store = await openPostgresStore({ url: url.toString(), poolSize: 4 });
    return {
      store,
      // Dropped while the next test runs; the file's last drops are awaited before the server stops.
      cleanup: async () => {
        await store.close();
        drops.push(admin.query(`DROP DATABASE IF EXISTS ${name}`).then(() => undefined));
      },
    };
  },
};

// Registered on the importing test file: its server stops once its tests are done.
afterAll(async () => {
  if (postgres === undefined) return;
  const { server, admin } = await postgres.catch(() => ({ server: undefined, admin: undefined }));
  postgres = undefined;
  await Promise.all([spare, ...drops.splice(0)].map((pending) => pending?.catch(() => undefined)));
  spare = undefined;
  await admin?.end();
  await server?.stop();
});

export const ENGINES: StoreEngine[] = postgresAvailable() ? [SQLITE, POSTGRES] : [SQLITE];
