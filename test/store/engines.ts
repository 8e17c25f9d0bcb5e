/**
 * The storage engines the store contract runs against (test/store/*.contract.test.ts). Each
 * `open()` gives a new, empty store of its own, and `cleanup()` closes it and removes whatever
 * it left behind; an engine added here runs the whole contract suite.
 */
import type { TraceStore } from '../../collector/store/contract.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';

export interface OpenedStore {
  store: TraceStore;
  /** Closes the store and removes its data. */
  cleanup(): Promise<void>;
}

export interface StoreEngine {
  name: string;
  open(): Promise<OpenedStore>;
}

export const ENGINES: StoreEngine[] = [
  {
    name: 'sqlite',
    // In memory: the contract is about what the store answers, and a file adds only its own upkeep
    // (WAL checkpoints, statistics), tested in test/store/{wal-checkpoint,planner-statistics}.test.ts.
    open: async () => {
      const store = openSqliteStore({ file: ':memory:' });
      return { store, cleanup: () => store.close() };
    },
  },
];
