/**
 * WAL checkpoints run on a worker thread: what is committed reaches the database file itself
 * without any commit doing the copy (the writer's own threshold is far above these writes), and
 * closing the store stops the worker and leaves no WAL behind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../collector/store/sqlite-store.js';
import type { SpanBatch, TraceStore } from '../../collector/store/trace-store.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { decodedSpan } from '../helpers/decoded-span.js';

function batchOf(traceId: string, spanCount: number): SpanBatch {
  const spans = Array.from({ length: spanCount }, (_, index) =>
    mapSpan(decodedSpan({ traceId, spanId: `${index + 1}`.padStart(16, '0'), name: `span-${index}` })),
  );
  return { projectId: 'default', spans };
}

/** Observations in the database file alone, read from a copy made without its WAL. */
function observationsInMainFile(file: string, dir: string): number {
  const copy = join(dir, 'main-file-only.db');
  rmSync(copy, { force: true });
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM observations').pluck().get() as number;
  } finally {
    db.close();
  }
}

let dir: string;
let file: string;
let store: TraceStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-checkpoint-'));
  file = join(dir, 'spanlite.db');
  store = openSqliteStore({ file });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('WAL checkpoints', () => {
  it('copies committed spans into the database file in the background, within a second or two', async () => {
    const traceIds = Array.from({ length: 20 }, (_, index) => `${index + 1}`.padStart(32, 'a'));
    const outcomes = await store.writeBatches(traceIds.map((traceId) => batchOf(traceId, 10)));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);

    let inMainFile = 0;
    for (let attempt = 0; attempt < 50 && inMainFile < 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        inMainFile = observationsInMainFile(file, dir);
      } catch {
        // A copy taken while a checkpoint was writing pages: try again.
      }
    }
    expect(inMainFile).toBe(200);
  });

  it('stops the worker at close and leaves the WAL empty', async () => {
    await store.writeBatches([batchOf('b'.repeat(32), 5)]);
    await store.close();
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
    expect(observationsInMainFile(file, dir)).toBe(5);
  });
});
