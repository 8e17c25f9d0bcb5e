/**
 * What operations ask of a store: a ping that answers while the database does (the health
 * check), and the database's size on disk (the spanlite_database_bytes metric), which grows as
 * traces are written. For a SQLite file the size is the file and its write-ahead log.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { ENGINES } from './engines.js';
import { withStore } from './lifecycle.js';
import { traceIdOf, writeTraces, type TraceSpec } from './trace-spans.js';

const PROJECT = 'health-project';
const T0 = Date.UTC(2025, 3, 1, 12, 0, 0);

function traces(count: number): TraceSpec[] {
  return Array.from({ length: count }, (_, n) => ({
    id: traceIdOf(0x5e00 + n),
    name: `sizing trace ${n}`,
    startMs: T0 + n * 1000,
    input: `question ${n} `.repeat(40),
    output: `answer ${n} `.repeat(40),
    generations: [{ model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 20 }],
  }));
}

describe.each(ENGINES)('database health and size ($name)', (engine) => {
  it('answers a ping while open, and refuses one once closed', async () => {
    const opened = await engine.open();
    await expect(opened.store.ping()).resolves.toBeUndefined();
    await opened.cleanup();
    await expect(opened.store.ping()).rejects.toThrow();
  });

  it('measures the database on disk, more once traces are written', async () => {
    await withStore(engine, async (store) => {
      const empty = await store.databaseSizeBytes();
      expect(empty).toBeGreaterThan(0);
      await writeTraces(store, PROJECT, traces(300));
      expect(await store.databaseSizeBytes()).toBeGreaterThan(empty);
    });
  });
});

describe('database size of a SQLite file', () => {
  it('counts the file and its write-ahead log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanlite-size-'));
    const file = join(dir, 'spanlite.db');
    const store = openSqliteStore({ file });
    const onDisk = () => statSync(file).size + statSync(`${file}-wal`).size;
    try {
      await writeTraces(store, PROJECT, traces(100));
      // Read back to back (the SQLite store measures synchronously): the checkpointer's thread
      // may move pages from the log to the file meanwhile, so the figure is bounded, not equal.
      const before = onDisk();
      const measuring = store.databaseSizeBytes();
      const after = onDisk();
      const measured = await measuring;
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
      expect(measured).toBeGreaterThanOrEqual(Math.min(before, after));
      expect(measured).toBeLessThanOrEqual(Math.max(before, after));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
