/**
 * The full-text documents of a group of batches (one transaction) are written together, in one
 * ascending run of ids: one word-index segment per commit however the batches' traces interleave
 * in time, one document per trace however many batches of the group carry it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodedSpan } from '../helpers/decoded-span.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import type { SpanBatch, TraceStore } from '../../collector/store/contract.js';
import { mapSpan } from '../../collector/mapping/map-span.js';

const T0_NS = 1_700_000_000_000_000_000n;
const MS_NS = 1_000_000n;

const traceId = (n: number) => n.toString(16).padStart(32, '0');
const spanId = (n: number) => n.toString(16).padStart(16, '0');
/** A word no other span carries: `word(3)` is "markerd". */
const word = (n: number) => `marker${String.fromCharCode(97 + (n % 26))}${String.fromCharCode(97 + Math.floor(n / 26))}`;

/** A span of trace `trace`, named with word `n`, starting `startMs` after T0. */
function span(trace: number, n: number, startMs: number) {
  const startNs = T0_NS + BigInt(startMs) * MS_NS;
  return mapSpan(
    decodedSpan({ traceId: traceId(trace), spanId: spanId(n + 1), name: `step ${word(n)}`, startTimeUnixNano: startNs, endTimeUnixNano: startNs + MS_NS }),
  );
}

let dir: string;
let file: string;
let store: TraceStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-group-documents-'));
  file = join(dir, 'spanlite.db');
  store = openSqliteStore({ file, synchronous: 'normal' });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function readDatabase<T>(read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const wordIndexSegments = () => readDatabase((db) => db.prepare(`SELECT count(DISTINCT segid) FROM search_words_idx`).pluck().get() as number);
const documentsOf = (trace: number) =>
  readDatabase((db) => db.prepare(`SELECT count(*) FROM search_docs WHERE trace_id = ?`).pluck().get(traceId(trace)) as number);

async function tracesWith(term: string): Promise<string[]> {
  const page = await store.listTraces('default', { page: 1, limit: 50, orderBy: { field: 'timestamp', direction: 'desc' }, searchTerms: [term] });
  return page.data.map((trace) => trace.id).sort();
}

describe('full-text documents of a group of batches', () => {
  it('adds one word-index segment for a group whose batches interleave in time', async () => {
    // Four batches of four traces each; batch b holds the traces starting at b, b+4, b+8, b+12 ms,
    // so every batch after the first starts before the previous one ends.
    const batches: SpanBatch[] = [0, 1, 2, 3].map((b) => ({
      projectId: 'default',
      spans: [0, 1, 2, 3].map((t) => span(b + 4 * t, b + 4 * t, b + 4 * t)),
    }));
    await store.writeBatches([{ projectId: 'default', spans: [span(100, 100, 0)] }]);
    const before = wordIndexSegments();

    expect(await store.writeBatches(batches)).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: true }]);

    expect(wordIndexSegments()).toBe(before + 1);
    for (let n = 0; n < 16; n++) expect(await tracesWith(word(n))).toEqual([traceId(n)]);
  });

  it('indexes a trace carried by two batches of the group as one document holding both', async () => {
    const first: SpanBatch = { projectId: 'default', spans: [span(1, 1, 10), span(2, 2, 5)] };
    const second: SpanBatch = { projectId: 'default', spans: [span(1, 3, 2), span(3, 4, 1)] };

    expect(await store.writeBatches([first, second])).toEqual([{ ok: true }, { ok: true }]);

    expect(documentsOf(1)).toBe(1);
    expect(await tracesWith(word(1))).toEqual([traceId(1)]);
    expect(await tracesWith(word(3))).toEqual([traceId(1)]);
    for (const n of [1, 3]) expect((await store.getObservation('default', spanId(n + 1)))?.traceId).toBe(traceId(1));
    expect(await tracesWith(word(2))).toEqual([traceId(2)]);
    expect(await tracesWith(word(4))).toEqual([traceId(3)]);
  });
});
