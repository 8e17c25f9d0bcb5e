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
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import type { SpanBatch, TraceStore } from '../../collector/store/contract.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { decodedSpan } from '../helpers/decoded-span.js';

const WAL_HEADER_BYTES = 32;
const WAL_FRAME_BYTES = 24 + 4096;

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

/** Polls `condition` every 100 ms for up to 5 s; a copy taken mid-checkpoint may throw, and counts as not yet. */
async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      if (condition()) return;
    } catch {
      // try again
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met within 5 s');
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

  it('keeps the WAL under its restart threshold by having commits wait for the worker, not by checkpointing on the writer', async () => {
    const restartFrames = 200;
    const backstopFrames = 4 * restartFrames; // the writer's own checkpoint (store/sqlite/store.ts)
    const small = openSqliteStore({ file: join(dir, 'small-wal.db'), walRestartFrames: restartFrames });
    const walFrames = () => Math.floor(Math.max(0, statSync(join(dir, 'small-wal.db-wal')).size - WAL_HEADER_BYTES) / WAL_FRAME_BYTES);
    try {
      // Once the worker has started (it copies a first commit into the file), writes come back to back.
      await small.writeBatches([batchOf('f'.repeat(32), 10)]);
      await until(() => observationsInMainFile(join(dir, 'small-wal.db'), dir) === 10);
      let largest = 0;
      for (let group = 0; group < 80; group++) {
        const outcomes = await small.writeBatches([batchOf(`${group + 1}`.padStart(32, 'c'), 10)]);
        expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
        largest = Math.max(largest, walFrames());
        await new Promise((resolve) => setImmediate(resolve)); // as the write queue yields between groups
      }
      // The WAL file only grows: its size is the most frames it ever held. The 80 groups wrote
      // far more than the backstop; had the WAL not started over, it would have reached it.
      expect(largest).toBeLessThan((backstopFrames * 3) / 4);
      expect((await small.listTraces('default', { page: 1, limit: 100, orderBy: { field: 'timestamp', direction: 'desc' } })).meta.totalItems).toBe(81);
    } finally {
      await small.close();
    }
  });

  it('stops the worker at close and leaves the WAL empty', async () => {
    await store.writeBatches([batchOf('b'.repeat(32), 5)]);
    await store.close();
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
    expect(observationsInMainFile(file, dir)).toBe(5);
  });
});
