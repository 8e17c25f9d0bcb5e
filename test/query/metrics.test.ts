/**
 * Daily metrics over traces sent over OTLP: per UTC day, traces, observations, usage and cost by
 * model; from the rollups without filters, from the traces with them (both must agree); day
 * ranges, pages, deletion. And a database written before the query migration: once upgraded, it
 * answers as one written since.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { jsonBody, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { decodedSpan } from '../helpers/decoded-span.js';
import { sendTraces } from './trace-builder.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../collector/store/sqlite/schema/schema.js';
import { withDatabaseAtSchema } from '../helpers/older-schema.js';
import { QUERY_API_MIGRATION } from '../../collector/store/sqlite/schema/query-migration.js';
import { createBatchWriter } from '../../collector/store/sqlite/write/batch-writer.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import type { SpanBatch } from '../../collector/store/contract.js';
import * as ours from '../../semconv/spanlite.js';
import * as genAi from '../../semconv/gen-ai.js';

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

describe('a database written before the query migration', () => {
  const NS = 1_000_000n;
  const spans = (traceId: string, startMs: number, user: string, session: string, question: string) => {
    const start = BigInt(startMs) * NS;
    const rootId = `${traceId.slice(0, 15)}1`;
    return [
      decodedSpan({
        traceId,
        spanId: rootId,
        name: 'conversation',
        startTimeUnixNano: start,
        endTimeUnixNano: start + 2000n * NS,
        attributes: {
          [ours.SPANLITE_TRACE_USER_ID]: user,
          [ours.SPANLITE_TRACE_SESSION_ID]: session,
          [ours.SPANLITE_OBSERVATION_INPUT]: question,
        },
      }),
      decodedSpan({
        traceId,
        spanId: `${traceId.slice(0, 15)}2`,
        parentSpanId: rootId,
        name: 'llm',
        startTimeUnixNano: start + 100n * NS,
        endTimeUnixNano: start + 900n * NS,
        attributes: {
          [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4o',
          [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 30,
          [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 3,
          [genAi.GEN_AI_USAGE_COST]: 0.25,
          [ours.SPANLITE_OBSERVATION_OUTPUT]: `answer to ${question}`,
        },
      }),
    ].map((span) => {
      const mapped = mapSpan(span);
      // The pipeline's cost stage: a cost the span reports is its cost.
      if (mapped.observation) mapped.observation.cost = mapped.observation.reportedCost;
      return mapped;
    });
  };
  const batch: SpanBatch = {
    projectId: 'default',
    spans: [
      ...spans('a'.repeat(32), DAY_A, 'u1', 'conv', 'Как сбросить пароль?'),
      ...spans('b'.repeat(32), DAY_A + 60_000, 'u1', 'conv', '如何重置我的密码'),
      ...spans('c'.repeat(32), DAY_B, 'u2', 'other', 'How do I reset my password?'),
    ],
  };

  async function answers(file: string) {
    const store = openSqliteStore({ file });
    try {
      const search = async (term: string) =>
        (await store.listTraces('default', { page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'asc' }, searchTerms: [term] })).data.map(
          (trace) => trace.id[0],
        );
      return {
        traces: (await store.listTraces('default', { page: 1, limit: 10, orderBy: { field: 'timestamp', direction: 'asc' } })).meta,
        sessions: await store.listSessions('default', { page: 1, limit: 10 }),
        users: await store.listUsers('default', { page: 1, limit: 10, orderBy: { field: 'lastTraceAt', direction: 'desc' } }),
        daily: await store.dailyMetrics('default', { page: 1, limit: 10 }),
        observations: (await store.listObservations('default', { page: 1, limit: 1 })).meta,
        search: { пароль: await search('пароль'), 密码: await search('密码'), answer: await search('answer'), password: await search('password') },
      };
    } finally {
      await store.close();
    }
  }

  it('is upgraded with rollups and a search index that answer as a database written since', async () => {
    const before = MIGRATIONS.indexOf(QUERY_API_MIGRATION);
    await withDatabaseAtSchema(before, (old) => createBatchWriter(old)([batch]), async (oldFile) => {
      const newFile = join(dirname(oldFile), 'new.db');
      const fresh = openSqliteStore({ file: newFile });
      await fresh.writeBatches([batch]);
      await fresh.close();

      const migrations: unknown[] = [];
      await openSqliteStore({ file: oldFile, onMigration: (event) => migrations.push(event) }).close();
      await openSqliteStore({ file: oldFile, onMigration: (event) => migrations.push(event) }).close(); // up to date: silent
      expect(migrations).toEqual([
        { phase: 'start', from: before, to: SCHEMA_VERSION, seconds: 0 },
        { phase: 'done', from: before, to: SCHEMA_VERSION, seconds: expect.any(Number) },
      ]);

      const upgraded = await answers(oldFile);
      expect(upgraded).toEqual(await answers(newFile));
      expect(upgraded.search).toEqual({ пароль: ['a'], 密码: ['b'], answer: ['a', 'b', 'c'], password: ['c'] });
      expect(upgraded.sessions.data.map((session) => [session.id, session.traceCount, session.totalCostUsd])).toEqual([
        ['other', 1, 0.25],
        ['conv', 2, 0.5],
      ]);
    });
  });
});
