/** The query benchmark's SQLite database: a file, temporary unless BENCH_QUERY_DB names one. */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import type { BenchDatabase } from './bench-database.js';
import type { Samples } from './queries.js';

export function sqliteBenchDatabase(file: string | undefined): BenchDatabase {
  const dir = file === undefined ? mkdtempSync(join(tmpdir(), 'spanlite-query-bench-')) : undefined;
  const path = file ?? join(dir!, 'bench.db');
  const readOnly = <T>(read: (db: Database.Database) => T): T => {
    const db = new Database(path, { readonly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };
  return {
    description: `SQLite ${path}`,
    collectorSettings: { dbFile: path, dbEngine: 'sqlite', dbSynchronous: 'normal' },
    async storedTraces() {
      return existsSync(path) ? readOnly((db) => db.prepare(`SELECT count(*) FROM traces`).pluck().get() as number) : 0;
    },
    async openStore() {
      return openSqliteStore({ file: path, synchronous: 'normal' });
    },
    async settle() {
      return null;
    },
    async describeSize() {
      const segments = readOnly((db) => db.prepare(`SELECT count(DISTINCT segid) FROM search_words_idx`).pluck().get() as number);
      return `database ${(statSync(path).size / 2 ** 30).toFixed(2)} GiB, word index in ${segments} segments`;
    },
    async samples() {
      return readOnly((db): Samples => {
        const column = (sql: string) => db.prepare(sql).pluck().all() as string[];
        return {
          traceIds: column(`SELECT id FROM traces WHERE project_id = 'default' ORDER BY random() LIMIT 500`),
          // Rows picked by random rowid: ORDER BY random() would sort all six million.
          observationIds: column(`
            WITH RECURSIVE picks (n, at) AS (
              SELECT 0, abs(random()) % (SELECT max(rowid) FROM observations)
              UNION ALL SELECT n + 1, abs(random()) % (SELECT max(rowid) FROM observations) FROM picks WHERE n < 499
            )
            SELECT id FROM observations WHERE project_id = 'default' AND rowid IN (SELECT at + 1 FROM picks)`),
          sessionIds: column(`SELECT session_id FROM session_stats WHERE project_id = 'default' ORDER BY random() LIMIT 500`),
          userIds: column(`SELECT user_id FROM user_stats WHERE project_id = 'default' ORDER BY random() LIMIT 500`),
          costs: db.prepare(`SELECT total_cost FROM traces WHERE project_id = 'default' ORDER BY random() LIMIT 500`).pluck().all() as number[],
          lastTraceMs: Number(db.prepare(`SELECT max(start_time_ns) / 1000000 FROM traces`).pluck().get()),
        };
      });
    },
    async close() {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
