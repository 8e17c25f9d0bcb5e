import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SPANLITE_TRACE_USER_ID } from '../../semconv/spanlite.js';
import { updateCurrentTrace } from '../../instrumentation/context-helpers.js';
import { observe } from '../../instrumentation/observe.js';
import { tracingPerTest, treeOf, type Tree } from './tracing-harness.js';

const harness = tracingPerTest({ batch: { maxQueueSize: 10_000, maxExportBatchSize: 1_000 } });

const TRACES = 100;

/** Deterministic jitter in [0, 4] ms so the traces interleave differently at every step. */
const jitter = (i: number, step: number): Promise<void> => sleep((i * 7 + step * 13) % 5);

const leaf = (name: string): Tree => ({ name, children: [] });

function expectedTree(i: number): Tree[] {
  return [
    {
      name: `request-${i}`,
      children: [
        { name: `search-${i}-a`, children: [leaf(`embed-${i}-a`)] },
        { name: `search-${i}-b`, children: [leaf(`embed-${i}-b`)] },
        { name: `stream-${i}`, children: [leaf(`tool-${i}-0`), leaf(`tool-${i}-1`), leaf(`tool-${i}-2`)] },
        leaf(`timer-${i}`),
      ].sort((a, b) => a.name.localeCompare(b.name)),
    },
  ];
}

async function handleRequest(i: number): Promise<void> {
  updateCurrentTrace({ userId: `user-${i}` });
  const search = (branch: string) =>
    observe(async () => {
      await jitter(i, 1);
      await observe(async () => jitter(i, 2), { name: `embed-${i}-${branch}` })();
    }, { name: `search-${i}-${branch}` })();
  await Promise.all([search('a'), search('b')]);

  await new Promise<void>((resolve) => {
    setTimeout(() => {
      observe(() => undefined, { name: `timer-${i}` })();
      resolve();
    }, (i * 3) % 4);
  });

  const stream = observe(async function* () {
    for (let k = 0; k < 3; k++) {
      await jitter(i, k + 3);
      await observe(async () => jitter(i, k), { name: `tool-${i}-${k}` })();
      yield k;
    }
  }, { name: `stream-${i}` });
  for await (const k of stream()) await jitter(i, k + 7);
}

describe('async context under concurrency', () => {
  it('keeps 100 interleaved concurrent traces with parallel children each exactly as called', async () => {
    await Promise.all(
      Array.from({ length: TRACES }, (_, i) => observe(() => handleRequest(i), { name: `request-${i}` })()),
    );
    const spans = await harness.spans();
    expect(spans).toHaveLength(TRACES * 10);

    const traceIds = new Set(spans.map((span) => span.spanContext().traceId));
    expect(traceIds.size).toBe(TRACES);
    for (let i = 0; i < TRACES; i++) {
      const root = spans.find((span) => span.name === `request-${i}`)!;
      const traceId = root.spanContext().traceId;
      expect(treeOf(spans, traceId), `trace ${i}`).toEqual(expectedTree(i));
      for (const span of spans.filter((s) => s.spanContext().traceId === traceId && s !== root)) {
        expect(span.attributes[SPANLITE_TRACE_USER_ID], span.name).toBe(`user-${i}`);
      }
    }
  });
});
