import { describe, expect, it } from 'vitest';
import { mergeTraceContribution, type TraceFactsState } from '../../collector/trace-merge.js';
import type { TraceContribution } from '../../collector/model.js';

function contribution(startSeconds: number, spanId: string, parts: Partial<TraceContribution>): TraceContribution {
  const start = BigInt(startSeconds) * 1_000_000_000n;
  return {
    traceId: 't',
    rank: start.toString().padStart(20, '0') + spanId,
    explicit: {},
    implicit: {},
    startTimeUnixNano: start,
    endTimeUnixNano: start + 1_000_000_000n,
    ...parts,
  };
}

const spans: TraceContribution[] = [
  contribution(10, 'aaaa', { implicit: { name: 'root-span', input: 'root input' }, explicit: { userId: 'early-user' } }),
  contribution(11, 'bbbb', { explicit: { name: 'named-trace', tags: ['x'], metadata: { plan: 'free' } } }),
  contribution(12, 'cccc', { explicit: { userId: 'late-user', tags: ['y'], metadata: { plan: 'pro', region: 'eu' } } }),
  contribution(13, 'dddd', { explicit: { sessionId: 's1', tags: ['x', 'z'] } }),
];

function fold(order: readonly TraceContribution[]): TraceFactsState {
  return order.reduce<TraceFactsState | null>((state, c) => mergeTraceContribution(state, c), null)!;
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('mergeTraceContribution', () => {
  it('gives the same trace for every one of the 24 arrival orders', () => {
    const expected = fold(spans);
    for (const order of permutations(spans)) expect(fold(order)).toEqual(expected);
  });

  it('lets explicit facts beat root defaults, and the later-starting span win among explicit ones', () => {
    const { facts } = fold(spans);
    expect(facts).toEqual({
      name: 'named-trace',
      input: 'root input',
      userId: 'late-user',
      sessionId: 's1',
      tags: ['x', 'y', 'z'],
      metadata: { plan: 'pro', region: 'eu' },
    });
  });

  it('spans the trace from the earliest start to the latest end', () => {
    const state = fold(spans);
    expect(state.startTimeUnixNano).toBe(10_000_000_000n);
    expect(state.endTimeUnixNano).toBe(14_000_000_000n);
  });

  it('is unchanged by a contribution it has already seen', () => {
    const once = fold(spans);
    expect(fold([...spans, ...spans])).toEqual(once);
  });
});
