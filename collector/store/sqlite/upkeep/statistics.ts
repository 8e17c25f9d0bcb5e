/**
 * The query planner's statistics (sqlite_stat1): kept current, and fixed for full-text tables.
 *
 * Without statistics SQLite assumes a project id matches ten rows, and picks plans that scan
 * every trace of the project (a trace's scores read through the by-time index, the newest traces
 * by sorting them all). `PRAGMA optimize` analyzes tables never analyzed or grown much since;
 * `analysis_limit` samples, so it takes well under a second at millions of rows.
 *
 * FTS5's `_data` tables hold two rows when created, so the first analysis of a new database
 * records two rows, and with so few the planner reads FTS5's segment delete
 * (`DELETE FROM x_data WHERE id>=? AND id<=?`) as a scan of the whole table; up to five rows, as
 * a scan from the range's start to the table's end. Every merge of the word index then read the
 * whole index once per segment it removed (measured with uprobes on SQLite: 96% of the pages
 * the writer read, about 15,000 pages per delete at 250k spans) until the next analysis ten
 * minutes later. FTS5 reads these tables only by key, so their statistics are pinned
 * at a size for which the planner always uses the key range.
 */
import type { Database } from 'better-sqlite3';

/** How often optimize checks whether a table has changed enough to be analyzed again; a check is cheap. */
const OPTIMIZE_INTERVAL_MS = 10 * 60_000;

/** The row count recorded for FTS5's `_data` tables: SQLite's own guess for a table it knows nothing of. */
const PINNED_FULL_TEXT_ROWS = '1000000';

/** Analyzes now and every OPTIMIZE_INTERVAL_MS; clear the returned timer on close. */
export function keepStatisticsCurrent(db: Database): NodeJS.Timeout {
  db.pragma('analysis_limit = 1000');
  const pinFullTextStatistics = createFullTextStatisticsPin(db);
  const optimize = () => {
    db.pragma('optimize = 0x10002');
    pinFullTextStatistics();
  };
  optimize();
  return setInterval(optimize, OPTIMIZE_INTERVAL_MS).unref();
}

function createFullTextStatisticsPin(db: Database): () => void {
  // The join leaves out fts5vocab tables, which have no data table.
  const dataTables = db
    .prepare(`SELECT data.name FROM sqlite_schema fts JOIN sqlite_schema data ON data.name = fts.name || '_data'
      WHERE fts.sql LIKE 'CREATE VIRTUAL TABLE % USING fts5%' AND data.type = 'table'`)
    .pluck();
  const statisticsTable = db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'`);
  return db.transaction(() => {
    if (statisticsTable.get() === undefined) return; // no statistics at all: the planner assumes large tables
    // Prepared here: sqlite_stat1 exists only once something was analyzed.
    const remove = db.prepare(`DELETE FROM sqlite_stat1 WHERE tbl = ?`);
    const insert = db.prepare(`INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, NULL, ${PINNED_FULL_TEXT_ROWS})`);
    for (const table of dataTables.all() as string[]) {
      remove.run(table);
      insert.run(table);
    }
    db.exec('ANALYZE sqlite_schema'); // loads the statistics just written
  });
}
