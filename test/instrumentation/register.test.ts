import { trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it, vi } from 'vitest';
import { readInstrumentationEnv } from '../../config/instrumentation-env.js';
import { SERVICE_NAME } from '../../semconv/otel.js';

/** Keeps what it was sent after shutdown (InMemorySpanExporter forgets it). */
class CollectingExporter implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const loadRegister = async () => {
  vi.resetModules();
  return (await import('../../instrumentation/tracing-setup.js')).register;
};

describe('register()', () => {
  it('returns a disabled handle and installs nothing when OTEL_SDK_DISABLED is set', async () => {
    const register = await loadRegister();
    const handle = register({ logLevel: 'none' }, readInstrumentationEnv({ OTEL_SDK_DISABLED: 'true' }));
    expect(handle.enabled).toBe(false);
    expect(trace.getTracer('x').startSpan('s').isRecording()).toBe(false);
    await expect(handle.flush()).resolves.toBeUndefined();
  });

  it('sets up global tracing with the env resource merged under the options, and exports through the given exporter', async () => {
    const register = await loadRegister();
    const { observe } = await import('../../instrumentation/observe.js');
    const { startTrace } = await import('../../instrumentation/manual.js');
    const exporter = new CollectingExporter();
    const env = readInstrumentationEnv({
      OTEL_SERVICE_NAME: 'from-env',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored,team=search,region=eu',
    });
    const handle = register(
      { exporter, flushOnExit: false, logLevel: 'none', resourceAttributes: { region: 'us' } },
      env,
    );
    expect(handle.enabled).toBe(true);
    expect(register({ logLevel: 'none' }, env)).toBe(handle);

    observe(function traced() {})();
    await handle.flush();
    const [span] = exporter.spans;
    expect(span?.name).toBe('traced');
    expect(span?.resource.attributes).toMatchObject({
      [SERVICE_NAME]: 'from-env',
      team: 'search',
      region: 'us',
      'telemetry.sdk.language': 'nodejs',
    });

    startTrace({ name: 'never-ended' }).span({ name: 'child' }).end();
    await handle.shutdown();
    await handle.shutdown();
    expect(exporter.spans.map((s) => s.name)).toEqual(['traced', 'child', 'never-ended']);
  });
});
