/**
 * listTraces and getTrace of the store contract: every filter and its count, every ordering in
 * both directions, page numbers and keyset positions (also through ties on the sort key), and
 * what a listed and a whole trace carry.
 */
import { describe, expect, it } from 'vitest';
import { QueryRejectedError, type KeysetPage, type TraceListQuery, type TraceListRecord, type TraceStore } from '../../collector/store/contract.js';
import { ENGINES } from './engines.js';
import { sharedStore, storePerTest } from './lifecycle.js';
import { expectedOrder, latencyMs, ORDERINGS } from './trace-order.js';
import { LISTED_TRACES, MINUTE, T0 } from '../helpers/listed-traces.js';
import { msToNs, spanIdOf, traceIdOf, traceSpans, writeTraces, type TraceSpec } from './trace-spans.js';

const PROJECT = 'query-project';
const NEWEST_FIRST: TraceListQuery['orderBy'] = { field: 'timestamp', direction: 'desc' };

/** t0..t6; t4 and t5 have no cost, t6 has no root span and so no name. */
const SPECS: TraceSpec[] = [
  { ...LISTED_TRACES[0]!, id: traceIdOf(0x5a01), input: 'How do I reset my password?' },
  { ...LISTED_TRACES[1]!, id: traceIdOf(0x0b02) },
  { ...LISTED_TRACES[2]!, id: traceIdOf(0xf003), scores: [{ name: 'helpfulness', value: 0.6, generation: 0 }] },
  { ...LISTED_TRACES[3]!, id: traceIdOf(0x3c04) },
  { ...LISTED_TRACES[4]!, id: traceIdOf(0x7005) },
  { ...LISTED_TRACES[5]!, id: traceIdOf(0x1006) },
  {
    id: traceIdOf(0x9007),
    startMs: T0 + 6 * MINUTE,
    withoutRoot: true,
    generations: [{ model: 'test-mini', inputTokens: 1000, outputTokens: 100, startOffsetMs: 0, durationMs: 150 }],
  },
];
const IDS = SPECS.map((spec) => spec.id);
const label = (id: string) => `t${IDS.indexOf(id)}`;
const labels = (page: { data: TraceListRecord[] }) => page.data.map((trace) => label(trace.id));

/** Every page of the list, following `next` (at most `maxPages`). */
async function walk(store: TraceStore, query: TraceListQuery, maxPages = 50): Promise<TraceListRecord[]> {
  const rows: TraceListRecord[] = [];
  let page: KeysetPage<TraceListRecord> = await store.listTraces(PROJECT, query);
  rows.push(...page.data);
  for (let pages = 1; page.next !== null && pages < maxPages; pages++) {
    page = await store.listTraces(PROJECT, { ...query, after: page.next });
    rows.push(...page.data);
  }
  expect(page.next).toBeNull();
  return rows;
}

describe.each(ENGINES)('trace lists ($name)', (engine) => {
  const store = sharedStore(engine, (opened) => writeTraces(opened, PROJECT, SPECS));
  const list = (filter: Partial<TraceListQuery> = {}) => store().listTraces(PROJECT, { page: 1, limit: 100, orderBy: NEWEST_FIRST, ...filter });

  describe('filters', () => {
    it('lists every trace newest first', async () => {
      const page = await list();
      expect(labels(page)).toEqual(['t6', 't5', 't4', 't3', 't2', 't1', 't0']);
      expect(page.meta).toEqual({ page: 1, limit: 100, totalItems: 7, totalPages: 1 });
      expect(page.next).toBeNull();
      expect(page.totalItemsIsLowerBound).toBe(false);
    });

    it.each<[string, Partial<TraceListQuery>, string[]]>([
      ['userId', { userId: 'alice' }, ['t1', 't0']],
      ['sessionId', { sessionId: 's1' }, ['t1', 't0']],
      ['name', { name: 'summarize' }, ['t3', 't2']],
      ['tags, all of them', { tags: ['support', 'production'] }, ['t0']],
      ['one tag', { tags: ['batch'] }, ['t3', 't2']],
      ['an unknown tag', { tags: ['nope'] }, []],
      ['one environment', { environments: ['staging'] }, ['t2']],
      ['any of the environments', { environments: ['staging', 'production'] }, ['t3', 't2', 't1', 't0']],
      ['the default environment', { environments: ['default'] }, ['t6', 't5', 't4']],
      ['release', { release: 'r2' }, ['t1']],
      ['version', { version: 'v9' }, ['t4']],
      ['from a time, inclusive', { fromTimeUnixNano: msToNs(T0 + 2 * MINUTE) }, ['t6', 't5', 't4', 't3', 't2']],
      ['to a time, exclusive', { toTimeUnixNano: msToNs(T0 + 2 * MINUTE) }, ['t1', 't0']],
      ['a time range', { fromTimeUnixNano: msToNs(T0 + MINUTE), toTimeUnixNano: msToNs(T0 + 3 * MINUTE) }, ['t2', 't1']],
      ['level ERROR, on any observation', { level: 'ERROR' }, ['t3', 't2']],
      ['level WARNING', { level: 'WARNING' }, ['t1']],
      ['a latency range, inclusive', { minLatencyMs: 1200, maxLatencyMs: 3000 }, ['t1', 't0']],
      ['a minimum latency', { minLatencyMs: 5000 }, ['t3']],
      ['a maximum latency', { maxLatencyMs: 150 }, ['t6', 't5']],
      ['a minimum cost, inclusive', { minCostUsd: 0.1 }, ['t3', 't2', 't1']],
      ['a maximum cost, inclusive', { maxCostUsd: 0.1 }, ['t6', 't2', 't0']],
      ['a cost range', { minCostUsd: 0.05, maxCostUsd: 0.6 }, ['t2', 't1']],
      ['model', { model: 'gpt-4o' }, ['t3', 't1']],
      ['another model', { model: 'test-mini' }, ['t6']],
      ['metadata text', { metadata: [{ key: 'plan', value: 'pro' }] }, ['t0']],
      ['metadata number as text', { metadata: [{ key: 'seats', value: '3' }] }, ['t0']],
      ['metadata boolean as text', { metadata: [{ key: 'trial', value: 'false' }] }, ['t0']],
      ['metadata of another trace', { metadata: [{ key: 'plan', value: 'free' }] }, ['t3']],
      ['metadata, all conditions', { metadata: [{ key: 'plan', value: 'pro' }, { key: 'seats', value: '4' }] }, []],
      ['full text', { searchTerms: ['password'] }, ['t0']],
      ['full text of an observation name', { searchTerms: ['generation'] }, ['t6', 't3', 't2', 't1', 't0']],
      ['several fields together', { userId: 'alice', release: 'r1', tags: ['support'] }, ['t0']],
      ['full text with another filter', { searchTerms: ['generation'], userId: 'bob' }, ['t3', 't2']],
      ['model and level together', { model: 'gpt-4o', level: 'ERROR' }, ['t3']],
      ['tags and model together', { tags: ['production'], model: 'gpt-4o' }, ['t3']],
    ])('filters by %s, and counts the matches', async (_filter, filter, expected) => {
      const page = await list(filter);
      expect(labels(page)).toEqual(expected);
      expect(page.meta.totalItems).toBe(expected.length);
      const first = await list({ ...filter, limit: 1 });
      expect(labels(first)).toEqual(expected.slice(0, 1));
      expect(first.meta).toEqual({ page: 1, limit: 1, totalItems: expected.length, totalPages: expected.length });
      expect(first.next === null).toBe(expected.length <= 1);
    });

    it.each<[string, TraceListQuery['scores'], string[]]>([
      ['<', [{ name: 'helpfulness', operator: '<', value: 0.5 }], ['t1']],
      ['<=', [{ name: 'helpfulness', operator: '<=', value: 0.3 }], ['t1']],
      ['>, counting scores on observations', [{ name: 'helpfulness', operator: '>', value: 0.5 }], ['t2', 't0']],
      ['>=', [{ name: 'helpfulness', operator: '>=', value: 0.6 }], ['t2', 't0']],
      ['=', [{ name: 'helpfulness', operator: '=', value: 0.9 }], ['t0']],
      ['!=', [{ name: 'helpfulness', operator: '!=', value: 0.9 }], ['t2', 't1']],
      ['> nothing', [{ name: 'helpfulness', operator: '>', value: 0.9 }], []],
      ['= 0', [{ name: 'toxicity', operator: '=', value: 0 }], ['t0']],
      ['= on a label', [{ name: 'sentiment', operator: '=', value: 'negative' }], ['t1']],
      ['!= on a label', [{ name: 'sentiment', operator: '!=', value: 'positive' }], ['t1']],
      ['an unknown name', [{ name: 'nope', operator: '>=', value: 0 }], []],
      [
        'two conditions that both hold',
        [
          { name: 'helpfulness', operator: '>', value: 0.5 },
          { name: 'toxicity', operator: '=', value: 0 },
        ],
        ['t0'],
      ],
      [
        'two conditions that never hold together',
        [
          { name: 'helpfulness', operator: '<', value: 0.5 },
          { name: 'toxicity', operator: '=', value: 0 },
        ],
        [],
      ],
    ])('filters by score %s, and counts the matches', async (_condition, scores, expected) => {
      const page = await list({ scores });
      expect(labels(page)).toEqual(expected);
      expect(page.meta.totalItems).toBe(expected.length);
      expect((await list({ scores, limit: 1 })).meta.totalItems).toBe(expected.length);
    });

    it.each<[string, Partial<TraceListQuery>, string[]]>([
      ['a user id', { userId: "' OR 1=1 --" }, ['t5']],
      ['a name', { name: "O'Brien; DROP TABLE traces;--" }, ['t5']],
      ['a quoted user id', { userId: 'alice" OR "1"="1' }, []],
      ['a tag', { tags: ["x' OR '1'='1"] }, []],
      ['a metadata key', { metadata: [{ key: `plan'='pro" OR 1=1--`, value: 'x' }] }, []],
      ['a score name', { scores: [{ name: "x' OR 1=1--", operator: '<', value: 1 }] }, []],
      ['a score label', { scores: [{ name: 'sentiment', operator: '=', value: "x' OR '1'='1" }] }, []],
      ['a model', { model: "gpt-4o' UNION SELECT * FROM scores--" }, []],
      ['an environment', { environments: ["production') OR ('1'='1"] }, []],
    ])('takes %s that looks like SQL as data', async (_value, filter, expected) => {
      expect(labels(await list(filter))).toEqual(expected);
      expect(labels(await list())).toHaveLength(7);
    });
  });

  describe('what a listed trace carries', () => {
    it('gives its observation and score ids, cost, latency and token totals', async () => {
      const [t1] = (await list({ userId: 'alice', limit: 1 })).data;
      expect(t1).toMatchObject({
        id: IDS[1],
        name: 'support-query',
        totalCostUsd: 0.5,
        inputTokens: 1000,
        outputTokens: 200,
        totalTokens: 1200,
        environment: 'production',
        release: 'r2',
        tags: ['support'],
      });
      expect(latencyMs(t1!)).toBe(3000);
      expect([...t1!.observationIds].sort()).toEqual([spanIdOf(IDS[1]!, 1), spanIdOf(IDS[1]!, 2)].sort());
      expect(t1!.scores).toHaveLength(2);
    });

    it('gives its worst observation level: ERROR, else WARNING, else DEFAULT', async () => {
      const levels = Object.fromEntries((await list()).data.map((trace) => [label(trace.id), trace.level]));
      expect(levels).toEqual({ t0: 'DEFAULT', t1: 'WARNING', t2: 'ERROR', t3: 'ERROR', t4: 'DEFAULT', t5: 'DEFAULT', t6: 'DEFAULT' });
    });

    it('gives its scores, its own and its observations\', in id order', async () => {
      const rows = (await list()).data;
      for (const trace of rows) {
        const ids = trace.scores.map((score) => score.id);
        expect(ids).toEqual([...ids].sort());
      }
      const byLabel = Object.fromEntries(rows.map((trace) => [label(trace.id), trace.scores]));
      expect(byLabel.t1!.map(({ id: _id, ...score }) => score).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: 'helpfulness', value: 0.3, stringValue: null, dataType: 'NUMERIC', source: 'EVAL', observationId: null },
        { name: 'sentiment', value: null, stringValue: 'negative', dataType: 'CATEGORICAL', source: 'EVAL', observationId: null },
      ]);
      expect(byLabel.t2!.map((score) => [score.name, score.observationId])).toEqual([['helpfulness', spanIdOf(IDS[2]!, 2)]]);
      expect(byLabel.t4).toEqual([]);
    });

    it('carries the same level and scores whichever filter found it', async () => {
      const plain = (await list()).data.find((trace) => trace.id === IDS[1]);
      for (const filter of [{ level: 'WARNING' as const }, { scores: [{ name: 'helpfulness', operator: '<' as const, value: 0.5 }] }, { release: 'r2' }]) {
        expect((await list(filter)).data).toEqual([plain]);
      }
    });
  });

  describe('one trace', () => {
    it('returns the trace with its observations in start order and its scores', async () => {
      const trace = await store().getTrace(PROJECT, IDS[2]!);
      expect(trace).toMatchObject({
        id: IDS[2],
        name: 'summarize',
        userId: 'bob',
        sessionId: 's2',
        environment: 'staging',
        totalCostUsd: 0.1,
        startTimeUnixNano: msToNs(T0 + 2 * MINUTE),
        endTimeUnixNano: msToNs(T0 + 2 * MINUTE + 500),
      });
      expect(trace!.observations.map((o) => [o.name, o.type, o.level, o.model, o.environment])).toEqual([
        ['summarize', 'SPAN', 'ERROR', null, 'staging'],
        ['generation-0', 'GENERATION', 'DEFAULT', 'claude-3-5-sonnet', 'staging'],
      ]);
      expect(trace!.observations[0]!.statusMessage).toBe('upstream timeout');
      expect(trace!.scores.map((s) => [s.name, s.value, s.observationId, s.environment])).toEqual([
        ['helpfulness', 0.6, spanIdOf(IDS[2]!, 2), 'staging'],
      ]);
    });

    it('returns a trace without a root span with no name', async () => {
      const trace = await store().getTrace(PROJECT, IDS[6]!);
      expect(trace).toMatchObject({ name: null, totalCostUsd: 0.0012 });
      expect(latencyMs(trace!)).toBe(150);
    });

    it('returns null for an unknown id, a hostile one, and an id of another project', async () => {
      expect(await store().getTrace(PROJECT, traceIdOf(0xdead))).toBeNull();
      expect(await store().getTrace(PROJECT, "x' OR '1'='1")).toBeNull();
      expect(await store().getTrace('another-project', IDS[0]!)).toBeNull();
    });
  });

  describe('ordering', () => {
    it.each(ORDERINGS)('orders by $field $direction, then by id, missing values first ascending and last descending', async (orderBy) => {
      const all = (await list()).data;
      expect((await list({ orderBy })).data.map((trace) => trace.id)).toEqual(expectedOrder(all, orderBy.field, orderBy.direction));
    });

    it('orders by latency and by cost as the traces\' values say', async () => {
      expect(labels(await list({ orderBy: { field: 'latency', direction: 'asc' } }))).toEqual(['t5', 't6', 't4', 't2', 't0', 't1', 't3']);
      expect(labels(await list({ orderBy: { field: 'totalCost', direction: 'desc' } })).slice(0, 5)).toEqual(['t3', 't1', 't2', 't0', 't6']);
      expect(labels(await list({ orderBy: { field: 'totalCost', direction: 'asc' } })).slice(0, 2).sort()).toEqual(['t4', 't5']);
      expect(labels(await list({ orderBy: { field: 'name', direction: 'asc' } }))[0]).toBe('t6');
    });
  });

  describe('pages', () => {
    it('splits the list into numbered pages with their meta, then an empty page past the end', async () => {
      const pages = await Promise.all([1, 2, 3, 4, 5].map((page) => list({ limit: 2, page })));
      expect(pages.map(labels)).toEqual([['t6', 't5'], ['t4', 't3'], ['t2', 't1'], ['t0'], []]);
      expect(pages.map((page) => page.meta)).toEqual([1, 2, 3, 4, 5].map((page) => ({ page, limit: 2, totalItems: 7, totalPages: 4 })));
      expect(pages.slice(3).map((page) => page.next)).toEqual([null, null]);
    });

    it('gives an empty page with zero totals when nothing matches', async () => {
      expect(await list({ userId: 'nobody' })).toEqual({
        data: [],
        meta: { page: 1, limit: 100, totalItems: 0, totalPages: 0 },
        next: null,
        totalItemsIsLowerBound: false,
      });
    });

    it.each(ORDERINGS)('walks $field $direction by keyset position, a page of one, two or three at a time, as one page lists it', async (orderBy) => {
      const whole = (await list({ orderBy })).data;
      for (const limit of [1, 2, 3]) {
        expect(await walk(store(), { page: 1, limit, orderBy })).toEqual(whole);
      }
    });

    it.each(ORDERINGS)('pages $field $direction by number in the same order', async (orderBy) => {
      const whole = (await list({ orderBy })).data.map((trace) => trace.id);
      const paged = [];
      for (let page = 1; page <= 3; page++) paged.push(...(await list({ orderBy, limit: 3, page })).data.map((trace) => trace.id));
      expect(paged).toEqual(whole);
    });

    it('walks a filtered list by keyset position', async () => {
      const filter = { environments: ['production'], orderBy: { field: 'totalCost', direction: 'asc' } } satisfies Partial<TraceListQuery>;
      const whole = (await list(filter)).data;
      expect(whole.map((trace) => label(trace.id))).toEqual(['t0', 't1', 't3']);
      expect(await walk(store(), { page: 1, limit: 1, ...filter })).toEqual(whole);
    });

    it('ignores the page number when a keyset position is given', async () => {
      const first = await list({ limit: 2 });
      const second = await store().listTraces(PROJECT, { page: 7, limit: 2, orderBy: NEWEST_FIRST, after: first.next! });
      expect(labels(second)).toEqual(['t4', 't3']);
    });

    it('refuses a keyset position made for another ordering, naming `after`', async () => {
      const byLatency = await list({ limit: 1, orderBy: { field: 'latency', direction: 'desc' } });
      const error = await store()
        .listTraces(PROJECT, { page: 1, limit: 1, orderBy: NEWEST_FIRST, after: byLatency.next! })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(QueryRejectedError);
      expect(error).toMatchObject({ field: 'after' });
    });

    it('refuses a keyset position whose value does not fit its ordering, naming `after`', async () => {
      const after = { orderBy: 'timestamp.desc', value: 'yesterday', id: IDS[0]! };
      await expect(store().listTraces(PROJECT, { page: 1, limit: 1, orderBy: NEWEST_FIRST, after })).rejects.toMatchObject({
        name: 'QueryRejectedError',
        field: 'after',
      });
    });
  });
});

describe.each(ENGINES)('trace lists with ties on every sort key ($name)', (engine) => {
  /**
   * Twelve traces in three starts, two latencies, costs of 0.1 or none, and names alpha, beta or
   * none; ids in another order than starts.
   */
  const TIED: TraceSpec[] = Array.from({ length: 12 }, (_, i) => {
    const noName = i % 4 === 3;
    return {
      id: traceIdOf(((i * 7) % 12) + 0x100),
      startMs: T0 + Math.floor(i / 4) * 1000,
      durationMs: noName ? 100 : [100, 200][i % 2],
      ...(noName ? { withoutRoot: true } : { name: ['alpha', 'beta', 'alpha'][i % 3] }),
      generations: [i % 2 === 0 ? { model: 'gpt-4o', costUsd: 0.1, startOffsetMs: 0, durationMs: 100 } : { model: 'unpriced', startOffsetMs: 0, durationMs: 100 }],
    };
  });
  const store = sharedStore(engine, (opened) => writeTraces(opened, PROJECT, TIED));

  it.each(ORDERINGS)('walks $field $direction through the ties with no trace twice and none left out', async (orderBy) => {
    const whole = await store().listTraces(PROJECT, { page: 1, limit: 100, orderBy });
    expect(whole.data.map((trace) => trace.id)).toEqual(expectedOrder(whole.data, orderBy.field, orderBy.direction));
    for (const limit of [1, 2, 5]) {
      const walked = await walk(store(), { page: 1, limit, orderBy });
      expect(walked.map((trace) => trace.id)).toEqual(whole.data.map((trace) => trace.id));
      expect(new Set(walked.map((trace) => trace.id)).size).toBe(TIED.length);
      const paged = [];
      for (let page = 1; page <= Math.ceil(TIED.length / limit); page++) {
        paged.push(...(await store().listTraces(PROJECT, { page, limit, orderBy })).data.map((trace) => trace.id));
      }
      expect(paged).toEqual(whole.data.map((trace) => trace.id));
    }
  });

  it('has the ties it is meant to have', async () => {
    const { data } = await store().listTraces(PROJECT, { page: 1, limit: 100, orderBy: NEWEST_FIRST });
    const count = (values: unknown[]) => new Set(values).size;
    expect(count(data.map((trace) => trace.startTimeUnixNano))).toBe(3);
    expect(count(data.map(latencyMs))).toBe(2);
    expect(count(data.map((trace) => trace.totalCostUsd))).toBe(2);
    expect(count(data.map((trace) => trace.name))).toBe(3);
  });
});

describe.each(ENGINES)('trace lists while traces are written ($name)', (engine) => {
  const store = storePerTest(engine);

  it('continues a keyset walk with no trace twice or left out when newer traces arrive between pages', async () => {
    const spec = (n: number, startMs: number): TraceSpec => ({ id: traceIdOf(0x200 + n), name: `trace-${n}`, startMs });
    await writeTraces(store(), PROJECT, [0, 1, 2, 3, 4, 5].map((n) => spec(n, T0 + n * MINUTE)));
    const query: TraceListQuery = { page: 1, limit: 2, orderBy: NEWEST_FIRST };
    const first = await store().listTraces(PROJECT, query);
    await writeTraces(store(), PROJECT, [spec(10, T0 + 10 * MINUTE), spec(11, T0 + 11 * MINUTE)]);
    const second = await store().listTraces(PROJECT, { ...query, after: first.next! });
    const third = await store().listTraces(PROJECT, { ...query, after: second.next! });
    expect([...first.data, ...second.data, ...third.data].map((trace) => trace.name)).toEqual([5, 4, 3, 2, 1, 0].map((n) => `trace-${n}`));
    expect(third.next).toBeNull();
    expect(third.meta.totalItems).toBe(8);
    // Page numbers shift instead.
    expect((await store().listTraces(PROJECT, { ...query, page: 2 })).data.map((trace) => trace.name)).toEqual(['trace-5', 'trace-4']);
  });
});

describe.each(ENGINES)('trace lists beside observations of traces never stored ($name)', (engine) => {
  const store = storePerTest(engine);

  it('counts only stored traces under a level condition, leaving out a log record whose trace never arrived', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    // An ERROR log record is an EVENT observation; its trace's spans went elsewhere.
    const [logged] = traceSpans({ id: traceIdOf(0x0dd), startMs: T0, generations: [{ model: 'test-mini', level: 'ERROR' }] })
      .flatMap((span) => (span.observation?.level === 'ERROR' ? [{ ...span.observation, type: 'EVENT' as const, model: null }] : []));
    await store().writeBatches([{ projectId: PROJECT, spans: [], logs: { events: [logged!], messages: [] } }]);

    const page = await store().listTraces(PROJECT, { page: 1, limit: 100, orderBy: NEWEST_FIRST, level: 'ERROR' });

    expect(labels(page)).toEqual(['t3', 't2']);
    expect(page.meta.totalItems).toBe(2);
  });
});
