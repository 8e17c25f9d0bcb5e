/**
 * The PostgreSQL TraceStore: connects and brings the schema up to date (prepare.ts), then answers
 * the pipeline and the query API through the modules beside it, as store/sqlite/store.ts does
 * for SQLite. Several collectors may share one database: every write and deletion takes its
 * traces' advisory locks (write/trace-locks.ts), so none reads and then writes unlocked.
 * While the database is unreachable every method fails with SpanliteError `storeUnavailable`
 * (unavailable.ts), and the pool opens new connections once it is back.
 */
import type { CopyableStore } from '../contract.js';
import type { PostgresConnectOptions } from './connect.js';
import { preparePostgresDatabase } from './prepare.js';
import { createBatchWriter } from './write/batch-writer.js';
import { createTraceReads } from './read/traces.js';
import { createSearch } from './search/search.js';
import { createObservationReads } from './read/observations.js';
import { createSessionReads } from './read/sessions.js';
import { createScoreStore } from './read/scores.js';
import { createMetricsReads } from './read/metrics.js';
import { createCustomModelStore } from './read/models.js';
import { deleteTrace } from './upkeep/trace-delete.js';
import { deleteTracesOlderThan } from './upkeep/retention.js';
import { transientAsUnavailable } from './unavailable.js';
import { createExportReads } from './read/export.js';
import { restoreWriteTimes } from './write/write-times.js';
import { repriceStep } from './write/reprice.js';

export type PostgresStoreOptions = PostgresConnectOptions;

/**
 * A store on the database at `options.url`, once connected and migrated. Throws, naming the
 * target without its password, when it cannot connect or the schema cannot be brought up to date.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<CopyableStore> {
  const pool = await preparePostgresDatabase(options);
  const writeBatches = createBatchWriter(pool);
  const traces = createTraceReads(pool, createSearch(pool));
  const observations = createObservationReads(pool);
  const sessions = createSessionReads(pool);
  const scores = createScoreStore(pool);
  const metrics = createMetricsReads(pool);
  const models = createCustomModelStore(pool);
  const exports = createExportReads(pool);
  let closing: Promise<void> | null = null;

  return transientAsUnavailable<CopyableStore>({
    writeBatches: (batches) => writeBatches(batches),
    deleteTracesOlderThan: (cutoffUnixNano, maxTraces) => deleteTracesOlderThan(pool, cutoffUnixNano, maxTraces),
    repriceObservations: (projectId, step, reprice) => repriceStep(pool, projectId, step, reprice),
    listTraces: (projectId, query) => traces.listTraces(projectId, query),
    getTrace: (projectId, traceId) => traces.getTrace(projectId, traceId),
    deleteTrace: (projectId, traceId) => deleteTrace(pool, projectId, traceId),
    listObservations: (projectId, query) => observations.listObservations(projectId, query),
    getObservation: (projectId, id) => observations.getObservation(projectId, id),
    findObservationTraceId: (projectId, id) => observations.findObservationTraceId(projectId, id),
    listSessions: (projectId, query) => sessions.listSessions(projectId, query),
    getSession: (projectId, sessionId) => sessions.getSession(projectId, sessionId),
    listUsers: (projectId, query) => sessions.listUsers(projectId, query),
    getUser: (projectId, userId) => sessions.getUser(projectId, userId),
    listScores: (projectId, query) => scores.listScores(projectId, query),
    getScore: (projectId, scoreId) => scores.getScore(projectId, scoreId),
    upsertScore: (projectId, score) => scores.upsertScore(projectId, score),
    deleteScore: (projectId, scoreId) => scores.deleteScore(projectId, scoreId),
    dailyMetrics: (projectId, query) => metrics.dailyMetrics(projectId, query),
    listCustomModels: (projectId) => models.listCustomModels(projectId),
    insertCustomModel: (projectId, model) => models.insertCustomModel(projectId, model),
    deleteCustomModel: (projectId, modelId) => models.deleteCustomModel(projectId, modelId),
    // A server that is down fails the pool's connect: ECONNREFUSED at once, or its connect timeout.
    ping: async () => void (await pool.query('SELECT 1')),
    async databaseSizeBytes() {
      const result = await pool.query<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes');
      return Number(result.rows[0]!.bytes);
    },
    listProjects: () => exports.listProjects(),
    countStored: (projectId) => exports.countStored(projectId),
    exportTraces: (projectId, page) => exports.exportTraces(projectId, page),
    copyStates: (projectId, traceIds) => exports.copyStates(projectId, traceIds),
    restoreWriteTimes: (projectId, times) => restoreWriteTimes(pool, projectId, times),
    /** Ends the pool once; a second call waits for the first. */
    close() {
      closing ??= pool.end();
      return closing;
    },
  });
}
