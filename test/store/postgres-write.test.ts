/**
 * The PostgreSQL write path (store/postgres/write/), read back with SQL: a batch's traces,
 * observations, scores and tags; retries that change nothing; trace facts that converge in any
 * arrival order; a refused batch failing alone; and several writers on one database at once
 * storing exactly what one writer stores.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MappedSpan } from '../../collector/model.js';
import type { SpanBatch } from '../../collector/store/contract.js';
import { createBatchWriter, type WriteBatches } from '../../collector/store/postgres/write/batch-writer.js';
import { preparePostgresDatabase } from '../../collector/store/postgres/prepare.js';
import * as ours from '../../semconv/spanlite.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
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

/** A permutation from a seeded generator, so a failure repeats. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

const oneSpanBatches = (spans: readonly MappedSpan[]): SpanBatch[] => spans.map((span) => ({ projectId: PROJECT, spans: [span] }));

describe.skipIf(!postgresAvailable())('the PostgreSQL write path', () => {
  let server: PostgresServer;
  let databases = 0;
  const pools: pg.Pool[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await server?.stop();
  });

  /** A new prepared database, and a writer on a pool of its own for each of `writers`. */
  async function newDatabase(writers = 1): Promise<{ writers: WriteBatches[]; sql: (text: string) => Promise<unknown[]> }> {
    const url = await server.createDatabase(`write_${++databases}`);
    const opened = await Promise.all(Array.from({ length: writers }, () => preparePostgresDatabase({ url, poolSize: 2 })));
    pools.push(...opened);
    const sql = async (text: string) => (await opened[0]!.query(text)).rows;
    return { writers: opened.map((pool) => createBatchWriter(pool)), sql };
  }

  async function writeAll(write: WriteBatches, batches: readonly SpanBatch[]): Promise<void> {
    const outcomes = await write(batches);
    for (const outcome of outcomes) if (!outcome.ok) throw outcome.error;
  }

  /** Every stored row the write path decides, in a stable order; the times of writing left out. */
  async function storedRows(sql: (text: string) => Promise<unknown[]>) {
    return {
      traces: await sql(`SELECT project_id, id, name, user_id, session_id, release, version, environment, tags, metadata, input,
        output, public, start_time_ns, end_time_ns, total_cost, input_tokens, output_tokens, total_tokens, fact_ranks
        FROM traces ORDER BY project_id, id`),
      observations: await sql('SELECT * FROM observations ORDER BY project_id, trace_id, id'),
      scores: await sql(`SELECT project_id, id, trace_id, observation_id, name, value, string_value, data_type, comment, source,
        time_ns, metadata FROM scores ORDER BY project_id, id`),
      tags: await sql('SELECT * FROM trace_tags ORDER BY project_id, tag, trace_id'),
    };
  }

  it("stores a batch's traces with merged facts and totals, their observations, scores and tags", async () => {
    const { writers, sql } = await newDatabase();
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
  });

  it('changes nothing when a batch is sent again: no observation or cost counted twice', async () => {
    const { writers, sql } = await newDatabase();
    const batch: SpanBatch = { projectId: PROJECT, spans: spansOf(2) };
    await writeAll(writers[0]!, [batch]);
    const once = await storedRows(sql);

    await writeAll(writers[0]!, [batch]);
    await writeAll(writers[0]!, [batch, batch]);

    expect(await storedRows(sql)).toEqual(once);
  });

  it('merges trace facts to the same row whatever order the spans arrive in', async () => {
    const inOneBatch = await newDatabase();
    await writeAll(inOneBatch.writers[0]!, [{ projectId: PROJECT, spans: spansOf(3) }]);
    const expected = await storedRows(inOneBatch.sql);

    for (const seed of [1, 2, 3]) {
      const { writers, sql } = await newDatabase();
      for (const span of shuffled(spansOf(3), seed)) await writeAll(writers[0]!, oneSpanBatches([span]));
      expect(await storedRows(sql), `arrival order ${seed}`).toEqual(expected);
    }
  });

  it('fails a batch the database refuses alone, leaving none of its rows, and commits the others', async () => {
    const { writers, sql } = await newDatabase();
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
  });

  it('stores text carrying U+0000 with the character replaced, in TEXT and JSONB columns alike', async () => {
    const { writers, sql } = await newDatabase();
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
    const single = await newDatabase();
    await writeAll(single.writers[0]!, [{ projectId: PROJECT, spans }]);
    const expected = await storedRows(single.sql);

    const { writers, sql } = await newDatabase(2);
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
  });
});
