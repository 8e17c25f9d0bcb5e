/**
 * Traces for query tests, described as data and recorded with the real OTel SDK, then sent by
 * the real OTLP exporter: each spec becomes a root span carrying the trace facts, with a child
 * generation per `generations` entry and score events per `scores` entry.
 */
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as genAi from '../../semconv/gen-ai.js';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { recordingProvider, exportSpans, otlpExporter } from '../helpers/otel-sdk.js';
import {
  generationAttributes,
  rootAttributes,
  scoreAttributes,
  type NamedTraceSpec,
} from '../helpers/trace-attributes.js';

export type TraceSpec = NamedTraceSpec;

/** Records the traces; returns their spans and trace ids in spec order. */
export async function recordTraces(specs: readonly TraceSpec[]): Promise<{ spans: ReadableSpan[]; traceIds: string[] }> {
  const provider = recordingProvider('query-tests');
  const { tracer } = provider;
  const traceIds: string[] = [];
  for (const spec of specs) {
    const endMs = spec.startMs + (spec.durationMs ?? 1000);
    const root = tracer.startSpan(spec.name, { startTime: spec.startMs, attributes: rootAttributes(spec) });
    traceIds.push(root.spanContext().traceId);
    const inRoot = trace.setSpan(context.active(), root);
    (spec.generations ?? []).forEach((generation, index) => {
      const startMs = spec.startMs + (generation.startOffsetMs ?? 10 * (index + 1));
      const span = tracer.startSpan(
        generation.name ?? `generation-${index}`,
        { startTime: startMs, attributes: generationAttributes(generation) },
        inRoot,
      );
      span.end(Math.min(endMs, startMs + 100));
    });
    for (const score of spec.scores ?? []) {
      root.addEvent(genAi.GEN_AI_EVALUATION_RESULT_EVENT, scoreAttributes(score, true), endMs);
    }
    if (spec.error !== undefined) root.setStatus({ code: SpanStatusCode.ERROR, message: spec.error });
    root.end(endMs);
  }
  const spans = provider.finishedSpans();
  await provider.shutdown();
  return { spans, traceIds };
}

/** Records the traces and sends them over OTLP/protobuf; resolves once the collector stored them. */
export async function sendTraces(tracesEndpoint: string, specs: readonly TraceSpec[]): Promise<string[]> {
  const { spans, traceIds } = await recordTraces(specs);
  await exportSpans(otlpExporter('protobuf', tracesEndpoint), spans);
  return traceIds;
}

/** A test collector that has stored the traces; `ids` are their trace ids in spec order. */
export async function collectorWithTraces(specs: readonly TraceSpec[]): Promise<{ collector: TestCollector; ids: string[] }> {
  const collector = await startTestCollector();
  return { collector, ids: await sendTraces(collector.tracesEndpoint, specs) };
}
