/**
 * Full-text search in the store contract (`searchTerms` of a trace list): in Chinese, Japanese,
 * Thai, Arabic, Cyrillic, Korean, German and English text, of the trace and of its observations.
 * Spaced scripts are searched by word start, case and diacritics folded (Arabic also behind
 * attached articles and without its optional vowel marks); scripts written without spaces by
 * substring, one or two characters too. A term with spaces is a phrase; every term must match.
 */
import { describe, expect, it } from 'vitest';
import { QueryRejectedError, type TraceListQuery, type TraceListRecord } from '../../collector/store/contract.js';
import { ENGINES } from './engines.js';
import { sharedStore, storePerTest } from './lifecycle.js';
import { latencyMs } from './trace-order.js';
import { QUERY_SYNTAX_TERMS, SEARCH_CONTRACT_TRACES, T0, WORDS_FOUND } from '../helpers/multilingual-traces.js';
import { batchOf, traceIdOf, traceSpans, writeSpans, writeTraces, type TraceSpec } from './trace-spans.js';

const PROJECT = 'search-project';

/** s0..s5 and three more: Thai, Korean, and a quoted phrase. */
const SPECS: TraceSpec[] = SEARCH_CONTRACT_TRACES.map((spec, n) => ({ id: traceIdOf(0x5e00 + n), ...spec }));
const IDS = SPECS.map((spec) => spec.id);
const label = (id: string) => `s${IDS.indexOf(id)}`;

describe.each(ENGINES)('full-text search ($name)', (engine) => {
  const store = sharedStore(engine, (opened) => writeTraces(opened, PROJECT, SPECS));
  const search = async (terms: string[], filter: Partial<TraceListQuery> = {}) => {
    const page = await store().listTraces(PROJECT, { page: 1, limit: 50, orderBy: { field: 'timestamp', direction: 'desc' }, searchTerms: terms, ...filter });
    return page.data.map((trace) => label(trace.id)).sort();
  };

  describe('finds words in any script', () => {
    it.each([
      ...WORDS_FOUND,
      ['รหัสผ่าน', ['s6'], 'a Thai word inside a sentence'],
      ['ตั้งค่า', ['s6'], 'a Thai word of the output'],
      ['รหั', ['s6'], 'three Thai characters'],
      ['비밀번호', ['s7'], 'the start of a Korean word'],
      ['oeffnen', [], 'not a spelling the text does not have'],
      ['offnen', ['s5'], 'Öffnen without its umlaut'],
    ])('%s: %s', async (term, expected) => {
      expect(await search([term])).toEqual(expected);
    });
  });

  describe('terms and phrases', () => {
    it('requires every term, anywhere in the trace', async () => {
      expect(await search(['reset', 'password'])).toEqual(['s3']);
      expect(await search(['password', 'Security'])).toEqual(['s3']);
      expect(await search(['Passwort', 'Einstellungen'])).toEqual(['s5']);
      expect(await search(['密码', 'パスワード'])).toEqual([]);
      expect(await search(['password', 'пароль'])).toEqual([]);
    });

    it('matches a term with spaces as a phrase, case aside', async () => {
      expect(await search(['reset my password'])).toEqual(['s3']);
      expect(await search(['RESET MY password'])).toEqual(['s3']);
      expect(await search(['reset my pass'])).toEqual(['s3']);
      expect(await search(['my reset password'])).toEqual([]);
    });

    it('searches spaced scripts by word start, not inside words', async () => {
      expect(await search(['word'])).toEqual([]);
      expect(await search(['ssword'])).toEqual([]);
      expect(await search(['ароль'])).toEqual([]);
    });

    it('finds nothing for text nobody wrote', async () => {
      expect(await search(['zebra'])).toEqual([]);
      expect(await search(['键盘'])).toEqual([]);
      expect(await search(['กขค'])).toEqual([]);
    });

    it('searches values, not JSON keys', async () => {
      expect(await search(['question'])).toEqual([]);
      expect(await search(['role'])).toEqual([]);
      expect(await search(['content'])).toEqual([]);
    });

    it('combines with the other filters', async () => {
      expect(await search(['pass'], { userId: 'en' })).toEqual(['s3']);
      expect(await search(['password'], { userId: 'zh' })).toEqual([]);
      expect(await search(['Passwort'], { model: 'gpt-4o-mini' })).toEqual(['s5']);
    });

    it('counts the matches, exactly', async () => {
      for (const terms of [['密码'], ['pass'], ['pass', 'reset'], ['zebra']]) {
        const page = await store().listTraces(PROJECT, { page: 1, limit: 1, orderBy: { field: 'timestamp', direction: 'desc' }, searchTerms: terms });
        expect(page.meta.totalItems).toBe((await search(terms)).length);
        expect(page.totalItemsIsLowerBound).toBe(false);
      }
    });
  });

  describe('terms full of query syntax are text', () => {
    it.each(QUERY_SYNTAX_TERMS)('%s is searched as the literal text', async (term) => {
      expect((await search([term])).length).toBeLessThanOrEqual(1);
      expect(await search(['password'])).toEqual(['s3']);
    });

    it('finds a term with a double quote inside it', async () => {
      expect(await search(['say "hello" twice'])).toEqual(['s8']);
      expect(await search(['"hello"'])).toEqual(['s8']);
      expect(await search(['say hello'])).toEqual(['s8']);
    });
  });
});

describe.each(ENGINES)('paging a search ($name)', (engine) => {
  /** Five traces with the same words, started in the order 3, 1, 4, 0, 2 minutes after T0 + 10 min, and one without them. */
  const MINUTES = [3, 1, 4, 0, 2];
  const ZEPHYR: TraceSpec[] = [
    ...MINUTES.map((minute) => ({
      id: traceIdOf(0x2e00 + minute),
      name: `zephyr-${minute}`,
      startMs: T0 + 60_000 * (10 + minute),
      durationMs: 1000 + 100 * ((minute * 3) % 5),
      input: 'the zephyr wind',
    })),
    { id: traceIdOf(0x2eff), name: 'calm', startMs: T0 + 60_000 * 12, input: 'no wind at all' },
  ];
  const store = sharedStore(engine, (opened) => writeTraces(opened, PROJECT, ZEPHYR));
  const query = (terms: string[], direction: 'asc' | 'desc', rest: Partial<TraceListQuery> = {}): TraceListQuery => ({
    page: 1,
    limit: 50,
    orderBy: { field: 'timestamp', direction },
    searchTerms: terms,
    ...rest,
  });
  const names = (rows: readonly TraceListRecord[]) => rows.map((trace) => trace.name);

  async function walk(first: TraceListQuery): Promise<TraceListRecord[]> {
    const rows: TraceListRecord[] = [];
    let page = await store().listTraces(PROJECT, first);
    rows.push(...page.data);
    for (let pages = 1; page.next !== null && pages < 10; pages++) {
      page = await store().listTraces(PROJECT, { ...first, after: page.next });
      rows.push(...page.data);
    }
    expect(page.next).toBeNull();
    return rows;
  }

  it('lists the matches newest first and oldest first, with their count', async () => {
    expect(names((await store().listTraces(PROJECT, query(['zephyr'], 'desc'))).data)).toEqual(['zephyr-4', 'zephyr-3', 'zephyr-2', 'zephyr-1', 'zephyr-0']);
    expect(names((await store().listTraces(PROJECT, query(['zephyr'], 'asc'))).data)).toEqual(['zephyr-0', 'zephyr-1', 'zephyr-2', 'zephyr-3', 'zephyr-4']);
    const page = await store().listTraces(PROJECT, query(['zephyr'], 'desc', { limit: 2 }));
    expect(page.meta).toEqual({ page: 1, limit: 2, totalItems: 5, totalPages: 3 });
    expect(page.totalItemsIsLowerBound).toBe(false);
  });

  it.each(['desc', 'asc'] as const)('walks the matches by keyset position and by page number in the same order (%s)', async (direction) => {
    for (const terms of [['zephyr'], ['zephyr', 'wind'], ['wind']]) {
      const whole = names((await store().listTraces(PROJECT, query(terms, direction))).data);
      expect(whole).toHaveLength(terms.includes('zephyr') ? 5 : 6);
      for (const limit of [1, 2, 3]) expect(names(await walk(query(terms, direction, { limit })))).toEqual(whole);
      const paged = [];
      for (let page = 1; page <= 3; page++) paged.push(...names((await store().listTraces(PROJECT, query(terms, direction, { limit: 2, page }))).data));
      expect(paged).toEqual(whole);
    }
  });

  it('orders matches as the list without terms does when another filter or ordering is added', async () => {
    const alone = names((await store().listTraces(PROJECT, query(['zephyr'], 'desc'))).data);
    expect(names((await store().listTraces(PROJECT, query(['zephyr'], 'desc', { environments: ['default'] }))).data)).toEqual(alone);
    const byLatency = await store().listTraces(PROJECT, query(['zephyr'], 'desc', { orderBy: { field: 'latency', direction: 'asc' } }));
    const latencies = byLatency.data.map(latencyMs);
    expect(latencies).toEqual([...latencies].sort((a, b) => a - b));
    expect(byLatency.meta.totalItems).toBe(5);
    expect(names(await walk(query(['zephyr'], 'desc', { orderBy: { field: 'name', direction: 'desc' }, limit: 2 })))).toEqual([
      'zephyr-4',
      'zephyr-3',
      'zephyr-2',
      'zephyr-1',
      'zephyr-0',
    ]);
  });
});

describe.each(ENGINES)('search as traces change ($name)', (engine) => {
  const store = storePerTest(engine);
  const found = async (term: string) =>
    (await store().listTraces(PROJECT, { page: 1, limit: 50, orderBy: { field: 'timestamp', direction: 'desc' }, searchTerms: [term] })).data
      .map((trace) => trace.id)
      .sort();

  it('finds text that arrives with a later span of the same trace, and the trace once', async () => {
    const [root, child] = traceSpans({ id: IDS[0]!, name: 'late-root', startMs: T0, input: 'зимняя резина', generations: [{ model: 'gpt-4o', input: 'шины' }] });
    await writeSpans(store(), PROJECT, [child!]);
    expect(await found('шины')).toEqual([IDS[0]]);
    expect(await found('резина')).toEqual([]);
    await writeSpans(store(), PROJECT, [root!]);
    expect(await found('резина')).toEqual([IDS[0]]);
    expect(await found('late-root')).toEqual([IDS[0]]);
    expect(await found('шины')).toEqual([IDS[0]]);
    const both = await store().listTraces(PROJECT, { page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' }, searchTerms: ['шины', 'резина'] });
    expect(both.data.map((trace) => trace.id)).toEqual([IDS[0]]);
    expect(both.meta.totalItems).toBe(1);
  });

  it('finds the words of a trace carried by two batches committed together', async () => {
    const [root, child] = traceSpans({ id: IDS[0]!, name: 'split', startMs: T0, input: 'marmalade', generations: [{ model: 'gpt-4o', input: 'porridge' }] });
    const other = traceSpans({ id: IDS[1]!, name: 'other', startMs: T0 - 1000, input: 'crumpet' });
    expect(await store().writeBatches([{ projectId: PROJECT, spans: [child!, ...other] }, { projectId: PROJECT, spans: [root!] }])).toEqual([{ ok: true }, { ok: true }]);
    expect(await found('marmalade')).toEqual([IDS[0]]);
    expect(await found('porridge')).toEqual([IDS[0]]);
    expect(await found('crumpet')).toEqual([IDS[1]]);
  });

  it('finds each of several traces that start in the same millisecond by its own words, also after one is deleted', async () => {
    const words = ['alpha', 'bravo', 'charlie', 'delta'];
    const ids = words.map((_, i) => traceIdOf(0x3000 + i));
    await store().writeBatches([batchOf(PROJECT, words.map((word, i) => ({ id: ids[i]!, name: `run-${word}`, startMs: T0 + 123, input: `question about ${word}` })))]);
    for (const [i, word] of words.entries()) expect(await found(word)).toEqual([ids[i]]);
    expect(await found('question')).toEqual([...ids].sort());
    expect(await store().deleteTrace(PROJECT, ids[0]!)).toBe(true);
    expect(await found('alpha')).toEqual([]);
    for (const [i, word] of words.entries()) if (i > 0) expect(await found(word)).toEqual([ids[i]]);
  });

  it('no longer finds a deleted trace by any of its words', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    expect(await store().deleteTrace(PROJECT, IDS[0]!)).toBe(true);
    expect(await found('密码')).toEqual([]);
    expect(await found('客服')).toEqual([]);
    expect(await found('password')).toEqual([IDS[3]]);
  });

  it('refuses a one-character term that starts too many different trigrams, naming searchTerms', async () => {
    const pairs = Array.from({ length: 2100 }, (_, i) => `龘${String.fromCodePoint(0x4e00 + i)}`);
    const noise = [0, 1, 2].map((part) => pairs.slice(part * 700, (part + 1) * 700).join(' '));
    await writeTraces(store(), PROJECT, [{ id: traceIdOf(0x4000), name: 'noise', startMs: T0, input: noise }]);
    const error = await store()
      .listTraces(PROJECT, { page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'desc' }, searchTerms: ['龘'] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryRejectedError);
    expect(error).toMatchObject({ field: 'searchTerms' });
    expect(await found('龘一')).toEqual([traceIdOf(0x4000)]);
  });
});
