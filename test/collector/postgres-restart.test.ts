/**
 * The collector (`spanlite start`, a child process) while its PostgreSQL server stops and starts
 * again under load. Exporters send one trace per request and retry on 503 after the Retry-After
 * they got, as the OTel exporters do. While the server is down, ingestion and the REST API answer
 * 503 with Retry-After and a message naming PostgreSQL (never a 500, never no answer); the
 * collector keeps running, reconnects by itself once the server is back, and every span it
 * answered 200 for is readable afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, stopCollectorProcess, type CollectorProcess } from '../helpers/collector-process.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import {
  acknowledged,
  startOutageSenders,
  unreadableTraces,
  expectRanThrough,
  expectStoreUnavailable,
  type OutageLoad,
} from '../helpers/outage-exports.js';

const LOAD: OutageLoad = { traces: 3_000, senders: 4, phaseLimitMs: 60_000 };
/** Traces to have stored before the server stops, and again after it is back. */
const STORED_PER_PHASE = 500;
/** 503 answers to have seen before the server starts again. */
const REFUSALS_WHILE_DOWN = 8;

type Phase = 'up' | 'down' | 'up again';

describe.skipIf(!postgresAvailable())('the collector while its PostgreSQL server restarts', () => {
  let server: PostgresServer;
  let collector: CollectorProcess;
  beforeAll(async () => {
    server = await startPostgres();
    collector = await startCollectorProcess(await server.createDatabase('restart'));
  }, 60_000);
  afterAll(async () => {
    await stopCollectorProcess(collector);
    await server?.stop();
  });

  it('answers 503 with Retry-After while the server is down, reconnects by itself, and loses no span it answered 200 for', async () => {
    let phase: Phase = 'up';
    const senders = await startOutageSenders({ tracesEndpoint: collector.tracesEndpoint, load: LOAD, phase: () => phase });
    const { exports, waitFor, refusals, acknowledgedSentWhile: storedWhile } = senders;
    const restApiWhileDown: Response[] = [];
    try {
      await waitFor(`${STORED_PER_PHASE} traces stored before the stop`, () => storedWhile('up') >= STORED_PER_PHASE);
      await server.shutDown();
      phase = 'down';
      const refusedBefore = refusals();
      await waitFor(`${REFUSALS_WHILE_DOWN} exports refused while down`, () => refusals() - refusedBefore >= REFUSALS_WHILE_DOWN);
      const someStored = exports.find(acknowledged)!.traceId;
      restApiWhileDown.push(await fetch(`${collector.url}/api/public/traces/${someStored}`));
      restApiWhileDown.push(await fetch(`${collector.url}/api/public/traces?limit=10`));
      await server.start();
      phase = 'up again';
      await waitFor(`${STORED_PER_PHASE} traces stored after the restart`, () => storedWhile('up again') >= STORED_PER_PHASE);
    } finally {
      await senders.stop();
    }

    const answers = exports.flatMap((sent) => sent.answers);
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200, 503]));
    for (const refused of answers.filter((answer) => answer.status === 503)) {
      expect(refused.retryAfter).toMatch(/^\d+$/);
    }
    // An export committed before the stop may still be answered 200 after it.
    const refusedWhileDown = answers.filter((answer) => answer.cameWhile === 'down' && answer.status !== 200);
    expect(refusedWhileDown.length).toBeGreaterThanOrEqual(REFUSALS_WHILE_DOWN);
    for (const answer of refusedWhileDown) expect(answer.message).toMatch(/PostgreSQL unavailable: /);

    for (const response of restApiWhileDown) await expectStoreUnavailable(response);

    expectRanThrough(collector);
    // One log line per refused request at most.
    const refusalLines = collector.logs.filter((line) => line.includes('"code":"store_unavailable"'));
    expect(refusalLines.length).toBeLessThanOrEqual(answers.filter((answer) => answer.status === 503).length + restApiWhileDown.length);

    expect(await unreadableTraces(collector.url, exports, LOAD.senders)).toEqual([]);
  }, 4 * LOAD.phaseLimitMs);
});
