/**
 * The storage engines the store contract runs against (test/store/*.contract.test.ts). Each
 * `open()` gives a new, empty store of its own, and `cleanup()` closes it and removes whatever
 * it left behind; an engine added here runs the whole contract suite.
 */
import { it, type TestAPI } from 'vitest';
import type { TraceStore } from '../../collector/store/contract.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';

export interface OpenedStore {
  store: TraceStore;
  /** Closes the store and removes its data. */
  cleanup(): Promise<void>;
}

/**
 * Contract behaviours an engine is known to miss. Their tests run as expected failures on it
 * (`it.fails`), so the suite stays green and turns red the day the engine is fixed.
 */
export type KnownGap =
  /** A trace list filtered by one score condition counts only stored traces. */
  'score-count-of-unstored-traces';

export interface StoreEngine {
  name: string;
  open(): Promise<OpenedStore>;
  knownGaps: ReadonlySet<KnownGap>;
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
    knownGaps: new Set<KnownGap>([
      // A single score condition is counted from the score rows (countTraces in
      // store/sqlite/read/traces.ts), which include scores sent for traces never stored.
      'score-count-of-unstored-traces',
    ]),
  },
];

/** `it` for a contract test, or `it.fails` on an engine known to miss what the test checks. */
export function itUnlessKnownGap(engine: StoreEngine, gap: KnownGap): TestAPI | TestAPI['fails'] {
  return engine.knownGaps.has(gap) ? it.fails : it;
}
