import { describe, expect, it } from 'vitest';
import { mergeTraceContribution, type TraceFactsState } from '../../collector/store/trace-merge.js';
import type { TraceContribution } from '../../collector/model.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import * as ours from '../../semconv/spanlite.js';
import * as otel from '../../semconv/otel.js';
import * as langfuse from '../../semconv/langfuse.js';
import { decodedSpan } from '../helpers/decoded-span.js';

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

describe('trace facts named on a span against facts implied by a resource', () => {
  const second = 1_000_000_000n;
  const root = mapSpan(
    decodedSpan({
      spanId: 'aaaaaaaaaaaaaaaa',
      attributes: {
        [ours.SPANLITE_TRACE_VERSION]: '2.0.0',
        [ours.SPANLITE_TRACE_RELEASE]: 'r-named',
        [ours.SPANLITE_TRACE_ENVIRONMENT]: 'named-env',
      },
      resource: { [otel.SERVICE_VERSION]: '1.0.0' },
    }),
  ).trace!;
  const laterChild = mapSpan(
    decodedSpan({
      spanId: 'bbbbbbbbbbbbbbbb',
      parentSpanId: 'aaaaaaaaaaaaaaaa',
      startTimeUnixNano: 1_700_000_000_000_000_000n + 5n * second,
      endTimeUnixNano: 1_700_000_000_000_000_000n + 6n * second,
      resource: {
        [otel.SERVICE_VERSION]: '9.9.9',
        [langfuse.LANGFUSE_RELEASE]: 'r-resource',
        [otel.DEPLOYMENT_ENVIRONMENT_NAME]: 'resource-env',
      },
    }),
  ).trace!;

  it('keeps the span-named version, release and environment over a later span\'s resource, in either order', () => {
    for (const order of [
      [root, laterChild],
      [laterChild, root],
    ]) {
      expect(fold(order).facts).toMatchObject({ version: '2.0.0', release: 'r-named', environment: 'named-env' });
    }
  });

  it('takes the later-starting span\'s resource facts when no span names them', () => {
    const unnamedRoot = mapSpan(decodedSpan({ spanId: 'aaaaaaaaaaaaaaaa', resource: { [otel.SERVICE_VERSION]: '1.0.0' } })).trace!;
    for (const order of [
      [unnamedRoot, laterChild],
      [laterChild, unnamedRoot],
    ]) {
      expect(fold(order).facts).toMatchObject({ version: '9.9.9', release: 'r-resource', environment: 'resource-env' });
    }
  });
});
