/**
 * The full-text word index merges its segments sixteen at a time, only when a level fills, in a
 * step of its own after each group commit (store/sqlite/upkeep/word-index-merge.ts; the settings
 * are in store/sqlite/schema.ts): across many commits the segments stay few and every trace's
 * words stay found.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { decodedSpan } from '../helpers/decoded-span.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { WORD_INDEX_CRISIS_SEGMENTS, WORD_INDEX_MERGE_SEGMENTS } from '../../collector/store/sqlite/upkeep/word-index-merge.js';

const COMMITS = 40; // more than two full levels of sixteen segments
const T0_NS = 1_700_000_000_000_000_000n;

it('merges the word index after its commits and finds the words of every commit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanlite-search-merges-'));
  try {
    const file = join(dir, 'spanlite.db');
    const store = openSqliteStore({ file });
    const word = (i: number) => `marker${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
    const traceId = (i: number) => i.toString(16).padStart(32, '0');
    const reader = new Database(file, { readonly: true });
    const segments = reader.prepare(`SELECT count(DISTINCT segid) FROM search_words_idx`).pluck();
    let mostSegments = 0;
    try {
      for (let i = 0; i < COMMITS; i++) {
        const startNs = T0_NS + BigInt(i) * 1_000_000_000n;
        const span = decodedSpan({ traceId: traceId(i), name: `run ${word(i)}`, startTimeUnixNano: startNs, endTimeUnixNano: startNs + 1n });
        expect(await store.writeBatches([{ projectId: 'default', spans: [mapSpan(span)] }])).toEqual([{ ok: true }]);
        mostSegments = Math.max(mostSegments, segments.get() as number);
      }
      // One segment per commit, and the crisis merge would wait for 64 on a level: only the steps merged them.
      expect(COMMITS).toBeLessThan(WORD_INDEX_CRISIS_SEGMENTS);
      expect(mostSegments).toBeLessThanOrEqual(WORD_INDEX_MERGE_SEGMENTS + 1);
      for (let i = 0; i < COMMITS; i++) {
        const page = await store.listTraces('default', {
          page: 1,
          limit: 10,
          orderBy: { field: 'timestamp', direction: 'desc' },
          searchTerms: [word(i)],
        });
        expect(page.data.map((trace) => trace.id)).toEqual([traceId(i)]);
      }
    } finally {
      reader.close();
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const config = (key: string) => db.prepare(`SELECT v FROM search_words_config WHERE k = ?`).pluck().get(key);
      expect(config('automerge')).toBe(0);
      expect(config('usermerge')).toBe(WORD_INDEX_MERGE_SEGMENTS);
      expect(config('crisismerge')).toBe(WORD_INDEX_CRISIS_SEGMENTS);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
