/**
 * The PostgreSQL trace and observation reads (store/postgres/read/) against the SQLite engine,
 * the behavioural reference: the same spans are written to both, then every filter, ordering,
 * page number and keyset walk of listTraces, every getTrace, and the observation lists and
 * lookups must answer alike (the times of writing left out: each engine stamps its own).
 * Targeted cases cover what the comparison alone would not show.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MappedSpan } from '../../collector/model.js';
import {
  QueryRejectedError,
  type KeysetPage,
  type ObservationListQuery,
  type TraceFilter,
  type TraceListQuery,
  type TraceListRecord,
  type TraceStore,
} from '../../collector/store/contract.js';
import { createBatchWriter } from '../../collector/store/postgres/write/batch-writer.js';
import { preparePostgresDatabase } from '../../collector/store/postgres/prepare.js';
import { createObservationReads, type ObservationReads } from '../../collector/store/postgres/read/observations.js';
import { createSearch, type TraceSearch } from '../../collector/store/postgres/search/search.js';
import { createTraceReads, type TraceReads } from '../../collector/store/postgres/read/traces.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { LISTED_TRACES, MINUTE, T0 } from '../helpers/listed-traces.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { ORDERINGS } from './trace-order.js';
import { mapped, msToNs, traceIdOf, traceSpans, type TraceSpec } from './trace-spans.js';

const PROJECT = 'reads-project';
const OTHER_PROJECT = 'other-project';
const SHARED_SPAN_ID = 'aaaaaaaaaaaaaaaa';

/**
 * The listed traces, then traces that tie on every sort key (same start, duration, cost and
 * name), names that sort differently by bytes than by a language's rules, a trace with no root
 * (no name, no cost of its own kind) and one with metadata of every JSON kind.
 */
const SPECS: TraceSpec[] = [
  ...LISTED_TRACES.map((spec, i) => ({ ...spec, id: traceIdOf(0x5a00 + i * 0x111) })),
  ...[0xc1, 0x1c, 0x7e].map((n) => ({
    id: traceIdOf(n),
    name: 'tied',
    startMs: T0 + 10 * MINUTE,
    durationMs: 700,
    tags: ['tied'],
    generations: [{ model: 'gpt-4o', inputTokens: 10, outputTokens: 10, costUsd: 0.3 }],
    scores: [{ name: 'helpfulness', value: 0.5 }],
  })),
  { id: traceIdOf(0xe1), name: 'Émile', startMs: T0 + 11 * MINUTE, userId: 'dora', environment: 'staging' },
  { id: traceIdOf(0xe2), name: 'zeta', startMs: T0 + 12 * MINUTE, userId: 'dora', release: 'r1' },
  { id: traceIdOf(0xe3), name: 'Zeta', startMs: T0 + 13 * MINUTE, metadata: { looksLikeJson: '{"a":1}', ratio: 0.25, big: 12345678901 },
    scores: [
      { name: 'b-named-after', id: 'a-id-first', value: 1 },
      { name: 'a-named-first', id: 'z-id-after', value: 2 },
    ],
  },
  {
    id: traceIdOf(0xe4),
    startMs: T0 + 14 * MINUTE,
    withoutRoot: true,
    generations: [{ model: 'test-mini', inputTokens: 1000, outputTokens: 100, startOffsetMs: 0, durationMs: 150 }],
  },
];

/** A trace id no span names: only a score of it is stored. */
const UNSTORED_TRACE_ID = traceIdOf(0xdead);

/** Two traces with a span of the same id, the later one starting last; and a trace in another project. */
function extraSpans(): Array<{ projectId: string; spans: MappedSpan[] }> {
  const span = (traceId: string, startMs: number) =>
    mapped({ traceId, spanId: SHARED_SPAN_ID, parentSpanId: null, name: `shared-${traceId.slice(-2)}`, startTimeUnixNano: msToNs(startMs), endTimeUnixNano: msToNs(startMs + 40) });
  return [
    { projectId: PROJECT, spans: [span(traceIdOf(0xd1), T0 + 20 * MINUTE), span(traceIdOf(0xd2), T0 + 21 * MINUTE)] },
    {
      projectId: PROJECT,
      spans: [
        {
          observation: null,
          events: [],
          trace: null,
          scores: [
            {
              id: 'score-of-unstored-trace',
              traceId: UNSTORED_TRACE_ID,
              observationId: null,
              name: 'helpfulness',
              value: 0.95,
              stringValue: null,
              dataType: 'NUMERIC',
              comment: null,
              source: 'API',
              timeUnixNano: msToNs(T0),
              metadata: {},
            },
          ],
        },
      ],
    },
    { projectId: OTHER_PROJECT, spans: traceSpans({ id: traceIdOf(0xf1), name: 'elsewhere', startMs: T0, userId: 'alice' }) },
  ];
}

const BATCHES = [{ projectId: PROJECT, spans: SPECS.flatMap(traceSpans) }, ...extraSpans()];

/** Every filter of TraceFilter, alone and together, and filters that match nothing. */
const FILTERS: Array<[string, TraceFilter]> = [
  ['no filter', {}],
  ['a user', { userId: 'alice' }],
  ['a user written as SQL', { userId: "' OR 1=1 --" }],
  ['a session', { sessionId: 's1' }],
  ['a name', { name: 'summarize' }],
  ['one tag', { tags: ['support'] }],
  ['all of two tags', { tags: ['batch', 'production'] }],
  ['a tag no trace has', { tags: ['missing'] }],
  ['any of two environments', { environments: ['staging', 'default'] }],
  ['a release', { release: 'r1' }],
  ['a version', { version: 'v9' }],
  ['a time range', { fromTimeUnixNano: msToNs(T0 + MINUTE), toTimeUnixNano: msToNs(T0 + 11 * MINUTE) }],
  ['only a start', { fromTimeUnixNano: msToNs(T0 + 10 * MINUTE) }],
  ['level ERROR', { level: 'ERROR' }],
  ['level WARNING', { level: 'WARNING' }],
  ['a latency range', { minLatencyMs: 500, maxLatencyMs: 3000 }],
  ['a minimum latency', { minLatencyMs: 1000 }],
  ['a cost range', { minCostUsd: 0.1, maxCostUsd: 0.5 }],
  ['a maximum cost', { maxCostUsd: 0.3 }],
  ['a numeric score at least', { scores: [{ name: 'helpfulness', operator: '>=', value: 0.5 }] }],
  ['a numeric score below', { scores: [{ name: 'helpfulness', operator: '<', value: 0.5 }] }],
  ['a numeric score not equal', { scores: [{ name: 'helpfulness', operator: '!=', value: 0.5 }] }],
  ['a categorical score', { scores: [{ name: 'sentiment', operator: '=', value: 'negative' }] }],
  ['two score conditions', { scores: [{ name: 'helpfulness', operator: '>', value: 0.1 }, { name: 'toxicity', operator: '=', value: 0 }] }],
  ['string metadata', { metadata: [{ key: 'plan', value: 'pro' }] }],
  ['number metadata', { metadata: [{ key: 'seats', value: '3' }] }],
  ['boolean metadata', { metadata: [{ key: 'trial', value: 'false' }] }],
  ['fractional metadata', { metadata: [{ key: 'ratio', value: '0.25' }] }],
  ['a large number in metadata', { metadata: [{ key: 'big', value: '12345678901' }] }],
  ['a string holding JSON in metadata', { metadata: [{ key: 'looksLikeJson', value: '{"a":1}' }] }],
  ['a metadata key no trace has', { metadata: [{ key: 'absent', value: 'x' }] }],
  ['a model', { model: 'gpt-4o' }],
  ['a model no trace used', { model: 'no-such-model' }],
  ['everything at once', { userId: 'alice', tags: ['support'], environments: ['production'], level: 'WARNING', model: 'gpt-4o', minCostUsd: 0.4 }],
];

/** A record without the times of writing, which each engine stamps itself. */
function unstamped<T extends { createdAtMs: number; updatedAtMs: number }>(record: T): Omit<T, 'createdAtMs' | 'updatedAtMs'> {
  const { createdAtMs: _created, updatedAtMs: _updated, ...rest } = record;
  return rest;
}

function comparablePage(page: KeysetPage<TraceListRecord>) {
  return { ...page, data: page.data.map(unstamped) };
}

describe.skipIf(!postgresAvailable())('PostgreSQL trace and observation reads', () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  let sqlite: TraceStore;
  let traces: TraceReads;
  let observations: ObservationReads;

  beforeAll(async () => {
    server = await startPostgres();
    pool = await preparePostgresDatabase({ url: await server.createDatabase('trace_reads'), poolSize: 3 });
    const outcomes = await createBatchWriter(pool)(BATCHES);
    for (const outcome of outcomes) if (!outcome.ok) throw outcome.error;
    sqlite = openSqliteStore({ file: ':memory:' });
    for (const outcome of await sqlite.writeBatches(BATCHES)) if (!outcome.ok) throw outcome.error;
    traces = createTraceReads(pool, createSearch(pool));
    observations = createObservationReads(pool);
  }, 60_000);
  afterAll(async () => {
    await sqlite?.close();
    await pool?.end();
    await server?.stop();
  });

  describe.each(FILTERS)('listTraces filtered by %s', (_, filter) => {
    it.each(ORDERINGS)('gives every numbered page as SQLite does, ordered by $field $direction', async (orderBy) => {
      const query: TraceListQuery = { ...filter, page: 1, limit: 2, orderBy };
      const first = await sqlite.listTraces(PROJECT, query);
      for (let page = 1; page <= first.meta.totalPages + 1; page++) {
        const expected = await sqlite.listTraces(PROJECT, { ...query, page });
        expect(comparablePage(await traces.listTraces(PROJECT, { ...query, page }))).toEqual(comparablePage(expected));
      }
    });

    it.each(ORDERINGS)('walks the keyset pages as SQLite does, ordered by $field $direction', async (orderBy) => {
      let query: TraceListQuery = { ...filter, page: 1, limit: 2, orderBy };
      for (let pages = 0; pages < 20; pages++) {
        const expected = await sqlite.listTraces(PROJECT, query);
        const actual = await traces.listTraces(PROJECT, query);
        expect(comparablePage(actual)).toEqual(comparablePage(expected));
        if (expected.next === null) return;
        query = { ...query, after: expected.next };
      }
      throw new Error('more than 20 keyset pages');
    });
  });

  it('finds rows for every filter the comparison runs, but those meant to match nothing', async () => {
    const empty = ['a tag no trace has', 'a model no trace used', 'a metadata key no trace has'];
    for (const [name, filter] of FILTERS) {
      const page = await traces.listTraces(PROJECT, { ...filter, page: 1, limit: 100, orderBy: { field: 'timestamp', direction: 'desc' } });
      expect({ name, matches: page.meta.totalItems > 0 }).toEqual({ name, matches: !empty.includes(name) });
    }
    const all = await traces.listTraces(PROJECT, { page: 1, limit: 100, orderBy: { field: 'timestamp', direction: 'desc' } });
    expect(all.meta.totalItems).toBe(SPECS.length + 2);
  });

  it('leaves out of score conditions, and their counts, the traces not stored that have a matching score', async () => {
    const query: TraceListQuery = { scores: [{ name: 'helpfulness', operator: '>', value: 0.9 }], page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' } };
    const stored = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM scores WHERE trace_id = $1', [UNSTORED_TRACE_ID]);
    expect(stored.rows[0]!.n).toBe(1);
    const page = await traces.listTraces(PROJECT, query);
    expect(page.data).toEqual([]);
    expect(page.meta.totalItems).toBe(0);
    expect(comparablePage(page)).toEqual(comparablePage(await sqlite.listTraces(PROJECT, query)));
    expect(await traces.getTrace(PROJECT, UNSTORED_TRACE_ID)).toBeNull();
  });

  it('orders tied traces by id, in the direction asked, on every key', async () => {
    const tied = ['c1', '1c', '7e'].map((n) => traceIdOf(Number.parseInt(n, 16))).sort();
    for (const { field, direction } of ORDERINGS) {
      const page = await traces.listTraces(PROJECT, { tags: ['tied'], page: 1, limit: 10, orderBy: { field, direction } });
      expect(page.data.map((t) => t.id)).toEqual(direction === 'asc' ? tied : [...tied].reverse());
    }
  });

  it('orders names by their bytes, traces without a name first ascending', async () => {
    const page = await traces.listTraces(PROJECT, { fromTimeUnixNano: msToNs(T0 + 11 * MINUTE), toTimeUnixNano: msToNs(T0 + 15 * MINUTE), page: 1, limit: 10, orderBy: { field: 'name', direction: 'asc' } });
    expect(page.data.map((t) => t.name)).toEqual([null, 'Zeta', 'zeta', 'Émile']);
  });

  it('lists the scores of a row in id order, not name order', async () => {
    const page = await traces.listTraces(PROJECT, { name: 'Zeta', page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' } });
    expect(page.data[0]!.scores.map((s) => s.id)).toEqual(['a-id-first', 'z-id-after']);
  });

  it('lists a row with its observation ids in id order, its worst level and its scores', async () => {
    const page = await traces.listTraces(PROJECT, { level: 'WARNING', page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' } });
    expect(page.data).toHaveLength(1);
    const [row] = page.data;
    expect(row!.level).toBe('WARNING');
    expect(row!.observationIds).toEqual([...row!.observationIds].sort());
    expect(row!.observationIds).toHaveLength(2);
    expect(row!.scores.map((s) => s.name).sort()).toEqual(['helpfulness', 'sentiment']);
    const errors = await traces.listTraces(PROJECT, { level: 'ERROR', page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'asc' } });
    expect(errors.data.map((t) => t.level)).toEqual(errors.data.map(() => 'ERROR'));
  });

  it('reads every trace whole as SQLite does, and null for an unknown id or another project', async () => {
    const ids = [...SPECS.map((spec) => spec.id), traceIdOf(0xd1), traceIdOf(0xd2), traceIdOf(0xf1), 'no-such-trace'];
    for (const id of ids) {
      const expected = await sqlite.getTrace(PROJECT, id);
      const actual = await traces.getTrace(PROJECT, id);
      if (expected === null) {
        expect(actual).toBeNull();
        continue;
      }
      expect(actual).not.toBeNull();
      expect({
        ...unstamped(actual!),
        observations: actual!.observations,
        scores: actual!.scores.map(unstamped),
      }).toEqual({ ...unstamped(expected), observations: expected.observations, scores: expected.scores.map(unstamped) });
    }
    expect(await traces.getTrace(PROJECT, traceIdOf(0xf1))).toBeNull();
  });

  it('rejects a keyset position made for another ordering, or whose value does not fit it', async () => {
    const query: TraceListQuery = { page: 1, limit: 2, orderBy: { field: 'timestamp', direction: 'desc' } };
    const { next } = await traces.listTraces(PROJECT, query);
    await expect(traces.listTraces(PROJECT, { ...query, orderBy: { field: 'name', direction: 'desc' }, after: next! })).rejects.toBeInstanceOf(QueryRejectedError);
    await expect(traces.listTraces(PROJECT, { ...query, after: { ...next!, value: 'soon' } })).rejects.toBeInstanceOf(QueryRejectedError);
    await expect(traces.listTraces(PROJECT, { ...query, after: { ...next!, value: null } })).rejects.toBeInstanceOf(QueryRejectedError);
  });

  it('adds the search condition, awaited, to the other conditions; terms alone in time order take the search list', async () => {
    const calls: string[] = [];
    const search: TraceSearch = {
      async condition(terms, params) {
        calls.push('condition');
        return terms.map((term) => `t.name LIKE ${params.bind(`%${term}%`)}`).join(' AND ');
      },
      async list() {
        calls.push('list');
        return { found: [{ id: SPECS[1]!.id, sort_value: 1n }], hasMore: true, count: { totalItems: 10_001, lowerBound: true } };
      },
    };
    const withSearch = createTraceReads(pool, search);
    const page = await withSearch.listTraces(PROJECT, { searchTerms: ['support', 'query'], userId: 'alice', page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'asc' } });
    expect(page.data.map((t) => t.id)).toEqual([SPECS[0]!.id, SPECS[1]!.id]);
    expect(page.meta.totalItems).toBe(2);
    expect(calls).toEqual(['condition']);
    const byName = await withSearch.listTraces(PROJECT, { searchTerms: ['support'], page: 1, limit: 10, orderBy: { field: 'name', direction: 'asc' } });
    expect(byName.data.length).toBeGreaterThan(0);
    expect(calls).toEqual(['condition', 'condition']);
    const listed = await withSearch.listTraces(PROJECT, { searchTerms: ['anything'], page: 1, limit: 1, orderBy: { field: 'timestamp', direction: 'desc' } });
    expect(calls).toEqual(['condition', 'condition', 'list']);
    expect(listed.data.map((t) => t.id)).toEqual([SPECS[1]!.id]);
    expect(listed.totalItemsIsLowerBound).toBe(true);
    expect(listed.meta.totalItems).toBe(10_001);
    expect(listed.next).toEqual({ orderBy: 'timestamp.desc', value: '1', id: SPECS[1]!.id });
  });

  it('refuses a search term too broad before reading anything else', async () => {
    const refusing: TraceSearch = {
      condition: async () => { throw new QueryRejectedError('searchTerms', 'too broad'); },
      list: async () => { throw new QueryRejectedError('searchTerms', 'too broad'); },
    };
    const reads = createTraceReads(pool, refusing);
    await expect(reads.listTraces(PROJECT, { searchTerms: ['x'], userId: 'alice', page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' } })).rejects.toBeInstanceOf(QueryRejectedError);
  });

  it('counts the rows it lists while another collector writes, reading one snapshot', async () => {
    const concurrentPool = await preparePostgresDatabase({ url: await server.createDatabase('concurrent_reads'), poolSize: 2 });
    try {
      const write = createBatchWriter(concurrentPool);
      const reads = createTraceReads(concurrentPool, createSearch(concurrentPool));
      let writing = true;
      const writes = (async () => {
        for (let i = 0; i < 40; i++) {
          const spec: TraceSpec = { id: traceIdOf(0x10000 + i), name: 'busy', startMs: T0 + i * 1000, generations: [{ model: 'gpt-4o', costUsd: 0.01 }] };
          for (const outcome of await write([{ projectId: PROJECT, spans: traceSpans(spec) }])) if (!outcome.ok) throw outcome.error;
        }
        writing = false;
      })();
      let pages = 0;
      while (writing && pages < 500) {
        const page = await reads.listTraces(PROJECT, { page: 1, limit: 1000, orderBy: { field: 'timestamp', direction: 'desc' } });
        expect(page.data).toHaveLength(page.meta.totalItems);
        for (const row of page.data) expect(row.observationIds).toHaveLength(2);
        pages++;
      }
      await writes;
      expect(pages).toBeGreaterThan(0);
      expect((await reads.listTraces(PROJECT, { page: 1, limit: 1000, orderBy: { field: 'timestamp', direction: 'desc' } })).meta.totalItems).toBe(40);
    } finally {
      await concurrentPool.end();
    }
  });

  const OBSERVATION_FILTERS: Array<[string, Omit<ObservationListQuery, 'page' | 'limit'>]> = [
    ['no filter', {}],
    ['a trace', { traceId: SPECS[0]!.id }],
    ['a type', { type: 'GENERATION' }],
    ['a name', { name: 'generation-0' }],
    ['a user', { userId: 'alice' }],
    ['a level', { level: 'ERROR' }],
    ['a model', { model: 'gpt-4o' }],
    ['a parent', { parentObservationId: traceSpans(SPECS[0]!)[0]!.observation!.id }],
    ['environments', { environments: ['production', 'default'] }],
    ['a time range', { fromTimeUnixNano: msToNs(T0 + MINUTE), toTimeUnixNano: msToNs(T0 + 12 * MINUTE) }],
  ];

  it.each(OBSERVATION_FILTERS)('lists observations filtered by %s, every page as SQLite does', async (_, filter) => {
    const first = await sqlite.listObservations(PROJECT, { ...filter, page: 1, limit: 3 });
    expect(first.meta.totalItems).toBeGreaterThan(0);
    for (let page = 1; page <= first.meta.totalPages + 1; page++) {
      const query = { ...filter, page, limit: 3 };
      expect(await observations.listObservations(PROJECT, query)).toEqual(await sqlite.listObservations(PROJECT, query));
    }
  });

  it('reads each observation by id as SQLite does, the latest started of those sharing an id', async () => {
    const all = await sqlite.listObservations(PROJECT, { page: 1, limit: 1000 });
    for (const { id } of [...all.data, { id: 'no-such-observation' }]) {
      expect(await observations.getObservation(PROJECT, id)).toEqual(await sqlite.getObservation(PROJECT, id));
      expect(await observations.findObservationTraceId(PROJECT, id)).toBe(await sqlite.findObservationTraceId(PROJECT, id));
    }
    expect(await observations.findObservationTraceId(PROJECT, SHARED_SPAN_ID)).toBe(traceIdOf(0xd2));
    expect(await observations.findObservationTraceId(OTHER_PROJECT, SHARED_SPAN_ID)).toBeNull();
  });
});
