/**
 * The PostgreSQL write path (store/postgres/write/), read back with SQL: a batch's traces,
 * observations, scores, tags and rollups; retries that change nothing; trace facts that converge
 * in any arrival order; a refused batch failing alone; and several writers on one database at
 * once storing exactly what one writer stores. Every rollup is checked against the same sums
 * taken over the stored rows.
 */
import { describe, expect, it } from 'vitest';
import type { MappedSpan } from '../../collector/model.js';
import type { SpanBatch } from '../../collector/store/contract.js';
import { isTransientPostgresError } from '../../collector/store/postgres/write/errors.js';
import { createBatchWriter } from '../../collector/store/postgres/write/batch-writer.js';
import { traceLockKey } from '../../collector/store/postgres/write/trace-locks.js';
import * as ours from '../../semconv/spanlite.js';
import { postgresAvailable } from '../helpers/postgres-server.js';
import { shuffled } from '../helpers/shuffled.js';
import { postgresPerFile, rollupsAndSums, storedRows, writeAll } from './postgres-rows.js';
import { mapped, msToNs, spanIdOf, traceIdOf, traceSpans, type TraceSpec } from './trace-spans.js';

const PROJECT = 'project-a';
const START_MS = Date.UTC(2026, 0, 5, 12);

/** Trace i: facts on its root, two priced generations, a score, and a late span with more facts. */
function traceSpec(i: number): TraceSpec {
  return {
    id: traceIdOf(1000 + i),
    name: `trace-${i}`,
    startMs: START_MS + i * 1000,
    userId: `user-${i % 3}`,
    sessionId: `session-${i % 4}`,
    tags: ['root', `group-${i % 2}`],
    metadata: { plan: 'free', step: i },
    input: { question: `question ${i}` },
    generations: [
      { model: 'test-mini', inputTokens: 10 + i, outputTokens: 5 },
      { model: 'gpt-reported', inputTokens: 3, outputTokens: 2, costUsd: 0.25, level: i % 5 === 0 ? 'ERROR' : undefined },
    ],
    scores: [{ name: 'quality', value: i % 7 }],
  };
}

/** A child span starting after the root that names more trace facts (a tag, a metadata key the root also sets). */
function lateFactsSpan(i: number): MappedSpan {
  const traceId = traceIdOf(1000 + i);
  const startNs = msToNs(START_MS + i * 1000 + 500);
  return mapped({
    traceId,
    spanId: spanIdOf(traceId, 9),
    parentSpanId: spanIdOf(traceId, 1),
    name: 'late',
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + msToNs(2000),
    attributes: { [ours.SPANLITE_TRACE_TAGS]: ['late'], [`${ours.SPANLITE_TRACE_METADATA_PREFIX}plan`]: 'pro' },
  });
}

function spansOf(i: number): MappedSpan[] {
  return [...traceSpans(traceSpec(i)), lateFactsSpan(i)];
}

/** Resolves once `condition` holds, checking every 20 ms; fails after 10 s. */
async function eventually(condition: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 10_000; !(await condition()); ) {
    if (Date.now() > deadline) throw new Error('condition not reached within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const oneSpanBatches = (spans: readonly MappedSpan[]): SpanBatch[] => spans.map((span) => ({ projectId: PROJECT, spans: [span] }));

describe.skipIf(!postgresAvailable())('the PostgreSQL write path', () => {
  const postgres = postgresPerFile('write');

  it("stores a batch's traces with merged facts and totals, their observations, scores and tags", async () => {
    const { writers, sql } = await postgres.newDatabase();
    await writeAll(writers[0]!, [{ projectId: PROJECT, spans: spansOf(1) }]);

    const [trace] = (await storedRows(sql)).traces as Array<Record<string, unknown>>;
    expect(trace).toMatchObject({
      id: traceIdOf(1001),
      name: 'trace-1',
      user_id: 'user-1',
      session_id: 'session-1',
      environment: 'default',
      tags: ['group-1', 'late', 'root'],
      // The later span's explicit plan outranks the root's.
      metadata: { plan: 'pro', step: 1 },
      input: JSON.stringify({ question: 'question 1' }),
      start_time_ns: String(msToNs(START_MS + 1000)),
      end_time_ns: String(msToNs(START_MS + 1000 + 2500)),
      input_tokens: String(11 + 3),
      output_tokens: String(5 + 2),
    });
    expect(trace!.total_cost).toBeCloseTo(11 * 0.000001 + 5 * 0.000002 + 0.25, 12);
    expect(await sql(`SELECT count(*)::int AS n FROM observations`)).toEqual([{ n: 4 }]);
    expect(await sql(`SELECT name, value, trace_id FROM scores`)).toEqual([{ name: 'quality', value: 1, trace_id: traceIdOf(1001) }]);
    expect(await sql(`SELECT tag FROM trace_tags ORDER BY tag`)).toEqual([{ tag: 'group-1' }, { tag: 'late' }, { tag: 'root' }]);
    const { rollups, sums } = await rollupsAndSums(sql);
    expect(rollups).toEqual(sums);
    expect(rollups.sessions).toEqual([expect.objectContaining({ key: 'session-1', trace_count: '1', input_tokens: '14' })]);
    // test-mini, gpt-reported, and '' for the spans without a model.
    expect(rollups.dailyUsage.map((row) => (row as { model: string }).model)).toEqual(['', 'gpt-reported', 'test-mini']);
  });

  it('changes nothing when a batch is sent again: no observation or cost counted twice', async () => {
    const { writers, sql } = await postgres.newDatabase();
    const batch: SpanBatch = { projectId: PROJECT, spans: spansOf(2) };
    await writeAll(writers[0]!, [batch]);
    const once = { rows: await storedRows(sql), rollups: (await rollupsAndSums(sql)).rollups };

    await writeAll(writers[0]!, [batch]);
    await writeAll(writers[0]!, [batch, batch]);

    expect({ rows: await storedRows(sql), rollups: (await rollupsAndSums(sql)).rollups }).toEqual(once);
  });

  it('merges trace facts to the same row whatever order the spans arrive in', async () => {
    const inOneBatch = await postgres.newDatabase();
    await writeAll(inOneBatch.writers[0]!, [{ projectId: PROJECT, spans: spansOf(3) }]);
    const expected = await storedRows(inOneBatch.sql);

    for (const seed of [1, 2, 3]) {
      const { writers, sql } = await postgres.newDatabase();
      for (const span of shuffled(spansOf(3), seed)) await writeAll(writers[0]!, oneSpanBatches([span]));
      expect(await storedRows(sql), `arrival order ${seed}`).toEqual(expected);
      const { rollups, sums } = await rollupsAndSums(sql);
      expect(rollups, `arrival order ${seed}`).toEqual(sums);
    }
  });

  it('fails a batch the database refuses alone, leaving none of its rows, and commits the others', async () => {
    const { writers, sql } = await postgres.newDatabase();
    const [root, ...rest] = spansOf(4);
    // Past BIGINT: PostgreSQL refuses the value (numeric_value_out_of_range).
    const tooLate = { ...root!, observation: { ...root!.observation!, startTimeUnixNano: 2n ** 63n } };

    const outcomes = await writers[0]!([
      { projectId: PROJECT, spans: rest },
      { projectId: PROJECT, spans: [tooLate] },
      { projectId: PROJECT, spans: spansOf(5) },
    ]);

    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
    expect(outcomes[1]).toMatchObject({ ok: false, retryable: false, error: { message: expect.stringMatching(/out of range/) } });
    expect(await sql(`SELECT id FROM observations WHERE id = '${root!.observation!.id}'`)).toEqual([]);
    expect(await sql(`SELECT id FROM traces ORDER BY id`)).toEqual([{ id: traceIdOf(1004) }, { id: traceIdOf(1005) }]);
    const { rollups, sums } = await rollupsAndSums(sql);
    expect(rollups).toEqual(sums);
  });

  it('writes a group naming more traces than one transaction may lock in several transactions, a bigger batch whole in one', async () => {
    const { pool, sql } = await postgres.newDatabase(1, 3);
    const write = createBatchWriter(pool, { maxTracesPerTransaction: 2 });
    const batches: SpanBatch[] = [
      ...[1, 2, 3].map((i) => ({ projectId: PROJECT, spans: spansOf(10 + i) })),
      { projectId: PROJECT, spans: [14, 15, 16].flatMap(spansOf) },
      { projectId: PROJECT, spans: spansOf(17) },
    ];
    // Another session holds the locks of trace-13 and trace-17: the write stops in front of each
    // one, and what it committed by then is what its earlier transactions wrote.
    const holder = await pool.connect();
    const lockOf = (i: number) => String(traceLockKey(PROJECT, traceIdOf(1000 + i)));
    const storedNames = async () => (await sql(`SELECT name FROM traces ORDER BY name`)).map((row) => (row as { name: string }).name);
    const writerWaiting = () =>
      eventually(async () => (await sql(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length === 1);
    try {
      await holder.query('SELECT pg_advisory_lock($1), pg_advisory_lock($2)', [lockOf(13), lockOf(17)]);
      const written = write(batches);

      await writerWaiting();
      expect(await storedNames()).toEqual(['trace-11', 'trace-12']);
      await holder.query('SELECT pg_advisory_unlock($1)', [lockOf(13)]);
      await eventually(async () => (await storedNames()).length > 2);
      await writerWaiting();
      expect(await storedNames()).toEqual(['trace-11', 'trace-12', 'trace-13', 'trace-14', 'trace-15', 'trace-16']);
      await holder.query('SELECT pg_advisory_unlock($1)', [lockOf(17)]);

      expect((await written).map((outcome) => outcome.ok)).toEqual([true, true, true, true, true]);
    } finally {
      holder.release();
    }
    expect(await storedNames()).toHaveLength(7);
    const { rollups, sums } = await rollupsAndSums(sql);
    expect(rollups).toEqual(sums);
  });

  it('moves a trace to the session a later span names and its first start earlier, leaving no empty session', async () => {
    const { writers, sql } = await postgres.newDatabase();
    const traceId = traceIdOf(88);
    const [root] = traceSpans({ id: traceId, startMs: START_MS, sessionId: 'session-old', userId: 'user-x' });
    const child = (n: number, startMs: number, attributes: Record<string, string>) =>
      mapped({
        traceId,
        spanId: spanIdOf(traceId, n),
        parentSpanId: spanIdOf(traceId, 1),
        startTimeUnixNano: msToNs(startMs),
        endTimeUnixNano: msToNs(startMs + 10),
        attributes,
      });

    await writeAll(writers[0]!, [{ projectId: PROJECT, spans: [root!] }]);
    // Starts after the root, so its session outranks the root's.
    await writeAll(writers[0]!, [{ projectId: PROJECT, spans: [child(2, START_MS + 100, { [ours.SPANLITE_TRACE_SESSION_ID]: 'session-new' })] }]);
    // Starts a minute before the root: the trace, its session and its user start earlier.
    await writeAll(writers[0]!, [{ projectId: PROJECT, spans: [child(3, START_MS - 60_000, {})] }]);

    const { rollups, sums } = await rollupsAndSums(sql);
    expect(rollups).toEqual(sums);
    const earlier = String(msToNs(START_MS - 60_000));
    expect(rollups.sessions).toEqual([expect.objectContaining({ key: 'session-new', trace_count: '1', first_start_ns: earlier })]);
    expect(rollups.users).toEqual([expect.objectContaining({ key: 'user-x', first_start_ns: earlier, last_start_ns: earlier })]);
    expect(rollups.dailyTraces).toEqual([{ project_id: PROJECT, day: String(msToNs(START_MS - 60_000) / 86_400_000_000_000n), trace_count: '1' }]);
  });

  it('stores text carrying U+0000 with the character replaced, in TEXT and JSONB columns alike', async () => {
    const { writers, sql } = await postgres.newDatabase();
    const traceId = traceIdOf(77);
    const span = mapped({
      traceId,
      spanId: spanIdOf(traceId, 1),
      name: 'nul\u0000name',
      attributes: { [ours.SPANLITE_TRACE_TAGS]: ['a\u0000b'], 'app.note': 'x\u0000y' },
    });

    await writeAll(writers[0]!, [{ projectId: PROJECT, spans: [span] }]);

    expect(await sql(`SELECT name, attributes->>'app.note' AS note FROM observations`)).toEqual([
      { name: 'nul\ufffdname', note: 'x\ufffdy' },
    ]);
    expect(await sql(`SELECT tags FROM traces`)).toEqual([{ tags: ['a\ufffdb'] }]);
  });

  it('converges to the rows one writer stores when two collectors write the shuffled spans of the same traces at once', async () => {
    const traces = Array.from({ length: 30 }, (_, i) => i + 10);
    const spans = traces.flatMap(spansOf);
    const single = await postgres.newDatabase();
    await writeAll(single.writers[0]!, [{ projectId: PROJECT, spans }]);
    const expected = await storedRows(single.sql);

    const { writers, sql } = await postgres.newDatabase(2);
    // Each collector receives every span (an exporter retrying against the other one), in its own
    // order, one span per request, four requests per transaction, two transactions at a time.
    const streams = [1, 2, 3, 4].map((seed) => {
      const writer = writers[seed % 2]!;
      const batches = oneSpanBatches(shuffled(spans, seed));
      return (async () => {
        for (let at = 0; at < batches.length; at += 4) await writeAll(writer, batches.slice(at, at + 4));
      })();
    });
    await Promise.all(streams);

    expect(await storedRows(sql)).toEqual(expected);
    const { rollups, sums } = await rollupsAndSums(sql);
    expect(rollups).toEqual(sums);
    expect(rollups).toEqual((await rollupsAndSums(single.sql)).rollups);
  });

  it('writes again after the server restarts, on new connections, having lost nothing it acknowledged', async () => {
    const { writers, sql } = await postgres.newDatabase();
    await writeAll(writers[0]!, [{ projectId: PROJECT, spans: spansOf(40) }]);

    await postgres.server().restart();
    // A connection that died with the server may fail one write, as retryable (the write queue's
    // 503); the exporter's retry then goes through on a new connection.
    let failures = 0;
    for (;;) {
      try {
        await writeAll(writers[0]!, [{ projectId: PROJECT, spans: spansOf(41) }]);
        break;
      } catch (error) {
        expect(isTransientPostgresError(error), String(error)).toBe(true);
        expect(++failures).toBeLessThan(2);
      }
    }

    expect(await sql('SELECT id FROM traces ORDER BY id')).toEqual([{ id: traceIdOf(1040) }, { id: traceIdOf(1041) }]);
  });
});
