/**
 * FTS5 removes merged segments with `DELETE FROM x_data WHERE id>=? AND id<=?`. Analyzed while
 * new (two rows), its `_data` tables were planned as a whole-table scan, so every merge read the
 * whole word index once per segment (store/sqlite/upkeep/statistics.ts). Planned from the statistics
 * the store leaves in the file, the same range must read by key, new or reopened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { decodedSpan } from '../helpers/decoded-span.js';

const FULL_TEXT_TABLES = ['search_words', 'search_cjk', 'observation_ids'];
const KEY_RANGE = 'USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-statistics-'));
  file = join(dir, 'spanlite.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** How a connection opened after the store plans a segment range read of each full-text table. */
function segmentRangePlans(): Record<string, string> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      FULL_TEXT_TABLES.map((table) => {
        const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT block FROM ${table}_data WHERE id >= ? AND id <= ?`).all(1, 2) as { detail: string }[];
        return [table, plan.map((step) => step.detail).join('; ')];
      }),
    );
  } finally {
    db.close();
  }
}

it('plans full-text segment ranges by key in a new database', async () => {
  const store = openSqliteStore({ file });
  await store.close();
  for (const [table, plan] of Object.entries(segmentRangePlans())) expect(plan, table).toContain(KEY_RANGE);
});

it('plans them by key after a reopen has analyzed the written tables again', async () => {
  const first = openSqliteStore({ file });
  const spans = Array.from({ length: 50 }, (_, i) =>
    mapSpan(decodedSpan({ traceId: i.toString(16).padStart(32, '0'), name: `step ${i}`, startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i) })),
  );
  expect(await first.writeBatches([{ projectId: 'default', spans }])).toEqual([{ ok: true }]);
  await first.close();
  const second = openSqliteStore({ file });
  await second.close();
  for (const [table, plan] of Object.entries(segmentRangePlans())) expect(plan, table).toContain(KEY_RANGE);
});
