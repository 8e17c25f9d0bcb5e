import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WarningExporter } from '../../instrumentation/export-warnings.js';

let warnings: string[];
beforeEach(() => {
  warnings = [];
  const record = (message: string) => warnings.push(message);
  const logger: DiagLogger = { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
});
afterEach(() => diag.disable());

class ScriptedExporter implements SpanExporter {
  constructor(public results: ExportResult[]) {}
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    done(this.results.shift() ?? { code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const failure: ExportResult = { code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED 127.0.0.1:4318') };
const spans = (n: number) => Array.from({ length: n }) as ReadableSpan[];

function exportOnce(exporter: SpanExporter, count: number): ExportResult {
  let result: ExportResult | undefined;
  exporter.export(spans(count), (r) => (result = r));
  return result!;
}

describe('WarningExporter', () => {
  it('warns on the first failure, then at most once per interval with the spans dropped meanwhile', () => {
    let now = 0;
    const exporter = new WarningExporter(new ScriptedExporter([failure, failure, failure, failure]), 'http://127.0.0.1:4318/v1/traces', 60_000, () => now);
    expect(exportOnce(exporter, 3).code).toBe(ExportResultCode.SUCCESS);
    now = 10_000;
    exportOnce(exporter, 4);
    now = 20_000;
    exportOnce(exporter, 5);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('could not export 3 spans to http://127.0.0.1:4318/v1/traces (connect ECONNREFUSED');
    now = 70_000;
    exportOnce(exporter, 6);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain('could not export 15 spans');
  });

  it('says so once exporting works again', () => {
    const exporter = new WarningExporter(new ScriptedExporter([failure, failure]), 'dest', 60_000, () => 0);
    exportOnce(exporter, 1);
    exportOnce(exporter, 2);
    exportOnce(exporter, 1);
    exportOnce(exporter, 1);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toBe('spanlite: exporting to dest works again (2 more spans were dropped)');
  });
});
