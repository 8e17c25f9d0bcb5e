/**
 * Migrations 12, 13 and 14: trace keys (store/sqlite/write/trace-keys.ts) in the keys of the tables and
 * indexes that were keyed by trace id.
 *
 * 12, observations.
 * Every trace and every trace id an observation names gets a key, in the order of the traces'
 * start times. Observations are then copied into a table with a `trace_key` column, since the old
 * primary key (project_id, trace_id, id) cannot be dropped in place; the copy takes a few minutes
 * on a database of millions of spans. Its indexes and triggers are recreated from the SQL SQLite
 * kept for them, except the two that were keyed by trace id:
 * - the primary key becomes the unique index observations_by_trace (project_id, trace_key, id);
 * - observations_by_model becomes (project_id, model, trace_key, trace_id): a model's new rows are
 *   appended, and the trace id stays in the index for the lists that select it.
 *
 * 13, scores and tags. Scores gain a `trace_key` column (filled in place) and scores_by_trace is
 * rebuilt on it. trace_tags, whose rows are their primary key, is copied into a table keyed by
 * (project_id, tag, trace_key) that keeps the trace id as a column for the lists that select it.
 *
 * 14, traces. The traces table was WITHOUT ROWID on (project_id, id): its wide rows (input,
 * output, metadata) sat in trace id order, so each new trace was written into a random leaf page,
 * read back from disk once the table outgrew the page cache. It is copied into a rowid table
 * whose rowid is the trace key (`trace_key INTEGER PRIMARY KEY`): new traces are appended. A
 * trace is found by id through the narrow index traces_keys (project_id, id, ...), as before for
 * the reads; the batch writer finds its row by key. The other indexes ended in the primary key
 * and now end in the rowid: `id` is appended to each, so that they still cover the reads that
 * select trace ids.
 */
import type { Database } from 'better-sqlite3';
import { TRACE_KEYS_TABLE } from '../write/trace-keys.js';

const OLD_PRIMARY_KEY = /,\s*PRIMARY KEY \(project_id, trace_id, id\)\s*\)\s*$/i;

export const OBSERVATIONS_BY_TRACE = `CREATE UNIQUE INDEX observations_by_trace ON observations (project_id, trace_key, id)`;
export const OBSERVATIONS_BY_MODEL = `CREATE INDEX observations_by_model ON observations (project_id, model, trace_key, trace_id) WHERE model IS NOT NULL`;

export function keyObservationsByTraceKey(db: Database): void {
  db.exec(TRACE_KEYS_TABLE);
  db.exec(`
    INSERT INTO trace_keys (project_id, trace_id) SELECT project_id, id FROM traces ORDER BY start_time_ns, id;
    INSERT OR IGNORE INTO trace_keys (project_id, trace_id) SELECT DISTINCT project_id, trace_id FROM observations;`);

  const created = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'observations'`).pluck().get() as string | undefined;
  if (created === undefined || !OLD_PRIMARY_KEY.test(created)) {
    throw new Error(`migration 12: the observations table is not as schema 11 defines it: ${created ?? 'missing'}`);
  }
  const kept = db
    .prepare<[], { type: string; name: string; sql: string }>(
      `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'observations' AND type IN ('index', 'trigger') AND sql IS NOT NULL`,
    )
    .all()
    .filter((entry) => entry.name !== 'observations_by_model');
  for (const { name } of kept.filter((entry) => entry.type === 'trigger')) db.exec(`DROP TRIGGER ${name}`);

  const columns = (db.prepare(`SELECT name FROM pragma_table_info('observations')`).pluck().all() as string[]).join(', ');
  db.exec(created.replace(/^CREATE TABLE "?observations"?/, 'CREATE TABLE observations_keyed').replace(OLD_PRIMARY_KEY, ', trace_key INTEGER NOT NULL)'));
  db.exec(`
    INSERT INTO observations_keyed (${columns}, trace_key)
    SELECT ${columns}, (SELECT k.key FROM trace_keys k WHERE k.project_id = o.project_id AND k.trace_id = o.trace_id)
    FROM observations o;
    DROP TABLE observations;
    ALTER TABLE observations_keyed RENAME TO observations;`);

  db.exec(OBSERVATIONS_BY_TRACE);
  db.exec(OBSERVATIONS_BY_MODEL);
  for (const { sql } of kept.filter((entry) => entry.type === 'index')) db.exec(sql);
  for (const { sql } of kept.filter((entry) => entry.type === 'trigger')) db.exec(sql);
}

const SCORES_BY_TRACE = `CREATE INDEX scores_by_trace ON scores (project_id, trace_key, name, value, string_value, data_type, source, observation_id, id)`;

export function keyScoresAndTagsByTraceKey(db: Database): void {
  db.exec(`
    INSERT OR IGNORE INTO trace_keys (project_id, trace_id) SELECT DISTINCT project_id, trace_id FROM scores;
    INSERT OR IGNORE INTO trace_keys (project_id, trace_id) SELECT DISTINCT project_id, trace_id FROM trace_tags;
    ALTER TABLE scores ADD COLUMN trace_key INTEGER;
    UPDATE scores SET trace_key = (SELECT k.key FROM trace_keys k WHERE k.project_id = scores.project_id AND k.trace_id = scores.trace_id);
    DROP INDEX scores_by_trace;
    ${SCORES_BY_TRACE};`);

  const triggers = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE tbl_name = 'trace_tags' AND type = 'trigger'`)
    .all() as Array<{ name: string; sql: string }>;
  for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
  db.exec(`
    CREATE TABLE trace_tags_keyed (
      project_id TEXT NOT NULL,
      tag TEXT NOT NULL,
      trace_key INTEGER NOT NULL,
      trace_id TEXT NOT NULL,
      PRIMARY KEY (project_id, tag, trace_key)
    ) WITHOUT ROWID;
    INSERT INTO trace_tags_keyed (project_id, tag, trace_key, trace_id)
    SELECT g.project_id, g.tag, (SELECT k.key FROM trace_keys k WHERE k.project_id = g.project_id AND k.trace_id = g.trace_id), g.trace_id
    FROM trace_tags g;
    DROP TABLE trace_tags;
    ALTER TABLE trace_tags_keyed RENAME TO trace_tags;`);
  for (const { sql } of triggers) db.exec(sql);
}

const TRACES_PRIMARY_KEY = /,\s*PRIMARY KEY \(project_id, id\)\s*\)\s*WITHOUT ROWID\s*$/i;

export function keyTracesByTraceKey(db: Database): void {
  const created = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'traces'`).pluck().get() as string | undefined;
  if (created === undefined || !TRACES_PRIMARY_KEY.test(created)) {
    throw new Error(`migration 14: the traces table is not as schema 13 defines it: ${created ?? 'missing'}`);
  }
  const indexes = db
    .prepare<[], { name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE tbl_name = 'traces' AND type = 'index' AND sql IS NOT NULL`)
    .all();
  // Every trigger, not only the table's own: those of other tables that read traces would stop the rename.
  const triggers = db.prepare<[], { name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all();
  for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);

  const columns = (db.prepare(`SELECT name FROM pragma_table_info('traces')`).pluck().all() as string[]).join(', ');
  db.exec(created.replace(/^CREATE TABLE "?traces"?/, 'CREATE TABLE traces_keyed').replace(TRACES_PRIMARY_KEY, ', trace_key INTEGER PRIMARY KEY)'));
  db.exec(`
    INSERT OR IGNORE INTO trace_keys (project_id, trace_id) SELECT project_id, id FROM traces ORDER BY start_time_ns, id;
    INSERT INTO traces_keyed (${columns}, trace_key)
    SELECT ${columns.replaceAll(/(^|, )/g, '$1t.')}, k.key
    FROM traces t JOIN trace_keys k ON k.project_id = t.project_id AND k.trace_id = t.id
    ORDER BY k.key;
    DROP TABLE traces;
    ALTER TABLE traces_keyed RENAME TO traces;`);

  for (const { name, sql } of indexes) db.exec(indexEndingInTraceId(name, sql));
  for (const { sql } of triggers) db.exec(sql);
}

/** The index as it was, ending in `id` where the primary key gave it the id (traces_keys names it already). */
function indexEndingInTraceId(name: string, sql: string): string {
  if (/\(project_id, id\b/.test(sql)) return sql;
  if (/\bWHERE\b/i.test(sql) || !/\)\s*$/.test(sql)) throw new Error(`migration 14: index ${name} is not as schema 13 defines it: ${sql}`);
  return sql.replace(/\)\s*$/, ', id)');
}
