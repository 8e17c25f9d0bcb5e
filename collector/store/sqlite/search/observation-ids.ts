/**
 * Observations by id, without a b-tree index on the id.
 *
 * Observation ids are span ids: random. An index keyed by them takes each new row on a random
 * leaf page, so once the index outgrows the page cache every commit rewrites about one page per
 * observation to the WAL. At a million spans that index alone cost a tenth to a third of the
 * write throughput (measured by dropping it, two runs). An FTS5 index takes the same keys as
 * sorted segments that it writes whole and merges a few at a time as it goes, so its cost per
 * id stays small as it grows.
 *
 * The batch writer adds one row per trace per group commit: the ids of the trace's observations
 * in the group, under the id of the full-text document written for that trace in the same group
 * (store/sqlite/write/batch-derived.ts; `search_docs` maps it to the trace, and trace deletion removes both).
 * A lookup finds the candidate traces there, then reads the observation by its primary key.
 * A token may stand for more than one id (case folding, long ids cut short): the key read
 * checks the id itself, so such a collision costs a read, never a wrong answer.
 *
 * The index is the FTS5 table `observation_ids` (store/sqlite/schema.ts): one token per id.
 */
import type { Database } from 'better-sqlite3';

const PLAIN_ID = /^[0-9A-Za-z]{1,64}$/;
const MAX_TOKEN_CHARS = 128;

/** One token per id: the id itself when it is letters and digits (span ids are hex), else its UTF-8 bytes in hex after an `h`. */
export function observationIdToken(id: string): string {
  if (PLAIN_ID.test(id)) return id;
  return `h${Buffer.from(id, 'utf8').toString('hex')}`.slice(0, MAX_TOKEN_CHARS);
}

export interface ObservationIdIndex {
  /** Indexes the ids under a full-text document of their trace, written in the same transaction. */
  add(documentId: bigint, observationIds: readonly string[]): void;
  remove(documentId: bigint): void;
  /** The traces that may hold an observation with this id, each once. */
  candidateTraceIds(projectId: string, observationId: string): string[];
}

export function createObservationIdIndex(db: Database): ObservationIdIndex {
  const insert = db.prepare(`INSERT INTO observation_ids (rowid, ids) VALUES (?, ?)`);
  const remove = db.prepare(`DELETE FROM observation_ids WHERE rowid = ?`);
  const candidates = db
    .prepare(`SELECT DISTINCT d.trace_id FROM observation_ids i JOIN search_docs d ON d.doc_id = i.rowid
      WHERE observation_ids MATCH ? AND d.project_id = ?`)
    .pluck();
  return {
    add(documentId, observationIds) {
      if (observationIds.length > 0) insert.run(documentId, observationIds.map(observationIdToken).join(' '));
    },
    remove(documentId) {
      remove.run(documentId);
    },
    candidateTraceIds(projectId, observationId) {
      return candidates.all(`"${observationIdToken(observationId)}"`, projectId) as string[];
    },
  };
}
