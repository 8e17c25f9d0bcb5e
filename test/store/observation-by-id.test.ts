/**
 * Observations found by id alone (GET /api/public/observations/:id, a score POSTed with only an
 * observationId), through the full-text index of observation ids rather than a b-tree index
 * (store/sqlite/search/observation-ids.ts): ids of every shape, ids shared by traces, deleted traces.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { decodedSpan } from '../helpers/decoded-span.js';
import { sendTraces } from './trace-builder.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import type { TraceStore } from '../../collector/store/contract.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import type { DecodedSpan } from '../../collector/decode/span.js';

const PROJECT = 'default';
const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
const TRACE_B = '1bf7651916cd43dd8448eb211c80319d';
const SECOND_NS = 1_000_000_000n;
const T0_NS = 1_700_000_000n * SECOND_NS;

function span(traceId: string, spanId: string, startNs: bigint, overrides: Partial<DecodedSpan> = {}): DecodedSpan {
  return decodedSpan({ traceId, spanId, startTimeUnixNano: startNs, endTimeUnixNano: startNs + SECOND_NS, ...overrides });
}

describe('over the REST API', () => {
  let collector: TestCollector;
  let traceId: string;

  beforeAll(async () => {
    collector = await startTestCollector();
    const traceIds = await sendTraces(collector.tracesEndpoint, [
      { name: 'support-query', startMs: Date.UTC(2025, 8, 1), generations: [{ model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 5 }] },
    ]);
    traceId = traceIds[0]!;
  });
  afterAll(async () => {
    await collector.close();
  });

  it('returns each observation of a trace by its id', async () => {
    const trace = await collector.getJson(`/api/public/traces/${traceId}`);
    expect(trace.observations.length).toBeGreaterThanOrEqual(2);
    for (const { id, name } of trace.observations) {
      expect(await collector.getJson(`/api/public/observations/${id}`)).toMatchObject({ id, name, traceId });
    }
  });

  it('puts a score POSTed with only an observationId on that observation and its trace', async () => {
    const trace = await collector.getJson(`/api/public/traces/${traceId}`);
    const generation = trace.observations.find((o: { type: string }) => o.type === 'GENERATION');
    const response = await fetch(`${collector.url}/api/public/scores`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ observationId: generation.id, name: 'accuracy', value: 1 }),
    });
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    expect(await collector.getJson(`/api/public/scores/${id}`)).toMatchObject({ traceId, observationId: generation.id });
  });
});

describe('in the store', () => {
  let dir: string;
  let store: TraceStore;
  const write = async (...spans: DecodedSpan[]) => {
    const [outcome] = await store.writeBatches([{ projectId: PROJECT, spans: spans.map(mapSpan) }]);
    expect(outcome).toEqual({ ok: true });
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanlite-observation-ids-'));
    store = openSqliteStore({ file: join(dir, 'spanlite.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds ids that are not letters and digits: span event observations, punctuation, other scripts, very long ids', async () => {
    const rerank = { name: 'rerank', timeUnixNano: T0_NS + 1n, attributes: {} };
    const ids = ['b7ad6b7169203331', '---', 'obs:42/β', 'ид-наблюдения', 'x'.repeat(500), 'x'.repeat(501)];
    await write(...ids.map((id, i) => span(TRACE_A, id, T0_NS + BigInt(i), i === 0 ? { events: [rerank] } : {})));
    for (const id of [...ids, 'b7ad6b7169203331-e0']) {
      expect((await store.getObservation(PROJECT, id))?.id).toBe(id);
    }
    expect((await store.getObservation(PROJECT, 'b7ad6b7169203331-e0'))?.type).toBe('EVENT');
  });

  it('tells apart ids that differ only in letter case', async () => {
    await write(span(TRACE_A, 'abcdef0123456789', T0_NS), span(TRACE_B, 'ABCDEF0123456789', T0_NS, { name: 'upper' }));
    expect(await store.getObservation(PROJECT, 'ABCDEF0123456789')).toMatchObject({ traceId: TRACE_B, name: 'upper' });
    expect(await store.getObservation(PROJECT, 'abcdef0123456789')).toMatchObject({ traceId: TRACE_A, name: 'span' });
  });

  it('returns the observation that started last when two traces hold the same id', async () => {
    await write(span(TRACE_B, 'b7ad6b7169203331', T0_NS + 60n * SECOND_NS, { name: 'later' }));
    await write(span(TRACE_A, 'b7ad6b7169203331', T0_NS, { name: 'earlier' }));
    expect(await store.getObservation(PROJECT, 'b7ad6b7169203331')).toMatchObject({ name: 'later', traceId: TRACE_B });
    expect(await store.findObservationTraceId(PROJECT, 'b7ad6b7169203331')).toBe(TRACE_B);
  });

  it('keeps projects apart', async () => {
    await write(span(TRACE_A, 'b7ad6b7169203331', T0_NS));
    expect(await store.getObservation('other-project', 'b7ad6b7169203331')).toBeNull();
    expect(await store.findObservationTraceId('other-project', 'b7ad6b7169203331')).toBeNull();
  });

  it('finds an observation re-sent in a later batch once, and none of a deleted trace', async () => {
    await write(span(TRACE_A, 'b7ad6b7169203331', T0_NS));
    await write(span(TRACE_A, 'b7ad6b7169203331', T0_NS));
    expect(await store.findObservationTraceId(PROJECT, 'b7ad6b7169203331')).toBe(TRACE_A);
    expect(await store.deleteTrace(PROJECT, TRACE_A)).toBe(true);
    expect(await store.getObservation(PROJECT, 'b7ad6b7169203331')).toBeNull();
    await store.close();
    const db = new Database(join(dir, 'spanlite.db'), { readonly: true });
    try {
      // The index holds nothing of the deleted trace either: its rows went with its documents.
      expect(db.prepare(`SELECT count(*) FROM observation_ids WHERE observation_ids MATCH '"b7ad6b7169203331"'`).pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    store = openSqliteStore({ file: join(dir, 'spanlite.db') });
  });
});
