/**
 * The collector (`spanlite start`, a child process) while the network to its PostgreSQL server
 * is cut without anything being refused or closed (a partition, a hung host): a proxy between
 * them stops forwarding bytes both ways, keeps every socket open and accepts new connections it
 * never forwards. Exports and REST reads must still be answered, 503 with Retry-After, within the
 * query timeout's bound rather than hang; the collector stays up, and once the network is back
 * it works again by itself, the exporters' retries are stored, and every span it answered 200 for
 * is readable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, stopCollectorProcess, type CollectorProcess } from '../helpers/collector-process.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../helpers/postgres-server.js';
import { startPartitionProxy, type PartitionProxy } from '../helpers/partition-proxy.js';
import {
  acknowledged,
  startOutageSenders,
  unreadableTraces,
  expectRanThrough,
  expectStoreUnavailable,
  type OutageLoad,
} from '../helpers/outage-exports.js';

/** SPANLITE_DB_QUERY_TIMEOUT_MS for the collector: short, for a short test. */
const QUERY_TIMEOUT_MS = 2_000;
/**
 * An answer that has not come by then is taken for a hang (a hang detector, not a measure): an
 * export may wait for the two group commits in flight to fail and then fail itself, each within
 * the query timeout and the client's second beyond it, plus slack for a busy machine.
 */
const ANSWER_LIMIT_MS = 3 * (QUERY_TIMEOUT_MS + 1_000) + 5_000;
const LOAD: OutageLoad = { traces: 1_000, senders: 2, phaseLimitMs: 60_000 };
/** Traces to have stored before the partition, and again after it healed. */
const STORED_PER_PHASE = 100;
/** 503 answers to exports to have seen before the partition heals. */
const REFUSALS_WHILE_PARTITIONED = 4;
/** Enough for an export refused during the partition to be retried until after it healed. */
const EXPORT_ATTEMPTS = 40;

type Phase = 'connected' | 'partitioned' | 'healed';

describe.skipIf(!postgresAvailable())('the collector while the network to its PostgreSQL server is cut', () => {
  let server: PostgresServer;
  let proxy: PartitionProxy;
  let collector: CollectorProcess;
  beforeAll(async () => {
    server = await startPostgres();
    const direct = new URL(await server.createDatabase('partition'));
    proxy = await startPartitionProxy({ host: direct.hostname, port: Number(direct.port) });
    const throughProxy = new URL(direct);
    throughProxy.port = String(proxy.port);
    collector = await startCollectorProcess(throughProxy.href, {
      SPANLITE_DB_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      // The refusals here are the database's; load shedding stays out of the way.
      SPANLITE_MAX_QUEUE_DELAY_MS: '600000',
    });
  }, 60_000);
  afterAll(async () => {
    await stopCollectorProcess(collector);
    await proxy?.close();
    await server?.stop();
  });

  it('answers exports and REST reads 503 with Retry-After instead of hanging, and stores the retries once the network is back', async () => {
    let phase: Phase = 'connected';
    const senders = await startOutageSenders({
      tracesEndpoint: collector.tracesEndpoint,
      load: LOAD,
      phase: () => phase,
      exportOptions: { timeoutMs: ANSWER_LIMIT_MS, attempts: EXPORT_ATTEMPTS },
    });
    const { exports, waitFor, refusals, acknowledgedSentWhile: storedWhile } = senders;
    const restReadsWhilePartitioned: Response[] = [];
    try {
      await waitFor(`${STORED_PER_PHASE} traces stored before the partition`, () => storedWhile('connected') >= STORED_PER_PHASE);
      proxy.partition();
      phase = 'partitioned';
      await waitFor(`${REFUSALS_WHILE_PARTITIONED} exports refused while partitioned`, () => refusals() >= REFUSALS_WHILE_PARTITIONED);
      const someStored = exports.find(acknowledged)!.traceId;
      for (const path of [`/api/public/traces/${someStored}`, '/api/public/traces?limit=10']) {
        restReadsWhilePartitioned.push(await fetch(collector.url + path, { signal: AbortSignal.timeout(ANSWER_LIMIT_MS) }));
      }
      proxy.heal();
      phase = 'healed';
      await waitFor(`${STORED_PER_PHASE} traces stored after the partition healed`, () => storedWhile('healed') >= STORED_PER_PHASE);
    } finally {
      await senders.stop();
    }

    const answers = exports.flatMap((sent) => sent.answers);
    // Every attempt answered, none cut off by the exporter's timeout: no hang, no refused connection.
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200, 503]));
    for (const refused of answers.filter((answer) => answer.status === 503)) {
      expect(refused.retryAfter).toMatch(/^\d+$/);
      expect(refused.message).toMatch(/PostgreSQL unavailable: /);
    }
    expect(answers.filter((answer) => answer.cameWhile === 'partitioned' && answer.status === 503).length).toBeGreaterThanOrEqual(
      REFUSALS_WHILE_PARTITIONED,
    );
    // What was refused during the partition was sent again and stored after it.
    const refusedWhilePartitioned = exports.filter((sent) => sent.answers.some((answer) => answer.cameWhile === 'partitioned' && answer.status === 503));
    expect(refusedWhilePartitioned.length).toBeGreaterThan(0);
    expect(refusedWhilePartitioned.filter((sent) => !acknowledged(sent)).map((sent) => sent.traceId)).toEqual([]);

    for (const response of restReadsWhilePartitioned) await expectStoreUnavailable(response);

    expectRanThrough(collector);
    expect(await unreadableTraces(collector.url, exports, LOAD.senders)).toEqual([]);
  }, 4 * LOAD.phaseLimitMs);
});
