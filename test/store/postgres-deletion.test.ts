/**
 * Deleting in the PostgreSQL store (store/postgres/upkeep/), read back with SQL: one trace by id
 * and retention's batches of old traces, each with everything under it and its share of every
 * rollup, so that the rows and rollups equal those of a database where the deleted traces were
 * never written; rows of traces never stored deleted by age; and deletion running while
 * collectors write the same traces, with no deadlock and rollups still equal to the sums of the
 * stored rows.
 */
import { describe, expect, it } from 'vitest';
import type { SpanBatch } from '../../collector/store/contract.js';
import { mapLogRecords } from '../../collector/mapping/log-records.js';
import { deleteTracesOlderThan } from '../../collector/store/postgres/upkeep/retention.js';
import { deleteTrace } from '../../collector/store/postgres/upkeep/trace-delete.js';
import { GEN_AI_USER_MESSAGE_EVENT } from '../../semconv/gen-ai-events.js';
import { postgresAvailable } from '../helpers/postgres-server.js';
import { shuffled } from '../helpers/shuffled.js';
import { postgresPerFile, rollupsAndSums, storedRows, writeAll, type Sql } from './postgres-rows.js';
import { msToNs, spanIdOf, traceIdOf, traceSpans, type TraceSpec } from './trace-spans.js';

const PROJECT = 'deletion-project';
const T0 = Date.UTC(2025, 1, 3, 9);
const DAY = 86_400_000;
const CUTOFF_MS = T0 + 10 * DAY;

/** Trace n: facts, a session and user shared with others, tags, priced generations, scores. */
function fullTrace(n: number, startMs: number): TraceSpec {
  return {
    id: traceIdOf(0xde00 + n),
    name: `agent-${n}`,
    startMs,
    userId: `user-${n % 2}`,
    sessionId: `session-${n % 3}`,
    tags: [`tag-${n % 4}`, 'retention'],
    metadata: { n },
    input: `question ${n}`,
    generations: [
      { model: 'gpt-4o-mini', inputTokens: 10 * (n + 1), outputTokens: 5, costUsd: 0.01 * (n + 1), level: n % 2 === 0 ? 'ERROR' : undefined },
      { model: 'test-mini', inputTokens: 1000, outputTokens: 100 },
    ],
    scores: [
      { name: 'quality', value: n / 10 },
      { name: 'accuracy', value: 1, generation: 0 },
    ],
  };
}

/** A user message for a span (joined, or waiting when the span is not stored) and a log record that is no message. */
function logsFor(projectId: string, traceId: string, atMs: number): SpanBatch {
  const record = (eventName: string, body: Record<string, unknown>, index: number) => ({
    traceId,
    spanId: spanIdOf(traceId, 2),
    timeUnixNano: msToNs(atMs),
    severityNumber: 9,
    severityText: 'INFO',
    eventName,
    body: body as never,
    attributes: {},
    resource: {},
    scope: { name: 'genai-logs', version: '1.0.0', attributes: {} },
    position: `resourceLogs[0].scopeLogs[0].logRecords[${index}]`,
  });
  const { logs } = mapLogRecords({
    records: [record(GEN_AI_USER_MESSAGE_EVENT, { content: `message of ${traceId}` }, 0), record('app.step', { step: 1 }, 1)],
    refused: [],
  });
  return { projectId, spans: [], logs };
}

const batchOf = (projectId: string, spec: TraceSpec): SpanBatch => ({ projectId, spans: traceSpans(spec) });

describe.skipIf(!postgresAvailable())('deleting in the PostgreSQL store', () => {
  const postgres = postgresPerFile('deletion');

  /** Rows and rollups of a database holding only these batches. */
  async function stateAfter(batches: readonly SpanBatch[]) {
    const { writers, sql } = await postgres.newDatabase();
    await writeAll(writers[0]!, batches);
    return { rows: await storedRows(sql), rollups: (await rollupsAndSums(sql)).rollups };
  }

  async function stateOf(sql: Sql) {
    const { rollups, sums } = await rollupsAndSums(sql);
    expect(rollups).toEqual(sums);
    return { rows: await storedRows(sql), rollups };
  }

  it('deletes a trace with everything under it, leaving rows and rollups as if it had never been written', async () => {
    const kept = [fullTrace(0, T0), fullTrace(3, T0 + 2 * DAY)];
    const deleted = fullTrace(1, T0 + DAY);
    const keptBatches = [...kept.map((spec) => batchOf(PROJECT, spec)), logsFor(PROJECT, kept[0]!.id, T0 + 5)];
    const expected = await stateAfter(keptBatches);

    const { pool, writers, sql } = await postgres.newDatabase();
    await writeAll(writers[0]!, [batchOf(PROJECT, kept[0]!), batchOf(PROJECT, deleted), logsFor(PROJECT, deleted.id, T0 + DAY + 5)]);
    await writeAll(writers[0]!, keptBatches.slice(1));
    expect(await sql(`SELECT count(*)::int AS n FROM observations WHERE trace_id = '${deleted.id}'`)).toEqual([{ n: 4 }]);
    const documentsOfDeleted = `SELECT count(*)::int AS n FROM search_docs WHERE trace_id = '${deleted.id}'`;
    expect(((await sql(documentsOfDeleted))[0] as { n: number }).n).toBeGreaterThan(0);

    expect(await deleteTrace(pool, PROJECT, deleted.id)).toBe(true);

    expect(await stateOf(sql)).toEqual(expected);
    expect(await sql(documentsOfDeleted)).toEqual([{ n: 0 }]);
  });

  it('answers false for a trace it does not hold, deletes a trace once, and deletes a trace never stored by its rows', async () => {
    const { pool, writers, sql } = await postgres.newDatabase();
    const spec = fullTrace(1, T0);
    const never = traceIdOf(0xfeed);
    await writeAll(writers[0]!, [batchOf(PROJECT, spec), logsFor(PROJECT, never, T0)]);

    expect(await deleteTrace(pool, PROJECT, traceIdOf(0xdead))).toBe(false);
    expect(await deleteTrace(pool, 'other-project', spec.id)).toBe(false);
    expect(await deleteTrace(pool, PROJECT, spec.id)).toBe(true);
    expect(await deleteTrace(pool, PROJECT, spec.id)).toBe(false);
    // Only a waiting message and an event were stored for it.
    expect(await deleteTrace(pool, PROJECT, never)).toBe(true);
    expect(await stateOf(sql)).toEqual(await stateAfter([]));
  });

  it('stores a trace sent again after its deletion anew, without what was deleted', async () => {
    const spec = fullTrace(2, T0);
    const expected = await stateAfter([batchOf(PROJECT, spec)]);
    const { pool, writers, sql } = await postgres.newDatabase();
    await writeAll(writers[0]!, [batchOf(PROJECT, spec), logsFor(PROJECT, spec.id, T0 + 5)]);
    expect(await deleteTrace(pool, PROJECT, spec.id)).toBe(true);
    await writeAll(writers[0]!, [batchOf(PROJECT, spec)]);
    expect(await stateOf(sql)).toEqual(expected);
  });

  describe('retention', () => {
    /** Seven traces before the cutoff, one at it and two after. */
    const OLD = [0, 1, 2, 3, 4, 5, 6].map((n) => fullTrace(n, T0 + n * DAY));
    const YOUNG = [fullTrace(7, CUTOFF_MS), fullTrace(8, CUTOFF_MS + DAY), fullTrace(9, CUTOFF_MS + 2 * DAY)];
    const cutoff = msToNs(CUTOFF_MS);

    it('deletes at most maxTraces old traces per call, oldest first, until a call finds fewer', async () => {
      const { pool, writers, sql } = await postgres.newDatabase();
      await writeAll(writers[0]!, [...YOUNG, ...[...OLD].reverse()].map((spec) => batchOf(PROJECT, spec)));
      expect(await deleteTracesOlderThan(pool, cutoff, 2)).toBe(2);
      const left = async () => ((await sql('SELECT id FROM traces ORDER BY start_time_ns')) as Array<{ id: string }>).map((row) => row.id);
      expect(await left()).toEqual([...OLD.slice(2), ...YOUNG].map((spec) => spec.id));
      const counts = [];
      for (let call = 0; call < 4; call++) counts.push(await deleteTracesOlderThan(pool, cutoff, 2));
      expect(counts).toEqual([2, 2, 1, 0]);
      expect(await left()).toEqual(YOUNG.map((spec) => spec.id));
    });

    it('leaves rows and rollups as if only the traces from the cutoff on, and young rows of traces never stored, had been written', async () => {
      const never = traceIdOf(0xfeed);
      const youngNever = traceIdOf(0xbeef);
      const youngBatches = [...YOUNG.map((spec) => batchOf(PROJECT, spec)), logsFor(PROJECT, youngNever, CUTOFF_MS + DAY)];
      const expected = await stateAfter(youngBatches);
      const { pool, writers, sql } = await postgres.newDatabase();
      await writeAll(writers[0]!, [
        ...OLD.map((spec) => batchOf(PROJECT, spec)),
        logsFor(PROJECT, OLD[0]!.id, T0 + 5),
        logsFor(PROJECT, never, T0),
        ...youngBatches,
      ]);

      let deleted = 0;
      for (let calls = 0, last = 3; last === 3 && calls < 10; calls++) deleted += last = await deleteTracesOlderThan(pool, cutoff, 3);
      // The old traces, and the one never stored whose message waited and whose event was stored.
      expect(deleted).toBe(OLD.length + 1);
      expect(await stateOf(sql)).toEqual(expected);
    });

    it('deletes old traces of every project', async () => {
      const { pool, writers, sql } = await postgres.newDatabase();
      await writeAll(writers[0]!, [batchOf(PROJECT, OLD[0]!), batchOf(PROJECT, YOUNG[0]!), batchOf('other-project', OLD[1]!), batchOf('other-project', YOUNG[1]!)]);
      expect(await deleteTracesOlderThan(pool, cutoff, 10)).toBe(2);
      expect(await sql('SELECT project_id, id FROM traces ORDER BY project_id')).toEqual([
        { project_id: PROJECT, id: YOUNG[0]!.id },
        { project_id: 'other-project', id: YOUNG[1]!.id },
      ]);
      await stateOf(sql);
    });

    it('deletes nothing when no trace is older than the cutoff', async () => {
      const { pool, writers, sql } = await postgres.newDatabase();
      await writeAll(writers[0]!, YOUNG.map((spec) => batchOf(PROJECT, spec)));
      const before = await stateOf(sql);
      expect(await deleteTracesOlderThan(pool, cutoff, 100)).toBe(0);
      expect(await stateOf(sql)).toEqual(before);
    });
  });

  it('deletes while two collectors write spans of the same traces, without deadlock, rollups equal to the stored rows', async () => {
    const { pool, writers, sql } = await postgres.newDatabase(2);
    const generations = Array.from({ length: 6 }, (_, g) => ({ model: g % 2 ? 'test-mini' : 'gpt-4o-mini', inputTokens: 10 + g, outputTokens: 3 }));
    const specs = Array.from({ length: 8 }, (_, n) => ({ ...fullTrace(n, T0 + (n % 8) * DAY), generations }));
    const spanBatches = specs.flatMap((spec) => traceSpans(spec).map((span) => ({ projectId: PROJECT, spans: [span] })));
    const order = shuffled([...spanBatches, ...specs.map((spec) => logsFor(PROJECT, spec.id, spec.startMs + 5))], 11);
    const halves = [order.filter((_, n) => n % 2 === 0), order.filter((_, n) => n % 2 === 1)];

    let writing = true;
    let deletions = 0;
    const deleting = (async () => {
      for (let round = 0; writing && round < 1000; round++) {
        if (await deleteTrace(pool, PROJECT, specs[round % specs.length]!.id)) deletions++;
        if (round % 5 === 0) deletions += await deleteTracesOlderThan(pool, msToNs(T0 + 3 * DAY), 2);
      }
    })();
    await Promise.all(
      halves.map(async (half, w) => {
        for (const batch of half) await writeAll(writers[w]!, [batch]);
      }),
    ).finally(() => (writing = false));
    await deleting;

    expect(deletions).toBeGreaterThan(0);
    await stateOf(sql);
    // Each trace row's totals are those of the observations left under it: none of a deleted generation.
    const totals = `SELECT t.id, t.input_tokens::text AS tokens, (SELECT coalesce(sum(o.input_tokens), 0)::text FROM observations o
      WHERE o.project_id = t.project_id AND o.trace_id = t.id AND o.counts_in_trace_totals) AS sum FROM traces t ORDER BY t.id`;
    for (const row of (await sql(totals)) as Array<{ id: string; tokens: string; sum: string }>) expect(row.tokens, row.id).toBe(row.sum);
    // No tag row outlives its trace.
    const tags = await sql(`SELECT count(*)::int AS n FROM trace_tags g WHERE NOT EXISTS
      (SELECT 1 FROM traces t WHERE t.project_id = g.project_id AND t.id = g.trace_id)`);
    expect(tags).toEqual([{ n: 0 }]);
  });
});
