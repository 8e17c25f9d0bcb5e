import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Readable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { GEN_AI_OPERATION_NAME, GEN_AI_REQUEST_MODEL } from '../../semconv/gen-ai.js';
import { EXCEPTION_EVENT, EXCEPTION_MESSAGE } from '../../semconv/otel.js';
import {
  SPANLITE_OBSERVATION_COMPLETION_START_TIME,
  SPANLITE_OBSERVATION_INPUT,
  SPANLITE_OBSERVATION_LEVEL,
  SPANLITE_OBSERVATION_METADATA_PREFIX,
  SPANLITE_OBSERVATION_OUTPUT,
  SPANLITE_OBSERVATION_STATUS_MESSAGE,
  SPANLITE_OBSERVATION_TYPE,
} from '../../semconv/spanlite.js';
import { observe } from '../../instrumentation/observe.js';
import { TRUNCATION_MARKER } from '../../instrumentation/serialize.js';
import { parentId, spanId, tracingPerTest } from './tracing-harness.js';

const harness = tracingPerTest();

/** The parent span id of each span named `name`. */
const parentsOf = (spans: readonly ReadableSpan[], name: string): Array<string | undefined> =>
  spans.filter((span) => span.name === name).map(parentId);

const json = (span: ReadableSpan, key: string): unknown => {
  const value = span.attributes[key];
  return typeof value === 'string' ? JSON.parse(value) : value;
};

function expectError(span: ReadableSpan, message: string): void {
  expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message });
  expect(span.attributes[SPANLITE_OBSERVATION_LEVEL]).toBe('ERROR');
  expect(span.attributes[SPANLITE_OBSERVATION_STATUS_MESSAGE]).toBe(message);
  const exception = span.events.find((event) => event.name === EXCEPTION_EVENT);
  expect(exception?.attributes?.[EXCEPTION_MESSAGE]).toBe(message);
}

describe('observe() on plain functions', () => {
  it('records a sync call as a span named after the function, with its argument as input and result as output', async () => {
    const add = observe(function add(this: { base: number }, n: number) {
      return this.base + n;
    });
    expect(add.call({ base: 40 }, 2)).toBe(42);
    expect(add.name).toBe('add');
    const span = await harness.span('add');
    expect(span.attributes[SPANLITE_OBSERVATION_TYPE]).toBe('SPAN');
    expect(json(span, SPANLITE_OBSERVATION_INPUT)).toBe(2);
    expect(json(span, SPANLITE_OBSERVATION_OUTPUT)).toBe(42);
  });

  it('records several arguments as an array and awaits an async result', async () => {
    const join = observe(async (a: string, b: string) => {
      await tick();
      return `${a}-${b}`;
    }, { name: 'join' });
    await expect(join('x', 'y')).resolves.toBe('x-y');
    const span = await harness.span('join');
    expect(json(span, SPANLITE_OBSERVATION_INPUT)).toEqual(['x', 'y']);
    expect(json(span, SPANLITE_OBSERVATION_OUTPUT)).toBe('x-y');
  });

  it('rethrows a sync error unchanged and records it on the span', async () => {
    const error = new RangeError('out of range');
    const fails = observe(function fails() {
      throw error;
    });
    let caught: unknown;
    try {
      fails();
    } catch (thrown) {
      caught = thrown;
    }
    expect(caught).toBe(error);
    expectError(await harness.span('fails'), 'out of range');
  });

  it('rejects with the very error an async function rejected with, and records it', async () => {
    const error = Object.assign(new Error('rate limited'), { status: 429 });
    const fails = observe(async function callModel() {
      await tick();
      throw error;
    });
    await expect(fails()).rejects.toBe(error);
    expectError(await harness.span('callModel'), 'rate limited');
  });

  it('rethrows non-Error values unchanged', async () => {
    const fails = observe(function throwsString() {
      throw 'plain string';
    });
    expect(() => fails()).toThrow('plain string');
    expectError(await harness.span('throwsString'), 'plain string');
  });

  it('skips input and output when asked, and caps them otherwise', async () => {
    observe((secret: string) => secret, { name: 'quiet', captureInput: false, captureOutput: false })('s3cret');
    observe((text: string) => text, { name: 'capped', maxChars: 50 })('y'.repeat(5_000));
    const quiet = await harness.span('quiet');
    expect(quiet.attributes[SPANLITE_OBSERVATION_INPUT]).toBeUndefined();
    expect(quiet.attributes[SPANLITE_OBSERVATION_OUTPUT]).toBeUndefined();
    const capped = await harness.span('capped');
    expect(json(capped, SPANLITE_OBSERVATION_INPUT)).toBe('y'.repeat(50) + TRUNCATION_MARKER);
    expect(String(capped.attributes[SPANLITE_OBSERVATION_OUTPUT]).length).toBeLessThanOrEqual(50 + TRUNCATION_MARKER.length + 2);
  });

  it('serialises awkward arguments (cycles, BigInt, Buffers) without throwing into the app', async () => {
    const cyclic: Record<string, unknown> = { id: 1n, payload: Buffer.from('abc') };
    cyclic.self = cyclic;
    expect(observe((_value: unknown) => 'ok', { name: 'awkward' })(cyclic)).toBe('ok');
    expect(json(await harness.span('awkward'), SPANLITE_OBSERVATION_INPUT)).toEqual({
      id: '1',
      payload: '[Buffer 3 bytes]',
      self: '[Circular]',
    });
  });

  it('records type, model and metadata given as options', async () => {
    observe(async () => 'hi', { name: 'llm', type: 'GENERATION', model: 'gpt-4o-mini', metadata: { route: 'a' } })();
    await tick();
    const span = await harness.span('llm');
    expect(span.attributes).toMatchObject({
      [SPANLITE_OBSERVATION_TYPE]: 'GENERATION',
      [GEN_AI_OPERATION_NAME]: 'chat',
      [GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
      [`${SPANLITE_OBSERVATION_METADATA_PREFIX}route`]: 'a',
    });
  });

  it('nests calls: the inner observation is a child of the outer one', async () => {
    const inner = observe(async function inner() {
      await tick();
    });
    const outer = observe(async function outer() {
      await inner();
      await inner();
    });
    await outer();
    const spans = await harness.spans();
    const outerSpan = spans.find((span) => span.name === 'outer')!;
    expect(parentsOf(spans, 'inner')).toEqual([spanId(outerSpan), spanId(outerSpan)]);
  });

  it('hands back a promise subclass itself, keeping its extra methods', async () => {
    class ApiPromise<T> extends Promise<T> {
      withResponse(): string {
        return 'response';
      }
    }
    const call = observe(function sdkCall() {
      return new ApiPromise<string>((resolve) => setTimeout(() => resolve('body'), 1));
    });
    const result = call();
    expect(result).toBeInstanceOf(ApiPromise);
    expect(result.withResponse()).toBe('response');
    await expect(result).resolves.toBe('body');
    await tick();
    expect(json(await harness.span('sdkCall'), SPANLITE_OBSERVATION_OUTPUT)).toBe('body');
  });
});

describe('observe() on streams', () => {
  it('ends an async generator span when the stream ends, with the text streamed as output', async () => {
    const tokens = observe(async function* tokens(prompt: string) {
      for (const word of prompt.split(' ')) {
        await tick();
        yield `${word} `;
      }
    });
    const stream = tokens('hello streaming world');
    expect(await harness.spans()).toHaveLength(0);
    const received: string[] = [];
    for await (const token of stream) received.push(token);
    expect(received.join('')).toBe('hello streaming world ');
    const span = await harness.span('tokens');
    expect(json(span, SPANLITE_OBSERVATION_OUTPUT)).toBe('hello streaming world ');
    expect(json(span, SPANLITE_OBSERVATION_INPUT)).toBe('hello streaming world');
  });

  it('parents spans started inside the generator body to the generator, whoever consumes it', async () => {
    const step = observe(async function step() {
      await tick();
    });
    const produce = observe(async function* produce() {
      await step();
      yield 1;
      await step();
      yield 2;
    });
    const stream = produce();
    await observe(async function consumer() {
      for await (const _ of stream) await tick();
    })();
    const spans = await harness.spans();
    const producer = spans.find((span) => span.name === 'produce')!;
    expect(parentsOf(spans, 'step')).toEqual([spanId(producer), spanId(producer)]);
  });

  it('ends the span when the consumer stops early, with what was streamed so far', async () => {
    let cleanedUp = false;
    const numbers = observe(async function* numbers() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        cleanedUp = true;
      }
    });
    for await (const n of numbers()) if (n === 2) break;
    expect(cleanedUp).toBe(true);
    expect(json(await harness.span('numbers'), SPANLITE_OBSERVATION_OUTPUT)).toEqual([0, 1, 2]);
  });

  it('records an error thrown mid-stream and rethrows it unchanged', async () => {
    const error = new Error('connection reset');
    const broken = observe(async function* broken() {
      yield 'a';
      throw error;
    });
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of broken()) received.push(chunk);
      })(),
    ).rejects.toBe(error);
    expect(received).toEqual(['a']);
    expectError(await harness.span('broken'), 'connection reset');
  });

  it('records when the first item of a streamed generation arrived', async () => {
    const generate = observe(
      async function* generate() {
        yield 'x';
      },
      { type: 'GENERATION' },
    );
    for await (const _ of generate()) void _;
    const started = (await harness.span('generate')).attributes[SPANLITE_OBSERVATION_COMPLETION_START_TIME];
    expect(typeof started === 'string' && !Number.isNaN(Date.parse(started))).toBe(true);
  });

  it('returns an SDK stream object itself, methods and private state intact, and ends when it is iterated', async () => {
    class ChatStream {
      #chunks = ['a', 'b'];
      readonly controller = new AbortController();
      async *[Symbol.asyncIterator](): AsyncGenerator<string> {
        for (const chunk of this.#chunks) yield chunk;
      }
      count(): number {
        return this.#chunks.length;
      }
    }
    const create = observe(async function createStream() {
      return new ChatStream();
    });
    const stream = await create();
    expect(stream).toBeInstanceOf(ChatStream);
    expect(stream.count()).toBe(2);
    const chunks: string[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toEqual(['a', 'b']);
    expect(json(await harness.span('createStream'), SPANLITE_OBSERVATION_OUTPUT)).toBe('ab');
  });

  it('ends a Node readable stream span when the stream ends, however it is consumed', async () => {
    const open = observe(function openStream() {
      return Readable.from(['x', 'y']);
    });
    const readable = open();
    const data: string[] = [];
    await new Promise<void>((resolve) => {
      readable.on('data', (chunk: string) => data.push(chunk));
      readable.on('end', resolve);
    });
    await tick();
    expect(data).toEqual(['x', 'y']);
    const span = await harness.span('openStream');
    expect(span.ended).toBe(true);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('does not end a stream span until the stream is consumed', async () => {
    const lazy = observe(async function* lazy() {
      yield 1;
    });
    const stream = lazy();
    await tick();
    expect((await harness.spans()).map((span) => span.name)).not.toContain('lazy');
    for await (const _ of stream) void _;
    expect((await harness.spans()).map((span) => span.name)).toContain('lazy');
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
