/**
 * Full-text search (`q`) over traces sent over OTLP, in Chinese, Japanese, Arabic, Cyrillic and
 * English: words by their start in spaced scripts, substrings in Chinese and Japanese (terms of
 * one or two characters too), Arabic words behind attached articles, case and diacritics
 * ignored, phrases, text only an observation holds, and queries full of FTS and SQL syntax.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody, type TestCollector } from '../helpers/collector.js';
import { exportSpans, otlpExporter } from '../helpers/otel-sdk.js';
import { collectorWithTraces, recordTraces, sendTraces } from './trace-builder.js';
import { MULTILINGUAL_TRACES, QUERY_SYNTAX_TERMS, T0, WORDS_FOUND } from '../helpers/multilingual-traces.js';


let collector: TestCollector;
let ids: string[];
const label = (id: string) => `s${ids.indexOf(id)}`;

async function search(q: string, extra = ''): Promise<string[]> {
  const body = await collector.getJson(`/api/public/traces?q=${encodeURIComponent(q)}${extra}`);
  return body.data.map((trace: any) => label(trace.id)).sort();
}

beforeAll(async () => {
  ({ collector, ids } = await collectorWithTraces(MULTILINGUAL_TRACES));
});
afterAll(() => collector.close());

describe('finds words in any script', () => {
  it.each(WORDS_FOUND)('%s: %s', async (q, expected) => {
    expect(await search(q)).toEqual(expected);
  });
});

describe('terms and phrases', () => {
  it('requires every word, anywhere in the trace', async () => {
    expect(await search('reset password')).toEqual(['s3']);
    expect(await search('password Security')).toEqual(['s3']);
    expect(await search('password пароль')).toEqual([]);
  });

  it('matches a quoted phrase as written, case aside', async () => {
    expect(await search('"reset my password"')).toEqual(['s3']);
    expect(await search('"RESET MY password"')).toEqual(['s3']);
    expect(await search('"my reset password"')).toEqual([]);
  });

  it('searches spaced scripts by word start, not inside words', async () => {
    expect(await search('word')).toEqual([]);
    expect(await search('ssword')).toEqual([]);
  });

  it('finds nothing for text nobody wrote', async () => {
    expect(await search('zebra')).toEqual([]);
    expect(await search('键盘')).toEqual([]);
  });

  it('does not search JSON keys, only the values', async () => {
    expect(await search('question')).toEqual([]);
    expect(await search('role')).toEqual([]);
  });

  it('combines with the other filters', async () => {
    expect(await search('password', '&userId=en')).toEqual(['s3']);
    expect(await search('password', '&userId=zh')).toEqual([]);
  });

  it('counts the matches in meta', async () => {
    const body = await collector.getJson(`/api/public/traces?q=${encodeURIComponent('密码')}`);
    expect(body.meta.totalItems).toBe(1);
  });
});

describe('queries full of syntax are text', () => {
  it.each(QUERY_SYNTAX_TERMS)('%s answers 200 and searches the literal text', async (q) => {
    const response = await fetch(`${collector.url}/api/public/traces?q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(200);
    const body = await jsonBody(response);
    expect(body.data.length).toBeLessThanOrEqual(1);
  });

  it('still finds everything afterwards', async () => {
    expect(await search('password')).toEqual(['s3']);
  });

  it('finds a term with a double quote inside it', async () => {
    const [id] = await sendTraces(collector.tracesEndpoint, [{ name: 'quoted', startMs: T0 + 9000, input: 'say "hello" twice' }]);
    ids.push(id!);
    expect(await search('say "hello" twice')).toEqual([label(id!)]);
    expect(await search('"say hello"')).toEqual([label(id!)]);
  });
});

describe('paging a search', () => {
  let matching: string[];
  beforeAll(async () => {
    matching = await sendTraces(
      collector.tracesEndpoint,
      [3, 1, 4, 0, 2].map((minute) => ({ name: `zephyr-${minute}`, startMs: T0 + 60_000 * (10 + minute), input: 'the zephyr wind' })),
    );
    ids.push(...matching);
  });

  it('lists matches newest first, and oldest first, with their count', async () => {
    const byName = async (query: string) => (await collector.getJson(`/api/public/traces?q=zephyr${query}`)).data.map((t: any) => t.name);
    expect(await byName('')).toEqual(['zephyr-4', 'zephyr-3', 'zephyr-2', 'zephyr-1', 'zephyr-0']);
    expect(await byName('&orderBy=timestamp.asc')).toEqual(['zephyr-0', 'zephyr-1', 'zephyr-2', 'zephyr-3', 'zephyr-4']);
    const body = await collector.getJson('/api/public/traces?q=zephyr&limit=2');
    expect(body.meta).toMatchObject({ totalItems: 5, totalPages: 3, totalItemsIsLowerBound: false });
  });

  it.each(['desc', 'asc'])('walks the matches by cursor and by page in the same order (%s)', async (direction) => {
    const names = async (query: string) => collector.getJson(`/api/public/traces?q=zephyr&orderBy=timestamp.${direction}&limit=2${query}`);
    const whole = (await collector.getJson(`/api/public/traces?q=zephyr&orderBy=timestamp.${direction}`)).data.map((t: any) => t.name);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const body: any = await names(cursor === null ? '' : `&cursor=${cursor}`);
      walked.push(...body.data.map((t: any) => t.name));
      cursor = body.meta.nextCursor;
    } while (cursor !== null && walked.length <= 5);
    expect(walked).toEqual(whole);
    const paged = [...(await names('&page=1')).data, ...(await names('&page=2')).data, ...(await names('&page=3')).data];
    expect(paged.map((t: any) => t.name)).toEqual(whole);
  });

  it('pages several terms by cursor as one page', async () => {
    const whole = (await collector.getJson('/api/public/traces?q=zephyr+wind')).data.map((t: any) => t.name);
    expect(whole).toEqual(['zephyr-4', 'zephyr-3', 'zephyr-2', 'zephyr-1', 'zephyr-0']);
    const first = await collector.getJson('/api/public/traces?q=zephyr+wind&limit=3');
    const second = await collector.getJson(`/api/public/traces?q=zephyr+wind&limit=3&cursor=${first.meta.nextCursor}`);
    expect([...first.data, ...second.data].map((t: any) => t.name)).toEqual(whole);
    expect(second.meta).toMatchObject({ totalItems: 5, nextCursor: null, totalItemsIsLowerBound: false });
  });

  it('orders matches as the general path does when another filter is added', async () => {
    const alone = (await collector.getJson('/api/public/traces?q=zephyr')).data.map((t: any) => t.id);
    const filtered = (await collector.getJson('/api/public/traces?q=zephyr&environment=default')).data.map((t: any) => t.id);
    expect(filtered).toEqual(alone);
    expect(alone).toEqual([4, 3, 2, 1, 0].map((minute) => matching[[3, 1, 4, 0, 2].indexOf(minute)]));
  });
});

describe('as traces change', () => {
  it('finds text that arrives with a later span of the same trace', async () => {
    const { spans, traceIds } = await recordTraces([
      { name: 'late-root', startMs: T0 + 20_000, input: 'зимняя резина', generations: [{ model: 'gpt-4o', input: 'шины' }] },
    ]);
    ids.push(traceIds[0]!);
    const root = spans.find((span) => span.parentSpanContext === undefined)!;
    const child = spans.filter((span) => span !== root);
    await exportSpans(otlpExporter('json', collector.tracesEndpoint), child);
    expect(await search('шины')).toEqual([label(traceIds[0]!)]);
    expect(await search('резина')).toEqual([]);
    await exportSpans(otlpExporter('json', collector.tracesEndpoint), [root]);
    expect(await search('резина')).toEqual([label(traceIds[0]!)]);
    expect(await search('late-root')).toEqual([label(traceIds[0]!)]);
    expect(await search('шины резина')).toEqual([label(traceIds[0]!)]);
  });

  it('no longer finds a deleted trace', async () => {
    await fetch(`${collector.url}/api/public/traces/${ids[0]}`, { method: 'DELETE' });
    expect(await search('密码')).toEqual([]);
  });

  it('refuses a one-character term that starts too many different trigrams, naming q', async () => {
    const pairs = Array.from({ length: 2100 }, (_, i) => `龘${String.fromCodePoint(0x4e00 + i)}`);
    const noise = [0, 1, 2].map((part) => pairs.slice(part * 700, (part + 1) * 700).join(' '));
    await sendTraces(collector.tracesEndpoint, [{ name: 'noise', startMs: T0 + 30_000, input: noise }]);
    const response = await fetch(`${collector.url}/api/public/traces?q=${encodeURIComponent('龘')}`);
    expect(response.status).toBe(400);
    expect((await jsonBody(response)).message).toBe(
      'q: "龘" is too short to search: it starts more than 2000 different trigrams; add a character',
    );
  });
});
