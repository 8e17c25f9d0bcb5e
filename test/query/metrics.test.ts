/**
 * Daily metrics over traces sent over OTLP: per UTC day, traces, observations, usage and cost by
 * model; from the rollups without filters, from the traces with them (both must agree); day
 * ranges, pages, deletion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { sendTraces } from './trace-builder.js';

const DAY_A = Date.UTC(2025, 6, 1, 9, 0, 0);
const DAY_B = Date.UTC(2025, 6, 2, 23, 0, 0);
const DAY_C = Date.UTC(2025, 6, 4, 0, 30, 0);

let collector: TestCollector;
let ids: string[];

async function daily(query = ''): Promise<any> {
  return collector.getJson(`/api/public/metrics/daily?${query}`);
}

beforeAll(async () => {
  collector = await startTestCollector();
  ids = await sendTraces(collector.tracesEndpoint, [
    {
      name: 'chat',
      startMs: DAY_A,
      userId: 'u1',
      tags: ['x'],
      generations: [
        { model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 10, costUsd: 0.1 },
        { model: 'gpt-4o', inputTokens: 200, outputTokens: 20, costUsd: 0.5 },
      ],
    },
    {
      name: 'batch',
      startMs: DAY_A + 3_600_000,
      userId: 'u2',
      generations: [{ model: 'gpt-4o', inputTokens: 50, outputTokens: 5, costUsd: 0.3, level: 'ERROR' }],
    },
    {
      name: 'chat',
      startMs: DAY_B,
      userId: 'u1',
      error: 'upstream timeout',
      generations: [{ model: 'gpt-4o-mini', inputTokens: 70, outputTokens: 7, costUsd: 0.2, level: 'ERROR' }],
    },
    { name: 'ping', startMs: DAY_C, userId: 'u2' },
  ]);
});
afterAll(async () => {
  await collector.close();
});

describe('daily metrics', () => {
  it("gives each day's traces, observations, usage and cost by model, newest day first", async () => {
    const body = await daily();
    expect(body.meta).toEqual({ page: 1, limit: 50, totalItems: 3, totalPages: 1 });
    expect(body.data).toEqual([
      { date: '2025-07-04', countTraces: 1, countObservations: 1, countErrorTraces: 0, countErrorObservations: 0, totalCost: 0, usage: [] },
      {
        date: '2025-07-02',
        countTraces: 1,
        countObservations: 2,
        countErrorTraces: 1,
        countErrorObservations: 2,
        totalCost: 0.2,
        usage: [{ model: 'gpt-4o-mini', inputUsage: 70, outputUsage: 7, totalUsage: 77, countTraces: 1, countObservations: 1, totalCost: 0.2 }],
      },
      {
        date: '2025-07-01',
        countTraces: 2,
        countObservations: 5,
        countErrorTraces: 1,
        countErrorObservations: 1,
        totalCost: 0.9,
        usage: [
          { model: 'gpt-4o', inputUsage: 250, outputUsage: 25, totalUsage: 275, countTraces: 2, countObservations: 2, totalCost: 0.8 },
          { model: 'gpt-4o-mini', inputUsage: 100, outputUsage: 10, totalUsage: 110, countTraces: 1, countObservations: 1, totalCost: 0.1 },
        ],
      },
    ]);
  });

  it('gives the same figures from the traces as from the rollups', async () => {
    const fromRollups = await daily();
    const fromTraces = await daily('environment=default');
    expect(fromTraces).toEqual(fromRollups);
  });

  it.each([
    ['userId=u1', ['2025-07-02', '2025-07-01'], 0.8],
    ['traceName=batch', ['2025-07-01'], 0.3],
    ['tags=x', ['2025-07-01'], 0.6],
    ['environment=production', [], 0],
    ['fromTimestamp=2025-07-02T12:00:00Z', ['2025-07-04', '2025-07-02'], 0.2],
    ['toTimestamp=2025-07-02T00:00:00Z', ['2025-07-01'], 0.9],
    ['fromTimestamp=2025-07-02T00:00:00Z&toTimestamp=2025-07-03T00:00:00Z', ['2025-07-02'], 0.2],
    ['userId=u1&fromTimestamp=2025-07-02T00:00:00Z', ['2025-07-02'], 0.2],
  ])('filters %s', async (query, days, totalCost) => {
    const body = await daily(query);
    expect(body.data.map((day: any) => day.date)).toEqual(days);
    expect(body.data.reduce((sum: number, day: any) => sum + day.totalCost, 0)).toBeCloseTo(totalCost, 10);
  });

  it('counts only the filtered traces and their observations', async () => {
    const [day] = (await daily('traceName=batch')).data;
    expect(day).toEqual({
      date: '2025-07-01',
      countTraces: 1,
      countObservations: 2,
      countErrorTraces: 1,
      countErrorObservations: 1,
      totalCost: 0.3,
      usage: [{ model: 'gpt-4o', inputUsage: 50, outputUsage: 5, totalUsage: 55, countTraces: 1, countObservations: 1, totalCost: 0.3 }],
    });
  });

  it('counts errors only in the filtered traces', async () => {
    const errors = async (query: string) =>
      (await daily(query)).data.map((day: any) => [day.date, day.countErrorTraces, day.countErrorObservations]);
    expect(await errors('userId=u1')).toEqual([
      ['2025-07-02', 1, 2],
      ['2025-07-01', 0, 0],
    ]);
    expect(await errors('userId=u2')).toEqual([
      ['2025-07-04', 0, 0],
      ['2025-07-01', 1, 1],
    ]);
  });

  it('counts an error observation on its own day and its trace on the day the trace starts', async () => {
    const other = await startTestCollector();
    try {
      const late = Date.UTC(2025, 6, 10, 23, 30, 0);
      await sendTraces(other.tracesEndpoint, [
        { name: 'overnight', startMs: late, durationMs: 7_200_000, generations: [{ model: 'gpt-4o', level: 'ERROR', startOffsetMs: 3_600_000 }] },
      ]);
      const errors = async (query: string) =>
        (await other.getJson(`/api/public/metrics/daily?${query}`)).data.map((day: any) => [
          day.date,
          day.countTraces,
          day.countErrorTraces,
          day.countErrorObservations,
        ]);
      const expected = [
        ['2025-07-11', 0, 0, 1],
        ['2025-07-10', 1, 1, 0],
      ];
      expect(await errors('')).toEqual(expected);
      expect(await errors('environment=default')).toEqual(expected);
      expect(await errors('fromTimestamp=2025-07-11T00:00:00Z')).toEqual([expected[0]]);
    } finally {
      await other.close();
    }
  });

  it('pages the days', async () => {
    const body = await daily('limit=1&page=2');
    expect(body.data.map((day: any) => day.date)).toEqual(['2025-07-02']);
    expect(body.meta).toEqual({ page: 2, limit: 1, totalItems: 3, totalPages: 3 });
    expect((await daily('limit=1&page=4')).data).toEqual([]);
  });

  it('answers 400 naming a bad parameter', async () => {
    const response = await fetch(`${collector.url}/api/public/metrics/daily?fromTimestamp=last-week`);
    expect(response.status).toBe(400);
    expect((await jsonBody(response)).message).toBe(
      'fromTimestamp: expected an ISO 8601 date-time (e.g. 2025-01-31T00:00:00Z) (got "last-week")',
    );
  });

  it('takes a deleted trace out of its day', async () => {
    await fetch(`${collector.url}/api/public/traces/${ids[1]}`, { method: 'DELETE' });
    const day = (await daily()).data.find((d: any) => d.date === '2025-07-01');
    expect(day).toMatchObject({ countTraces: 1, countObservations: 3, countErrorTraces: 0, countErrorObservations: 0, totalCost: 0.6 });
    expect(day.usage.find((u: any) => u.model === 'gpt-4o')).toMatchObject({ countTraces: 1, countObservations: 1, totalCost: 0.5 });
    expect(await daily('environment=default')).toEqual(await daily());
  });
});
