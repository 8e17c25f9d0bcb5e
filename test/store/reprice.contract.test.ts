/**
 * Repricing in the store contract (TraceStore.repriceObservations, driven by repriceStored):
 * stored observations priced again leave the store as a fresh ingest at the new price would
 * (observation costs, trace totals, sessions, users, daily metrics), in steps of any size; a
 * reported cost is kept; a second run changes nothing; the model, time range and project
 * asked for bound what changes.
 */
import { describe, expect, it } from 'vitest';
import type { MappedSpan } from '../../collector/model.js';
import type { TraceStore } from '../../collector/store/contract.js';
import { applyCost } from '../../collector/pricing/cost.js';
import { createPriceIndex, type PriceIndex } from '../../collector/pricing/price-index.js';
import { repriceStored, type RepriceRange } from '../../collector/pricing/repricer.js';
import { userPrice } from '../helpers/user-price.js';
import { ENGINES } from './engines.js';
import { storePerTest, withStore } from './lifecycle.js';
import { MINUTE, T0 } from '../helpers/conversation-traces.js';
import { msToNs, traceIdOf, traceSpans, writeSpans, writeTraces, type TraceSpec } from './trace-spans.js';

const PROJECT = 'reprice-project';
const OTHER_PROJECT = 'reprice-other-project';
const DAY = 24 * 60 * MINUTE;


/** test-mini at a new price, and test-other (unpriced when the traces were written) priced. */
const NEW_PRICES = createPriceIndex([userPrice('test-mini', 'test-mini', { input: 0.000003, output: 0.000005 }), userPrice('test-other', 'test-other', { input: 0.00001, output: 0.00002 })]);

const SPECS: TraceSpec[] = [
  {
    id: traceIdOf(0x7a1),
    name: 'chat',
    startMs: T0,
    sessionId: 'conv-1',
    userId: 'u1',
    generations: [
      { model: 'test-mini', inputTokens: 1000, outputTokens: 100 },
      { model: 'test-mini', inputTokens: 50, outputTokens: 5, costUsd: 0.25 },
    ],
  },
  {
    id: traceIdOf(0x7a2),
    name: 'chat',
    startMs: T0 + MINUTE,
    sessionId: 'conv-1',
    userId: 'u1',
    generations: [{ model: 'test-other', inputTokens: 300, outputTokens: 30 }],
  },
  {
    id: traceIdOf(0x7a3),
    name: 'later',
    startMs: T0 + DAY,
    userId: 'u2',
    generations: [
      { model: 'test-mini', inputTokens: 10, outputTokens: 1 },
      { model: 'test-other', inputTokens: 20, outputTokens: 2 },
    ],
  },
];

/** The specs' spans as ingestion would price them with `prices`: a reported cost still wins. */
function spansPricedWith(specs: readonly TraceSpec[], prices: PriceIndex): MappedSpan[] {
  return specs.flatMap(traceSpans).map((span) => {
    if (span.observation !== null) applyCost(span.observation, prices);
    return span;
  });
}

const pricesFor = (index: PriceIndex) => ({ indexFor: () => index });

async function reprice(store: TraceStore, range: RepriceRange = {}, stepLimit = 500, projectId = PROJECT) {
  return repriceStored(projectId, range, { store, prices: pricesFor(NEW_PRICES), stepLimit });
}

/** Everything a repricing may change, as the store answers it (write times left out). */
async function costsOf(store: TraceStore, projectId = PROJECT) {
  const traces = await Promise.all(SPECS.map((spec) => store.getTrace(projectId, spec.id)));
  return {
    traces: traces.map((trace) => ({
      id: trace?.id,
      totalCostUsd: trace?.totalCostUsd,
      observations: trace?.observations.map((o) => ({ id: o.id, costUsd: o.costUsd, totalCostUsd: o.totalCostUsd, costMissingReason: o.costMissingReason })),
    })),
    sessions: (await store.listSessions(projectId, { page: 1, limit: 50 })).data,
    users: (await store.listUsers(projectId, { page: 1, limit: 50, orderBy: { field: 'lastTraceAt', direction: 'desc' } })).data,
    days: (await store.dailyMetrics(projectId, { page: 1, limit: 50 })).data,
  };
}

describe.each(ENGINES)('repricing stored observations ($name)', (engine) => {
  const store = storePerTest(engine);

  it('leaves the store as a fresh ingest at the new prices would, in steps of any size', async () => {
    const fresh = await withStore(engine, async (oracle) => {
      await writeSpans(oracle, PROJECT, spansPricedWith(SPECS, NEW_PRICES));
      return costsOf(oracle);
    });
    await writeTraces(store(), PROJECT, SPECS);
    expect(await costsOf(store())).not.toEqual(fresh);

    const figures = await reprice(store(), {}, 2);

    expect(await costsOf(store())).toEqual(fresh);
    // Four generations priced again; the one with a reported cost examined but kept.
    expect(figures).toEqual({ observations: 4, traces: 3, examined: 5 });
  });

  it('keeps a cost the span reported', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    await reprice(store());
    const trace = await store().getTrace(PROJECT, SPECS[0]!.id);
    expect(trace?.observations.find((o) => o.name === 'generation-1')?.costUsd).toEqual({ total: 0.25 });
  });

  it('changes nothing when run again', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    await reprice(store());
    const once = await costsOf(store());
    const updatedAt = (await store().getTrace(PROJECT, SPECS[0]!.id))?.updatedAtMs;
    expect(await reprice(store(), {}, 1)).toEqual({ observations: 0, traces: 0, examined: 5 });
    expect(await costsOf(store())).toEqual(once);
    expect((await store().getTrace(PROJECT, SPECS[0]!.id))?.updatedAtMs).toBe(updatedAt);
  });

  it('reprices only the model asked for', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    const before = await costsOf(store());
    expect(await reprice(store(), { model: 'test-other' })).toEqual({ observations: 2, traces: 2, examined: 2 });
    const after = await costsOf(store());
    const generation = (costs: typeof before, trace: number, index: number) => costs.traces[trace]!.observations!.find((o) => o.id.endsWith(`000${index + 2}`));
    expect(generation(after, 0, 0)).toEqual(generation(before, 0, 0));
    expect(generation(before, 1, 0)?.costMissingReason).toBe('no_price_match');
    expect(generation(after, 1, 0)?.totalCostUsd).toBeCloseTo(300 * 0.00001 + 30 * 0.00002, 12);
    expect(after.traces[1]!.totalCostUsd).toBeCloseTo(300 * 0.00001 + 30 * 0.00002, 12);
  });

  it('reprices only observations that started in the range, from inclusive and to exclusive', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    const before = await costsOf(store());
    const firstGeneration = msToNs(T0 + 10);
    const figures = await reprice(store(), { fromTimeUnixNano: firstGeneration, toTimeUnixNano: msToNs(T0 + DAY) });
    expect(figures).toEqual({ observations: 2, traces: 2, examined: 3 });
    const after = await costsOf(store());
    expect(after.traces[2]).toEqual(before.traces[2]);
    expect(after.traces[0]!.totalCostUsd).not.toBe(before.traces[0]!.totalCostUsd);
  });

  it('leaves another project\'s observations of the same models alone', async () => {
    await writeTraces(store(), PROJECT, SPECS);
    await writeTraces(store(), OTHER_PROJECT, SPECS);
    const other = await costsOf(store(), OTHER_PROJECT);
    await reprice(store());
    expect(await costsOf(store(), OTHER_PROJECT)).toEqual(other);
    expect(await reprice(store(), {}, 500, 'no-such-project')).toEqual({ observations: 0, traces: 0, examined: 0 });
  });

  it('takes a trace total back to null when no observation of it is priced any more', async () => {
    await writeTraces(store(), PROJECT, [SPECS[0]!]);
    const noPrices = { indexFor: () => createPriceIndex([]) };
    await repriceStored(PROJECT, { model: 'test-mini' }, { store: store(), prices: noPrices });
    const trace = await store().getTrace(PROJECT, SPECS[0]!.id);
    // The reported cost stays, so the trace keeps it alone.
    expect(trace?.totalCostUsd).toBe(0.25);
    expect(trace?.observations.find((o) => o.name === 'generation-0')).toMatchObject({ costUsd: null, costMissingReason: 'no_price_match' });
    await writeTraces(store(), PROJECT, [SPECS[1]!]);
    await repriceStored(PROJECT, {}, { store: store(), prices: noPrices });
    expect((await store().getTrace(PROJECT, SPECS[1]!.id))?.totalCostUsd).toBeNull();
  });
});
