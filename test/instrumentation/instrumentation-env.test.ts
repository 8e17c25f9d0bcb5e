import { describe, expect, it } from 'vitest';
import { DEFAULT_TRACES_ENDPOINT, readInstrumentationEnv } from '../../config/instrumentation-env.js';

describe('readInstrumentationEnv', () => {
  it('defaults to a local collector, enabled, with nothing else set', () => {
    expect(readInstrumentationEnv({})).toEqual({
      disabled: false,
      tracesEndpoint: DEFAULT_TRACES_ENDPOINT,
      headers: {},
      serviceName: undefined,
      resourceAttributes: {},
      logLevel: undefined,
      problems: [],
    });
    expect(DEFAULT_TRACES_ENDPOINT).toBe('http://127.0.0.1:4318/v1/traces');
  });

  it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT and takes the traces endpoint as given', () => {
    expect(readInstrumentationEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracesEndpoint).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      readInstrumentationEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://other/custom/path',
      }).tracesEndpoint,
    ).toBe('https://other/custom/path');
  });

  it('parses percent-encoded headers and resource attributes, signal headers winning', () => {
    const env = readInstrumentationEnv({
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-team=a',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=b',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.version=1.2%2C3',
      OTEL_SERVICE_NAME: 'checkout',
      OTEL_SDK_DISABLED: 'TRUE',
      OTEL_LOG_LEVEL: 'Debug',
    });
    expect(env.headers).toEqual({ authorization: 'Bearer abc', 'x-team': 'b' });
    expect(env.resourceAttributes).toEqual({ 'deployment.environment.name': 'prod', 'service.version': '1.2,3' });
    expect(env.serviceName).toBe('checkout');
    expect(env.disabled).toBe(true);
    expect(env.logLevel).toBe('debug');
  });

  it('skips malformed values and names each problem, never throwing', () => {
    const env = readInstrumentationEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url',
      OTEL_EXPORTER_OTLP_HEADERS: 'novalue,=x,ok=1,bad=%E0%A4%A',
      OTEL_LOG_LEVEL: 'loud',
    });
    expect(env.tracesEndpoint).toBe(DEFAULT_TRACES_ENDPOINT);
    expect(env.headers).toEqual({ ok: '1' });
    expect(env.logLevel).toBeUndefined();
    expect(env.problems).toEqual([
      'OTEL_EXPORTER_OTLP_HEADERS: expected key=value pairs separated by commas (got "novalue")',
      'OTEL_EXPORTER_OTLP_HEADERS: expected key=value pairs separated by commas (got "=x")',
      'OTEL_EXPORTER_OTLP_HEADERS: expected a percent-encoded value for "bad" (got "%E0%A4%A")',
      'OTEL_EXPORTER_OTLP_ENDPOINT: expected an http(s) URL (got "not a url")',
      'OTEL_LOG_LEVEL: expected one of none, error, warn, info, debug, verbose, all (got "loud")',
    ]);
    expect(Object.isFrozen(env)).toBe(true);
  });
});
