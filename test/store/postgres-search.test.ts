/**
 * Full-text search on PostgreSQL (store/postgres/search/) finds what the SQLite store finds: the
 * same spans are written into both (SQLite in memory, PostgreSQL through its batch writer), and
 * every term of the multilingual fixture, of the search contract and full of query syntax gives
 * the same traces on both, in the same order, with the same counts and refusals.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MappedSpan } from '../../collector/model.js';
import { QueryRejectedError, type TraceListQuery, type TraceStore } from '../../collector/store/contract.js';
import { createSearch, sqlParameters, type TraceSearch } from '../../collector/store/postgres/search/search.js';
import { preparePostgresDatabase } from '../../collector/store/postgres/prepare.js';
import { createBatchWriter, type WriteBatches } from '../../collector/store/postgres/write/batch-writer.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { QUERY_SYNTAX_TERMS, SEARCH_CONTRACT_TRACES, T0, WORDS_FOUND } from '../helpers/multilingual-traces.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { batchOf, traceIdOf, traceSpans, type TraceSpec } from './trace-spans.js';

const PROJECT = 'search-project';
const OTHER_PROJECT = 'other-project';

/** The search contract's traces (test/store/search.contract.test.ts): s0..s5, then Thai, Korean, a quoted phrase, and letters folded or kept. */
const SPECS: TraceSpec[] = [
  ...SEARCH_CONTRACT_TRACES,
  { name: 'ёлка', startMs: T0 + 9000, input: 'йод, άλφα, İstanbul, Łódź, straße, Ｆｕｌｌ ｗｉｄｔｈ, नमस्ते', output: 'resume\u0301 ﬁne' },
].map((spec, n) => ({ id: traceIdOf(0x5e00 + n), ...spec }));
const IDS = SPECS.map((spec) => spec.id);
const label = (id: string) => `s${IDS.indexOf(id)}`;

/** Five traces with the same words, three of them started in the same millisecond, and one without them. */
const ZEPHYR: TraceSpec[] = [
  ...[3, 1, 4, 0, 2].map((minute) => ({ id: traceIdOf(0x2e00 + minute), name: `zephyr-${minute}`, startMs: T0 + 60_000 * (10 + minute), input: 'the zephyr wind' })),
  ...[0, 1, 2].map((n) => ({ id: traceIdOf(0x2e10 + n), name: `zephyr-same-${n}`, startMs: T0 + 60_000 * 20, input: 'zephyr at once' })),
  { id: traceIdOf(0x2eff), name: 'calm', startMs: T0 + 60_000 * 12, input: 'no wind at all' },
];

/** 2,100 different characters after 龘 in another project: a term of 龘 alone starts too many trigrams (counted over every project). */
const NOISE: TraceSpec = {
  id: traceIdOf(0x4000),
  name: 'noise',
  startMs: T0,
  input: [0, 1, 2].map((part) => Array.from({ length: 700 }, (_, i) => `龘${String.fromCodePoint(0x4e00 + part * 700 + i)}`).join(' ')),
};

/**
 * A run of 鬯 (its trigrams overlap: 鬯鬯鬯, 鬯鬯 and 鬯 followed by the next line) and `pairs`
 * more trigrams of 鬯: 3 + pairs trigrams start with 鬯.
 */
const overlapping = (n: number, pairs: number): TraceSpec => ({
  id: traceIdOf(0x4100 + n),
  name: `overlap-${n}`,
  startMs: T0,
  // Strings of at most 500 pairs: a longer one would be cut at MAX_STRING_CHARS.
  input: ['鬯鬯鬯', ...[0, 500, 1000, 1500].map((from) => Array.from({ length: Math.max(0, Math.min(500, pairs - from)) }, (_, i) => `鬯${String.fromCodePoint(0x4e00 + from + i)}`).join(' '))],
});

/** Every term the search contract tries alone, and more phrases, prefixes and misses. */
const TERMS: string[] = [
  ...WORDS_FOUND.map(([term]) => term),
  ...['รหัสผ่าน', 'ตั้งค่า', 'รหั', '비밀번호', 'oeffnen', 'offnen', 'reset', 'Security', 'Einstellungen', 'zebra', '键盘', 'กขค'],
  ...['reset my password', 'RESET MY password', 'reset my pass', 'my reset password', 'word', 'ssword', 'ароль', 'question', 'role', 'content'],
  ...['say "hello" twice', '"hello"', 'say hello', 'Café', 'CAFÉ', 'e', 'p', 'Enjoy your', 'settings then', '密', '请打开', '設定', 'に', 'ال', 'و'],
  ...['龘一', '龘丁', '一', 'support-chat', 'agent', 'llm answer', 'answer', 'сбросить»', '«Сбросить»', 'ссылка'],
  // Two characters across the edge of a no-space run, and a '#' such as marks the short-substring lexemes.
  ...['码？', '，然', '？', 'ス', '#码', '#', 'tは'],
  ...['ёлка', 'елка', 'йод', 'иод', 'άλφα', 'αλφα', 'istanbul', 'İSTANBUL', 'lodz', 'łódź', 'strasse', 'straße', 'ｆｕｌｌ', 'full', 'नमस', 'नमस्ते', 'resume', 'résumé', 'fine', 'ﬁne'],
  ...QUERY_SYNTAX_TERMS,
  // tsquery, LIKE and regular expression syntax, which PostgreSQL must read as text too.
  ...['pass:*', '!password', 'password & reset', 'reset <-> password', 'password | zebra', "'", "o'clock", 'x:AB', '%', '_', '密%', '码_', '%码', '码\\', '密.', '密(', '[码]', '码*', '码?', '(?i)码'],
];

const TERM_SETS: string[][] = [
  ['reset', 'password'],
  ['password', 'Security'],
  ['Passwort', 'Einstellungen'],
  ['密码', 'パスワード'],
  ['password', 'пароль'],
  ['pass', 'llm-answer'],
  ['重置', '客服'],
  ['zephyr', 'wind'],
  ['wind'],
];

describe.skipIf(!postgresAvailable())('full-text search on PostgreSQL, against the SQLite store', () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  let write: WriteBatches;
  let search: TraceSearch;
  const sqlite: TraceStore = openSqliteStore({ file: ':memory:' });

  async function writeBoth(projectId: string, spans: readonly MappedSpan[]): Promise<void> {
    const batches = [{ projectId, spans: [...spans] }];
    for (const outcome of [...(await sqlite.writeBatches(batches)), ...(await write(batches))]) {
      if (!outcome.ok) throw outcome.error;
    }
  }

  beforeAll(async () => {
    server = await startPostgres();
    pool = await preparePostgresDatabase({ url: await server.createDatabase('search'), poolSize: 2 });
    write = createBatchWriter(pool);
    search = createSearch(pool);
    await writeBoth(PROJECT, batchOf(PROJECT, [...SPECS, ...ZEPHYR]).spans);
    await writeBoth(OTHER_PROJECT, traceSpans(NOISE));
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
    await sqlite.close();
  });

  const query = (terms: readonly string[], direction: 'asc' | 'desc' = 'desc', rest: Partial<TraceListQuery> = {}): TraceListQuery => ({
    page: 1,
    limit: 50,
    orderBy: { field: 'timestamp', direction },
    searchTerms: [...terms],
    ...rest,
  });

  /** The page SQLite's store lists: ids in order, the count, and the next position. */
  async function sqlitePage(projectId: string, listQuery: TraceListQuery) {
    const page = await sqlite.listTraces(projectId, listQuery);
    return { ids: page.data.map((trace) => trace.id), totalItems: page.meta.totalItems, lowerBound: page.totalItemsIsLowerBound, next: page.next };
  }

  async function postgresPage(projectId: string, listQuery: TraceListQuery) {
    const page = await search.list(projectId, listQuery, listQuery.searchTerms!);
    const last = page.found.at(-1);
    const orderBy = `timestamp.${listQuery.orderBy.direction}`;
    return {
      ids: page.found.map((row) => row.id),
      totalItems: page.count.totalItems,
      lowerBound: page.count.lowerBound,
      next: page.hasMore && last ? { orderBy, value: last.sort_value.toString(), id: last.id } : null,
    };
  }

  /** The traces of the project matching every term, through the condition a trace list adds. */
  async function byCondition(projectId: string, terms: readonly string[]): Promise<string[]> {
    const params = sqlParameters();
    const sql = `SELECT t.id FROM traces t WHERE t.project_id = ${params.bind(projectId)} AND ${await search.condition(terms, params)} ORDER BY t.id`;
    return (await pool.query<{ id: string }>(sql, params.values)).rows.map((row) => row.id);
  }

  it.each(WORDS_FOUND)('finds %s in the traces the fixture names (%s)', async (term, expected) => {
    expect((await postgresPage(PROJECT, query([term]))).ids.map(label).sort()).toEqual(expected);
  });

  it('finds for every term the traces SQLite finds, in its order, with its count', async () => {
    for (const term of TERMS) {
      const listQuery = query([term]);
      const expected = await sqlitePage(PROJECT, listQuery);
      expect({ term, ...(await postgresPage(PROJECT, listQuery)) }).toEqual({ term, ...expected });
      expect({ term, ids: await byCondition(PROJECT, [term]) }).toEqual({ term, ids: [...expected.ids].sort() });
    }
  });

  it('folds case and the diacritics of Latin letters only, as SQLite does', async () => {
    const found = async (term: string) => (await postgresPage(PROJECT, query([term]))).ids.map(label);
    for (const term of ['ёлка', 'йод', 'άλφα', 'istanbul', 'İSTANBUL', 'łodz', 'straße', 'ｆｕｌｌ', 'resume', 'résumé', 'नमस']) {
      expect({ term, found: await found(term) }).toEqual({ term, found: ['s9'] });
    }
    for (const term of ['елка', 'иод', 'αλφα', 'lodz', 'strasse', 'full', 'fine']) {
      expect({ term, found: await found(term) }).toEqual({ term, found: [] });
    }
  });

  it('requires every term of a list, anywhere in the trace, as SQLite does', async () => {
    for (const terms of TERM_SETS) {
      const expected = await sqlitePage(PROJECT, query(terms));
      expect({ terms, ...(await postgresPage(PROJECT, query(terms))) }).toEqual({ terms, ...expected });
      expect({ terms, ids: await byCondition(PROJECT, terms) }).toEqual({ terms, ids: [...expected.ids].sort() });
    }
    expect((await postgresPage(PROJECT, query(['reset', 'password']))).ids.map(label)).toEqual(['s3']);
  });

  it('walks the matches by keyset position and by page number in SQLite order, newest and oldest first', async () => {
    for (const direction of ['desc', 'asc'] as const) {
      for (const terms of [['zephyr'], ['zephyr', 'wind'], ['wind'], ['pass']]) {
        for (const limit of [1, 2, 3]) {
          let sqliteQuery = query(terms, direction, { limit });
          let postgresQuery = sqliteQuery;
          for (let page = 1; page <= 12; page++) {
            const expected = await sqlitePage(PROJECT, sqliteQuery);
            const found = await postgresPage(PROJECT, postgresQuery);
            expect({ terms, direction, limit, page, ...found }).toEqual({ terms, direction, limit, page, ...expected });
            if (expected.next === null) break;
            sqliteQuery = { ...sqliteQuery, after: expected.next };
            postgresQuery = { ...postgresQuery, after: found.next! };
          }
          for (let page = 1; page <= 10; page++) {
            const numbered = query(terms, direction, { limit, page });
            expect({ page, ...(await postgresPage(PROJECT, numbered)) }).toEqual({ page, ...(await sqlitePage(PROJECT, numbered)) });
          }
        }
      }
    }
  });

  it("finds nothing of another project's traces", async () => {
    expect((await postgresPage(OTHER_PROJECT, query(['password']))).ids).toEqual([]);
    expect((await postgresPage(PROJECT, query(['龘一']))).ids).toEqual([]);
    expect((await postgresPage(OTHER_PROJECT, query(['龘一']))).ids).toEqual([NOISE.id]);
  });

  it('refuses a one-character term that starts too many different trigrams, naming searchTerms, as SQLite does', async () => {
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);
    for (const error of [await refusal(sqlitePage(PROJECT, query(['龘']))), await refusal(search.list(PROJECT, query(['龘']), ['龘']))]) {
      expect(error).toBeInstanceOf(QueryRejectedError);
      expect(error).toMatchObject({ field: 'searchTerms' });
    }
    await expect(byCondition(PROJECT, ['password', '龘'])).rejects.toBeInstanceOf(QueryRejectedError);
  });

  it('counts the overlapping trigrams of a run of one character as SQLite does: 1,999 searched, then over 2,000 refused', async () => {
    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);
    const project = 'overlap-project';
    await writeBoth(project, traceSpans(overlapping(1, 1996)));
    expect((await postgresPage(project, query(['鬯']))).ids).toEqual([overlapping(1, 0).id]);
    for (const term of ['鬯', '鬯鬯', '鬯鬯鬯', '鬯一', '一 鬯']) {
      expect({ term, ...(await postgresPage(project, query([term]))) }).toEqual({ term, ...(await sqlitePage(project, query([term]))) });
    }
    await writeBoth(project, traceSpans(overlapping(0, 1998)));
    const errors = [await refusal(sqlitePage(project, query(["鬯"]))), await refusal(search.list(project, query(["鬯"]), ["鬯"]))];
    for (const error of errors) {
      expect(error).toBeInstanceOf(QueryRejectedError);
    }
  });

  it('above 10,000 matching traces counts a lower bound, and pages and narrows as SQLite does', async () => {
    const project = 'many-project';
    const specs: TraceSpec[] = Array.from({ length: 10_010 }, (_, n) => ({
      id: traceIdOf(0x70000 + n),
      name: `many-${n}`,
      startMs: T0 + 1000 * n,
      input: n % 2000 === 7 ? 'alpha beta gamma' : 'alpha beta',
    }));
    for (let from = 0; from < specs.length; from += 1000) await writeBoth(project, specs.slice(from, from + 1000).flatMap(traceSpans));
    // As the server's autovacuum would: the planner's estimates choose how each term is counted.
    await pool.query('ANALYZE search_docs');

    for (const terms of [['alpha'], ['alpha', 'gamma'], ['gamma', 'beta', 'alpha']]) {
      for (const page of [1, 3]) {
        const listQuery = query(terms, 'desc', { page });
        expect({ terms, page, ...(await postgresPage(project, listQuery)) }).toEqual({ terms, page, ...(await sqlitePage(project, listQuery)) });
      }
    }
    expect((await postgresPage(project, query(['alpha']))).totalItems).toBe(10_001);
    expect((await postgresPage(project, query(['alpha', 'gamma']))).ids).toHaveLength(6);

    // Every term common: SQLite's pages, and a count that says it is a lower bound past the page.
    for (const page of [1, 2, 3]) {
      const listQuery = query(['beta', 'alpha'], 'asc', { limit: 40, page });
      const [expected, found] = [await sqlitePage(project, listQuery), await postgresPage(project, listQuery)];
      expect({ page, ids: found.ids, lowerBound: found.lowerBound, next: found.next }).toEqual({ page, ids: expected.ids, lowerBound: true, next: expected.next });
      expect(found.totalItems).toBeGreaterThan(40 * page);
    }
    let sqliteQuery = query(['alpha', 'beta'], 'desc', { limit: 30 });
    let postgresQuery = sqliteQuery;
    for (let page = 1; page <= 3; page++) {
      const [expected, found] = [await sqlitePage(project, sqliteQuery), await postgresPage(project, postgresQuery)];
      expect({ page, ids: found.ids, next: found.next }).toEqual({ page, ids: expected.ids, next: expected.next });
      sqliteQuery = { ...sqliteQuery, after: expected.next! };
      postgresQuery = { ...postgresQuery, after: found.next! };
    }
  });

  it('finds text that arrives with a later span of the same trace, as SQLite does', async () => {
    const id = traceIdOf(0x6000);
    const [root, child] = traceSpans({ id, name: 'late-root', startMs: T0 + 90_000, input: 'зимняя резина', generations: [{ model: 'gpt-4o', input: 'шины' }] });
    await writeBoth(PROJECT, [child!]);
    expect(await byCondition(PROJECT, ['шины'])).toEqual([id]);
    expect(await byCondition(PROJECT, ['резина'])).toEqual([]);
    await writeBoth(PROJECT, [root!]);
    for (const terms of [['резина'], ['late-root'], ['шины', 'резина']]) {
      expect(await byCondition(PROJECT, terms)).toEqual([id]);
      expect((await postgresPage(PROJECT, query(terms))).ids).toEqual((await sqlitePage(PROJECT, query(terms))).ids);
    }
  });
});
