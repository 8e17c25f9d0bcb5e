/**
 * CORS for browser exporters: preflight and actual requests from an allowed origin get the CORS
 * headers, other origins none, and without SPANLITE_CORS_ORIGINS nothing changes.
 */
import { describe, expect, it } from 'vitest';
import { collectorPerSuite } from '../helpers/collector.js';

const ALLOWED = 'https://app.example.com';

function preflight(url: string, origin: string, method = 'POST'): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'content-type,content-encoding,authorization,x-api-key',
    },
  });
}

describe('with SPANLITE_CORS_ORIGINS set', () => {
  const collector = collectorPerSuite({ corsOrigins: [ALLOWED] });

  it.each(['/v1/traces', '/v1/logs', '/api/public/otel/v1/traces'])(
    'answers the preflight for %s from an allowed origin with the OTLP request headers allowed',
    async (path) => {
      const response = await preflight(collector.url + path, ALLOWED);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'content-type, content-encoding, authorization, x-api-key',
      );
    },
  );

  it('allows a browser client of the REST API to delete (traces, scores, model prices)', async () => {
    const response = await preflight(`${collector.url}/api/public/scores/some-score`, ALLOWED, 'DELETE');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, DELETE');
  });

  it('gives a preflight from another origin no Access-Control-Allow-Origin, so the browser blocks it', async () => {
    const response = await preflight(`${collector.url}/v1/traces`, 'https://evil.example.com');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds the CORS headers to the export answer itself, exposing Retry-After', async () => {
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-expose-headers')).toBe('retry-after');
  });
});

describe('without SPANLITE_CORS_ORIGINS', () => {
  const collector = collectorPerSuite({ grpcPort: null });

  it('sends no CORS headers, to a preflight or to an export', async () => {
    const options = await preflight(`${collector.url}/v1/traces`, ALLOWED);
    expect(options.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('runs without a gRPC port when SPANLITE_GRPC_PORT is off', () => {
    expect(collector.grpcUrl).toBeNull();
  });
});
