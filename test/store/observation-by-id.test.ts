/**
 * The full-text index of observation ids that finds an observation by id alone
 * (store/sqlite/search/observation-ids.ts): a deleted trace leaves nothing in it. What a client reads by id is the store contract's
 * (test/store/observations.contract.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { decodedSpan } from '../helpers/decoded-span.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import type { DecodedSpan } from '../../collector/decode/span.js';

const PROJECT = 'default';
const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
const TRACE_B = '1bf7651916cd43dd8448eb211c80319d';
const SECOND_NS = 1_000_000_000n;
const T0_NS = 1_700_000_000n * SECOND_NS;

function span(traceId: string, spanId: string, startNs: bigint, overrides: Partial<DecodedSpan> = {}): DecodedSpan {
  return decodedSpan({ traceId, spanId, startTimeUnixNano: startNs, endTimeUnixNano: startNs + SECOND_NS, ...overrides });
}

describe('the observation id index', () => {
  it('holds nothing of a deleted trace: its ids went with its full-text documents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanlite-observation-ids-'));
    const file = join(dir, 'spanlite.db');
    try {
      const store = openSqliteStore({ file });
      await store.writeBatches([{ projectId: PROJECT, spans: [mapSpan(span(TRACE_A, 'b7ad6b7169203331', T0_NS))] }]);
      expect(await store.deleteTrace(PROJECT, TRACE_A)).toBe(true);
      await store.close();
      const db = new Database(file, { readonly: true });
      try {
        expect(db.prepare(`SELECT count(*) FROM observation_ids WHERE observation_ids MATCH '"b7ad6b7169203331"'`).pluck().get()).toBe(0);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
