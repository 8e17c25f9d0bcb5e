/**
 * CORS for browser exporters (`@opentelemetry/exporter-trace-otlp-http` in a web page) and browser
 * clients of the REST API: which origins may call, and the preflight answer (the REST API deletes
 * traces, scores and model prices, so DELETE is allowed too). Off unless origins are set.
 */
import type { FastifyCorsOptions } from '@fastify/cors';

/** Request headers an OTLP browser exporter sends (and the auth headers keys will need). */
const ALLOWED_REQUEST_HEADERS = ['content-type', 'content-encoding', 'authorization', 'x-api-key'];

/** @param origins exact origins (`https://app.example.com`), or `['*']` for any. */
export function corsOptions(origins: readonly string[]): FastifyCorsOptions {
  return {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'POST', 'DELETE'],
    allowedHeaders: ALLOWED_REQUEST_HEADERS,
    // A browser exporter reads Retry-After to back off on 503.
    exposedHeaders: ['retry-after'],
    maxAge: 600,
  };
}
