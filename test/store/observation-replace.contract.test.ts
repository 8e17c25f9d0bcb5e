/**
 * Observations folded onto the stored one under their key (MappedSpan.foldOntoStored, Langfuse
 * ingestion updates): the fold sees what is stored, its result is what is read back, and the
 * trace totals and daily usage count it once, with its own usage and cost, however often it is
 * sent; batches of one group fold in turn, each onto the one before.
 */
import { describe, expect, it } from 'vitest';
import type { MappedSpan, Observation } from '../../collector/model.js';
import * as genAi from '../../semconv/gen-ai.js';
import { ENGINES } from './engines.js';
import { storePerTest } from './lifecycle.js';
import { mapped, msToNs, spanIdOf, traceIdOf, writeSpans } from './trace-spans.js';

const PROJECT = 'replace-project';
const T0 = Date.UTC(2025, 5, 2, 9, 0, 0);
const TRACE = traceIdOf(0xc3);
const DAY = { fromTimeUnixNano: msToNs(T0 - 86_400_000), toTimeUnixNano: msToNs(T0 + 86_400_000) };

function generation(n: number, model: string, inputTokens: number, outputTokens: number): MappedSpan {
  return mapped({
    traceId: TRACE,
    spanId: spanIdOf(TRACE, n),
    name: `call-${n}`,
    startTimeUnixNano: msToNs(T0 + n),
    endTimeUnixNano: msToNs(T0 + n + 500),
    attributes: {
      [genAi.GEN_AI_OPERATION_NAME]: 'chat',
      [genAi.GEN_AI_REQUEST_MODEL]: model,
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: inputTokens,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: outputTokens,
      [genAi.GEN_AI_USAGE_COST]: inputTokens / 1000,
    },
  });
}

/** A fold that sets `changes` on whatever is stored (on `of` when nothing is). */
function replacement(of: MappedSpan, changes: Partial<Observation>): MappedSpan {
  const fold = (stored: Observation | null): Observation => ({ ...(stored ?? of.observation!), ...changes });
  return { ...of, observation: fold(null), foldOntoStored: fold };
}

describe.each(ENGINES)('observations replaced under their key ($name)', (engine) => {
  const store = storePerTest(engine);
  const usageOn = async (model: string) => {
    const days = await store().dailyMetrics(PROJECT, { page: 1, limit: 10, ...DAY });
    return days.data.flatMap((day) => day.usageByModel).find((usage) => usage.model === model);
  };

  it('reads back the replacement, counted once in the trace totals and daily usage, however often it is sent', async () => {
    const first = generation(2, 'gpt-4o-mini', 100, 20);
    await writeSpans(store(), PROJECT, [generation(1, 'gpt-4o-mini', 10, 5), first]);
    const update = replacement(first, { output: 'the answer', usage: { input: 300, output: 60, total: 360 }, cost: { total: 0.3 } });
    await writeSpans(store(), PROJECT, [update]);
    await writeSpans(store(), PROJECT, [update]);

    const trace = await store().getTrace(PROJECT, TRACE);
    expect(trace?.observations.find((o) => o.id === first.observation!.id)).toMatchObject({ output: 'the answer', usage: { input: 300, output: 60, total: 360 } });
    expect(trace).toMatchObject({ inputTokens: 310, outputTokens: 65, totalTokens: 375 });
    expect(trace?.totalCostUsd).toBeCloseTo(0.31, 10);
    expect(await usageOn('gpt-4o-mini')).toMatchObject({ observationCount: 2, traceCount: 1, inputTokens: 310, outputTokens: 65 });
  });

  it('moves the usage to the model the replacement names, and the trace off a model none of its observations is left on', async () => {
    const first = generation(2, 'gpt-4o-mini', 100, 20);
    await writeSpans(store(), PROJECT, [first]);
    await writeSpans(store(), PROJECT, [replacement(first, { model: 'claude-3-5-haiku', usage: { input: 40, output: 8, total: 48 }, cost: { total: 0.04 } })]);

    expect(await usageOn('claude-3-5-haiku')).toMatchObject({ observationCount: 1, traceCount: 1, inputTokens: 40, outputTokens: 8 });
    const left = await usageOn('gpt-4o-mini');
    expect(left === undefined || (left.observationCount === 0 && left.traceCount === 0 && left.inputTokens === 0)).toBe(true);
  });

  it('folds onto what is stored, each batch of a group onto the one before it', async () => {
    const first = generation(2, 'gpt-4o-mini', 100, 20);
    await writeSpans(store(), PROJECT, [first]);
    const outcomes = await store().writeBatches([
      { projectId: PROJECT, spans: [replacement(first, { output: 'streamed answer' })] },
      { projectId: PROJECT, spans: [replacement(first, { level: 'WARNING', statusMessage: 'slow' })] },
    ]);
    expect(outcomes).toEqual([{ ok: true }, { ok: true }]);
    const trace = await store().getTrace(PROJECT, TRACE);
    expect(trace?.observations).toHaveLength(1);
    expect(trace?.observations[0]).toMatchObject({ name: 'call-2', output: 'streamed answer', level: 'WARNING', statusMessage: 'slow', usage: { input: 100, output: 20 } });
    expect(trace).toMatchObject({ inputTokens: 100, outputTokens: 20 });
  });

  it('stores a replacement of nothing stored as a new observation', async () => {
    const only = replacement(generation(3, 'gpt-4o-mini', 50, 5), { output: 'first seen' });
    await writeSpans(store(), PROJECT, [only]);
    const trace = await store().getTrace(PROJECT, TRACE);
    expect(trace?.observations.map((o) => o.output)).toEqual(['first seen']);
    expect(trace).toMatchObject({ inputTokens: 50, outputTokens: 5 });
  });
});
