/**
 * GET /api/public/traces: every filter, operator, ordering and paging edge, against traces sent
 * over OTLP by the real exporter to a real collector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody, type TestCollector } from '../helpers/collector.js';
import { LISTED_TRACES, MINUTE, T0 } from '../helpers/listed-traces.js';
import { collectorWithTraces, sendTraces } from './trace-builder.js';

const iso = (ms: number) => new Date(ms).toISOString();


let collector: TestCollector;
let ids: string[];
/** Trace id -> its index in LISTED_TRACES, to assert as t0..t5. */
const label = (id: string) => `t${ids.indexOf(id)}`;

async function list(query: string): Promise<{ labels: string[]; body: any }> {
  const body = await collector.getJson(`/api/public/traces?${query}`);
  return { labels: body.data.map((trace: any) => label(trace.id)), body };
}

async function labels(query: string): Promise<string[]> {
  return (await list(query)).labels;
}

async function badRequest(query: string): Promise<string> {
  const response = await fetch(`${collector.url}/api/public/traces?${query}`);
  const body = await jsonBody(response);
  expect(response.status, JSON.stringify(body)).toBe(400);
  expect(body.error).toBe('invalid_parameter');
  return body.message;
}

beforeAll(async () => {
  ({ collector, ids } = await collectorWithTraces(LISTED_TRACES));
});
afterAll(() => collector.close());

describe('filters', () => {
  it('lists every trace newest first by default', async () => {
    expect(await labels('')).toEqual(['t5', 't4', 't3', 't2', 't1', 't0']);
  });

  it.each([
    ['userId=alice', ['t1', 't0']],
    ['sessionId=s1', ['t1', 't0']],
    ['name=summarize', ['t3', 't2']],
    ['tags=support&tags=production', ['t0']],
    ['tags=support,production', ['t0']],
    ['tags=batch', ['t3', 't2']],
    ['environment=staging', ['t2']],
    ['environment=staging,production', ['t3', 't2', 't1', 't0']],
    ['release=r2', ['t1']],
    ['version=v9', ['t4']],
    [`fromTimestamp=${iso(T0 + 2 * MINUTE)}`, ['t5', 't4', 't3', 't2']],
    [`toTimestamp=${iso(T0 + 2 * MINUTE)}`, ['t1', 't0']],
    [`fromTimestamp=${iso(T0 + MINUTE)}&toTimestamp=${iso(T0 + 3 * MINUTE)}`, ['t2', 't1']],
    ['level=ERROR', ['t3', 't2']],
    ['level=WARNING', ['t1']],
    ['minLatencyMs=1000&maxLatencyMs=3000', ['t1', 't0']],
    ['minLatencyMs=5000', ['t3']],
    ['maxLatencyMs=200', ['t5', 't4']],
    ['minCost=0.1', ['t3', 't2', 't1']],
    ['maxCost=0.1', ['t2', 't0']],
    ['minCost=0.05&maxCost=0.6', ['t2', 't1']],
    ['model=gpt-4o', ['t3', 't1']],
    ['model=claude-3-5-sonnet', ['t2']],
    ['metadata=plan=pro', ['t0']],
    ['metadata=seats=3', ['t0']],
    ['metadata=trial=false', ['t0']],
    ['metadata=plan=free', ['t3']],
    ['metadata=plan=pro&metadata=seats=4', []],
    ['userId=alice&release=r1&tags=support', ['t0']],
  ])('filters %s', async (query, expected) => {
    expect(await labels(query)).toEqual(expected);
  });

  it.each([
    ['helpfulness<0.5', ['t1']],
    ['helpfulness<=0.3', ['t1']],
    ['helpfulness>0.5', ['t2', 't0']],
    ['helpfulness>=0.6', ['t2', 't0']],
    ['helpfulness=0.9', ['t0']],
    ['helpfulness!=0.9', ['t2', 't1']],
    ['helpfulness>0.9', []],
    ['toxicity=0', ['t0']],
    ['sentiment=negative', ['t1']],
    ['sentiment!=positive', ['t1']],
  ])('filters by score %s', async (condition, expected) => {
    expect(await labels(`score=${encodeURIComponent(condition)}`)).toEqual(expected);
  });

  it('requires every score condition to hold', async () => {
    expect(await labels(`score=${encodeURIComponent('helpfulness>0.5')}&score=${encodeURIComponent('toxicity=0')}`)).toEqual(['t0']);
    expect(await labels(`score=${encodeURIComponent('helpfulness<0.5')}&score=${encodeURIComponent('toxicity=0')}`)).toEqual([]);
  });

  it('counts only the matching traces in meta', async () => {
    const { body } = await list('userId=bob&limit=1');
    expect(body.meta).toEqual({ page: 1, limit: 1, totalItems: 2, totalPages: 2, nextCursor: expect.any(String), totalItemsIsLowerBound: false });
  });

  it('lists each trace with its observation and score ids, its cost and latency, and its web UI path', async () => {
    const { body } = await list('userId=alice&limit=1');
    const [trace] = body.data;
    expect(trace).toMatchObject({ name: 'support-query', totalCost: 0.5, latency: 3, latencyMs: 3000, environment: 'production' });
    expect(trace.htmlPath).toBe(`/traces/${trace.id}`);
    expect(trace.observations).toHaveLength(2);
    expect(trace.scores).toHaveLength(2);
  });
});

describe('what each listed trace carries beyond Langfuse\'s ids', () => {
  it('gives each trace its worst observation level: ERROR, else WARNING, else DEFAULT', async () => {
    const { body } = await list('');
    expect(Object.fromEntries(body.data.map((trace: any) => [label(trace.id), trace.level]))).toEqual({
      t0: 'DEFAULT',
      t1: 'WARNING',
      t2: 'ERROR',
      t3: 'ERROR',
      t4: 'DEFAULT',
      t5: 'DEFAULT',
    });
  });

  it('gives each trace its scores\' names and values, in the order of its score ids', async () => {
    const { body } = await list('userId=alice');
    const [t1, t0] = body.data;
    expect(t1.scoreValues.map((score: any) => score.id)).toEqual(t1.scores);
    expect(t0.scoreValues.map((score: any) => score.id)).toEqual(t0.scores);
    const values = (trace: any) => trace.scoreValues.map(({ id: _id, ...score }: any) => score).sort((a: any, b: any) => (a.name < b.name ? -1 : 1));
    expect(values(t1)).toEqual([
      { name: 'helpfulness', value: 0.3, stringValue: null, dataType: 'NUMERIC', source: 'EVAL', observationId: null },
      { name: 'sentiment', value: null, stringValue: 'negative', dataType: 'CATEGORICAL', source: 'EVAL', observationId: null },
    ]);
    expect(values(t0).map((score: any) => [score.name, score.value])).toEqual([
      ['helpfulness', 0.9],
      ['toxicity', 0],
    ]);
  });

  it('carries the same level and score values whichever way the page was found', async () => {
    const { body: byCursor } = await list(`limit=1&cursor=${(await list('limit=1')).body.meta.nextCursor}`);
    const { body: byLevel } = await list('level=WARNING');
    const { body: byScore } = await list(`score=${encodeURIComponent('helpfulness<0.5')}`);
    expect(byCursor.data[0]).toMatchObject({ level: 'DEFAULT', scoreValues: [] });
    for (const body of [byLevel, byScore]) {
      expect(body.data[0].level).toBe('WARNING');
      expect(body.data[0].scoreValues).toHaveLength(2);
    }
  });
});

describe('values that look like SQL are data', () => {
  it.each([
    [`userId=${encodeURIComponent("' OR 1=1 --")}`, ['t5']],
    [`name=${encodeURIComponent("O'Brien; DROP TABLE traces;--")}`, ['t5']],
    [`userId=${encodeURIComponent('alice" OR "1"="1')}`, []],
    [`tags=${encodeURIComponent("x' OR '1'='1")}`, []],
    [`metadata=${encodeURIComponent(`plan'='pro" OR 1=1--`)}`, []],
    [`score=${encodeURIComponent("x' OR 1=1--<1")}`, []],
    [`score=${encodeURIComponent('helpfulness=1 OR 1=1')}`, []],
    [`model=${encodeURIComponent("gpt-4o' UNION SELECT * FROM scores--")}`, []],
    [`environment=${encodeURIComponent("production') OR ('1'='1")}`, []],
  ])('%s matches only what it says', async (query, expected) => {
    expect(await labels(query)).toEqual(expected);
  });

  it('still has every trace afterwards', async () => {
    expect(await labels('')).toHaveLength(6);
  });
});

describe('ordering', () => {
  const sortedBy = async (key: (trace: any) => number | string | null, direction: 'asc' | 'desc') => {
    const { body } = await list('limit=100');
    const traces = [...body.data];
    const nullsFirst = direction === 'asc';
    traces.sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      let order: number;
      if (x === null || y === null) order = x === y ? 0 : (x === null) === nullsFirst ? -1 : 1;
      else order = (x < y ? -1 : x > y ? 1 : 0) * (direction === 'asc' ? 1 : -1);
      if (order !== 0) return order;
      return (a.id < b.id ? -1 : 1) * (direction === 'asc' ? 1 : -1);
    });
    return traces.map((trace) => label(trace.id));
  };

  it('orders by timestamp ascending', async () => {
    expect(await labels('orderBy=timestamp.asc')).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
  });

  it('orders by latency', async () => {
    expect(await labels('orderBy=latency.asc')).toEqual(['t5', 't4', 't2', 't0', 't1', 't3']);
    expect(await labels('orderBy=latency')).toEqual(['t3', 't1', 't0', 't2', 't4', 't5']);
  });

  it('orders by totalCost, traces without a cost last when descending and first when ascending', async () => {
    expect(await labels('orderBy=totalCost.desc')).toEqual(await sortedBy((t) => t.totalCost, 'desc'));
    expect((await labels('orderBy=totalCost.desc')).slice(0, 4)).toEqual(['t3', 't1', 't2', 't0']);
    expect((await labels('orderBy=totalCost.asc')).slice(2)).toEqual(['t0', 't2', 't1', 't3']);
  });

  it('orders by name', async () => {
    expect(await labels('orderBy=name.asc')).toEqual(await sortedBy((t) => t.name, 'asc'));
    expect(await labels('orderBy=name.desc')).toEqual(await sortedBy((t) => t.name, 'desc'));
  });

  it.each(['timestamp.asc', 'timestamp.desc', 'latency.asc', 'latency.desc', 'totalCost.asc', 'totalCost.desc', 'name.asc', 'name.desc'])(
    'walks %s one trace at a time by cursor, in the same order as one page',
    async (orderBy) => {
      const whole = await labels(`orderBy=${orderBy}&limit=100`);
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `orderBy=${orderBy}&limit=1${cursor === null ? '' : `&cursor=${cursor}`}`;
        const { labels: page, body } = await list(query);
        walked.push(...page);
        cursor = body.meta.nextCursor;
      } while (cursor !== null && walked.length <= 6);
      expect(walked).toEqual(whole);
    },
  );
});

describe('pages', () => {
  it('splits the list into pages with their meta', async () => {
    const { labels: first, body } = await list('limit=2&page=1');
    expect(first).toEqual(['t5', 't4']);
    expect(body.meta).toMatchObject({ page: 1, limit: 2, totalItems: 6, totalPages: 3 });
  });

  it('gives the last page, then an empty page past it', async () => {
    const last = await list('limit=4&page=2');
    expect(last.labels).toEqual(['t1', 't0']);
    expect(last.body.meta).toEqual({ page: 2, limit: 4, totalItems: 6, totalPages: 2, nextCursor: null, totalItemsIsLowerBound: false });
    const past = await list('limit=4&page=3');
    expect(past.labels).toEqual([]);
    expect(past.body.meta).toEqual({ page: 3, limit: 4, totalItems: 6, totalPages: 2, nextCursor: null, totalItemsIsLowerBound: false });
  });

  it('gives an empty page with zero totals when nothing matches', async () => {
    const { body } = await list('userId=nobody');
    expect(body).toEqual({ data: [], meta: { page: 1, limit: 50, totalItems: 0, totalPages: 0, nextCursor: null, totalItemsIsLowerBound: false } });
  });
});

describe('bad parameters', () => {
  it.each([
    ['limit=abc', 'limit: expected an integer 1-1000 (got "abc")'],
    ['limit=0', 'limit: expected an integer 1-1000 (got "0")'],
    ['limit=1001', 'limit: expected an integer 1-1000 (got "1001")'],
    ['limit=2.5', 'limit: expected an integer 1-1000 (got "2.5")'],
    ['page=0', 'page: expected an integer 1-1000000 (got "0")'],
    ['userId=a&userId=b', 'userId: expected a single value (got ["a","b"])'],
    ['orderBy=cost', 'orderBy: expected one of timestamp, latency, totalCost, name, optionally followed by .asc or .desc (got "cost")'],
    ['orderBy=timestamp.sideways', 'orderBy: expected one of timestamp, latency, totalCost, name, optionally followed by .asc or .desc (got "timestamp.sideways")'],
    ['orderBy=timestamp;DROP TABLE traces', 'orderBy: expected one of timestamp, latency, totalCost, name, optionally followed by .asc or .desc (got "timestamp;DROP TABLE traces")'],
    ['level=INFO', 'level: expected one of ERROR, WARNING (got "INFO")'],
    ['minCost=-1', 'minCost: expected a non-negative number (got "-1")'],
    ['minLatencyMs=slow', 'minLatencyMs: expected a non-negative number (got "slow")'],
    ['fromTimestamp=yesterday', 'fromTimestamp: expected an ISO 8601 date-time (e.g. 2025-01-31T00:00:00Z) (got "yesterday")'],
    ['score=helpfulness', 'score: expected a condition <name><op><value> with op one of = != < <= > >= (e.g. helpfulness<0.5) (got "helpfulness")'],
    [`score=${encodeURIComponent('helpfulness<high')}`, 'score: expected a number after < (text values compare with = or != only) (got "helpfulness<high")'],
    ['metadata=plan', 'metadata: expected a condition <key>=<value> (e.g. plan=pro) (got "plan")'],
    ['cursor=not-a-cursor', `cursor: expected a cursor from a previous page's meta.nextCursor (got "not-a-cursor")`],
    ['q=a+b+c+d+e+f+g+h+i', 'q: expected at most 8 terms (got 9: "a b c d e f g h i")'],
  ])('%s -> 400 naming the parameter', async (query, message) => {
    expect(await badRequest(query)).toBe(message);
  });

  it('refuses a cursor made for another ordering', async () => {
    const { body } = await list('orderBy=latency&limit=1');
    const message = await badRequest(`orderBy=timestamp&limit=1&cursor=${body.meta.nextCursor}`);
    expect(message).toBe('cursor: the position was made for orderBy latency.desc, not timestamp.desc');
  });

  it('refuses a page number with a cursor', async () => {
    const { body } = await list('limit=1');
    expect(await badRequest(`limit=1&page=2&cursor=${body.meta.nextCursor}`)).toBe(
      'page: expected no page with a cursor (the cursor says where to continue) (got "2")',
    );
  });
});

describe('one trace', () => {
  it('returns the whole tree', async () => {
    const trace = await collector.getJson(`/api/public/traces/${ids[1]}`);
    expect(trace).toMatchObject({ id: ids[1], name: 'support-query', userId: 'alice', totalCost: 0.5 });
    expect(trace.observations.map((o: any) => o.name).sort()).toEqual(['generation-0', 'support-query']);
    expect(trace.observations.find((o: any) => o.name === 'generation-0')).toMatchObject({ level: 'WARNING', model: 'gpt-4o' });
    expect(trace.scores.map((s: any) => s.name).sort()).toEqual(['helpfulness', 'sentiment']);
  });

  it('answers 404 for an unknown id, and 404 naming it for a hostile one', async () => {
    const unknown = await fetch(`${collector.url}/api/public/traces/0123456789abcdef0123456789abcdef`);
    expect(unknown.status).toBe(404);
    const hostile = await fetch(`${collector.url}/api/public/traces/${encodeURIComponent("x' OR '1'='1")}`);
    expect(hostile.status).toBe(404);
    expect(await jsonBody(hostile)).toEqual({ error: 'not_found', message: "trace x' OR '1'='1 not found" });
  });
});

describe('while traces are stored and deleted', () => {
  it('continues a cursor without repeating or skipping traces when newer traces arrive between pages', async () => {
    const first = await list('limit=2');
    expect(first.labels).toEqual(['t5', 't4']);
    const offsetBefore = await labels('limit=2&page=2');

    const newer = await sendTraces(collector.tracesEndpoint, [
      { name: 'late-1', startMs: T0 + 10 * MINUTE },
      { name: 'late-2', startMs: T0 + 11 * MINUTE },
    ]);
    ids.push(...newer);

    const second = await list(`limit=2&cursor=${first.body.meta.nextCursor}`);
    expect(second.labels).toEqual(offsetBefore);
    expect(second.labels).toEqual(['t3', 't2']);
    const third = await list(`limit=2&cursor=${second.body.meta.nextCursor}`);
    expect(third.labels).toEqual(['t1', 't0']);
    expect(third.body.meta.nextCursor).toBeNull();
    // Page numbers shift instead: page 2 now starts two traces earlier.
    expect(await labels('limit=2&page=2')).toEqual(['t5', 't4']);
    expect(third.body.meta.totalItems).toBe(8);
  });

  it('deletes a trace with everything under it, then answers 404 for it', async () => {
    const deleted = await fetch(`${collector.url}/api/public/traces/${ids[0]}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(await jsonBody(deleted)).toEqual({ message: `trace ${ids[0]} deleted` });
    expect((await fetch(`${collector.url}/api/public/traces/${ids[0]}`)).status).toBe(404);
    expect((await fetch(`${collector.url}/api/public/traces/${ids[0]}`, { method: 'DELETE' })).status).toBe(404);
    expect(await labels('userId=alice')).toEqual(['t1']);
    expect(await labels(`score=${encodeURIComponent('toxicity=0')}`)).toEqual([]);
    const scores = await collector.getJson(`/api/public/scores?traceId=${ids[0]}`);
    expect(scores.data).toEqual([]);
    const observations = await collector.getJson(`/api/public/observations?traceId=${ids[0]}`);
    expect(observations.data).toEqual([]);
  });
});
