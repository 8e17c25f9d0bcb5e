/**
 * foldObservation: the events of one observation give the same observation whatever order they
 * arrive in, all in one batch or one by one onto what the earlier ones stored, and a batch
 * folded again changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../collector/model.js';
import { observationPatch, type IngestionEvent, type ObservationPatch } from '../../collector/ingestion/ingestion-event.js';
import { foldObservation } from '../../collector/ingestion/observation-fold.js';
import { DEFAULT_DECODE_LIMITS, ValueLimiter } from '../../collector/decode/value-limits.js';

const T0 = Date.UTC(2025, 7, 1, 12, 0, 0);
const at = (ms: number) => new Date(T0 + ms).toISOString();
const NOW = BigInt(T0 + 60_000) * 1_000_000n;
const SCOPE = { name: 'langfuse-js', version: '3.38.0' };
const TRACE = '5e0c6e8a-2b7e-4d55-9c39-3f1d7c1a0b11';
const ID = '0d4f6a52-8f0b-4d2a-a0a8-6d9b7b3c2e10';

const EVENTS: IngestionEvent[] = [
  {
    id: 'create',
    type: 'generation-create',
    timestamp: at(0),
    body: { id: ID, traceId: TRACE, name: 'answer', startTime: at(0), model: 'gpt-4o-mini', input: 'question', output: 'draft', metadata: { step: 1 } },
  },
  { id: 'first-token', type: 'generation-update', timestamp: at(300), body: { id: ID, traceId: TRACE, completionStartTime: at(300), output: 'partial' } },
  {
    id: 'end',
    type: 'generation-update',
    timestamp: at(900),
    body: { id: ID, traceId: TRACE, endTime: at(900), output: 'final', usage: { input: 50, output: 7 }, level: 'WARNING' },
  },
];

function patches(events: readonly IngestionEvent[]): ObservationPatch[] {
  return events.map((event) => observationPatch(event, EVENTS.indexOf(event), NOW, new ValueLimiter(DEFAULT_DECODE_LIMITS)));
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

/** Each event in a batch of its own, each folded onto what the one before stored. */
function oneByOne(events: readonly IngestionEvent[]): Observation {
  let stored: Observation | null = null;
  for (const event of events) stored = foldObservation(stored, patches([event]), TRACE, SCOPE);
  return stored!;
}

describe('folding the events of one observation', () => {
  const expected = foldObservation(null, patches(EVENTS), TRACE, SCOPE);

  it('takes the create and every update, later updates winning', () => {
    expect(expected).toMatchObject({
      id: ID,
      traceId: TRACE,
      type: 'GENERATION',
      name: 'answer',
      model: 'gpt-4o-mini',
      input: 'question',
      output: 'final',
      level: 'WARNING',
      metadata: { step: 1 },
      usage: { input: 50, output: 7, total: 57 },
      startTimeUnixNano: BigInt(T0) * 1_000_000n,
      completionStartTimeUnixNano: BigInt(T0 + 300) * 1_000_000n,
      endTimeUnixNano: BigInt(T0 + 900) * 1_000_000n,
      scope: SCOPE,
    });
  });

  it.each(permutations(EVENTS).map((order) => [order.map((event) => event.id).join(' > '), order]))(
    'gives the same observation in one batch and one by one, arriving %s',
    (_name, order) => {
      expect(foldObservation(null, patches(order as IngestionEvent[]), TRACE, SCOPE)).toEqual(expected);
      expect(oneByOne(order as IngestionEvent[])).toEqual(expected);
    },
  );

  it('changes nothing when a batch is folded again onto what it stored', () => {
    expect(foldObservation(expected, patches(EVENTS), TRACE, SCOPE)).toEqual(expected);
    expect(foldObservation(expected, patches([EVENTS[0]!]), TRACE, SCOPE)).toEqual(expected);
  });
});
