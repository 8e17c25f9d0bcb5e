/**
 * CORS for browser exporters (`@opentelemetry/exporter-trace-otlp-http` in a web page): which
 * origins may send, and the preflight answer for the OTLP routes. Off unless origins are set.
 */
import type { FastifyCorsOptions } from '@fastify/cors';

/** Request headers an OTLP browser exporter sends (and the auth headers keys will need). */
const ALLOWED_REQUEST_HEADERS = ['content-type', 'content-encoding', 'authorization', 'x-api-key'];

/** @param origins exact origins (`https://app.example.com`), or `['*']` for any. */
export function corsOptions(origins: readonly string[]): FastifyCorsOptions {
  return {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: ALLOWED_REQUEST_HEADERS,
    // A browser exporter reads Retry-After to back off on 503.
    exposedHeaders: ['retry-after'],
    maxAge: 600,
  };
}
