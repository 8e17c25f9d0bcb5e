/**
 * The count of a trace list filtered by one score condition: each trace once, however many of
 * its scores match. When no trace repeats a score name the count comes from the matching scores
 * alone, so the tests check that a repeat (sent together over OTLP, or POSTed later) switches
 * the count to distinct traces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { sendTraces } from './trace-builder.js';

const T0 = Date.UTC(2025, 8, 1, 9, 0, 0);
const MINUTE = 60_000;

let collector: TestCollector;
let ids: string[];

async function matching(condition: string): Promise<{ traces: number; totalItems: number }> {
  const body = await collector.getJson(`/api/public/traces?score=${encodeURIComponent(condition)}`);
  return { traces: body.data.length, totalItems: body.meta.totalItems };
}

async function postScore(traceId: string, name: string, value: number): Promise<void> {
  const response = await fetch(`${collector.url}/api/public/scores`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ traceId, name, value }),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  collector = await startTestCollector();
  ids = await sendTraces(collector.tracesEndpoint, [
    { name: 'a', startMs: T0, scores: [{ name: 'relevance', value: 0.9 }, { name: 'helpfulness', value: 0.8 }] },
    { name: 'b', startMs: T0 + MINUTE, scores: [{ name: 'relevance', value: 0.7 }, { name: 'relevance', value: 0.95 }] },
    { name: 'c', startMs: T0 + 2 * MINUTE, scores: [{ name: 'helpfulness', value: 0.2 }] },
  ]);
});
afterAll(async () => {
  await collector.close();
});

describe('the total of a list filtered by one score condition', () => {
  it('counts a trace once when two of its scores of the name, sent together over OTLP, match', async () => {
    expect(await matching('relevance>0.5')).toEqual({ traces: 2, totalItems: 2 });
    expect(await matching('relevance>0.8')).toEqual({ traces: 2, totalItems: 2 });
  });

  it('counts the matching traces of a name no trace repeats', async () => {
    expect(await matching('helpfulness>0.5')).toEqual({ traces: 1, totalItems: 1 });
    expect(await matching('helpfulness>=0')).toEqual({ traces: 2, totalItems: 2 });
  });

  it('still counts a trace once after a second score of the name is POSTed for it', async () => {
    await postScore(ids[0]!, 'helpfulness', 0.9);
    expect(await matching('helpfulness>0.5')).toEqual({ traces: 1, totalItems: 1 });
    expect(await matching('helpfulness>=0')).toEqual({ traces: 2, totalItems: 2 });
  });
});
