/**
 * Rebuilds the wide tables that take the most rows per span (observations, scores) as rowid
 * tables. They were created WITHOUT ROWID, which stores each row inside its primary-key b-tree:
 * rows of one to five KiB keyed by random trace ids then land on random, mostly cached-out leaf
 * pages, a few rows per page, and every commit rewrites many of them. As rowid tables the rows
 * are appended in arrival order and only the narrow key indexes take random inserts (measured:
 * about a third less write CPU and a sixth smaller file for LLM-like spans).
 *
 * Done the way SQLite documents for changes ALTER TABLE cannot make: each table is copied into a
 * new one, the old one dropped and the new one renamed, then its indexes and triggers recreated
 * from the SQL SQLite kept for them, so whatever earlier migrations defined is carried over as
 * it was. The new table's definition is the old one's without WITHOUT ROWID. A table that is
 * already a rowid table is left as it is.
 *
 * `traces` stays WITHOUT ROWID: it has one row per eight spans or so, and the query API probes it
 * by id for every candidate of a score or full-text filter, where a rowid table costs an index
 * seek plus a row seek per probe (measured at 1M traces: score-range lists 49 -> 119 ms p95, full
 * text 153 -> 304 ms).
 */
import type { Database } from 'better-sqlite3';

/** Each table with its primary key: a WITHOUT ROWID table's indexes end with it, a rowid table's do not. */
const REBUILT_TABLES = [
  { table: 'observations', primaryKey: ['project_id', 'trace_id', 'id'] },
  { table: 'scores', primaryKey: ['project_id', 'id'] },
] as const;

export function rebuildWideTablesWithRowids(db: Database): void {
  const schemaOf = db.prepare<[string], { type: string; name: string; sql: string }>(
    `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL`,
  );
  const tableSql = db.prepare<[string], string>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck();
  const toRebuild = REBUILT_TABLES.flatMap(({ table, primaryKey }) => {
    const created = tableSql.get(table);
    if (created === undefined) throw new Error(`migration: table ${table} is missing`);
    return WITHOUT_ROWID.test(created) ? [{ table, primaryKey, created }] : [];
  });
  if (toRebuild.length === 0) return;

  // Triggers first, all of them: a trigger on one table may name another that is being rebuilt.
  const kept = toRebuild.flatMap(({ table, primaryKey }) =>
    schemaOf.all(table).map((entry) => (entry.type === 'index' ? { ...entry, sql: withKeyColumns(entry.sql, primaryKey) } : entry)),
  );
  for (const { name } of kept.filter((entry) => entry.type === 'trigger')) db.exec(`DROP TRIGGER ${name}`);

  for (const { table, created } of toRebuild) {
    const rebuilt = `${table}_with_rowids`;
    db.exec(created.replace(new RegExp(`^CREATE TABLE "?${table}"?`), `CREATE TABLE ${rebuilt}`).replace(WITHOUT_ROWID, ')'));
    db.exec(`INSERT INTO ${rebuilt} SELECT * FROM ${table}`);
    db.exec(`DROP TABLE ${table}`);
    db.exec(`ALTER TABLE ${rebuilt} RENAME TO ${table}`);
  }

  for (const { sql } of kept.filter((entry) => entry.type === 'index')) db.exec(sql);
  for (const { sql } of kept.filter((entry) => entry.type === 'trigger')) db.exec(sql);
}

const WITHOUT_ROWID = /\)\s*WITHOUT ROWID\s*$/i;

/**
 * An index of a WITHOUT ROWID table holds the primary key after its own columns, so a query that
 * reads only those and the key (a list of trace ids in time order) is answered from the index
 * alone. A rowid table's index holds the rowid instead: the key columns are appended to the
 * index's column list (those it does not name already), to keep every such query covering.
 */
function withKeyColumns(createIndexSql: string, primaryKey: readonly string[]): string {
  const open = createIndexSql.indexOf('(');
  let depth = 0;
  let close = -1;
  for (let at = open; at < createIndexSql.length; at++) {
    if (createIndexSql[at] === '(') depth++;
    else if (createIndexSql[at] === ')' && --depth === 0) {
      close = at;
      break;
    }
  }
  if (open < 0 || close < 0) throw new Error(`migration: cannot read the columns of ${createIndexSql}`);
  const named = new Set(topLevelParts(createIndexSql.slice(open + 1, close)).map((part) => part.replace(/\s+(ASC|DESC)$/i, '')));
  const missing = primaryKey.filter((column) => !named.has(column));
  if (missing.length === 0) return createIndexSql;
  return `${createIndexSql.slice(0, close)}, ${missing.join(', ')}${createIndexSql.slice(close)}`;
}

/** `a, (b - c), d DESC` -> ['a', '(b - c)', 'd DESC']: commas inside parentheses do not split. */
function topLevelParts(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let at = 0; at < list.length; at++) {
    const char = list[at];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(list.slice(start, at).trim());
      start = at + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts;
}
