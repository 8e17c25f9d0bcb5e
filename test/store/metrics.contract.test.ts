/**
 * Daily metrics in the store contract: per UTC day, traces by their start and observations by
 * theirs, with usage and cost per model and error counts; the same figures with and without
 * trace filters; day ranges, pages, and traces that are deleted.
 */
import { describe, expect, it } from 'vitest';
import type { DailyMetricsQuery, DailyMetricsRecord } from '../../collector/store/contract.js';
import { ENGINES } from './engines.js';
import { storePerTest } from './lifecycle.js';
import { msToNs, traceIdOf, writeTraces, type TraceSpec } from './trace-spans.js';

const PROJECT = 'metrics-project';
const DAY_A = Date.UTC(2025, 6, 1, 9, 0, 0);
const DAY_B = Date.UTC(2025, 6, 2, 23, 0, 0);
const DAY_C = Date.UTC(2025, 6, 4, 0, 30, 0);
const at = (iso: string) => msToNs(Date.parse(iso));
/** Midnight UTC of a `YYYY-MM-DD` day. */
const day = (date: string) => at(`${date}T00:00:00Z`);

const SPECS: TraceSpec[] = [
  {
    id: traceIdOf(0xd1),
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
    id: traceIdOf(0xd2),
    name: 'batch',
    startMs: DAY_A + 3_600_000,
    userId: 'u2',
    generations: [{ model: 'gpt-4o', inputTokens: 50, outputTokens: 5, costUsd: 0.3, level: 'ERROR' }],
  },
  {
    id: traceIdOf(0xd3),
    name: 'chat',
    startMs: DAY_B,
    userId: 'u1',
    error: 'upstream timeout',
    generations: [{ model: 'gpt-4o-mini', inputTokens: 70, outputTokens: 7, costUsd: 0.2, level: 'ERROR' }],
  },
  { id: traceIdOf(0xd4), name: 'ping', startMs: DAY_C, userId: 'u2' },
];

const DAYS: DailyMetricsRecord[] = [
  { dayStartUnixNano: day('2025-07-04'), traceCount: 1, observationCount: 1, errorTraceCount: 0, errorObservationCount: 0, totalCostUsd: 0, usageByModel: [] },
  {
    dayStartUnixNano: day('2025-07-02'),
    traceCount: 1,
    observationCount: 2,
    errorTraceCount: 1,
    errorObservationCount: 2,
    totalCostUsd: 0.2,
    usageByModel: [{ model: 'gpt-4o-mini', inputTokens: 70, outputTokens: 7, totalTokens: 77, traceCount: 1, observationCount: 1, totalCostUsd: 0.2 }],
  },
  {
    dayStartUnixNano: day('2025-07-01'),
    traceCount: 2,
    observationCount: 5,
    errorTraceCount: 1,
    errorObservationCount: 1,
    totalCostUsd: 0.9,
    usageByModel: [
      { model: 'gpt-4o', inputTokens: 250, outputTokens: 25, totalTokens: 275, traceCount: 2, observationCount: 2, totalCostUsd: 0.8 },
      { model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 10, totalTokens: 110, traceCount: 1, observationCount: 1, totalCostUsd: 0.1 },
    ],
  },
];

describe.each(ENGINES)('daily metrics ($name)', (engine) => {
  const store = storePerTest(engine);
  const daily = (query: Partial<DailyMetricsQuery> = {}) => store().dailyMetrics(PROJECT, { page: 1, limit: 50, ...query });

  it("gives each day's traces, observations, errors, usage and cost by model, newest day first", async () => {
    await writeTraces(store(), PROJECT, SPECS);
    expect(await daily()).toEqual({ data: DAYS, meta: { page: 1, limit: 50, totalItems: 3, totalPages: 1 } });
  });

  it('gives the same figures with a filter every trace passes as without one', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    expect(await daily({ environments: ['default'] })).toEqual(await daily());
  });

  it.each<[string, Partial<DailyMetricsQuery>, string[], number]>([
    ['user', { userId: 'u1' }, ['2025-07-02', '2025-07-01'], 0.8],
    ['trace name', { traceName: 'batch' }, ['2025-07-01'], 0.3],
    ['tags', { tags: ['x'] }, ['2025-07-01'], 0.6],
    ['an environment no trace is in', { environments: ['production'] }, [], 0],
    ['from a time: its whole day', { fromTimeUnixNano: at('2025-07-02T12:00:00Z') }, ['2025-07-04', '2025-07-02'], 0.2],
    ['to a time, exclusive: a range ending at midnight leaves the next day out', { toTimeUnixNano: at('2025-07-02T00:00:00Z') }, ['2025-07-01'], 0.9],
    ['a one-day range', { fromTimeUnixNano: at('2025-07-02T00:00:00Z'), toTimeUnixNano: at('2025-07-03T00:00:00Z') }, ['2025-07-02'], 0.2],
    ['user and time', { userId: 'u1', fromTimeUnixNano: at('2025-07-02T00:00:00Z') }, ['2025-07-02'], 0.2],
  ])('filters by %s', async (_filter, query, days, totalCost) => {
    await writeTraces(store(), PROJECT, SPECS);
    const { data, meta } = await daily(query);
    expect(data.map((d) => d.dayStartUnixNano)).toEqual(days.map(day));
    expect(meta.totalItems).toBe(days.length);
    expect(data.reduce((sum, d) => sum + d.totalCostUsd, 0)).toBeCloseTo(totalCost, 10);
  });

  it('counts only the filtered traces and their observations', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    expect((await daily({ traceName: 'batch' })).data).toEqual([
      {
        dayStartUnixNano: day('2025-07-01'),
        traceCount: 1,
        observationCount: 2,
        errorTraceCount: 1,
        errorObservationCount: 1,
        totalCostUsd: 0.3,
        usageByModel: [{ model: 'gpt-4o', inputTokens: 50, outputTokens: 5, totalTokens: 55, traceCount: 1, observationCount: 1, totalCostUsd: 0.3 }],
      },
    ]);
  });

  it('counts errors only in the filtered traces', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    const errors = async (query: Partial<DailyMetricsQuery>) =>
      (await daily(query)).data.map((d) => [d.dayStartUnixNano, d.errorTraceCount, d.errorObservationCount]);
    expect(await errors({ userId: 'u1' })).toEqual([
      [day('2025-07-02'), 1, 2],
      [day('2025-07-01'), 0, 0],
    ]);
    expect(await errors({ userId: 'u2' })).toEqual([
      [day('2025-07-04'), 0, 0],
      [day('2025-07-01'), 1, 1],
    ]);
  });

  it('counts an error observation on its own day and its trace on the day the trace starts', async () => {
    const late = Date.UTC(2025, 6, 10, 23, 30, 0);
    await writeTraces(store(), PROJECT, [
      { id: traceIdOf(0xd5), name: 'overnight', startMs: late, durationMs: 7_200_000, generations: [{ model: 'gpt-4o', level: 'ERROR', startOffsetMs: 3_600_000 }] },
    ]);
    const errors = async (query: Partial<DailyMetricsQuery>) =>
      (await daily(query)).data.map((d) => [d.dayStartUnixNano, d.traceCount, d.errorTraceCount, d.errorObservationCount]);
    const expected = [
      [day('2025-07-11'), 0, 0, 1],
      [day('2025-07-10'), 1, 1, 0],
    ];
    expect(await errors({})).toEqual(expected);
    expect(await errors({ environments: ['default'] })).toEqual(expected);
    expect(await errors({ fromTimeUnixNano: at('2025-07-11T00:00:00Z') })).toEqual([expected[0]]);
  });

  it('pages the days, then gives an empty page', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    const second = await daily({ limit: 1, page: 2 });
    expect(second.data.map((d) => d.dayStartUnixNano)).toEqual([day('2025-07-02')]);
    expect(second.meta).toEqual({ page: 2, limit: 1, totalItems: 3, totalPages: 3 });
    expect((await daily({ limit: 1, page: 4 })).data).toEqual([]);
    expect((await daily({ userId: 'u1', limit: 1, page: 2 })).data.map((d) => d.dayStartUnixNano)).toEqual([day('2025-07-01')]);
  });

  it('has no days for a project without traces', async () => {
    expect(await daily()).toEqual({ data: [], meta: { page: 1, limit: 50, totalItems: 0, totalPages: 0 } });
  });

  it('takes a deleted trace out of its day, with and without filters', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    expect(await store().deleteTrace(PROJECT, SPECS[1]!.id)).toBe(true);
    const firstDay = (await daily()).data.find((d) => d.dayStartUnixNano === day('2025-07-01'))!;
    expect(firstDay).toMatchObject({ traceCount: 1, observationCount: 3, errorTraceCount: 0, errorObservationCount: 0, totalCostUsd: 0.6 });
    expect(firstDay.usageByModel.find((u) => u.model === 'gpt-4o')).toMatchObject({ traceCount: 1, observationCount: 1, totalCostUsd: 0.5 });
    expect(await daily({ environments: ['default'] })).toEqual(await daily());
  });

  it('drops a day whose only trace is deleted', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    await store().deleteTrace(PROJECT, SPECS[3]!.id);
    expect((await daily()).data.map((d) => d.dayStartUnixNano)).toEqual([day('2025-07-02'), day('2025-07-01')]);
    expect(await daily({ environments: ['default'] })).toEqual(await daily());
  });
});
