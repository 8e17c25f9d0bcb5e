/** The SQLite TraceStore: open with WAL and migrations, group-commit writes, reads. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TraceStore } from './trace-store.js';
import { migrate } from './sqlite-schema.js';
import { createBatchWriter } from './sqlite-write.js';
import { createTraceReads } from './sqlite-reads.js';

export interface SqliteStoreOptions {
  /** Database file, or ':memory:'. Its folder is created if missing. */
  file: string;
  /**
   * `full` (default) fsyncs the WAL at every commit, so an acknowledged span survives power loss;
   * `normal` survives a crash of the process but not of the machine, for more throughput.
   */
  synchronous?: 'full' | 'normal';
}

export function openSqliteStore(options: SqliteStoreOptions): TraceStore {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(options.file);
  } catch (error) {
    throw new Error(`database ${options.file}: cannot open (${(error as Error).message})`, { cause: error });
  }
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536'); // 64 MiB page cache
  // Checkpoint less often than the default 1000 pages: each checkpoint stalls the writer.
  db.pragma('wal_autocheckpoint = 10000');
  migrate(db, options.file);

  const writeBatches = createBatchWriter(db);
  const reads = createTraceReads(db);
  let closed = false;

  return {
    async writeBatches(batches) {
      return writeBatches(batches);
    },
    async getTrace(projectId, traceId) {
      return reads.getTrace(projectId, traceId);
    },
    async listTraces(projectId, query) {
      return reads.listTraces(projectId, query);
    },
    async close() {
      if (closed) return;
      closed = true;
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
