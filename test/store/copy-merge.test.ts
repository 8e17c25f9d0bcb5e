/**
 * A trace copied through the store contract (store/copy/copy-database.ts) merges on as its
 * original does, from any engine to any other: spans arriving after the copy give the copy the
 * facts they give the source, because the copy keeps the rank that set each fact, and add to its
 * totals as to the source's. Rows of a trace never stored are copied too.
 */
import { describe, expect, it } from 'vitest';
import type { MappedSpan } from '../../collector/model.js';
import { copyDatabase } from '../../collector/store/copy/copy-database.js';
import { openSqliteKeyStore } from '../../collector/store/sqlite/keys.js';
import { generationAttributes, rootAttributes } from '../helpers/trace-attributes.js';
import { ENGINES, type OpenedStore } from './engines.js';
import { everythingReadable } from './everything-readable.js';
import { mapped, msToNs, spanIdOf, traceIdOf } from './trace-spans.js';

const PROJECT = 'merge';
const TRACE = traceIdOf(0xc0f1);
const T0 = Date.UTC(2025, 5, 2, 10, 0, 0);

/** Span n of the trace, its service at `serviceVersion` (an implicit trace fact: the later-starting span's wins). */
function span(
  n: number,
  parent: number | null,
  startOffsetMs: number,
  serviceVersion: string,
  attributes: Record<string, string | number | boolean | string[]>,
): MappedSpan {
  const startNs = msToNs(T0 + startOffsetMs);
  return mapped({
    traceId: TRACE,
    spanId: spanIdOf(TRACE, n),
    parentSpanId: parent === null ? null : spanIdOf(TRACE, parent),
    name: n === 1 ? 'root' : `step-${n}`,
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + msToNs(parent === null ? 1000 : 100),
    attributes,
    resource: { 'service.name': 'merge-test', 'service.version': serviceVersion },
  });
}

/**
 * Before the copy, a child naming trace facts explicitly, which the root arriving after it must not
 * override (the child starts later); after it, a span whose implicit version must override the
 * child's (it starts later still). A copy keeping each fact at the wrong rank fails one or the other.
 */
const BEFORE_COPY = [
  [span(2, 1, 100, '1.0', { ...rootAttributes({ startMs: T0, userId: 'u-child', metadata: { plan: 'child' } }), ...generationAttributes({ model: 'test-mini', inputTokens: 10, outputTokens: 5 }) })],
  [span(3, 1, 200, '1.0', generationAttributes({ model: 'gpt-4o', inputTokens: 40, outputTokens: 4, costUsd: 0.0123 }))],
];
const AFTER_COPY = [
  span(1, null, 0, '0.9', rootAttributes({ startMs: T0, userId: 'u-root', sessionId: 's-root', metadata: { plan: 'root', seats: 3 }, input: 'late question' })),
  span(4, 1, 300, '2.0', generationAttributes({ model: 'test-mini', inputTokens: 1, outputTokens: 1 })),
];
const EARLY_SCORE: MappedSpan = {
  observation: null,
  events: [],
  trace: null,
  scores: [{ id: 'early', traceId: traceIdOf(0xe1), observationId: null, name: 'early', value: 2, stringValue: null, dataType: 'NUMERIC', comment: null, source: 'API', timeUnixNano: msToNs(T0), metadata: {} }],
};

async function write(opened: OpenedStore, spans: readonly MappedSpan[]): Promise<void> {
  const outcomes = await opened.store.writeBatches([{ projectId: PROJECT, spans }]);
  expect(outcomes).toEqual([{ ok: true }]);
}

const PAIRS = ENGINES.flatMap((from) => ENGINES.map((to) => ({ name: `${from.name} to ${to.name}`, from, to })));

describe.each(PAIRS)('a copy from $name', ({ from, to }) => {
  it('merges spans arriving after the copy as the source merges them', async () => {
    const [source, target] = [await from.open(), await to.open()];
    const keys = [openSqliteKeyStore({ file: ':memory:' }), openSqliteKeyStore({ file: ':memory:' })] as const;
    try {
      for (const spans of [...BEFORE_COPY, [EARLY_SCORE]]) await write(source, spans);
      const result = await copyDatabase({ store: source.store, keys: keys[0] }, { store: target.store, keys: keys[1] });
      expect([result.complete, result.differences, result.unstoredTraces]).toEqual([true, [], 1]);

      for (const opened of [source, target]) await write(opened, AFTER_COPY);
      const copied = await target.store.getTrace(PROJECT, TRACE);
      expect(copied).toMatchObject({ name: 'root', userId: 'u-child', sessionId: 's-root', version: '2.0', metadata: { plan: 'child', seats: 3 } });
      expect(await everythingReadable(target.store, PROJECT, ['late'])).toEqual(await everythingReadable(source.store, PROJECT, ['late']));
    } finally {
      await Promise.all([source.cleanup(), target.cleanup(), ...keys.map((store) => store.close())]);
    }
  });
});
