/**
 * Full-text search over traces that start in the same millisecond. Their documents share the
 * millisecond's id range, and ids there exceed a double's precision: each trace's text must be
 * found under that trace, also after another is deleted, and also in a database whose documents
 * an earlier version indexed under rounded ids (store/sqlite/schema/search-repair.ts).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { decodedSpan } from '../helpers/decoded-span.js';
import { sendTraces } from './trace-builder.js';
import { withDatabaseAtSchema } from '../helpers/older-schema.js';
import { createBatchWriter } from '../../collector/store/sqlite/write/batch-writer.js';
import { createBatchDerived } from '../../collector/store/sqlite/write/batch-derived.js';
import { createScoreRepeats } from '../../collector/store/sqlite/write/score-repeats.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import type { TraceListQuery } from '../../collector/store/contract.js';

const START_MS = Date.UTC(2025, 5, 1, 12, 0, 0, 123);
const WORDS = ['alpha', 'bravo', 'charlie', 'delta'];

describe('traces sent over OTLP that start in the same millisecond', () => {
  let collector: TestCollector;
  let ids: string[];
  const found = async (word: string) => {
    const body = await collector.getJson(`/api/public/traces?q=${word}`);
    return body.data.map((trace: { id: string }) => trace.id);
  };

  beforeAll(async () => {
    collector = await startTestCollector();
    ids = await sendTraces(
      collector.tracesEndpoint,
      WORDS.map((word) => ({ name: `run-${word}`, startMs: START_MS, input: `question about ${word}` })),
    );
  });
  afterAll(async () => {
    await collector.close();
  });

  it('are each found by their own words', async () => {
    for (const [i, word] of WORDS.entries()) expect(await found(word)).toEqual([ids[i]]);
    expect((await found('question')).sort()).toEqual([...ids].sort());
  });

  it('stay found when another of them is deleted', async () => {
    const response = await fetch(`${collector.url}/api/public/traces/${ids[0]}`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await found(WORDS[0]!)).toEqual([]);
    for (const [i, word] of WORDS.entries()) if (i > 0) expect(await found(word)).toEqual([ids[i]]);
  });
});

describe('a database whose documents were indexed under rounded ids (schema 8)', () => {
  it('is re-indexed at upgrade, so each trace is found by its own words again', async () => {
    const traceIds = WORDS.map((_, i) => `${i + 1}`.repeat(32));
    const startNs = BigInt(START_MS) * 1_000_000n;
    const write = (old: Database.Database) => {
      const spans = WORDS.map((word, i) =>
        mapSpan(decodedSpan({ traceId: traceIds[i]!, name: `run-${word}`, startTimeUnixNano: startNs, endTimeUnixNano: startNs + 1_000_000n })),
      );
      const derived = createBatchDerived(old, createScoreRepeats(old), { add() {}, remove() {}, candidateTraceIds: () => [] });
      createBatchWriter(old, Date.now, derived)([{ projectId: 'default', spans }]);
      // What schema 8's writer did: each document's text went in under its id as a double.
      const documents = old.prepare(`SELECT doc_id, trace_id FROM search_docs`).safeIntegers(true).all() as Array<{ doc_id: bigint; trace_id: string }>;
      expect(documents).toHaveLength(WORDS.length);
      old.exec(`DELETE FROM search_words`);
      const insertWords = old.prepare(`INSERT INTO search_words (rowid, text) VALUES (?, ?)`);
      for (const { doc_id, trace_id } of documents) insertWords.run(Number(doc_id), `run-${WORDS[traceIds.indexOf(trace_id)]}`);
    };
    await withDatabaseAtSchema(8, write, async (file) => {
      const store = openSqliteStore({ file });
      const search = (word: string): TraceListQuery => ({
        page: 1,
        limit: 10,
        orderBy: { field: 'timestamp', direction: 'desc' },
        searchTerms: [word],
      });
      try {
        for (const [i, word] of WORDS.entries()) {
          expect((await store.listTraces('default', search(word))).data.map((trace) => trace.id)).toEqual([traceIds[i]]);
        }
      } finally {
        await store.close();
      }
    });
  });
});
