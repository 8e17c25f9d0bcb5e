/**
 * observe(): wrap a function so each call is an observation. Sync and async functions, async
 * generators and functions returning streams; arguments as input, the result as output; a
 * thrown error is recorded and rethrown unchanged. `observeMethod()` is the same as a TC39
 * method decorator.
 */
import { context, trace, type Attributes, type Span, type Context } from '@opentelemetry/api';
import { SPANLITE_OBSERVATION_INPUT, SPANLITE_OBSERVATION_OUTPUT } from '../semconv/spanlite.js';
import { observationAttributes, typeAttributes } from './attributes.js';
import { recordError } from './observation-span.js';
import { getTracer } from './scope.js';
import { DEFAULT_MAX_CHARS, serialize } from './serialize.js';
import { NOT_A_STREAM, traceStream, type StreamTracingOptions } from './stream-tracing.js';
import type { ObservationType, ObservationUpdate } from './types.js';

export interface ObserveOptions extends Pick<ObservationUpdate, 'metadata' | 'model' | 'modelParameters' | 'version'> {
  /** Observation (span) name. Default: the function's name, else `anonymous`. */
  name?: string;
  /** Default `SPAN`. */
  type?: ObservationType;
  /** Record the arguments as input: one argument as itself, several as an array. Default true. */
  captureInput?: boolean;
  /** Record the return value (or the streamed items) as output. Default true. */
  captureOutput?: boolean;
  /** Cap on each serialised input and output, in characters. Default 65 536. */
  maxChars?: number;
}

interface Plan extends StreamTracingOptions {
  name: string;
  captureInput: boolean;
  startAttributes: Attributes;
}

/**
 * Returns `fn` wrapped: every call runs inside a new observation, child of the active one.
 * The observation ends when the function returns, its promise settles, or the stream it
 * returned (async generator, async iterable, Node readable) ends. `this` is passed through.
 */
export function observe<This, Args extends unknown[], Result>(
  fn: (this: This, ...args: Args) => Result,
  options: ObserveOptions = {},
): (this: This, ...args: Args) => Result {
  const name = options.name ?? (fn.name || 'anonymous');
  const type = options.type ?? 'SPAN';
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const plan: Plan = {
    name,
    captureInput: options.captureInput ?? true,
    captureOutput: options.captureOutput ?? true,
    maxChars,
    recordFirstItemTime: type === 'GENERATION',
    startAttributes: {
      ...typeAttributes(type, name),
      ...observationAttributes(
        {
          metadata: options.metadata,
          model: options.model,
          modelParameters: options.modelParameters,
          version: options.version,
        },
        maxChars,
      ),
    },
  };
  const observed = function (this: This, ...args: Args): Result {
    return invoke(fn, this, args, plan);
  };
  Object.defineProperty(observed, 'name', { value: fn.name, configurable: true });
  return observed;
}

/**
 * TC39 method decorator: `@observeMethod({ type: 'RETRIEVER' }) async search(q) {...}`.
 * The observation is named after the method unless `options.name` says otherwise.
 */
export function observeMethod(options: ObserveOptions = {}) {
  return function <This, Args extends unknown[], Result>(
    method: (this: This, ...args: Args) => Result,
    decoratorContext: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Result>,
  ): (this: This, ...args: Args) => Result {
    return observe(method, { ...options, name: options.name ?? String(decoratorContext.name) });
  };
}

function invoke<This, Args extends unknown[], Result>(
  fn: (this: This, ...args: Args) => Result,
  thisArg: This,
  args: Args,
  plan: Plan,
): Result {
  const parent = context.active();
  const span = getTracer().startSpan(plan.name, { attributes: plan.startAttributes }, parent);
  const ctx = trace.setSpan(parent, span);
  if (plan.captureInput && args.length > 0 && span.isRecording()) {
    span.setAttribute(SPANLITE_OBSERVATION_INPUT, serialize(args.length === 1 ? args[0] : args, plan.maxChars));
  }
  let result: Result;
  try {
    result = context.with(ctx, fn, thisArg, ...args);
  } catch (error) {
    fail(span, error);
    throw error;
  }
  return settle(result, span, ctx, plan);
}

function settle<Result>(result: Result, span: Span, ctx: Context, plan: Plan): Result {
  if (!isThenable(result)) return finish(result, span, ctx, plan);
  if (result instanceof Promise && result.constructor === Promise) {
    return result.then(
      (value: unknown) => finish(value, span, ctx, plan),
      (error: unknown) => {
        fail(span, error);
        throw error;
      },
    ) as Result;
  }
  // A promise subclass or custom thenable (e.g. an SDK's API promise) keeps its own methods:
  // observe it from the side and hand the caller the very object. Neither handler throws.
  void result.then(
    (value: unknown) => {
      if (traceStream(value, span, ctx, plan) === NOT_A_STREAM) end(value, span, plan);
    },
    (error: unknown) => fail(span, error),
  );
  return result;
}

function finish<T>(value: T, span: Span, ctx: Context, plan: Plan): T {
  const traced = traceStream(value, span, ctx, plan);
  if (traced !== NOT_A_STREAM) return traced as T;
  end(value, span, plan);
  return value;
}

function end(value: unknown, span: Span, plan: Plan): void {
  if (plan.captureOutput && value !== undefined && span.isRecording()) {
    span.setAttribute(SPANLITE_OBSERVATION_OUTPUT, serialize(value, plan.maxChars));
  }
  span.end();
}

function fail(span: Span, error: unknown): void {
  recordError(span, error);
  span.end();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
