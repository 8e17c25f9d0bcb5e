/**
 * The full-text index of observation ids that finds an observation by id alone
 * (store/sqlite/search/observation-ids.ts): a deleted trace leaves nothing in it, and databases
 * upgraded from before the index. What a client reads by id is the store contract's
 * (test/store/observations.contract.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { decodedSpan } from '../helpers/decoded-span.js';
import { withDatabaseAtSchema } from '../helpers/older-schema.js';
import { createBatchWriter } from '../../collector/store/sqlite/write/batch-writer.js';
import { createBatchDerived } from '../../collector/store/sqlite/write/batch-derived.js';
import { createScoreRepeats } from '../../collector/store/sqlite/write/score-repeats.js';
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

describe('a database written before the observation id index (schema 9)', () => {
  it('indexes the ids it holds at upgrade, with or without full-text documents, and drops the b-tree index', async () => {
    const write = (old: Database.Database) => {
      // As schema 9 wrote: with documents (the derived tables) ...
      const derived = createBatchDerived(old, createScoreRepeats(old), { add() {}, remove() {}, candidateTraceIds: () => [] });
      createBatchWriter(old, Date.now, derived)([{ projectId: PROJECT, spans: [mapSpan(span(TRACE_A, 'aaaa000000000001', T0_NS))] }]);
      // ... and without: a trace with no document at all.
      createBatchWriter(old)([{ projectId: PROJECT, spans: [mapSpan(span(TRACE_B, 'bbbb000000000002', T0_NS))] }]);
    };
    await withDatabaseAtSchema(9, write, async (file) => {
      const store = openSqliteStore({ file });
      try {
        expect(await store.findObservationTraceId(PROJECT, 'aaaa000000000001')).toBe(TRACE_A);
        expect(await store.findObservationTraceId(PROJECT, 'bbbb000000000002')).toBe(TRACE_B);
        // A trace written after the upgrade is found too.
        const [outcome] = await store.writeBatches([{ projectId: PROJECT, spans: [mapSpan(span(TRACE_B, 'cccc000000000003', T0_NS))] }]);
        expect(outcome).toEqual({ ok: true });
        expect(await store.findObservationTraceId(PROJECT, 'cccc000000000003')).toBe(TRACE_B);
      } finally {
        await store.close();
      }
      const upgraded = new Database(file, { readonly: true });
      try {
        expect(upgraded.prepare(`SELECT name FROM sqlite_master WHERE name = 'observations_by_id'`).all()).toEqual([]);
      } finally {
        upgraded.close();
      }
    });
  });
});
