/**
 * The PostgreSQL GenAI log-message join (store/postgres/write/log-join.ts), read back with SQL: a
 * message record and its span's observation joined whichever arrives first, in any order, across
 * batches and across collectors writing at once, to the input and output the SQLite store reads
 * for the same records; a re-sent record changes nothing; log records that are not messages are
 * stored as EVENT observations. Every rollup is checked against sums over the stored rows.
 */
import { describe, expect, it } from 'vitest';
import type { MappedSpan } from '../../collector/model.js';
import type { SpanBatch } from '../../collector/store/contract.js';
import { mapLogRecords } from '../../collector/mapping/log-records.js';
import type { WriteBatches } from '../../collector/store/postgres/write/batch-writer.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { GEN_AI_CHOICE_EVENT, GEN_AI_SYSTEM_MESSAGE_EVENT, GEN_AI_USER_MESSAGE_EVENT } from '../../semconv/gen-ai-events.js';
import { postgresAvailable } from '../helpers/postgres-server.js';
import { shuffled } from '../helpers/shuffled.js';
import { postgresPerFile, rollupsAndSums, storedRows, type Sql } from './postgres-rows.js';
import { msToNs, spanIdOf, traceIdOf, traceSpans } from './trace-spans.js';

const PROJECT = 'log-join-project';
const START_MS = Date.UTC(2026, 2, 9, 8);

interface RecordSpec {
  traceId: string;
  spanId: string;
  atMs: number;
  eventName: string;
  body: Record<string, unknown>;
}

/** One OTLP logs export of these records, mapped as the pipeline maps it. */
function logBatch(records: readonly RecordSpec[]): SpanBatch {
  const { logs } = mapLogRecords({
    records: records.map((r, index) => ({
      traceId: r.traceId,
      spanId: r.spanId,
      timeUnixNano: msToNs(r.atMs),
      severityNumber: 9,
      severityText: 'INFO',
      eventName: r.eventName,
      body: r.body as never,
      attributes: {},
      resource: {},
      scope: { name: 'genai-logs', version: '1.0.0', attributes: {} },
      position: `resourceLogs[0].scopeLogs[0].logRecords[${index}]`,
    })),
    refused: [],
  });
  return { projectId: PROJECT, spans: [], logs };
}

/** Trace i: a root span and one generation, as separate batches. */
function spanBatches(i: number): SpanBatch[] {
  const id = traceIdOf(0x10 + i);
  const spans: MappedSpan[] = traceSpans({
    id,
    name: `chat-${i}`,
    startMs: START_MS + i * 60_000,
    sessionId: `session-${i % 2}`,
    input: 'from the span',
    generations: [{ model: 'test-mini', inputTokens: 20 + i, outputTokens: 7 }],
  });
  return spans.map((span) => ({ projectId: PROJECT, spans: [span] }));
}

/**
 * Trace i's message exports: the root's system and user messages (two at one time, in one export:
 * their order is the record order), the generation's user message and its choice, and one log
 * record that is no message (an EVENT observation).
 */
function messageBatches(i: number): SpanBatch[] {
  const traceId = traceIdOf(0x10 + i);
  const root = spanIdOf(traceId, 1);
  const generation = spanIdOf(traceId, 2);
  const at = START_MS + i * 60_000;
  return [
    logBatch([
      { traceId, spanId: root, atMs: at + 1, eventName: GEN_AI_SYSTEM_MESSAGE_EVENT, body: { content: `be brief ${i}` } },
      { traceId, spanId: root, atMs: at + 1, eventName: GEN_AI_USER_MESSAGE_EVENT, body: { content: `hello ${i}` } },
    ]),
    logBatch([{ traceId, spanId: generation, atMs: at + 20, eventName: GEN_AI_USER_MESSAGE_EVENT, body: { content: `prompt ${i}` } }]),
    logBatch([
      { traceId, spanId: generation, atMs: at + 30, eventName: GEN_AI_CHOICE_EVENT, body: { index: 0, message: { content: `answer ${i}` } } },
    ]),
    logBatch([{ traceId, spanId: generation, atMs: at + 40, eventName: 'app.cache.hit', body: { key: `k${i}` } }]),
  ];
}

describe.skipIf(!postgresAvailable())('the PostgreSQL log-message join', () => {
  const postgres = postgresPerFile('log_join');

  async function writeEach(write: WriteBatches, batches: readonly SpanBatch[]): Promise<void> {
    for (const batch of batches) {
      const [outcome] = await write([batch]);
      if (!outcome!.ok) throw outcome!.error;
    }
  }

  /** Each observation's and trace's input and output as SQLite reads them after the same batches. */
  async function sqliteReads(batches: readonly SpanBatch[], traceIds: readonly string[]) {
    const store = openSqliteStore({ file: ':memory:' });
    try {
      for (const batch of batches) expect(await store.writeBatches([batch])).toEqual([{ ok: true }]);
      const reads = [];
      for (const traceId of traceIds) {
        const trace = (await store.getTrace(PROJECT, traceId))!;
        reads.push({
          trace: { id: trace.id, input: trace.input, output: trace.output },
          observations: trace.observations
            .map((o) => ({ id: o.id, type: o.type, name: o.name, input: o.input, output: o.output }))
            .sort((a, b) => (a.id < b.id ? -1 : 1)),
        });
      }
      return reads;
    } finally {
      await store.close();
    }
  }

  /** The same from PostgreSQL's rows. */
  async function postgresReads(sql: Sql, traceIds: readonly string[]) {
    const parse = (json: unknown) => (json === null ? null : JSON.parse(json as string));
    const reads = [];
    for (const traceId of traceIds) {
      const [trace] = (await sql(`SELECT id, input, output FROM traces WHERE id = '${traceId}'`)) as Array<Record<string, unknown>>;
      const observations = (await sql(
        `SELECT id, type, name, input, output FROM observations WHERE trace_id = '${traceId}' ORDER BY id`,
      )) as Array<Record<string, unknown>>;
      reads.push({
        trace: { id: trace!.id, input: parse(trace!.input), output: parse(trace!.output) },
        observations: observations.map((o) => ({ ...o, input: parse(o.input), output: parse(o.output) })),
      });
    }
    return reads;
  }

  it('joins messages and spans to the rows SQLite reads, whether the span or its messages arrive first', async () => {
    const traceIds = [traceIdOf(0x11)];
    const spansFirst = [...spanBatches(1), ...messageBatches(1)];
    const expected = await sqliteReads(spansFirst, traceIds);
    // The messages replaced the span's own input, and the root's reached the trace.
    expect(expected[0]!.trace.input).toEqual([
      { role: 'system', content: 'be brief 1' },
      { role: 'user', content: 'hello 1' },
    ]);
    expect(expected[0]!.observations.find((o) => o.type === 'GENERATION')).toMatchObject({
      input: [{ role: 'user', content: 'prompt 1' }],
      output: [expect.objectContaining({ content: 'answer 1' })],
    });
    expect(expected[0]!.observations.map((o) => o.type).sort()).toEqual(['EVENT', 'GENERATION', 'SPAN']);

    const orders = {
      spansFirst,
      messagesFirst: [...messageBatches(1), ...spanBatches(1)],
      shuffled: shuffled([...spanBatches(1), ...messageBatches(1)], 7),
    };
    let reference: Awaited<ReturnType<typeof storedRows>> | undefined;
    for (const [order, batches] of Object.entries(orders)) {
      const { writers, sql } = await postgres.newDatabase();
      await writeEach(writers[0]!, batches);
      expect(await postgresReads(sql, traceIds), order).toEqual(expected);
      expect(await sql('SELECT count(*)::int AS n FROM gen_ai_log_messages WHERE waiting'), order).toEqual([{ n: 0 }]);
      const rows = await storedRows(sql);
      if (reference === undefined) reference = rows;
      // fact_ranks record which contribution gave each fact: the same facts may come in other ranks.
      const withoutRanks = (stored: typeof rows) => ({ ...stored, traces: stored.traces.map((t) => ({ ...(t as object), fact_ranks: null })) });
      expect(withoutRanks(rows), order).toEqual(withoutRanks(reference));
      const { rollups, sums } = await rollupsAndSums(sql);
      expect(rollups, order).toEqual(sums);
    }
  });

  it('keeps messages whose span has not arrived waiting, and changes nothing when their export is sent again', async () => {
    const { writers, sql } = await postgres.newDatabase();
    const messages = messageBatches(2);
    await writeEach(writers[0]!, messages);
    // Four messages wait; the record that is no message is an EVENT observation already.
    expect(await sql('SELECT count(*)::int AS n FROM gen_ai_log_messages WHERE waiting')).toEqual([{ n: 4 }]);
    expect(await sql(`SELECT type FROM observations`)).toEqual([{ type: 'EVENT' }]);

    await writeEach(writers[0]!, messages);
    await writers[0]!(messages);
    expect(await sql('SELECT count(*)::int AS n FROM gen_ai_log_messages')).toEqual([{ n: 4 }]);

    await writeEach(writers[0]!, spanBatches(2));
    const once = await storedRows(sql);
    await writeEach(writers[0]!, [...messages, ...spanBatches(2)]);
    expect(await storedRows(sql)).toEqual(once);
    expect(await postgresReads(sql, [traceIdOf(0x12)])).toEqual(await sqliteReads([...messages, ...spanBatches(2)], [traceIdOf(0x12)]));
    const { rollups, sums } = await rollupsAndSums(sql);
    expect(rollups).toEqual(sums);
  });

  it('joins every message when two collectors receive the spans and messages of many traces at once, shuffled', async () => {
    const traces = Array.from({ length: 12 }, (_, i) => 20 + i);
    const traceIds = traces.map((i) => traceIdOf(0x10 + i));
    const all = traces.flatMap((i) => [...spanBatches(i), ...messageBatches(i)]);
    const expected = await sqliteReads(all, traceIds);

    const { writers, sql } = await postgres.newDatabase(2);
    const order = shuffled(all, 3);
    // Each collector writes its half in groups of three, both at once.
    const halves = [order.filter((_, n) => n % 2 === 0), order.filter((_, n) => n % 2 === 1)];
    await Promise.all(
      halves.map(async (half, w) => {
        for (let from = 0; from < half.length; from += 3) {
          const outcomes = await writers[w]!(half.slice(from, from + 3));
          for (const outcome of outcomes) if (!outcome.ok) throw outcome.error;
        }
      }),
    );

    expect(await postgresReads(sql, traceIds)).toEqual(expected);
    expect(await sql('SELECT count(*)::int AS n FROM gen_ai_log_messages WHERE waiting')).toEqual([{ n: 0 }]);
    expect(await sql('SELECT count(*)::int AS n FROM gen_ai_log_messages')).toEqual([{ n: 4 * traces.length }]);
    const { rollups, sums } = await rollupsAndSums(sql);
    expect(rollups).toEqual(sums);
  });
});
