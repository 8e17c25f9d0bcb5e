/**
 * POST /api/public/ingestion with the batches Langfuse's pre-OTel SDKs send, on each engine: an
 * update before its create and in another batch, a batch sent again, the v2 observation events,
 * each usage and cost form, masking, and each event answered on its own (207).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';

const T0 = Date.UTC(2025, 6, 1, 8, 0, 0);
const at = (ms: number) => new Date(T0 + ms).toISOString();
/** SPANLITE_MAX_ATTRIBUTE_BYTES of the collectors here. */
const MAX_VALUE_BYTES = 4096;

interface Event {
  id?: string;
  type: string;
  timestamp?: string;
  body: Record<string, unknown>;
}

let postgres: PostgresServer | undefined;
afterAll(() => postgres?.stop());

const ENGINES = [
  { name: 'sqlite', start: () => startTestCollector({ maskDetectors: ['email'], maxAttributeBytes: MAX_VALUE_BYTES }) },
  {
    name: 'postgres',
    skip: !postgresAvailable(),
    start: async () => {
      postgres ??= await startPostgres();
      const url = await postgres.createDatabase(`ingestion_${Date.now()}`);
      return startTestCollector({ dbFile: url, dbEngine: 'postgres', dbPoolSize: 2, maskDetectors: ['email'], maxAttributeBytes: MAX_VALUE_BYTES });
    },
  },
];

describe.each(ENGINES)('Langfuse batch ingestion ($name)', ({ start, skip }) => {
  let collector: TestCollector;
  beforeAll(async () => {
    if (!skip) collector = await start();
  });
  afterAll(() => collector?.close());

  async function send(batch: Event[], to: TestCollector = collector): Promise<{ status: number; body: any }> {
    const response = await fetch(`${to.url}/api/public/ingestion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ batch: batch.map((event) => ({ id: randomUUID(), timestamp: at(0), ...event })), metadata: { sdk_name: 'langfuse-python', sdk_version: '2.60.0' } }),
    });
    return { status: response.status, body: await response.json() };
  }

  it.skipIf(skip)('merges an update sent before its create, in another batch, and counts its usage once', async () => {
    const traceId = randomUUID();
    const generationId = randomUUID();
    const update = {
      type: 'generation-update',
      timestamp: at(2000),
      body: { id: generationId, traceId, endTime: at(1900), output: 'Paris', usage: { promptTokens: 900, completionTokens: 100, totalTokens: 1000 } },
    };
    const create = {
      type: 'generation-create',
      timestamp: at(100),
      body: { id: generationId, traceId, name: 'capital', startTime: at(100), model: 'gpt-4o-mini', input: 'Capital of France?', output: 'thinking', environment: 'production' },
    };
    const trace = { type: 'trace-create', timestamp: at(50), body: { id: traceId, name: 'geography', timestamp: at(50), input: 'Capital of France?', release: 'r7' } };

    expect((await send([update])).body.errors).toEqual([]);
    expect((await send([create, trace])).body.errors).toEqual([]);
    expect((await send([create, trace])).body.errors).toEqual([]); // the SDK's retry of the same batch

    const stored = await collector.getJson(`/api/public/traces/${traceId}`);
    expect(stored).toMatchObject({ name: 'geography', release: 'r7', environment: 'production', input: 'Capital of France?' });
    expect(stored.observations).toHaveLength(1);
    expect(stored.observations[0]).toMatchObject({
      id: generationId,
      name: 'capital',
      type: 'GENERATION',
      model: 'gpt-4o-mini',
      output: 'Paris',
      startTime: at(100),
      endTime: at(1900),
      usageDetails: { input: 900, output: 100, total: 1000 },
    });
    expect(stored.observations[0].costDetails.total).toBeGreaterThan(0);
    const listed = await collector.getJson(`/api/public/traces?name=geography`);
    expect(listed.data[0]).toMatchObject({ id: traceId });
    expect(listed.data[0].totalCost).toBeCloseTo(stored.observations[0].costDetails.total, 10);
  });

  it.skipIf(skip)('keeps the latest update of a field when two updates arrive out of order, each in its own batch', async () => {
    const traceId = randomUUID();
    const spanId = randomUUID();
    await send([{ type: 'span-update', timestamp: at(900), body: { id: spanId, traceId, output: 'final', endTime: at(900) } }]);
    await send([{ type: 'span-update', timestamp: at(300), body: { id: spanId, traceId, output: 'partial', statusMessage: 'streaming' } }]);
    await send([{ type: 'span-create', timestamp: at(0), body: { id: spanId, traceId, name: 'stream', startTime: at(0), output: 'nothing yet' } }]);
    const stored = await collector.getJson(`/api/public/observations/${spanId}`);
    expect(stored).toMatchObject({ name: 'stream', output: 'final', statusMessage: 'streaming', startTime: at(0), endTime: at(900) });
  });

  it.skipIf(skip)('merges a create and its update sent at once to two collectors sharing the database', async () => {
    const other = await startTestCollector({ dbFile: collector.dbFile, dbEngine: collector.dbFile.startsWith('postgres') ? 'postgres' : 'sqlite', dbPoolSize: 2 });
    try {
      const traceId = randomUUID();
      const ids = Array.from({ length: 20 }, () => randomUUID());
      await Promise.all(
        ids.flatMap((id, n) => [
          send([{ type: 'span-create', timestamp: at(n), body: { id, traceId, name: `step-${n}`, startTime: at(n) } }]),
          send([{ type: 'span-update', timestamp: at(n + 100), body: { id, traceId, output: `done-${n}`, endTime: at(n + 100) } }], other),
        ]),
      );
      const stored = await collector.getJson(`/api/public/traces/${traceId}`);
      const merged = stored.observations.map((o: any) => [o.name, o.output]).sort();
      expect(merged).toEqual(ids.map((_, n) => [`step-${n}`, `done-${n}`]).sort());
    } finally {
      await other.close();
    }
  });

  it.skipIf(skip)('sets trace output and facts by a later trace-create, whichever batch arrives first', async () => {
    const traceId = randomUUID();
    await send([{ type: 'trace-create', timestamp: at(900), body: { id: traceId, output: { answer: 42 }, tags: ['late'], metadata: { step: 'end' } } }]);
    await send([{ type: 'trace-create', timestamp: at(10), body: { id: traceId, name: 'deep-thought', userId: 'arthur', output: 'pending', tags: ['early'], metadata: { step: 'start', model: 'dt' } } }]);
    expect(await collector.getJson(`/api/public/traces/${traceId}`)).toMatchObject({
      name: 'deep-thought',
      userId: 'arthur',
      output: { answer: 42 },
      tags: ['early', 'late'],
      metadata: { step: 'end', model: 'dt' },
    });
  });

  it.skipIf(skip)('takes the v2 observation events, usageDetails and costDetails, level and status', async () => {
    const traceId = randomUUID();
    const spanId = randomUUID();
    const generationId = randomUUID();
    const result = await send([
      { type: 'observation-create', body: { id: spanId, traceId, type: 'SPAN', name: 'tool-call', startTime: at(0), version: 'tools-2' } },
      { type: 'observation-update', timestamp: at(500), body: { id: spanId, traceId, type: 'SPAN', endTime: at(400), level: 'ERROR', statusMessage: 'timeout' } },
      {
        type: 'generation-create',
        body: {
          id: generationId,
          traceId,
          parentObservationId: spanId,
          startTime: at(10),
          model: 'my-own-model',
          usageDetails: { input: 10, output: 4, input_cached_tokens: 6 },
          costDetails: { input: 0.001, output: 0.002 },
          metadata: { attempt: 2 },
        },
      },
    ]);
    expect(result.body.errors).toEqual([]);
    const stored = await collector.getJson(`/api/public/traces/${traceId}`);
    const byId = Object.fromEntries(stored.observations.map((o: any) => [o.id, o]));
    expect(byId[spanId]).toMatchObject({ type: 'SPAN', version: 'tools-2', level: 'ERROR', statusMessage: 'timeout', endTime: at(400) });
    expect(byId[generationId]).toMatchObject({
      parentObservationId: spanId,
      usageDetails: { input: 10, output: 4, cachedInput: 6, total: 20 },
      metadata: { attempt: 2 },
    });
    expect(byId[generationId].costDetails).toMatchObject({ input: 0.001, output: 0.002 });
    expect(byId[generationId].costDetails.total).toBeCloseTo(0.003, 10);
  });

  it.skipIf(skip)('masks what the events carry as it masks OTLP spans', async () => {
    const traceId = randomUUID();
    await send([
      { type: 'trace-create', body: { id: traceId, input: 'mail me at jane@example.com' } },
      { type: 'span-create', body: { id: randomUUID(), traceId, name: 'lookup', output: 'found jane@example.com' } },
      { type: 'score-create', body: { id: `masked-${traceId}`, traceId, name: 'note', value: 1, comment: 'from jane@example.com' } },
    ]);
    const stored = await collector.getJson(`/api/public/traces/${traceId}`);
    expect(JSON.stringify(stored)).not.toContain('jane@example.com');
  });

  it.skipIf(skip)('cuts a value over SPANLITE_MAX_ATTRIBUTE_BYTES as OTLP values are cut, and records the cut', async () => {
    const traceId = randomUUID();
    const spanId = randomUUID();
    await send([{ type: 'span-create', body: { id: spanId, traceId, name: 'long', input: { document: 'x'.repeat(10_000) } } }]);
    const stored = await collector.getJson(`/api/public/observations/${spanId}`);
    expect(stored.input.document).toBe(`${'x'.repeat(MAX_VALUE_BYTES)}…[spanlite: truncated from 10000 bytes to ${MAX_VALUE_BYTES}]`);
    expect(stored.attributes['spanlite.truncated']).toEqual([{ key: 'input', originalBytes: 10_000 }]);
  });

  it.skipIf(skip)('answers each event on its own, naming the event and why it was refused', async () => {
    const traceId = randomUUID();
    const result = await send([
      { id: 'ok-trace', type: 'trace-create', body: { id: traceId } },
      { id: 'log', type: 'sdk-log', body: { log: 'flushing' } },
      { id: 'no-id', type: 'span-create', body: { traceId } },
      { id: 'bad-level', type: 'span-create', body: { id: randomUUID(), traceId, level: 'LOUD' } },
      { id: 'no-trace', type: 'span-update', body: { id: randomUUID(), output: 'orphan' } },
      { id: 'bad-type', type: 'dataset-create', body: {} },
      { id: 'bad-score', type: 'score-create', body: { traceId, name: 'csat', value: 'five', dataType: 'NUMERIC' } },
    ]);
    expect(result.status).toBe(207);
    expect(result.body.successes).toEqual([
      { id: 'ok-trace', status: 201 },
      { id: 'log', status: 201 },
    ]);
    expect(result.body.errors).toEqual([
      { id: 'no-id', status: 400, message: 'body.id: expected the observation id (got "nothing")' },
      { id: 'bad-level', status: 400, message: 'body.level: expected DEBUG, DEFAULT, WARNING, ERROR (got "LOUD")' },
      { id: 'bad-type', status: 400, message: 'type: expected an ingestion event type (got "dataset-create")' },
      { id: 'bad-score', status: 400, message: 'value: expected a number for a NUMERIC score (got "five")' },
      { id: 'no-trace', status: 400, message: expect.stringMatching(/^body\.traceId: expected the trace of observation [0-9a-f-]+ \(got nothing, and it is not stored\)$/) },
    ]);
  });

  it.skipIf(skip)('replaces a score sent again by its id, on the observation it names', async () => {
    const traceId = randomUUID();
    const spanId = randomUUID();
    const scoreId = randomUUID();
    await send([
      { type: 'span-create', body: { id: spanId, traceId, name: 'answer' } },
      { type: 'score-create', body: { id: scoreId, traceId, observationId: spanId, name: 'correct', value: 0, dataType: 'BOOLEAN' } },
    ]);
    await send([{ type: 'score-create', body: { id: scoreId, observationId: spanId, name: 'correct', value: 1, dataType: 'BOOLEAN', comment: 'rechecked' } }]);
    expect(await collector.getJson(`/api/public/scores/${scoreId}`)).toMatchObject({ traceId, observationId: spanId, value: 1, comment: 'rechecked' });
  });
});
