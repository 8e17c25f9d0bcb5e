/**
 * A real SDK pipeline for tests: NodeTracerProvider (AsyncLocalStorage context) -> the spanlite
 * processor -> InMemorySpanExporter. `spans()` flushes instead of sleeping.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterEach, beforeEach } from 'vitest';
import { SpanliteSpanProcessor, type SpanliteSpanProcessorOptions } from '../../instrumentation/span-processor.js';

export interface Harness {
  exporter: InMemorySpanExporter;
  processor: SpanliteSpanProcessor;
  provider: NodeTracerProvider;
  /** Every span exported so far, after a flush. */
  spans(): Promise<ReadableSpan[]>;
  /** The one exported span named `name` (fails the test when there are none or several). */
  span(name: string): Promise<ReadableSpan>;
  close(): Promise<void>;
}

export function startTracing(options: Omit<SpanliteSpanProcessorOptions, 'exporter'> = {}): Harness {
  const exporter = new InMemorySpanExporter();
  const processor = new SpanliteSpanProcessor({ exporter, ...options });
  const provider = new NodeTracerProvider({ spanProcessors: [processor] });
  provider.register();
  const spans = async (): Promise<ReadableSpan[]> => {
    await processor.forceFlush();
    return exporter.getFinishedSpans();
  };
  return {
    exporter,
    processor,
    provider,
    spans,
    async span(name) {
      const found = (await spans()).filter((span) => span.name === name);
      if (found.length !== 1) throw new Error(`expected one span named "${name}", found ${found.length}`);
      return found[0]!;
    },
    async close() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/**
 * A fresh pipeline for each test of the calling file: started before each test, closed after it.
 * What it returns reads the current test's spans.
 */
export function tracingPerTest(options: Omit<SpanliteSpanProcessorOptions, 'exporter'> = {}): Pick<Harness, 'spans' | 'span'> {
  let current: Harness | undefined;
  beforeEach(() => {
    current = startTracing(options);
  });
  afterEach(async () => current?.close());
  const harness = (): Harness => {
    if (current === undefined) throw new Error('tracingPerTest: spans read outside a test');
    return current;
  };
  return { spans: () => harness().spans(), span: (name) => harness().span(name) };
}

export function parentId(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

export function spanId(span: ReadableSpan): string {
  return span.spanContext().spanId;
}

export interface Tree {
  name: string;
  children: Tree[];
}

/** The spans of one trace as a tree of names, children sorted by name. */
export function treeOf(spans: readonly ReadableSpan[], traceId: string): Tree[] {
  const inTrace = spans.filter((span) => span.spanContext().traceId === traceId);
  const build = (parent: string | undefined): Tree[] =>
    inTrace
      .filter((span) => parentId(span) === parent)
      .map((span) => ({ name: span.name, children: build(spanId(span)) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  return build(undefined);
}
