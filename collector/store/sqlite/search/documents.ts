/**
 * Writing one full-text document (store/search-text.ts, indexed as store/sqlite/search/search-text.ts says): its `search_docs` row, numbered in its
 * trace's start millisecond, and its text in the word index, and in the trigram index when it
 * holds no-space script. Used by the batch writer (store/sqlite/write/batch-derived.ts); the
 * trigger that indexes an observation's rewritten text numbers its document the same way
 * (store/sqlite/schema.ts).
 *
 * Document ids are about 2^60 (a millisecond times DOC_IDS_PER_MS): beyond a double's 2^53, so
 * the id is read back as a BigInt. As a number it would come back rounded to a multiple of 256,
 * and the text would go into the index under another document's id.
 */
import type { Database } from 'better-sqlite3';
import { documentText, NO_SPACE_SCRIPT } from '../../search-text.js';
import { DOC_IDS_PER_MS } from './search-text.js';

export interface SearchDocument {
  projectId: string;
  traceId: string;
  /** The trace's start: the document's id falls in its millisecond, so matches come in trace time order. */
  traceStartNs: bigint;
  strings: Iterable<string>;
}

/** Writes the document; returns its id. Write a transaction's documents in ascending `traceStartNs` (FTS5 flushes a segment each time ids go back). */
export type WriteSearchDocument = (document: SearchDocument) => bigint;

export function createSearchDocumentWriter(db: Database): WriteSearchDocument {
  const insertDocument = db
    .prepare(`
      INSERT INTO search_docs (doc_id, project_id, trace_id)
      VALUES (coalesce((SELECT max(doc_id) + 1 FROM search_docs WHERE doc_id >= @base AND doc_id < @base + ${DOC_IDS_PER_MS}), @base),
        @projectId, @traceId)`)
    .safeIntegers(true);
  const insertWords = db.prepare(`INSERT INTO search_words (rowid, text) VALUES (?, ?)`);
  const insertNoSpace = db.prepare(`INSERT INTO search_cjk (rowid, text) VALUES (?, ?)`);
  return ({ projectId, traceId, traceStartNs, strings }) => {
    const base = (traceStartNs / 1_000_000n) * BigInt(DOC_IDS_PER_MS); // the first id of the start's millisecond
    const docId = insertDocument.run({ base, projectId, traceId }).lastInsertRowid as bigint;
    const text = documentText(strings);
    insertWords.run(docId, text);
    if (NO_SPACE_SCRIPT.test(text)) insertNoSpace.run(docId, text);
    return docId;
  };
}
