/**
 * The word index's merges, in steps of bounded size, each in a transaction of its own right
 * after a group commit.
 *
 * FTS5 writes each commit's words as a new segment and merges segments to keep reads fast. Merged
 * by FTS5 inside the commit (a crisis merge when a level holds sixteen), a whole level is merged
 * at the end of the group commit that filled it. On a 2M-span database a second-level merge
 * rewrites sixteen segments of about 2,200 pages each (140 MB) inside one batch's commit, and
 * every request of that group waits for it.
 *
 * So the batch commit does not merge (the index's crisismerge is a backstop far above usermerge,
 * and automerge is off: store/sqlite/schema.ts), and after each group commit `mergeStep` runs
 * FTS5's incremental `merge` command, which writes at most MERGE_PAGES_PER_STEP pages. It merges
 * only once a level holds sixteen segments (usermerge), and carries a merge on across steps until
 * it is done; with nothing to merge it writes nothing. Measured against merges inside the commit,
 * bench:ingest at 2M (3 rounds each, same machine, one run after the other): p99 556-752 ms
 * against 677-2,495 ms, 5,291 against 4,881 spans/s; the store alone side by side to 400k spans:
 * within 1% but for one slice 9% faster.
 */
import type { Database } from 'better-sqlite3';

/**
 * Segments per level that start a merge (FTS5's usermerge: 16 is its maximum); written into the
 * index's config by the schema.
 */
export const WORD_INDEX_MERGE_SEGMENTS = 16;

/**
 * Segments on one level past which FTS5 merges inside the batch commit anyway (crisismerge): a
 * backstop should the steps fall behind, which bounds the segments a search reads.
 */
export const WORD_INDEX_CRISIS_SEGMENTS = 64;

/**
 * FTS5 pages (about 4 KB) written by one step at most: a commit's new segment is about 140 pages
 * for 2,048 spans, and each page is merged again once per level (two or three levels at 2M
 * spans), so a step of 1,000 keeps well ahead of the new segments.
 */
const MERGE_PAGES_PER_STEP = 1_000;

export interface WordIndexMerge {
  /** Runs one merge step in its own transaction; does nothing when no level is due. Call outside any transaction. */
  mergeStep(): void;
}

export function createWordIndexMerge(db: Database): WordIndexMerge {
  const merge = db.prepare(`INSERT INTO search_words (search_words, rank) VALUES ('merge', ${MERGE_PAGES_PER_STEP})`);
  const step = db.transaction(() => merge.run());
  return {
    mergeStep() {
      step.immediate();
    },
  };
}
