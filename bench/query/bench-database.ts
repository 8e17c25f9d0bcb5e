/** The database a query benchmark loads and queries, whichever engine holds it. */
import type { CollectorConfig } from '../../config/collector-config.js';
import type { TraceStore } from '../../collector/store/contract.js';
import type { Samples } from './queries.js';

export interface BenchDatabase {
  /** `SQLite /tmp/.../bench.db`, `PostgreSQL 127.0.0.1:5432/bench (throwaway server)`. */
  description: string;
  /** The collector settings that point a collector at this database. */
  collectorSettings: Pick<CollectorConfig, 'dbFile' | 'dbEngine' | 'dbSynchronous'>;
  /** Traces already stored (0 for a new database): a database holding some is reused as it is. */
  storedTraces(): Promise<number>;
  /** The store's write path, for the load; the caller closes it. */
  openStore(): Promise<TraceStore>;
  /** After a load: what the engine does before queries run; null when nothing. Printed. */
  settle(): Promise<string | null>;
  /** Size and shape after the load, for the log line (`8.60 GiB, word index in 22 segments`). */
  describeSize(): Promise<string>;
  /** Ids, users, costs... drawn at random from what is stored, for the queries' parameters. */
  samples(): Promise<Samples>;
  /** Removes what the benchmark created (a temporary file, a throwaway server); idempotent. */
  close(): Promise<void>;
}
