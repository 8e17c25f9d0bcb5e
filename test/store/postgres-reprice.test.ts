/**
 * Repricing on PostgreSQL while spans of the same traces are being written: each step takes the
 * writer's trace locks and reads its observations again under them, so no update is lost
 * either way. The outcome equals a fresh ingest of every span at the new price.
 */
import { describe, expect, it } from 'vitest';
import type { MappedSpan } from '../../collector/model.js';
import type { TraceStore } from '../../collector/store/contract.js';
import { applyCost } from '../../collector/pricing/cost.js';
import { createPriceIndex, type PriceIndex } from '../../collector/pricing/price-index.js';
import { repriceStored } from '../../collector/pricing/repricer.js';
import { ENGINES } from './engines.js';
import { storePerTest, withStore } from './lifecycle.js';
import { MINUTE, T0 } from '../helpers/conversation-traces.js';
import { traceIdOf, traceSpans, writeSpans, type TraceSpec } from './trace-spans.js';
import { userPrice } from '../helpers/user-price.js';

const PROJECT = 'reprice-concurrent';
const TRACES = 30;
const NEW_PRICES = createPriceIndex([userPrice('test-mini', 'test-mini', { input: 0.000003, output: 0.000005 })]);

/** Each trace: a root, a generation stored before the repricing, one written while it runs. */
const SPECS: TraceSpec[] = Array.from({ length: TRACES }, (_, n) => ({
  id: traceIdOf(0x900 + n),
  name: `turn-${n}`,
  startMs: T0 + n * MINUTE,
  sessionId: `conv-${n % 4}`,
  userId: `user-${n % 3}`,
  generations: [
    { model: 'test-mini', inputTokens: 100 + n, outputTokens: 10 + n },
    { model: 'test-mini', inputTokens: 200 + n, outputTokens: 20 + n },
  ],
}));

function pricedWith(spans: MappedSpan[], prices: PriceIndex): MappedSpan[] {
  for (const span of spans) if (span.observation !== null) applyCost(span.observation, prices);
  return spans;
}

async function totalsOf(store: TraceStore) {
  const traces = await Promise.all(SPECS.map((spec) => store.getTrace(PROJECT, spec.id)));
  return {
    traces: traces.map((trace) => ({ id: trace?.id, totalCostUsd: trace?.totalCostUsd, observations: trace?.observations.map((o) => [o.id, o.costUsd]) })),
    sessions: (await store.listSessions(PROJECT, { page: 1, limit: 50 })).data,
    users: (await store.listUsers(PROJECT, { page: 1, limit: 50, orderBy: { field: 'lastTraceAt', direction: 'desc' } })).data,
    days: (await store.dailyMetrics(PROJECT, { page: 1, limit: 50 })).data,
  };
}

describe.each(ENGINES.filter((engine) => engine.name === 'postgres'))('repricing beside ingestion ($name)', (engine) => {
  const store = storePerTest(engine);

  it('loses no update of spans written to the same traces while it runs', async () => {
    const fresh = await withStore(engine, async (oracle) => {
      await writeSpans(oracle, PROJECT, pricedWith(SPECS.flatMap(traceSpans), NEW_PRICES));
      return totalsOf(oracle);
    });
    // Stored at the old price (the suite's test table): the root and the first generation.
    await writeSpans(store(), PROJECT, SPECS.flatMap((spec) => traceSpans(spec).slice(0, 2)));

    const lateSpans = SPECS.map((spec) => pricedWith(traceSpans(spec).slice(2), NEW_PRICES));
    const writing = (async () => {
      for (const spans of lateSpans) await writeSpans(store(), PROJECT, spans);
    })();
    const repricing = repriceStored(PROJECT, {}, { store: store(), prices: { indexFor: () => NEW_PRICES }, stepLimit: 3 });
    await Promise.all([writing, repricing]);

    expect(await totalsOf(store())).toEqual(fresh);
  });
});
