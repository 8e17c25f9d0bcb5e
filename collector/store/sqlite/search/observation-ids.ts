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
 */
import type { Database } from 'better-sqlite3';
import { createSearchDocumentWriter } from './documents.js';

/** Every token written is one run of ASCII letters and digits, which the ascii tokenizer keeps whole (folding case). */
const CREATE_TABLE = `CREATE VIRTUAL TABLE observation_ids USING fts5 (
  ids, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
)`;

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

/**
 * Migration: creates the index, fills it from the stored observations (one row per trace, under
 * its first document), and drops the b-tree index `observations_by_id` it replaces. A trace with
 * observations but no document (only a writer without the derived tables leaves one so) gets an
 * empty one first, numbered as the batch writer numbers documents.
 */
export function replaceObservationIdIndex(db: Database): void {
  db.exec(CREATE_TABLE);
  const withoutDocument = db
    .prepare(`
      SELECT o.project_id, o.trace_id, min(o.start_time_ns) FROM observations o
      WHERE NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.project_id = o.project_id AND d.trace_id = o.trace_id)
      GROUP BY o.project_id, o.trace_id ORDER BY 3`)
    .raw()
    .safeIntegers(true)
    .all() as Array<[string, string, bigint]>;
  const writeDocument = createSearchDocumentWriter(db);
  for (const [projectId, traceId, traceStartNs] of withoutDocument) writeDocument({ projectId, traceId, traceStartNs, strings: [] });

  db.function('spanlite_observation_id_token', { deterministic: true }, (id) => observationIdToken(String(id)));
  // In document id order: FTS5 writes a segment each time a transaction's ids go back.
  db.exec(`
    INSERT INTO observation_ids (rowid, ids)
    SELECT doc_id, ids FROM (
      SELECT (SELECT min(d.doc_id) FROM search_docs d WHERE d.project_id = o.project_id AND d.trace_id = o.trace_id) AS doc_id,
        group_concat(spanlite_observation_id_token(o.id), ' ') AS ids
      FROM observations o GROUP BY o.project_id, o.trace_id
    ) ORDER BY doc_id`);
  db.exec(`DROP INDEX observations_by_id`);
}
