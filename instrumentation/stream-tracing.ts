/**
 * Ending an observation when the stream it returned ends: async generators, other async
 * iterables (SDK stream objects) and Node readable streams. Each step of the source runs in the
 * observation's context, so spans started inside a generator body nest under it no matter who
 * consumes the stream or when.
 */
import { context, type Context, type Span } from '@opentelemetry/api';
import { finished } from 'node:stream';
import { SPANLITE_OBSERVATION_COMPLETION_START_TIME, SPANLITE_OBSERVATION_OUTPUT } from '../semconv/spanlite.js';
import { recordError } from './observation-span.js';
import { serialize, TRUNCATION_MARKER } from './serialize.js';

/** Non-string items kept for the output; later ones are counted, not kept. */
const MAX_STREAM_ITEMS = 1_000;

export interface StreamTracingOptions {
  captureOutput: boolean;
  maxChars: number;
  /** Record when the first item arrived (a streamed generation's completion start). */
  recordFirstItemTime: boolean;
}

/** Returned by {@link traceStream} for a value that is not a stream. */
export const NOT_A_STREAM: unique symbol = Symbol('not a stream');

/**
 * If `value` is a stream, arranges for `span` to end when it ends and returns what the caller
 * should receive in its place (a traced async generator, or `value` itself). `span` is then
 * owned by the stream. Otherwise returns {@link NOT_A_STREAM} and leaves `span` alone.
 */
export function traceStream(value: unknown, span: Span, ctx: Context, options: StreamTracingOptions): unknown {
  if (typeof value !== 'object' || value === null) return NOT_A_STREAM;
  if (Object.prototype.toString.call(value) === '[object AsyncGenerator]') {
    return traceIterator(value as AsyncGenerator, ctx, new StreamObserver(span, options));
  }
  if (isNodeReadable(value)) {
    const observer = new StreamObserver(span, options);
    finished(value, { writable: false }, (error) => {
      if (error === undefined || error === null || (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') {
        observer.finish(undefined);
      } else observer.fail(error);
    });
    return value;
  }
  if (typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function') {
    const observer = new StreamObserver(span, options);
    return instrumentAsyncIterable(value as AsyncIterable<unknown>, ctx, observer) ? value : NOT_A_STREAM;
  }
  return NOT_A_STREAM;
}

class StreamObserver {
  private readonly items: unknown[] = [];
  private chars = 0;
  private dropped = 0;
  private started = false;
  private done = false;

  constructor(
    private readonly span: Span,
    private readonly options: StreamTracingOptions,
  ) {}

  onItem(item: unknown): void {
    if (!this.started) {
      this.started = true;
      if (this.options.recordFirstItemTime && this.span.isRecording()) {
        this.span.setAttribute(SPANLITE_OBSERVATION_COMPLETION_START_TIME, new Date().toISOString());
      }
    }
    if (!this.options.captureOutput) return;
    if (typeof item === 'string' ? this.chars < this.options.maxChars : this.items.length < MAX_STREAM_ITEMS) {
      this.items.push(item);
      if (typeof item === 'string') this.chars += item.length;
    } else this.dropped++;
  }

  finish(returnValue: unknown): void {
    if (this.done) return;
    this.done = true;
    if (this.options.captureOutput && this.span.isRecording()) {
      const output = this.output(returnValue);
      if (output !== undefined) {
        this.span.setAttribute(SPANLITE_OBSERVATION_OUTPUT, serialize(output, this.options.maxChars));
      }
    }
    this.span.end();
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    recordError(this.span, error);
    this.span.end();
  }

  /** Text streams as one string; anything else as the list of items. */
  private output(returnValue: unknown): unknown {
    if (this.items.length === 0) return returnValue;
    if (this.items.every((item) => typeof item === 'string')) {
      return this.items.join('') + (this.dropped > 0 ? TRUNCATION_MARKER : '');
    }
    return this.dropped > 0 ? [...this.items, `[${this.dropped} more items]`] : this.items;
  }
}

function traceIterator<T>(source: AsyncIterator<T>, ctx: Context, observer: StreamObserver): AsyncGenerator<T> {
  const step = async (call: () => Promise<IteratorResult<T>>): Promise<IteratorResult<T>> => {
    let result: IteratorResult<T>;
    try {
      result = await context.with(ctx, call);
    } catch (error) {
      observer.fail(error);
      throw error;
    }
    if (result.done === true) observer.finish(result.value);
    else observer.onItem(result.value);
    return result;
  };
  const traced: AsyncGenerator<T> = {
    next: (...args: [] | [unknown]) => step(() => source.next(...args)),
    return: (value?: unknown) => {
      if (source.return === undefined) {
        observer.finish(undefined);
        return Promise.resolve({ done: true, value: value as T });
      }
      return step(() => source.return!(value as T));
    },
    throw: (error?: unknown) => {
      if (source.throw === undefined) {
        observer.fail(error);
        return Promise.reject(error);
      }
      return step(() => source.throw!(error));
    },
    [Symbol.asyncIterator]() {
      return traced;
    },
  };
  return traced;
}

/**
 * Makes the object's first iteration traced by giving it its own `Symbol.asyncIterator`, so the
 * caller keeps the very object it was returned (SDK stream classes carry methods of their own).
 * False when the object cannot take the property (frozen).
 */
function instrumentAsyncIterable(iterable: AsyncIterable<unknown>, ctx: Context, observer: StreamObserver): boolean {
  const original = iterable[Symbol.asyncIterator];
  let traced = false;
  try {
    Object.defineProperty(iterable, Symbol.asyncIterator, {
      configurable: true,
      writable: true,
      value(this: AsyncIterable<unknown>): AsyncIterator<unknown> {
        const iterator = context.with(ctx, () => original.call(this));
        if (traced) return iterator;
        traced = true;
        return traceIterator(iterator, ctx, observer);
      },
    });
    return true;
  } catch {
    return false;
  }
}

function isNodeReadable(value: object): value is NodeJS.ReadableStream {
  const candidate = value as { pipe?: unknown; on?: unknown; read?: unknown };
  return typeof candidate.pipe === 'function' && typeof candidate.on === 'function' && typeof candidate.read === 'function';
}
