/**
 * Observations by model are indexed in time order (migration 12), so an insert lands at the end
 * of its model's range. What reads them must still work, upgraded or not: the trace list's model
 * filter in both its forms, the observation list by model, and the daily count of traces per
 * model, which asks whether a trace already has an observation on a model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodedSpan } from '../helpers/decoded-span.js';
import { withDatabaseAtSchema } from '../helpers/older-schema.js';
import { openSqliteStore } from '../../collector/store/sqlite-store.js';
import { createBatchWriter } from '../../collector/store/sqlite-write.js';
import { createBatchDerived } from '../../collector/store/sqlite-batch-derived.js';
import { createScoreRepeats } from '../../collector/store/sqlite-score-repeats.js';
import { createObservationIdIndex } from '../../collector/store/sqlite-observation-ids.js';
import { traceConditions, type ConditionForm } from '../../collector/store/sqlite-trace-filter.js';
import { createSearch } from '../../collector/store/sqlite-search.js';
import type { SpanBatch, TraceStore } from '../../collector/store/trace-store.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import * as genAi from '../../semconv/gen-ai.js';

const PROJECT = 'default';
const DAY_NS = 86_400_000_000_000n;
const T0_NS = 1_750_000_000_000_000_000n - (1_750_000_000_000_000_000n % DAY_NS); // midnight UTC

const traceId = (n: number) => n.toString(16).padStart(32, '0');
let nextSpan = 1;

/** A chat span on `model` in trace `trace`, starting `offsetS` seconds after T0. */
function chat(trace: number, model: string, offsetS: number) {
  const startNs = T0_NS + BigInt(offsetS) * 1_000_000_000n;
  return mapSpan(
    decodedSpan({
      traceId: traceId(trace),
      spanId: (nextSpan++).toString(16).padStart(16, '0'),
      name: `chat ${model}`,
      startTimeUnixNano: startNs,
      endTimeUnixNano: startNs + 1_000_000n,
      attributes: { [genAi.GEN_AI_OPERATION_NAME]: 'chat', [genAi.GEN_AI_REQUEST_MODEL]: model },
    }),
  );
}

const batch = (...spans: ReturnType<typeof chat>[]): SpanBatch => ({ projectId: PROJECT, spans });

async function tracesOnModel(store: TraceStore, model: string): Promise<string[]> {
  const page = await store.listTraces(PROJECT, { page: 1, limit: 50, orderBy: { field: 'timestamp', direction: 'desc' }, model });
  return page.data.map((trace) => trace.id);
}

async function tracesPerModel(store: TraceStore): Promise<Record<string, number>> {
  const { data } = await store.dailyMetrics(PROJECT, { page: 1, limit: 10 });
  return Object.fromEntries(data.flatMap((day) => day.usage.map((usage) => [usage.model, usage.countTraces])));
}

/** Traces 1-3 on gpt-4o (trace 1 in two batches, once more on it), trace 2 also on claude. */
const WRITES: SpanBatch[][] = [
  [batch(chat(1, 'gpt-4o', 1), chat(2, 'claude-3-5-sonnet', 2))],
  [batch(chat(2, 'gpt-4o', 3)), batch(chat(1, 'gpt-4o', 4), chat(3, 'gpt-4o', 5))],
];

async function expectModelReads(store: TraceStore): Promise<void> {
  expect(await tracesOnModel(store, 'gpt-4o')).toEqual([traceId(3), traceId(2), traceId(1)]);
  expect(await tracesOnModel(store, 'claude-3-5-sonnet')).toEqual([traceId(2)]);
  expect(await tracesOnModel(store, 'gpt-4o-mini')).toEqual([]);
  // Trace 1's second gpt-4o observation did not count it again.
  expect(await tracesPerModel(store)).toEqual({ 'gpt-4o': 3, 'claude-3-5-sonnet': 1 });
  const observations = await store.listObservations(PROJECT, { page: 1, limit: 10, model: 'gpt-4o' });
  expect(observations.data.map((observation) => observation.traceId)).toEqual([traceId(3), traceId(1), traceId(2), traceId(1)]);
}

describe('observations by model, in time order', () => {
  let dir: string;
  let file: string;
  let store: TraceStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanlite-model-index-'));
    file = join(dir, 'spanlite.db');
    store = openSqliteStore({ file, synchronous: 'normal' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds traces and observations by model, and counts each trace once per model per day', async () => {
    for (const group of WRITES) expect((await store.writeBatches(group)).every((outcome) => outcome.ok)).toBe(true);
    await expectModelReads(store);
  });

  it('probes a trace for a model through its own observations, even with no statistics', async () => {
    for (const group of WRITES) await store.writeBatches(group);
    const db = new Database(file);
    try {
      db.exec(`DELETE FROM sqlite_stat1; ANALYZE sqlite_schema;`);
      const plan = (form: ConditionForm) => {
        const conditions = traceConditions(PROJECT, { model: 'gpt-4o' }, createSearch(db), form);
        const sql = `SELECT t.id FROM traces t WHERE ${conditions.sql} ORDER BY t.start_time_ns DESC LIMIT 50`;
        return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(conditions.params) as Array<{ detail: string }>).map((row) => row.detail).join('\n');
      };
      // A probe through the index by model would scan the model's whole range for each trace.
      expect(plan('probe')).not.toContain('observations_by_model');
      expect(plan('probe')).toMatch(/SEARCH o .*\(project_id=\? AND trace_id=\?\)/);
      expect(plan('set')).toContain('observations_by_model (project_id=? AND model=?)');
    } finally {
      db.close();
    }
  });
});

describe('a database written before the index by model was in time order (schema 11)', () => {
  it('re-creates the index at upgrade, and reads and counts by model as before', async () => {
    const write = (old: Database.Database) => {
      const writer = createBatchWriter(old, Date.now, createBatchDerived(old, createScoreRepeats(old), createObservationIdIndex(old)));
      writer(WRITES[0]!);
    };
    await withDatabaseAtSchema(11, write, async (file) => {
      const store = openSqliteStore({ file });
      try {
        expect((await store.writeBatches(WRITES[1]!)).every((outcome) => outcome.ok)).toBe(true);
        await expectModelReads(store);
      } finally {
        await store.close();
      }
      const upgraded = new Database(file, { readonly: true });
      try {
        const index = upgraded.prepare(`SELECT sql FROM sqlite_master WHERE name = 'observations_by_model'`).pluck().get();
        expect(index).toContain('(project_id, model, start_time_ns, trace_id)');
      } finally {
        upgraded.close();
      }
    });
  });
});
