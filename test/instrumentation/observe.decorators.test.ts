/**
 * TC39 method decorators: this file's name ends in `.decorators.test.ts` so vitest.config.ts
 * lowers the decorator syntax with TypeScript (Node 20 and vite's oxc transform cannot).
 */
import { describe, expect, it } from 'vitest';
import { SPANLITE_OBSERVATION_INPUT, SPANLITE_OBSERVATION_OUTPUT, SPANLITE_OBSERVATION_TYPE } from '../../semconv/spanlite.js';
import { observeMethod } from '../../instrumentation/observe.js';
import { parentId, spanId, tracingPerTest } from './tracing-harness.js';

const harness = tracingPerTest();

class Retriever {
  constructor(private readonly corpus: string[]) {}

  @observeMethod({ type: 'RETRIEVER' })
  async search(query: string): Promise<string[]> {
    return this.corpus.filter((doc) => doc.includes(query));
  }

  @observeMethod({ name: 'answer-pipeline', type: 'CHAIN' })
  async answer(query: string): Promise<string> {
    const docs = await this.search(query);
    return `${docs.length} docs`;
  }

  @observeMethod()
  broken(): never {
    throw new Error('decorated failure');
  }
}

describe('observeMethod() as a TC39 decorator', () => {
  it('records each call of a decorated method, named after the method, with `this` intact', async () => {
    const retriever = new Retriever(['cats purr', 'dogs bark', 'cats nap']);
    await expect(retriever.search('cats')).resolves.toEqual(['cats purr', 'cats nap']);
    const span = await harness.span('search');
    expect(span.attributes[SPANLITE_OBSERVATION_TYPE]).toBe('RETRIEVER');
    expect(span.attributes[SPANLITE_OBSERVATION_INPUT]).toBe('"cats"');
    expect(span.attributes[SPANLITE_OBSERVATION_OUTPUT]).toBe('["cats purr","cats nap"]');
  });

  it('nests decorated methods calling each other and honours a given name', async () => {
    await new Retriever(['a']).answer('a');
    const pipeline = await harness.span('answer-pipeline');
    expect(pipeline.attributes[SPANLITE_OBSERVATION_TYPE]).toBe('CHAIN');
    expect(parentId(await harness.span('search'))).toBe(spanId(pipeline));
  });

  it('rethrows what a decorated method throws', async () => {
    expect(() => new Retriever([]).broken()).toThrow('decorated failure');
    expect((await harness.span('broken')).status.message).toBe('decorated failure');
  });
});
