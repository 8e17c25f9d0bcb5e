/**
 * Full-text search over traces that start in the same millisecond. Their documents share the
 * millisecond's id range, and ids there exceed a double's precision: each trace's text must be
 * found under that trace, also after another is deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { sendTraces } from './trace-builder.js';

const START_MS = Date.UTC(2025, 5, 1, 12, 0, 0, 123);
const WORDS = ['alpha', 'bravo', 'charlie', 'delta'];

describe('traces sent over OTLP that start in the same millisecond', () => {
  let collector: TestCollector;
  let ids: string[];
  const found = async (word: string) => {
    const body = await collector.getJson(`/api/public/traces?q=${word}`);
    return body.data.map((trace: { id: string }) => trace.id);
  };

  beforeAll(async () => {
    collector = await startTestCollector();
    ids = await sendTraces(
      collector.tracesEndpoint,
      WORDS.map((word) => ({ name: `run-${word}`, startMs: START_MS, input: `question about ${word}` })),
    );
  });
  afterAll(async () => {
    await collector.close();
  });

  it('are each found by their own words', async () => {
    for (const [i, word] of WORDS.entries()) expect(await found(word)).toEqual([ids[i]]);
    expect((await found('question')).sort()).toEqual([...ids].sort());
  });

  it('stay found when another of them is deleted', async () => {
    const response = await fetch(`${collector.url}/api/public/traces/${ids[0]}`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await found(WORDS[0]!)).toEqual([]);
    for (const [i, word] of WORDS.entries()) if (i > 0) expect(await found(word)).toEqual([ids[i]]);
  });
});
