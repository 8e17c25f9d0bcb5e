/** Store lifecycles for the contract suite, as vitest hooks of the enclosing describe. */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { TraceStore } from '../../collector/store/contract.js';
import type { OpenedStore, StoreEngine } from './engines.js';

/** A new, empty store for each test; the returned function gives the current one. */
export function storePerTest(engine: StoreEngine): () => TraceStore {
  let opened: OpenedStore | undefined;
  beforeEach(async () => {
    opened = await engine.open();
  });
  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });
  return () => current(opened);
}

/** One store for every test of the describe, filled once by `seed`: for tests that only read. */
export function sharedStore(engine: StoreEngine, seed: (store: TraceStore) => Promise<void>): () => TraceStore {
  let opened: OpenedStore | undefined;
  beforeAll(async () => {
    opened = await engine.open();
    await seed(opened.store);
  });
  afterAll(async () => {
    await opened?.cleanup();
    opened = undefined;
  });
  return () => current(opened);
}

/** Opens a store for `use` alone and cleans it up afterwards, whatever happens. */
export async function withStore<T>(engine: StoreEngine, use: (store: TraceStore) => Promise<T>): Promise<T> {
  const opened = await engine.open();
  try {
    return await use(opened.store);
  } finally {
    await opened.cleanup();
  }
}

function current(opened: OpenedStore | undefined): TraceStore {
  if (opened === undefined) throw new Error('the store is open only inside a test');
  return opened.store;
}
