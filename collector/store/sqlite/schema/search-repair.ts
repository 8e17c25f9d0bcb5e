/**
 * Migration: rebuilds the full-text index when some of its documents were misfiled.
 *
 * Up to schema 8 the batch writer read a new document's id back as a JavaScript number. Ids are
 * about 2^60, so it came back rounded to a multiple of 256, and the document's text was indexed
 * under that id: the first document of its millisecond, another trace's whenever traces started
 * in the same millisecond. That text was found under the wrong trace, and deleting that trace
 * hid it.
 *
 * Misfiled entries cannot be taken out one by one: FTS5 deletes only the last text inserted
 * under an id, and the text is not stored. So when any document's id differs from its rounding,
 * the index is emptied and every trace gets one document written from its stored rows (as the
 * query migration's backfill did, with the batch writer's code). A database none of whose
 * documents shared a millisecond is left as it is.
 */
import { traceKeyOf } from '../write/trace-keys.js';
import type { Database } from 'better-sqlite3';
import { collectStrings } from '../search/search-text.js';
import { fromJson } from '../json-columns.js';
import { createSearchDocumentWriter } from '../search/documents.js';

interface TextRow {
  name: string | null;
  input: string | null;
  output: string | null;
}

export function rebuildMisfiledSearchIndex(db: Database): void {
  const misfiled = db.prepare(`SELECT 1 FROM search_docs WHERE CAST(CAST(doc_id AS REAL) AS INTEGER) <> doc_id LIMIT 1`).get();
  if (misfiled === undefined) return;

  db.exec(`
    INSERT INTO search_words (search_words) VALUES ('delete-all');
    INSERT INTO search_cjk (search_cjk) VALUES ('delete-all');
    DELETE FROM search_docs;`);
  // Traces, and observations whose trace row never arrived, in start order: ids ascend, as FTS5 wants.
  const traces = db
    .prepare(`
      SELECT project_id, id, start_time_ns FROM traces
      UNION ALL
      SELECT o.project_id, o.trace_id, min(o.start_time_ns) FROM observations o
      WHERE NOT EXISTS (SELECT 1 FROM traces t WHERE t.project_id = o.project_id AND t.id = o.trace_id)
      GROUP BY o.project_id, o.trace_id
      ORDER BY 3`)
    .raw()
    .safeIntegers(true)
    .all() as Array<[string, string, bigint]>;
  // Migration 9 runs on schemas before trace keys: observations are found by trace id.
  const storedStrings = storedTraceStrings(db, `SELECT name, input, output FROM observations WHERE project_id = @projectId AND trace_id = @traceId`);
  const writeDocument = createSearchDocumentWriter(db);
  for (const [projectId, traceId, traceStartNs] of traces) {
    writeDocument({ projectId, traceId, traceStartNs, strings: storedStrings(projectId, traceId) });
  }
}

/** A trace's searchable strings read back from its stored rows: its observations' and its own name, input and output. */
export function createStoredTraceStrings(db: Database): (projectId: string, traceId: string) => Set<string> {
  return storedTraceStrings(
    db,
    `SELECT name, input, output FROM observations WHERE project_id = @projectId AND trace_key = ${traceKeyOf('@projectId', '@traceId')}`,
  );
}

/** @param observationTextsSql parameters: @projectId, @traceId */
function storedTraceStrings(db: Database, observationTextsSql: string): (projectId: string, traceId: string) => Set<string> {
  const traceText = db.prepare(`SELECT name, input, output FROM traces WHERE project_id = ? AND id = ?`);
  const observationTexts = db.prepare(observationTextsSql);
  return (projectId, traceId) => {
    const strings = new Set<string>();
    for (const row of observationTexts.all({ projectId, traceId }) as TextRow[]) addText(row, strings);
    const trace = traceText.get(projectId, traceId) as TextRow | undefined;
    if (trace) addText(trace, strings);
    return strings;
  };
}

function addText(row: TextRow, into: Set<string>): void {
  if (row.name !== null) into.add(row.name);
  collectStrings(fromJson(row.input), into);
  collectStrings(fromJson(row.output), into);
}
