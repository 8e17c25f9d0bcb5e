/** The SQLite TraceStore: open with WAL and the schema (migrate.ts), group-commit writes, the query API's reads and writes. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CopyableStore } from '../contract.js';
import { migrate } from './migrate.js';
import { createBatchWriter } from './write/batch-writer.js';
import { createTraceReads } from './read/traces.js';
import { createSearch } from './search/search.js';
import { createObservationReads } from './read/observations.js';
import { createSessionReads } from './read/sessions.js';
import { createScoreStore } from './read/scores.js';
import { createMetricsReads } from './read/metrics.js';
import { createCustomModelStore } from './read/models.js';
import { createTraceDelete } from './upkeep/trace-delete.js';
import { createRetentionDelete } from './upkeep/retention.js';
import { createScoreRepeats } from './write/score-repeats.js';
import { createBatchDerived } from './write/batch-derived.js';
import { startWalCheckpointer } from './upkeep/wal-checkpointer.js';
import { createObservationIdIndex } from './search/observation-ids.js';
import { keepStatisticsCurrent } from './upkeep/statistics.js';
import { createWordIndexMerge } from './upkeep/word-index-merge.js';
import { sqliteDatabaseBytes } from './database-size.js';
import { createExportReads } from './read/export.js';
import { createWriteTimesRestore } from './write/write-times.js';
import { createRepriceStep } from './write/reprice.js';

export interface SqliteStoreOptions {
  /** Database file, or ':memory:'. Its folder is created if missing. */
  file: string;
  /**
   * `full` (default) fsyncs the WAL at every commit, so an acknowledged span survives power loss;
   * `normal` survives a crash of the process but not of the machine, for more throughput.
   */
  synchronous?: 'full' | 'normal';
  /** Page cache limit in MiB (default 64). */
  cacheMiB?: number;
  /**
   * WAL frames (pages) past which a commit waits for the background checkpointer to copy the rest,
   * so the WAL starts over (default 20,000: 80 MiB). For tests.
   */
  walRestartFrames?: number;
  /**
   * Told when upkeep that no request waits for fails: the background WAL checkpointer (commits
   * still checkpoint by themselves) or a word index merge step (the next commit's step retries).
   */
  onUpkeepFailure?: (error: Error) => void;
}

const DEFAULT_CACHE_MIB = 64;
const DEFAULT_WAL_RESTART_FRAMES = 20_000;
/** The writer checkpoints by itself only past this many times the restart threshold: when the worker has failed. */
const BACKSTOP_FACTOR = 4;

export function openSqliteStore(options: SqliteStoreOptions): CopyableStore {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(options.file);
  } catch (error) {
    throw new Error(`database ${options.file}: cannot open (${(error as Error).message})`, { cause: error });
  }
  // The background checkpointer keeps the WAL under walRestartFrames (store/sqlite/upkeep/wal-checkpointer.ts); a
  // commit checkpoints by itself only past a backstop well above it, or with no worker (memory).
  const walRestartFrames = options.walRestartFrames ?? DEFAULT_WAL_RESTART_FRAMES;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    // 64 MiB: measured, store alone filling to 800k spans, 256 MiB wrote between 7% slower and 29%
    // faster per 100k spans (noise is about 15%) and took 200 MiB more memory.
    db.pragma(`cache_size = ${-1024 * (options.cacheMiB ?? DEFAULT_CACHE_MIB)}`);
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_FACTOR * walRestartFrames}`);
    migrate(db, options.file);
  } catch (error) {
    db.close();
    throw error;
  }
  const optimizer = keepStatisticsCurrent(db);
  const onUpkeepFailure = options.onUpkeepFailure ?? console.warn;
  const checkpointer =
    options.file === ':memory:'
      ? null
      : startWalCheckpointer(
          options.file,
          options.synchronous === 'normal' ? 'NORMAL' : 'FULL',
          walRestartFrames,
          onUpkeepFailure,
        );

  const scoreRepeats = createScoreRepeats(db);
  const observationIds = createObservationIdIndex(db);
  const writeBatches = createBatchWriter(db, Date.now, createBatchDerived(db, scoreRepeats, observationIds));
  const wordIndexMerge = createWordIndexMerge(db);
  const traces = createTraceReads(db, createSearch(db), scoreRepeats);
  const deleteTrace = createTraceDelete(db, observationIds);
  const deleteOldTraces = createRetentionDelete(db, deleteTrace);
  const observations = createObservationReads(db, observationIds);
  const sessions = createSessionReads(db);
  const scores = createScoreStore(db, scoreRepeats);
  const metrics = createMetricsReads(db);
  const models = createCustomModelStore(db);
  const exports = createExportReads(db);
  const restoreWriteTimes = createWriteTimesRestore(db);
  const repriceStep = createRepriceStep(db);
  let closed = false;

  /** The batches are committed whatever happens here: a failed step must not fail them. */
  function mergeWordIndex(): void {
    try {
      wordIndexMerge.mergeStep();
    } catch (error) {
      onUpkeepFailure(new Error(`database ${options.file}: a word index merge step failed (${(error as Error).message}); the next commit retries it`, { cause: error }));
    }
  }

  return {
    async writeBatches(batches) {
      await checkpointer?.beforeCommit();
      try {
        const outcomes = writeBatches(batches);
        mergeWordIndex();
        return outcomes;
      } finally {
        checkpointer?.afterCommit();
      }
    },
    deleteTracesOlderThan: async (cutoffUnixNano, maxTraces) => deleteOldTraces(cutoffUnixNano, maxTraces),
    async repriceObservations(projectId, step, reprice) {
      await checkpointer?.beforeCommit();
      try {
        return repriceStep(projectId, step, reprice);
      } finally {
        checkpointer?.afterCommit();
      }
    },
    // Query API: better-sqlite3 is synchronous; each read runs whole within one turn.
    listTraces: async (projectId, query) => traces.listTraces(projectId, query),
    getTrace: async (projectId, traceId) => traces.getTrace(projectId, traceId),
    deleteTrace: async (projectId, traceId) => deleteTrace(projectId, traceId),
    listObservations: async (projectId, query) => observations.listObservations(projectId, query),
    getObservation: async (projectId, id) => observations.getObservation(projectId, id),
    findObservationTraceId: async (projectId, id) => observations.findObservationTraceId(projectId, id),
    listSessions: async (projectId, query) => sessions.listSessions(projectId, query),
    getSession: async (projectId, sessionId) => sessions.getSession(projectId, sessionId),
    listUsers: async (projectId, query) => sessions.listUsers(projectId, query),
    getUser: async (projectId, userId) => sessions.getUser(projectId, userId),
    listScores: async (projectId, query) => scores.listScores(projectId, query),
    getScore: async (projectId, scoreId) => scores.getScore(projectId, scoreId),
    upsertScore: async (projectId, score) => scores.upsertScore(projectId, score),
    deleteScore: async (projectId, scoreId) => scores.deleteScore(projectId, scoreId),
    dailyMetrics: async (projectId, query) => metrics.dailyMetrics(projectId, query),
    listCustomModels: async (projectId) => models.listCustomModels(projectId),
    insertCustomModel: async (projectId, model) => models.insertCustomModel(projectId, model),
    deleteCustomModel: async (projectId, modelId) => models.deleteCustomModel(projectId, modelId),
    // A closed connection throws here ("The database connection is not open").
    ping: async () => void db.prepare('SELECT 1').get(),
    databaseSizeBytes: async () => sqliteDatabaseBytes(db, options.file),
    listProjects: async () => exports.listProjects(),
    countStored: async (projectId) => exports.countStored(projectId),
    exportTraces: async (projectId, page) => exports.exportTraces(projectId, page),
    copyStates: async (projectId, traceIds) => exports.copyStates(projectId, traceIds),
    restoreWriteTimes: async (projectId, times) => restoreWriteTimes(projectId, times),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(optimizer);
      await checkpointer?.stop();
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
