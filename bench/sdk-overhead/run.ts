/**
 * `npm run bench:sdk-overhead`: what the spanlite span processor costs an app per span, against
 * a plain BatchSpanProcessor with the same no-op exporter and batching settings, measured in
 * one run. A span is: start, 8 attributes, end. Rounds alternate the setups (so drift hits both)
 * and each round is timed in chunks, yielding between chunks so batches drain as they would in
 * an app; only the synchronous span work is timed. Target: spanlite's median at most 1.3x.
 *
 * Setups:
 *  - plain:          BatchSpanProcessor
 *  - spanlite:       SpanliteSpanProcessor, its spans in traces with nothing to propagate; as in
 *                    an app, other traces do have facts remembered (the third setup's), so each
 *                    span pays the per-trace lookup
 *  - spanlite+trace: SpanliteSpanProcessor, every span in a trace with user, session, tags and
 *                    metadata to propagate (each span then carries 6 more attributes than plain)
 */
import { ROOT_CONTEXT, trace, type Context, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type BufferConfig,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { traceAttributes } from '../../instrumentation/attributes.js';
import { SpanliteSpanProcessor } from '../../instrumentation/span-processor.js';
import { rememberTraceAttributes } from '../../instrumentation/trace-attributes.js';

const ROUNDS = 9;
const SPANS_PER_ROUND = 100_000;
const CHUNK = 256;
const TARGET_RATIO = 1.3;
const BATCH: BufferConfig = { maxQueueSize: 4_096, maxExportBatchSize: 512, scheduledDelayMillis: 1_000 };

class NoopExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.exported += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

interface Setup {
  name: string;
  tracer: Tracer;
  parent: Context;
  exporter: NoopExporter;
  provider: BasicTracerProvider;
  samplesNsPerSpan: number[];
}

function makeSetup(name: string, makeProcessor: (exporter: SpanExporter) => SpanProcessor, withTraceFacts: boolean): Setup {
  const exporter = new NoopExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [makeProcessor(exporter)] });
  const tracer = provider.getTracer('bench');
  let parent = ROOT_CONTEXT;
  if (withTraceFacts) {
    const root = tracer.startSpan('request');
    const { propagated } = traceAttributes({
      userId: 'user_123',
      sessionId: 'session_abc',
      tags: ['support', 'production'],
      metadata: { plan: 'pro' },
    });
    rememberTraceAttributes(root.spanContext().traceId, propagated);
    parent = trace.setSpan(ROOT_CONTEXT, root);
  }
  return { name, tracer, parent, exporter, provider, samplesNsPerSpan: [] };
}

function spanBurst(tracer: Tracer, parent: Context, count: number, seq: number): void {
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan('llm.call', undefined, parent);
    span.setAttribute('gen_ai.operation.name', 'chat');
    span.setAttribute('gen_ai.request.model', 'gpt-4o-mini');
    span.setAttribute('gen_ai.usage.input_tokens', 120);
    span.setAttribute('gen_ai.usage.output_tokens', 40);
    span.setAttribute('http.status_code', 200);
    span.setAttribute('app.request_id', seq + i);
    span.setAttribute('app.cache_hit', false);
    span.setAttribute('app.route', '/v1/answer');
    span.end();
  }
}

async function round(setup: Setup): Promise<void> {
  let elapsedNs = 0n;
  for (let done = 0; done < SPANS_PER_ROUND; done += CHUNK) {
    const started = process.hrtime.bigint();
    spanBurst(setup.tracer, setup.parent, CHUNK, done);
    elapsedNs += process.hrtime.bigint() - started;
    await yieldToLoop();
  }
  await setup.provider.forceFlush();
  setup.samplesNsPerSpan.push(Number(elapsedNs) / SPANS_PER_ROUND);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const setups = [
    makeSetup('plain BatchSpanProcessor', (exporter) => new BatchSpanProcessor(exporter, BATCH), false),
    makeSetup('spanlite', (exporter) => new SpanliteSpanProcessor({ exporter, batch: BATCH }), false),
    makeSetup('spanlite + trace facts', (exporter) => new SpanliteSpanProcessor({ exporter, batch: BATCH }), true),
  ];
  for (const setup of setups) await round(setup); // warm-up, discarded
  for (const setup of setups) setup.samplesNsPerSpan.length = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? setups : [...setups].reverse();
    for (const setup of order) await round(setup);
  }

  const plain = median(setups[0]!.samplesNsPerSpan);
  console.log(`ns per span (start, 8 attributes, end); median of ${ROUNDS} rounds x ${SPANS_PER_ROUND} spans, Node ${process.version}`);
  console.log('setup                       median ns/span   min      max      ratio   exported');
  for (const setup of setups) {
    const m = median(setup.samplesNsPerSpan);
    console.log(
      `${setup.name.padEnd(27)} ${m.toFixed(0).padStart(8)}      ${Math.min(...setup.samplesNsPerSpan).toFixed(0).padStart(6)}   ` +
        `${Math.max(...setup.samplesNsPerSpan).toFixed(0).padStart(6)}   ${(m / plain).toFixed(2).padStart(5)}x  ${setup.exporter.exported}`,
    );
  }
  const ratio = median(setups[1]!.samplesNsPerSpan) / plain;
  console.log(`\nspanlite / plain = ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x): ${ratio <= TARGET_RATIO ? 'OK' : 'OVER TARGET'}`);
  console.log(JSON.stringify({ plainNsPerSpan: plain, spanliteNsPerSpan: plain * ratio, ratio, targetRatio: TARGET_RATIO }));
  for (const setup of setups) await setup.provider.shutdown();
}

await main();
