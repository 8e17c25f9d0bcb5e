/**
 * Admission (admission.ts) for a route whose body Fastify parses before the handler runs (the
 * Langfuse ingestion endpoint's JSON): an onRequest hook admits the request as it arrives, so a
 * refusal (503 + Retry-After) is sent before the body is read, and the request counts as answered
 * when its response is done or its connection closed. The OTLP receivers read their bodies
 * themselves and admit in their handlers.
 */
import type { onRequestAsyncHookHandler } from 'fastify';
import type { Admission } from './admission.js';

export function admitOnArrival(admission: Admission): onRequestAsyncHookHandler {
  return async (_request, reply) => {
    reply.raw.once('close', admission.enter());
  };
}
