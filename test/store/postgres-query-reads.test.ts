/**
 * The PostgreSQL engine's sessions, users, scores, daily metrics and custom models
 * (store/postgres/read/{sessions,scores,metrics,models}.ts), checked against the SQLite engine:
 * the same spans are written to an in-memory SQLite store and, through the PostgreSQL batch
 * writer, to a throwaway PostgreSQL database, and every read must answer the same (orders, ties
 * by id, pages, counts, nulls). Times of writing (createdAtMs, updatedAtMs) are left out of the
 * comparison, and costs compared to 1e-12 USD (the engines add them in different orders).
 */
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MappedSpan, Score } from '../../collector/model.js';
import {
  USER_ORDER_FIELDS,
  type CustomModelRecord,
  type DailyMetricsQuery,
  type QueryStore,
  type ScoreListQuery,
  type SessionListQuery,
  type TraceStore,
} from '../../collector/store/contract.js';
import { createMetricsReads } from '../../collector/store/postgres/read/metrics.js';
import { createCustomModelStore } from '../../collector/store/postgres/read/models.js';
import { createScoreStore } from '../../collector/store/postgres/read/scores.js';
import { createSessionReads } from '../../collector/store/postgres/read/sessions.js';
import type { WriteBatches } from '../../collector/store/postgres/write/batch-writer.js';
import { traceLockKey } from '../../collector/store/postgres/write/trace-locks.js';
import { deleteTrace } from '../../collector/store/postgres/upkeep/trace-delete.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { postgresAvailable } from '../helpers/postgres-server.js';
import { postgresPerFile } from './postgres-rows.js';
import * as ours from '../../semconv/spanlite.js';
import { mapped, msToNs, spanIdOf, traceIdOf, traceSpans, type TraceSpec } from './trace-spans.js';

const PROJECT = 'reads-project';
const OTHER_PROJECT = 'other-project';
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 22);
const MINUTE = 60_000;

type Reads = Pick<
  QueryStore,
  | 'listSessions' | 'getSession' | 'listUsers' | 'getUser' | 'listScores' | 'getScore' | 'upsertScore' | 'deleteScore'
  | 'dailyMetrics' | 'listCustomModels' | 'insertCustomModel' | 'deleteCustomModel'
>;

/**
 * Forty traces over seven UTC days: users and sessions shared by several traces (some with
 * neither), environments, tags, three models and a generation without a price, ERROR
 * generations, scores of every data type on traces and generations, and ties everywhere: traces
 * starting at the same instant, users with equal counts and costs.
 */
function traceSpec(i: number): TraceSpec {
  const startMs = T0 + Math.floor(i / 2) * 7 * 60 * MINUTE + (i % 3 === 0 ? 0 : i * MINUTE);
  const models = ['test-mini', 'gpt-reported', 'unpriced-model'];
  return {
    id: traceIdOf(0x900 + ((i * 7) % 40)),
    name: i % 4 === 0 ? 'chat' : `task-${i % 3}`,
    startMs,
    userId: i % 6 === 5 ? undefined : `user-${i % 5}`,
    sessionId: i % 5 === 4 ? undefined : `session-${i % 7}`,
    environment: ['production', 'staging', undefined][i % 3],
    tags: i % 2 === 0 ? ['even', `t${i % 3}`] : [`t${i % 3}`],
    metadata: { step: i },
    generations: [
      { model: models[i % 3]!, inputTokens: 10 + (i % 4), outputTokens: 5, costUsd: i % 3 === 1 ? 0.25 : undefined },
      ...(i % 4 === 1 ? [{ model: 'test-mini', inputTokens: 3, outputTokens: 1, level: 'ERROR' as const }] : []),
    ],
    scores: [
      { name: 'quality', value: i % 5, offsetMs: i % 2 === 0 ? 500 : 0 },
      ...(i % 3 === 0 ? [{ name: 'verdict', dataType: 'CATEGORICAL' as const, label: i % 2 ? 'good' : 'bad', generation: 0 }] : []),
      ...(i % 4 === 2 ? [{ name: 'helpful', dataType: 'BOOLEAN' as const, value: i % 8 === 2 ? 1 : 0, source: 'ANNOTATION' as const }] : []),
    ],
  };
}

/** Four traces starting at one instant, each its own session and user with the same sums: only the id orders them. */
const TIED_SPECS: TraceSpec[] = ['b', 'a', 'd', 'c'].map((letter, k) => ({
  id: traceIdOf(0xb00 + k),
  name: 'tied',
  startMs: T0 + 2 * DAY_MS,
  userId: `tied-${letter}`,
  sessionId: `tied-${letter}`,
  environment: 'production',
  generations: [{ model: 'test-mini', inputTokens: 10, outputTokens: 5 }],
}));
/** Starts just before midnight; its ERROR generation starts after it, on the next day. */
const MIDNIGHT_SPEC: TraceSpec = {
  id: traceIdOf(0xc00),
  name: 'midnight',
  startMs: Date.UTC(2026, 2, 3) - 50,
  userId: 'user-1',
  generations: [{ model: 'test-mini', inputTokens: 7, outputTokens: 7, startOffsetMs: 100, level: 'ERROR' }],
};
const SPECS = [...Array.from({ length: 40 }, (_, i) => traceSpec(i)), ...TIED_SPECS, MIDNIGHT_SPEC];
/** Spans in three batches, each trace's spans split across them, later traces first. */
function seedBatches(): MappedSpan[][] {
  const spans = [...SPECS].reverse().flatMap(traceSpans);
  return [0, 1, 2].map((part) => spans.filter((_, index) => index % 3 === part));
}

/** Without the times of writing, costs to 1e-12: what both engines must answer alike. */
function comparable(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isInteger(value)) return Math.round(value * 1e12) / 1e12;
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object' && typeof value !== 'bigint') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'createdAtMs' && key !== 'updatedAtMs')
        .map(([key, inner]) => [key, comparable(inner)]),
    );
  }
  return value;
}

describe.skipIf(!postgresAvailable())('PostgreSQL sessions, users, scores, metrics and models against SQLite', () => {
  const perFile = postgresPerFile('reads');

  /** An empty SQLite store and an empty PostgreSQL database, both holding `batches` when given. */
  async function pairedStores(batches: MappedSpan[][] = []): Promise<{ sqlite: TraceStore; postgres: Reads; write: WriteBatches; pool: pg.Pool }> {
    const sqlite = perFile.closeWithFile(openSqliteStore({ file: ':memory:' }));
    const { pool, writers } = await perFile.newDatabase();
    const write = writers[0]!;
    for (const spans of batches) {
      for (const outcome of [...(await sqlite.writeBatches([{ projectId: PROJECT, spans }])), ...(await write([{ projectId: PROJECT, spans }]))]) {
        if (!outcome.ok) throw outcome.error;
      }
    }
    const postgres: Reads = {
      ...createSessionReads(pool),
      ...createScoreStore(pool),
      ...createMetricsReads(pool),
      ...createCustomModelStore(pool),
    };
    return { sqlite, postgres, write, pool };
  }

  /** Asks both engines the same and expects the same answer; returns it. */
  async function same<T>(stores: { sqlite: TraceStore; postgres: Reads }, ask: (store: Reads) => Promise<T>): Promise<T> {
    const [expected, actual] = await Promise.all([ask(stores.sqlite), ask(stores.postgres)]);
    expect(comparable(actual)).toEqual(comparable(expected));
    return actual;
  }

  describe('over the same forty traces', () => {
    let stores: { sqlite: TraceStore; postgres: Reads };
    beforeAll(async () => {
      stores = await pairedStores(seedBatches());
    });

    it('lists sessions newest first with ties by id, filtered by range and environment, page after page', async () => {
      const queries: Array<Partial<SessionListQuery>> = [
        {},
        { fromTimeUnixNano: msToNs(T0 + DAY_MS) },
        { toTimeUnixNano: msToNs(T0 + DAY_MS) },
        { fromTimeUnixNano: msToNs(T0), toTimeUnixNano: msToNs(T0 + 7 * 60 * MINUTE) },
        { environments: ['production'] },
        { environments: ['staging', 'default'] },
        { environments: ['nowhere'] },
      ];
      let listed = 0;
      for (const query of queries) {
        for (const limit of [1, 3, 50]) {
          for (let page = 1; page <= 8; page++) {
            listed += (await same(stores, (s) => s.listSessions(PROJECT, { page, limit, ...query }))).data.length;
          }
        }
      }
      expect(listed).toBeGreaterThan(50);
      expect((await stores.postgres.listSessions(OTHER_PROJECT, { page: 1, limit: 50 })).meta.totalItems).toBe(0);
    });

    it('reads each session with its traces in start order and the environment of its first trace', async () => {
      for (let n = 0; n < 7; n++) {
        const session = await same(stores, (s) => s.getSession(PROJECT, `session-${n}`));
        expect(session?.traces.length).toBeGreaterThan(1);
      }
      expect(await same(stores, (s) => s.getSession(PROJECT, 'no-such-session'))).toBeNull();
    });

    it('lists users by every order field both ways, ties by id, page after page', async () => {
      for (const field of USER_ORDER_FIELDS) {
        for (const direction of ['asc', 'desc'] as const) {
          for (const limit of [2, 10]) {
            for (let page = 1; page <= 4; page++) {
              await same(stores, (s) => s.listUsers(PROJECT, { page, limit, orderBy: { field, direction } }));
            }
          }
        }
      }
      for (let n = 0; n < 5; n++) expect(await same(stores, (s) => s.getUser(PROJECT, `user-${n}`))).not.toBeNull();
      expect(await same(stores, (s) => s.getUser(PROJECT, 'nobody'))).toBeNull();
    });

    it('lists scores newest first under every filter, with their traces, page after page', async () => {
      const all = await same(stores, (s) => s.listScores(PROJECT, { page: 1, limit: 500 }));
      expect(all.data.length).toBeGreaterThan(50);
      const queries: Array<Partial<ScoreListQuery>> = [
        { ids: all.data.slice(3, 9).map((score) => score.id) },
        { name: 'quality' },
        { name: 'verdict' },
        { traceId: SPECS[4]!.id },
        { observationId: all.data.find((score) => score.observationId !== null)!.observationId! },
        { userId: 'user-2' },
        { sessionId: 'session-3' },
        { source: 'ANNOTATION' },
        { dataType: 'CATEGORICAL' },
        { dataType: 'BOOLEAN', name: 'helpful' },
        { minValue: 1, maxValue: 3 },
        ...(['>=', '<=', '!=', '=', '<', '>'] as const).map((operator) => ({ valueCondition: { operator, value: 2 } })),
        { fromTimeUnixNano: msToNs(T0 + DAY_MS), toTimeUnixNano: msToNs(T0 + 2 * DAY_MS) },
        { name: 'no-such-score' },
      ];
      for (const query of queries) {
        for (const limit of [4, 100]) {
          for (let page = 1; page <= 3; page++) await same(stores, (s) => s.listScores(PROJECT, { page, limit, ...query }));
        }
      }
      for (const score of all.data.slice(0, 10)) await same(stores, (s) => s.getScore(PROJECT, score.id));
      expect(await same(stores, (s) => s.getScore(PROJECT, 'no-such-score'))).toBeNull();
    });

    it('sums daily metrics per UTC day and model, with errors, under every filter, range and page', async () => {
      const all = await same(stores, (s) => s.dailyMetrics(PROJECT, { page: 1, limit: 50 }));
      expect(all.data.length).toBe(7);
      expect(all.data.some((day) => day.errorTraceCount > 0)).toBe(true);
      // The midnight trace: its error observation on the later day, the trace (and its error count) on the earlier one.
      const midnight = await same(stores, (s) => s.dailyMetrics(PROJECT, { page: 1, limit: 50, traceName: 'midnight' }));
      expect(midnight.data.map((day) => [day.dayStartUnixNano, day.traceCount, day.errorTraceCount, day.errorObservationCount])).toEqual([
        [msToNs(Date.UTC(2026, 2, 3)), 0, 0, 1],
        [msToNs(Date.UTC(2026, 2, 2)), 1, 1, 0],
      ]);
      const queries: Array<Partial<DailyMetricsQuery>> = [
        {},
        { fromTimeUnixNano: msToNs(T0 + DAY_MS) },
        { toTimeUnixNano: msToNs(Date.UTC(2026, 2, 3)) },
        { fromTimeUnixNano: msToNs(T0 + DAY_MS + 1), toTimeUnixNano: msToNs(T0 + DAY_MS + 2) },
        { traceName: 'chat' },
        { userId: 'user-1' },
        { tags: ['even'] },
        { tags: ['even', 't0'] },
        { environments: ['staging'] },
        { environments: ['default', 'production'], fromTimeUnixNano: msToNs(T0 + DAY_MS) },
        { userId: 'user-3', toTimeUnixNano: msToNs(T0 + 2 * DAY_MS) },
        { traceName: 'no-such-trace' },
      ];
      for (const query of queries) {
        for (const limit of [1, 50]) {
          for (let page = 1; page <= 5; page++) await same(stores, (s) => s.dailyMetrics(PROJECT, { page, limit, ...query }));
        }
      }
    });
  });

  it('gives a session the environment of its first trace whichever arrives first, when a later span changes it, and when it is deleted', async () => {
    const early: TraceSpec = { id: traceIdOf(0xa01), startMs: T0, sessionId: 'late-first', environment: 'production' };
    const late: TraceSpec = { id: traceIdOf(0xa02), startMs: T0 + MINUTE, sessionId: 'late-first', environment: 'staging' };
    const tie: TraceSpec = { id: traceIdOf(0xa00), startMs: T0, sessionId: 'tied', environment: 'staging' };
    const tieLater: TraceSpec = { id: traceIdOf(0xa03), startMs: T0, sessionId: 'tied', environment: 'production' };
    const stores = await pairedStores([traceSpans(late), traceSpans(tieLater), traceSpans(early), traceSpans(tie)]);
    expect((await same(stores, (s) => s.getSession(PROJECT, 'late-first')))?.environment).toBe('production');
    expect((await same(stores, (s) => s.getSession(PROJECT, 'tied')))?.environment).toBe('staging');
    expect((await same(stores, (s) => s.listSessions(PROJECT, { page: 1, limit: 10, environments: ['staging'] }))).data.map((s) => s.id)).toEqual(['tied']);

    // A later span of the first trace names another environment, changing nothing else of it.
    const startNs = msToNs(T0 + 500);
    const renamed = mapped({
      traceId: early.id,
      spanId: spanIdOf(early.id, 7),
      parentSpanId: spanIdOf(early.id, 1),
      name: 'late',
      startTimeUnixNano: startNs,
      endTimeUnixNano: startNs + msToNs(100),
      attributes: { [ours.SPANLITE_TRACE_ENVIRONMENT]: 'staging' },
    });
    for (const write of [stores.sqlite.writeBatches.bind(stores.sqlite), stores.write]) {
      for (const outcome of await write([{ projectId: PROJECT, spans: [renamed] }])) if (!outcome.ok) throw outcome.error;
    }
    expect((await same(stores, (s) => s.getSession(PROJECT, 'late-first')))?.environment).toBe('staging');
    expect((await same(stores, (s) => s.listSessions(PROJECT, { page: 1, limit: 10, environments: ['staging'] }))).data.map((s) => s.id)).toEqual(['tied', 'late-first']);

    // The first trace of 'tied' deleted: the session takes the environment of the one it has left.
    expect(await stores.sqlite.deleteTrace(PROJECT, tie.id)).toBe(true);
    expect(await deleteTrace(stores.pool, PROJECT, tie.id)).toBe(true);
    expect((await same(stores, (s) => s.getSession(PROJECT, 'tied')))?.environment).toBe('production');
    await same(stores, (s) => s.listSessions(PROJECT, { page: 1, limit: 10, environments: ['production'] }));
  });

  describe('scores through the API', () => {
    const score = (traceId: string, overrides: Partial<Score> = {}): Score => ({
      id: 'api-score',
      traceId,
      observationId: null,
      name: 'accuracy',
      value: 0.5,
      stringValue: null,
      dataType: 'NUMERIC',
      comment: 'first',
      source: 'API',
      timeUnixNano: msToNs(T0 + 30 * MINUTE),
      metadata: { by: 'reviewer' },
      ...overrides,
    });

    it('inserts a score, replaces it by id, and reads it back as SQLite does', async () => {
      const stores = await pairedStores(seedBatches());
      const traceId = SPECS[2]!.id;
      await same(stores, (s) => s.upsertScore(PROJECT, score(traceId)));
      const first = await same(stores, (s) => s.getScore(PROJECT, 'api-score'));
      expect(first).toMatchObject({ value: 0.5, comment: 'first', environment: 'default', metadata: { by: 'reviewer' } });

      const replacement = score(SPECS[3]!.id, { name: 'relevance', value: null, stringValue: 'high', dataType: 'CATEGORICAL', comment: null });
      await same(stores, (s) => s.upsertScore(PROJECT, replacement));
      await same(stores, (s) => s.upsertScore(PROJECT, replacement));
      const replaced = await same(stores, (s) => s.getScore(PROJECT, 'api-score'));
      expect(replaced).toMatchObject({ traceId: SPECS[3]!.id, name: 'relevance', value: null, stringValue: 'high', comment: null });
      expect(replaced!.createdAtMs).toBe(first!.createdAtMs);
      expect((await same(stores, (s) => s.listScores(PROJECT, { page: 1, limit: 10, ids: ['api-score'] }))).meta.totalItems).toBe(1);
      expect((await same(stores, (s) => s.listScores(PROJECT, { page: 1, limit: 10, name: 'accuracy' }))).data).toEqual([]);
      await same(stores, (s) => s.listScores(PROJECT, { page: 1, limit: 100, traceId: SPECS[3]!.id }));
    });

    it('keeps a score on a trace not stored, with the default environment and no trace facts, until the trace arrives', async () => {
      const stores = await pairedStores();
      const later: TraceSpec = { id: traceIdOf(0xdead), startMs: T0, userId: 'late-user', environment: 'staging', tags: ['late'] };
      await same(stores, (s) => s.upsertScore(PROJECT, score(later.id)));
      const listed = await same(stores, (s) => s.listScores(PROJECT, { page: 1, limit: 10 }));
      expect(listed.data[0]).toMatchObject({ environment: 'default', trace: null });
      expect(await same(stores, (s) => s.listScores(PROJECT, { page: 1, limit: 10, userId: 'late-user' }))).toMatchObject({ data: [] });

      for (const store of [stores.sqlite.writeBatches.bind(stores.sqlite), stores.write]) {
        for (const outcome of await store([{ projectId: PROJECT, spans: traceSpans(later) }])) if (!outcome.ok) throw outcome.error;
      }
      const joined = await same(stores, (s) => s.listScores(PROJECT, { page: 1, limit: 10, userId: 'late-user' }));
      expect(joined.data[0]).toMatchObject({ environment: 'staging', trace: { userId: 'late-user', tags: ['late'], environment: 'staging' } });
      expect(await same(stores, (s) => s.getScore(PROJECT, 'api-score'))).toMatchObject({ environment: 'staging' });
    });

    it('replaces a score a span carried when the API sends its id', async () => {
      const stores = await pairedStores(seedBatches());
      const [carried] = (await stores.postgres.listScores(PROJECT, { page: 1, limit: 1, name: 'verdict' })).data;
      await same(stores, (s) => s.upsertScore(PROJECT, score(carried!.traceId, { id: carried!.id, name: 'verdict', comment: 'overruled' })));
      expect(await same(stores, (s) => s.getScore(PROJECT, carried!.id))).toMatchObject({ comment: 'overruled', value: 0.5, observationId: null });
      expect((await same(stores, (s) => s.listScores(PROJECT, { page: 1, limit: 100, name: 'verdict' }))).meta.totalItems).toBe(14);
    });

    it('deletes a score once, and leaves the others', async () => {
      const stores = await pairedStores(seedBatches());
      const [victim] = (await stores.postgres.listScores(PROJECT, { page: 1, limit: 1 })).data;
      expect(await same(stores, (s) => s.deleteScore(PROJECT, victim!.id))).toBe(true);
      expect(await same(stores, (s) => s.deleteScore(PROJECT, victim!.id))).toBe(false);
      expect(await same(stores, (s) => s.deleteScore(OTHER_PROJECT, 'api-score'))).toBe(false);
      expect(await same(stores, (s) => s.getScore(PROJECT, victim!.id))).toBeNull();
      await same(stores, (s) => s.listScores(PROJECT, { page: 1, limit: 500 }));
    });

    it('waits for the trace\'s advisory lock before upserting, as a batch writer holding it would make it', async () => {
      const stores = await pairedStores();
      const traceId = SPECS[0]!.id;
      const holder = await stores.pool.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT pg_advisory_xact_lock($1)', [String(traceLockKey(PROJECT, traceId))]);
        const upserted = stores.postgres.upsertScore(PROJECT, score(traceId));
        let waiting = 0;
        for (let attempt = 0; attempt < 200 && waiting === 0; attempt++) {
          const result = await holder.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
          waiting = result.rows[0].n;
          if (waiting === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(waiting).toBe(1);
        // The pool's other connection is the waiting upsert's: the holder looks for the score.
        expect((await holder.query(`SELECT id FROM scores`)).rows).toEqual([]);
        await holder.query('COMMIT');
        await upserted;
      } finally {
        holder.release();
      }
      expect(await stores.postgres.getScore(PROJECT, 'api-score')).toMatchObject({ traceId, value: 0.5 });
    });

    it('upserts scores from many callers at once on the same trace, each stored once', async () => {
      const stores = await pairedStores(seedBatches());
      const traceId = SPECS[5]!.id;
      const scores = Array.from({ length: 12 }, (_, n) => score(traceId, { id: `concurrent-${n % 6}`, value: n % 6 }));
      await Promise.all(scores.map((s) => stores.postgres.upsertScore(PROJECT, s)));
      for (const s of scores) await stores.sqlite.upsertScore(PROJECT, s);
      expect((await same(stores, (s) => s.listScores(PROJECT, { page: 1, limit: 100, name: 'accuracy' }))).meta.totalItems).toBe(6);
    });
  });

  it('lists custom models newest first (ties by id), per project, and deletes one once', async () => {
    const stores = await pairedStores();
    const model = (id: string, createdAtMs: number): CustomModelRecord => ({
      id,
      modelName: `model-${id}`,
      matchPattern: `(?:model-${id})`,
      startDateMs: null,
      prices: { input: 0.000001, output: 0.000002, cachedInput: 0.0000005 },
      tiers: [{ name: 'long', whenInputTokensAbove: 200_000, prices: { input: 0.000002, output: 0.000004 } }],
      createdAtMs,
    });
    for (const record of [model('b', 1000), model('a', 1000), model('c', 2000), model('old', 10)]) {
      await same(stores, (s) => s.insertCustomModel(PROJECT, record));
    }
    await same(stores, (s) => s.insertCustomModel(OTHER_PROJECT, model('elsewhere', 5000)));
    const listed = await same(stores, (s) => s.listCustomModels(PROJECT));
    expect(listed.map((m) => m.id)).toEqual(['c', 'b', 'a', 'old']);
    expect(listed[0]).toEqual(model('c', 2000));
    expect(await same(stores, (s) => s.deleteCustomModel(PROJECT, 'b'))).toBe(true);
    expect(await same(stores, (s) => s.deleteCustomModel(PROJECT, 'b'))).toBe(false);
    expect(await same(stores, (s) => s.deleteCustomModel(PROJECT, 'elsewhere'))).toBe(false);
    expect((await same(stores, (s) => s.listCustomModels(PROJECT))).map((m) => m.id)).toEqual(['c', 'a', 'old']);
    expect((await same(stores, (s) => s.listCustomModels(OTHER_PROJECT))).map((m) => m.id)).toEqual(['elsewhere']);
  });
});
