/**
 * Scores in the store contract: upsert on the client's id, one by id, delete, the filtered list
 * with its pages and its traces' facts, and the score conditions of trace lists (each trace
 * counted once, however many of its scores match).
 */
import { describe, expect, it } from 'vitest';
import type { Score } from '../../collector/model.js';
import type { ScoreListQuery, TraceListQuery } from '../../collector/store/contract.js';
import { ENGINES } from './engines.js';
import { storePerTest } from './lifecycle.js';
import { msToNs, spanIdOf, traceIdOf, writeTraces, type TraceSpec } from './trace-spans.js';

const PROJECT = 'scores-project';
const T0 = Date.UTC(2025, 8, 1, 9, 0, 0);
const MINUTE = 60_000;
const ALICE = traceIdOf(0xa11ce);
const BOB = traceIdOf(0xb0b);
const NOBODY = traceIdOf(0x0dd);

const TRACES: TraceSpec[] = [
  {
    id: ALICE,
    name: 'support',
    startMs: T0,
    userId: 'alice',
    sessionId: 's1',
    tags: ['vip', 'support'],
    environment: 'production',
    generations: [{ model: 'gpt-4o', costUsd: 0.1 }],
    scores: [{ name: 'relevance', value: 0.9, id: 'eval-relevance-alice', offsetMs: 100 }],
  },
  {
    id: BOB,
    name: 'support',
    startMs: T0 + MINUTE,
    userId: 'bob',
    sessionId: 's2',
    environment: 'staging',
    scores: [
      { name: 'relevance', value: 0.7, id: 'eval-relevance-bob-1', offsetMs: 100 },
      { name: 'relevance', value: 0.95, id: 'eval-relevance-bob-2', offsetMs: 200 },
    ],
  },
];

function score(overrides: Partial<Score> & Pick<Score, 'id' | 'traceId' | 'name'>): Score {
  return {
    observationId: null,
    value: 1,
    stringValue: null,
    dataType: 'NUMERIC',
    comment: null,
    source: 'API',
    timeUnixNano: msToNs(T0 + 10 * MINUTE),
    metadata: {},
    ...overrides,
  };
}

/** API scores next to the EVAL ones the spans carry. */
const API_SCORES: Score[] = [
  score({ id: 'api-helpfulness-alice', traceId: ALICE, name: 'helpfulness', value: 0.8, comment: 'good answer', metadata: { reviewer: 'r1' }, timeUnixNano: msToNs(T0 + 2 * MINUTE) }),
  score({ id: 'api-accuracy-gen', traceId: ALICE, observationId: spanIdOf(ALICE, 2), name: 'accuracy', value: 0.25, source: 'ANNOTATION', timeUnixNano: msToNs(T0 + 3 * MINUTE) }),
  score({ id: 'api-sentiment-bob', traceId: BOB, name: 'sentiment', value: null, stringValue: 'negative', dataType: 'CATEGORICAL', timeUnixNano: msToNs(T0 + 4 * MINUTE) }),
  score({ id: 'api-resolved-bob', traceId: BOB, name: 'resolved', value: 1, stringValue: 'true', dataType: 'BOOLEAN', timeUnixNano: msToNs(T0 + 5 * MINUTE) }),
  score({ id: 'api-orphan', traceId: NOBODY, name: 'helpfulness', value: 0.1, timeUnixNano: msToNs(T0 + 6 * MINUTE) }),
];

describe.each(ENGINES)('scores ($name)', (engine) => {
  const store = storePerTest(engine);
  const seed = async () => {
    await writeTraces(store(), PROJECT, TRACES);
    for (const item of API_SCORES) await store().upsertScore(PROJECT, item);
  };
  const listIds = async (query: Partial<ScoreListQuery>) => (await store().listScores(PROJECT, { page: 1, limit: 100, ...query })).data.map((s) => s.id);
  const tracesWhere = async (filter: Partial<TraceListQuery>) => {
    const page = await store().listTraces(PROJECT, { page: 1, limit: 100, orderBy: { field: 'timestamp', direction: 'asc' }, ...filter });
    return { ids: page.data.map((trace) => trace.id), totalItems: page.meta.totalItems };
  };

  describe('one by id', () => {
    it('returns an upserted score with its trace\'s environment', async () => {
      await seed();
      const record = await store().getScore(PROJECT, 'api-helpfulness-alice');
      expect(record).toEqual({
        id: 'api-helpfulness-alice',
        traceId: ALICE,
        observationId: null,
        name: 'helpfulness',
        value: 0.8,
        stringValue: null,
        dataType: 'NUMERIC',
        comment: 'good answer',
        source: 'API',
        timeUnixNano: msToNs(T0 + 2 * MINUTE),
        createdAtMs: expect.any(Number),
        updatedAtMs: expect.any(Number),
        metadata: { reviewer: 'r1' },
        environment: 'production',
      });
      expect(await store().getScore(PROJECT, 'api-sentiment-bob')).toMatchObject({ value: null, stringValue: 'negative', dataType: 'CATEGORICAL', environment: 'staging' });
      expect(await store().getScore(PROJECT, 'api-resolved-bob')).toMatchObject({ value: 1, stringValue: 'true', dataType: 'BOOLEAN' });
    });

    it('returns a score of a trace not stored, in the default environment', async () => {
      await seed();
      expect(await store().getScore(PROJECT, 'api-orphan')).toMatchObject({ traceId: NOBODY, environment: 'default' });
    });

    it('returns a score a span carried', async () => {
      await seed();
      expect(await store().getScore(PROJECT, 'eval-relevance-bob-2')).toMatchObject({ traceId: BOB, name: 'relevance', value: 0.95, source: 'EVAL' });
    });

    it('returns null for an unknown id', async () => {
      await seed();
      expect(await store().getScore(PROJECT, 'nope')).toBeNull();
      expect(await store().getScore(PROJECT, "x' OR '1'='1")).toBeNull();
    });
  });

  describe('upsert and delete', () => {
    it('replaces the score with the same id, keeping when it was created', async () => {
      await seed();
      const before = await store().getScore(PROJECT, 'api-helpfulness-alice');
      await store().upsertScore(PROJECT, score({ id: 'api-helpfulness-alice', traceId: ALICE, name: 'helpfulness', value: 0.2, comment: 'on second thought' }));
      const after = await store().getScore(PROJECT, 'api-helpfulness-alice');
      expect(after).toMatchObject({ value: 0.2, comment: 'on second thought', metadata: {}, createdAtMs: before!.createdAtMs });
      expect(after!.updatedAtMs).toBeGreaterThanOrEqual(before!.updatedAtMs);
      expect((await store().listScores(PROJECT, { page: 1, limit: 100 })).meta.totalItems).toBe(API_SCORES.length + 3);
      expect((await store().getTrace(PROJECT, ALICE))!.scores.filter((s) => s.name === 'helpfulness').map((s) => s.value)).toEqual([0.2]);
    });

    it('replaces a score a span carried when the API sends its id', async () => {
      await seed();
      await store().upsertScore(PROJECT, score({ id: 'eval-relevance-alice', traceId: ALICE, name: 'relevance', value: 0.1, source: 'ANNOTATION' }));
      expect(await store().getScore(PROJECT, 'eval-relevance-alice')).toMatchObject({ value: 0.1, source: 'ANNOTATION' });
      expect((await tracesWhere({ scores: [{ name: 'relevance', operator: '>', value: 0.5 }] })).ids).toEqual([BOB]);
    });

    it('deletes a score by id once, from its trace, its lists and the score conditions', async () => {
      await seed();
      expect(await store().deleteScore(PROJECT, 'api-helpfulness-alice')).toBe(true);
      expect(await store().deleteScore(PROJECT, 'api-helpfulness-alice')).toBe(false);
      expect(await store().getScore(PROJECT, 'api-helpfulness-alice')).toBeNull();
      expect((await store().getTrace(PROJECT, ALICE))!.scores.map((s) => s.id)).not.toContain('api-helpfulness-alice');
      expect(await listIds({ name: 'helpfulness' })).toEqual(['api-orphan']);
      const listed = (await store().listTraces(PROJECT, { page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'asc' } })).data[0]!;
      expect(listed.scores.map((s) => s.id)).not.toContain('api-helpfulness-alice');
      expect(await tracesWhere({ scores: [{ name: 'helpfulness', operator: '>', value: 0.5 }] })).toEqual({ ids: [], totalItems: 0 });
    });

    it('answers false when deleting an unknown score', async () => {
      expect(await store().deleteScore(PROJECT, 'nope')).toBe(false);
    });
  });

  describe('the list', () => {
    it('lists scores newest first, each with its trace\'s user, tags and environment, or no trace', async () => {
      await seed();
      const page = await store().listScores(PROJECT, { page: 1, limit: 100 });
      expect(page.data.map((s) => s.id)).toEqual([
        'api-orphan',
        'api-resolved-bob',
        'api-sentiment-bob',
        'api-accuracy-gen',
        'api-helpfulness-alice',
        'eval-relevance-bob-2',
        'eval-relevance-bob-1',
        'eval-relevance-alice',
      ]);
      expect(page.meta).toEqual({ page: 1, limit: 100, totalItems: 8, totalPages: 1 });
      const traceOf = Object.fromEntries(page.data.map((s) => [s.id, s.trace]));
      expect(traceOf['api-accuracy-gen']).toEqual({ userId: 'alice', tags: ['support', 'vip'], environment: 'production' });
      expect(traceOf['api-resolved-bob']).toEqual({ userId: 'bob', tags: [], environment: 'staging' });
      expect(traceOf['api-orphan']).toBeNull();
    });

    it.each<[string, Partial<ScoreListQuery>, string[]]>([
      ['ids', { ids: ['api-orphan', 'eval-relevance-alice', 'nope'] }, ['api-orphan', 'eval-relevance-alice']],
      ['name', { name: 'relevance' }, ['eval-relevance-bob-2', 'eval-relevance-bob-1', 'eval-relevance-alice']],
      ['trace', { traceId: BOB }, ['api-resolved-bob', 'api-sentiment-bob', 'eval-relevance-bob-2', 'eval-relevance-bob-1']],
      ['trace not stored', { traceId: NOBODY }, ['api-orphan']],
      ['observation', { observationId: spanIdOf(ALICE, 2) }, ['api-accuracy-gen']],
      ['user of the trace', { userId: 'alice' }, ['api-accuracy-gen', 'api-helpfulness-alice', 'eval-relevance-alice']],
      ['session of the trace', { sessionId: 's2' }, ['api-resolved-bob', 'api-sentiment-bob', 'eval-relevance-bob-2', 'eval-relevance-bob-1']],
      ['source', { source: 'ANNOTATION' }, ['api-accuracy-gen']],
      ['source EVAL', { source: 'EVAL' }, ['eval-relevance-bob-2', 'eval-relevance-bob-1', 'eval-relevance-alice']],
      ['data type', { dataType: 'CATEGORICAL' }, ['api-sentiment-bob']],
      ['data type BOOLEAN', { dataType: 'BOOLEAN' }, ['api-resolved-bob']],
      ['a value range, inclusive', { minValue: 0.25, maxValue: 0.8 }, ['api-accuracy-gen', 'api-helpfulness-alice', 'eval-relevance-bob-1']],
      ['value >', { valueCondition: { operator: '>', value: 0.9 } }, ['api-resolved-bob', 'eval-relevance-bob-2']],
      ['value >=', { valueCondition: { operator: '>=', value: 0.9 } }, ['api-resolved-bob', 'eval-relevance-bob-2', 'eval-relevance-alice']],
      ['value <', { valueCondition: { operator: '<', value: 0.25 } }, ['api-orphan']],
      ['value <=', { valueCondition: { operator: '<=', value: 0.25 } }, ['api-orphan', 'api-accuracy-gen']],
      ['value =', { valueCondition: { operator: '=', value: 0.7 } }, ['eval-relevance-bob-1']],
      [
        'value !=, which no score without a value matches',
        { valueCondition: { operator: '!=', value: 0.7 } },
        ['api-orphan', 'api-resolved-bob', 'api-accuracy-gen', 'api-helpfulness-alice', 'eval-relevance-bob-2', 'eval-relevance-alice'],
      ],
      ['from a time, inclusive', { fromTimeUnixNano: msToNs(T0 + 4 * MINUTE) }, ['api-orphan', 'api-resolved-bob', 'api-sentiment-bob']],
      ['to a time, exclusive', { toTimeUnixNano: msToNs(T0 + 3 * MINUTE) }, ['api-helpfulness-alice', 'eval-relevance-bob-2', 'eval-relevance-bob-1', 'eval-relevance-alice']],
      ['several conditions', { name: 'relevance', userId: 'bob', minValue: 0.9 }, ['eval-relevance-bob-2']],
      ['a name that looks like SQL', { name: "x' OR '1'='1" }, []],
    ])('filters by %s, and counts the matches', async (_filter, query, expected) => {
      await seed();
      const page = await store().listScores(PROJECT, { page: 1, limit: 100, ...query });
      expect(page.data.map((s) => s.id)).toEqual(expected);
      expect(page.meta.totalItems).toBe(expected.length);
    });

    it('pages the list by number, then gives an empty page', async () => {
      await seed();
      const whole = await listIds({});
      const paged = [];
      for (let page = 1; page <= 3; page++) paged.push(...(await store().listScores(PROJECT, { page, limit: 3 })).data.map((s) => s.id));
      expect(paged).toEqual(whole);
      expect(await store().listScores(PROJECT, { page: 4, limit: 3 })).toEqual({ data: [], meta: { page: 4, limit: 3, totalItems: 8, totalPages: 3 } });
    });

    it('orders scores of the same time by id, newest first', async () => {
      const at = msToNs(T0);
      for (const id of ['b', 'c', 'a']) await store().upsertScore(PROJECT, score({ id, traceId: ALICE, name: 'tie', timeUnixNano: at }));
      expect(await listIds({})).toEqual(['c', 'b', 'a']);
    });
  });

  describe('score conditions on traces', () => {
    it('counts a trace once when two of its scores of the name, sent together, match', async () => {
      await seed();
      for (const value of [0.5, 0.8]) {
        expect(await tracesWhere({ scores: [{ name: 'relevance', operator: '>', value }] })).toEqual({ ids: [ALICE, BOB], totalItems: 2 });
      }
      expect(await tracesWhere({ scores: [{ name: 'relevance', operator: '>', value: 0.92 }] })).toEqual({ ids: [BOB], totalItems: 1 });
    });

    it('counts a trace once after a second score of a name is upserted for it', async () => {
      await seed();
      expect(await tracesWhere({ scores: [{ name: 'helpfulness', operator: '>', value: 0.5 }] })).toEqual({ ids: [ALICE], totalItems: 1 });
      await store().upsertScore(PROJECT, score({ id: 'api-helpfulness-bob', traceId: BOB, name: 'helpfulness', value: 0.3 }));
      await store().upsertScore(PROJECT, score({ id: 'api-helpfulness-alice-2', traceId: ALICE, name: 'helpfulness', value: 0.9 }));
      expect(await tracesWhere({ scores: [{ name: 'helpfulness', operator: '>', value: 0.5 }] })).toEqual({ ids: [ALICE], totalItems: 1 });
      expect(await tracesWhere({ scores: [{ name: 'helpfulness', operator: '>=', value: 0.2 }] })).toEqual({ ids: [ALICE, BOB], totalItems: 2 });
    });

    it('leaves scores of traces not stored out of a score condition\'s count', async () => {
      await seed();
      expect(await tracesWhere({ scores: [{ name: 'helpfulness', operator: '>=', value: 0 }] })).toEqual({ ids: [ALICE], totalItems: 1 });
    });

    it('matches scores on the trace\'s observations, categorical labels and boolean values', async () => {
      await seed();
      expect(await tracesWhere({ scores: [{ name: 'accuracy', operator: '<', value: 0.5 }] })).toEqual({ ids: [ALICE], totalItems: 1 });
      expect(await tracesWhere({ scores: [{ name: 'sentiment', operator: '=', value: 'negative' }] })).toEqual({ ids: [BOB], totalItems: 1 });
      expect(await tracesWhere({ scores: [{ name: 'sentiment', operator: '!=', value: 'negative' }] })).toEqual({ ids: [], totalItems: 0 });
      expect(await tracesWhere({ scores: [{ name: 'resolved', operator: '=', value: 1 }] })).toEqual({ ids: [BOB], totalItems: 1 });
    });

    it('lists a trace under a condition as soon as a matching score is upserted', async () => {
      await seed();
      const condition = { scores: [{ name: 'safety', operator: '>=' as const, value: 0.5 }] };
      expect(await tracesWhere(condition)).toEqual({ ids: [], totalItems: 0 });
      await store().upsertScore(PROJECT, score({ id: 'api-safety-bob', traceId: BOB, name: 'safety', value: 0.6 }));
      expect(await tracesWhere(condition)).toEqual({ ids: [BOB], totalItems: 1 });
      const listed = (await store().listTraces(PROJECT, { page: 1, limit: 1, orderBy: { field: 'timestamp', direction: 'asc' }, ...condition })).data[0]!;
      expect(listed.scores.find((s) => s.id === 'api-safety-bob')).toEqual({
        id: 'api-safety-bob',
        name: 'safety',
        value: 0.6,
        stringValue: null,
        dataType: 'NUMERIC',
        source: 'API',
        observationId: null,
      });
    });

    it('counts a deleted trace under its score condition again only once the trace is written again', async () => {
      const returning = traceIdOf(0x2e7);
      const condition = { scores: [{ name: 'recall', operator: '>' as const, value: 0.5 }] };
      await writeTraces(store(), PROJECT, [{ id: returning, name: 'returning', startMs: T0 }]);
      await store().upsertScore(PROJECT, score({ id: 'recall-1', traceId: returning, name: 'recall', value: 0.8 }));
      expect(await tracesWhere(condition)).toEqual({ ids: [returning], totalItems: 1 });
      await store().deleteTrace(PROJECT, returning);
      await store().upsertScore(PROJECT, score({ id: 'recall-2', traceId: returning, name: 'recall', value: 0.9 }));
      await store().upsertScore(PROJECT, score({ id: 'recall-3', traceId: returning, name: 'recall', value: 0.7 }));
      expect(await tracesWhere(condition)).toEqual({ ids: [], totalItems: 0 });
      await writeTraces(store(), PROJECT, [{ id: returning, name: 'returning', startMs: T0 }]);
      expect(await tracesWhere(condition)).toEqual({ ids: [returning], totalItems: 1 });
    });

    it('joins a score upserted before its trace to the trace when it arrives', async () => {
      const late = traceIdOf(0x1a7e);
      await store().upsertScore(PROJECT, score({ id: 'early-score', traceId: late, name: 'quality', value: 0.7 }));
      expect(await store().getTrace(PROJECT, late)).toBeNull();
      await writeTraces(store(), PROJECT, [{ id: late, name: 'late', startMs: T0, userId: 'carol' }]);
      expect((await store().getTrace(PROJECT, late))!.scores.map((s) => s.id)).toEqual(['early-score']);
      expect(await tracesWhere({ scores: [{ name: 'quality', operator: '=', value: 0.7 }] })).toEqual({ ids: [late], totalItems: 1 });
      expect((await store().listScores(PROJECT, { page: 1, limit: 10, userId: 'carol' })).data.map((s) => s.id)).toEqual(['early-score']);
    });
  });
});
