/**
 * Real OpenTelemetry logs SDK pieces for tests: a logger provider that records emitted records in
 * memory, and the real OTLP log exporters (protobuf and JSON) to send them to a collector.
 */
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type LogRecordExporter,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import type { Logger } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExporterEncoding } from './otel-sdk.js';

export interface RecordingLoggerProvider {
  logger: Logger;
  /** Every record emitted so far. */
  emittedRecords(): ReadableLogRecord[];
  shutdown(): Promise<void>;
}

export function recordingLoggerProvider(serviceName = 'spanlite-test'): RecordingLoggerProvider {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  return {
    logger: provider.getLogger('spanlite-test-logs', '0.0.1'),
    emittedRecords: () => memory.getFinishedLogRecords(),
    shutdown: () => provider.shutdown(),
  };
}

export function otlpLogExporter(encoding: ExporterEncoding, logsEndpoint: string): LogRecordExporter {
  return encoding === 'protobuf'
    ? new ProtobufLogExporter({ url: logsEndpoint })
    : new JsonLogExporter({ url: logsEndpoint });
}

/** Sends the records with a real exporter; resolves when the collector answered, rejects on failure. */
export function exportLogRecords(exporter: LogRecordExporter, records: ReadableLogRecord[]): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(records, (result) => {
      if (result.code === ExportResultCode.SUCCESS) resolve();
      else reject(result.error ?? new Error('export failed'));
    });
  });
}
