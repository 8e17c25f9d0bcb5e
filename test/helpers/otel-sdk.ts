/**
 * Real OpenTelemetry SDK pieces for tests: a tracer provider that records finished spans in
 * memory, and the real OTLP exporters (protobuf and JSON) to send them to a collector.
 */
import { NodeTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExportResultCode } from '@opentelemetry/core';
import type { Tracer } from '@opentelemetry/api';

export interface RecordingProvider {
  tracer: Tracer;
  /** Ends nothing; returns every span finished so far. */
  finishedSpans(): ReadableSpan[];
  shutdown(): Promise<void>;
}

/** `resourceAttributes` are added to (and override) the default service name and version 1.2.3. */
export function recordingProvider(serviceName = 'spanlite-test', resourceAttributes: Record<string, string> = {}): RecordingProvider {
  const memory = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': '1.2.3', ...resourceAttributes }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  return {
    tracer: provider.getTracer('spanlite-test-scope', '0.0.1'),
    finishedSpans: () => memory.getFinishedSpans(),
    shutdown: () => provider.shutdown(),
  };
}

export type ExporterEncoding = 'protobuf' | 'json';

/** @param headers sent with every export, e.g. `{ authorization: 'Bearer sk-sl-...' }`. */
export function otlpExporter(encoding: ExporterEncoding, tracesEndpoint: string, headers?: Record<string, string>): SpanExporter {
  const config = { url: tracesEndpoint, ...(headers === undefined ? {} : { headers }) };
  return encoding === 'protobuf' ? new ProtobufExporter(config) : new JsonExporter(config);
}

/** Sends the spans with a real exporter; resolves when the collector answered, rejects on failure. */
export function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) resolve();
      else reject(result.error ?? new Error('export failed'));
    });
  });
}
