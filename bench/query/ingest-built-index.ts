/**
 * Lays out the loaded database's word index as ingest builds it. The query migration fills the
 * index in one transaction, which leaves it in few large segments; the batch writer adds one
 * segment per group commit, merged sixteen at a time when a level fills, in steps after each
 * commit (store/sqlite/upkeep/word-index-merge.ts), so a database grown by ingest holds many more.
 * Searches read every segment, so timing them on the migration's layout would flatter them.
 *
 * The index is emptied and every document's text written again under its id, from the stored
 * rows (as the search repair does), in commits of DOCUMENTS_PER_COMMIT: the traces of one
 * bench:ingest group commit (four 512-span requests of 64 traces), each followed by the store's
 * merge step. Documents and the observation id index are left as they are.
 */
import type { Database } from 'better-sqlite3';
import { documentText } from '../../collector/store/sqlite/search/search-text.js';
import { createStoredTraceStrings } from '../../collector/store/sqlite/schema/search-repair.js';
import { createWordIndexMerge } from '../../collector/store/sqlite/upkeep/word-index-merge.js';

const DOCUMENTS_PER_COMMIT = 256;

export function relayWordIndexAsIngest(db: Database, progress: (written: number, total: number) => void): { segments: number } {
  const documents = db
    .prepare(`SELECT doc_id, project_id, trace_id FROM search_docs ORDER BY doc_id`)
    .raw()
    .safeIntegers(true)
    .all() as Array<[bigint, string, string]>;
  const storedStrings = createStoredTraceStrings(db);
  const insertWords = db.prepare(`INSERT INTO search_words (rowid, text) VALUES (?, ?)`);
  const wordIndexMerge = createWordIndexMerge(db);
  const writeRange = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const [docId, projectId, traceId] = documents[i]!;
      insertWords.run(docId, documentText(storedStrings(projectId, traceId)));
    }
  });

  db.exec(`INSERT INTO search_words (search_words) VALUES ('delete-all')`);
  for (let from = 0; from < documents.length; from += DOCUMENTS_PER_COMMIT) {
    writeRange(from, Math.min(documents.length, from + DOCUMENTS_PER_COMMIT));
    wordIndexMerge.mergeStep();
    progress(Math.min(documents.length, from + DOCUMENTS_PER_COMMIT), documents.length);
  }
  return { segments: db.prepare(`SELECT count(DISTINCT segid) FROM search_words_idx`).pluck().get() as number };
}
