/**
 * otel-collector.yaml is a Collector config people copy: it must wire up (every pipeline names
 * defined components, every defined component is used) and send to spanlite where spanlite listens.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { OTLP_LOGS_PATHS, OTLP_TRACES_PATHS } from '../../collector/receiver/http-receiver.js';

const config = parse(readFileSync(new URL('../../otel-collector.yaml', import.meta.url), 'utf8')) as any;

const KINDS = ['receivers', 'processors', 'exporters', 'connectors'] as const;
type Kind = (typeof KINDS)[number];

function defined(kind: Kind): string[] {
  return Object.keys(config[kind] ?? {});
}

const pipelines = Object.entries<any>(config.service.pipelines);

describe('otel-collector.yaml', () => {
  it('has trace and log pipelines, each with receivers and exporters', () => {
    expect(pipelines.map(([name]) => name.split('/')[0])).toEqual(expect.arrayContaining(['traces', 'logs']));
    for (const [, pipeline] of pipelines) {
      expect(pipeline.receivers.length).toBeGreaterThan(0);
      expect(pipeline.exporters.length).toBeGreaterThan(0);
    }
  });

  it('names only defined receivers, processors and exporters (or connectors) in its pipelines', () => {
    const connectors = defined('connectors');
    for (const [name, pipeline] of pipelines) {
      for (const receiver of pipeline.receivers) expect([...defined('receivers'), ...connectors], name).toContain(receiver);
      for (const processor of pipeline.processors ?? []) expect(defined('processors'), name).toContain(processor);
      for (const exporter of pipeline.exporters) expect([...defined('exporters'), ...connectors], name).toContain(exporter);
    }
  });

  it('uses every component it defines, and each connector both as exporter and receiver', () => {
    const used = (role: 'receivers' | 'processors' | 'exporters') => new Set(pipelines.flatMap(([, p]) => p[role] ?? []));
    for (const receiver of defined('receivers')) expect(used('receivers')).toContain(receiver);
    for (const processor of defined('processors')) expect(used('processors')).toContain(processor);
    for (const exporter of defined('exporters')) expect(used('exporters')).toContain(exporter);
    for (const connector of defined('connectors')) {
      expect(used('exporters')).toContain(connector);
      expect(used('receivers')).toContain(connector);
    }
  });

  it('puts memory_limiter first in every pipeline that has processors', () => {
    for (const [, pipeline] of pipelines) if (pipeline.processors?.length) expect(pipeline.processors[0]).toBe('memory_limiter');
  });

  describe('the spanlite exporter', () => {
    const spanlite = config.exporters['otlphttp/spanlite'];

    it('sends over OTLP/HTTP to a base URL under which spanlite serves /v1/traces and /v1/logs', () => {
      const base = new URL(spanlite.endpoint);
      expect(base.pathname).toBe('/');
      expect(OTLP_TRACES_PATHS).toContain(new URL('v1/traces', base).pathname);
      expect(OTLP_LOGS_PATHS).toContain(new URL('v1/logs', base).pathname);
    });

    it('sends the Basic auth header from SPANLITE_BASIC_AUTH, gzip, with retry and a sending queue', () => {
      expect(spanlite.headers).toEqual({ Authorization: 'Basic ${env:SPANLITE_BASIC_AUTH}' });
      expect(spanlite.compression).toBe('gzip');
      expect(spanlite.retry_on_failure.enabled).toBe(true);
      expect(spanlite.sending_queue.enabled).toBe(true);
    });

    it('receives only filtered data, while another exporter receives everything', () => {
      const toSpanlite = pipelines.filter(([, p]) => p.exporters.includes('otlphttp/spanlite'));
      expect(toSpanlite.length).toBeGreaterThan(0);
      for (const [, pipeline] of toSpanlite) {
        expect(pipeline.processors.some((processor: string) => processor.startsWith('filter/'))).toBe(true);
      }
      const unfiltered = pipelines.filter(([, p]) => !(p.processors ?? []).some((x: string) => x.startsWith('filter/')));
      expect(unfiltered.map(([, p]) => p.exporters).flat()).toContain('otlp/other');
    });

    it('keeps a span when it has an attribute of any convention spanlite reads', () => {
      const [condition] = config.processors['filter/llm-spans'].traces.span as string[];
      for (const marker of ['gen_ai.', 'llm.', 'traceloop.', 'openinference.', 'ai.operationId', 'langfuse.', 'genkit:', 'mlflow.']) {
        expect(condition).toContain(`attributes["${marker}`);
      }
      for (const scope of ['pydantic-ai', 'livekit-agents', 'gcp.vertex.agent', 'spanlite']) {
        expect(condition).toContain(`instrumentation_scope.name == "${scope}"`);
      }
    });
  });
});
