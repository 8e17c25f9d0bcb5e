/**
 * SPANLITE_RATE_LIMIT_PER_MINUTE: each key's requests are limited on its own; beyond the limit,
 * 429 with Retry-After (REST: the JSON error; OTLP/HTTP: a Status; gRPC: RESOURCE_EXHAUSTED with
 * a RetryInfo delay, which OTel exporters honour).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { recordTraces } from '../query/trace-builder.js';
import { apiKeyAuth, basicAuth, callApi, startKeyedCollector, type KeyedCollector } from '../helpers/keyed-collector.js';
import { OTLP_GRPC_METHODS } from '../../collector/receiver/grpc-receiver.js';

const PER_MINUTE = 3;
/** Seconds until one request is free again: 60 / PER_MINUTE. */
const RETRY_AFTER = String(60 / PER_MINUTE);

let keyed: KeyedCollector;
beforeAll(async () => {
  keyed = await startKeyedCollector(['rest', 'other', 'otlp', 'grpc'], { rateLimitPerMinute: PER_MINUTE });
});
afterAll(async () => {
  await keyed?.close();
});

it('answers the REST API 429 with Retry-After once a key used its requests, and only that key', async () => {
  const rest = keyed.keys.rest!;
  for (let request = 0; request < PER_MINUTE; request++) {
    expect((await callApi(keyed.collector.url, 'GET', '/api/public/traces', basicAuth(rest))).status).toBe(200);
  }
  const limited = await callApi(keyed.collector.url, 'GET', '/api/public/traces', basicAuth(rest));
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toBe(RETRY_AFTER);
  expect(limited.body).toEqual({
    error: 'rate_limited',
    message: `rate limit: API key ${rest.publicKey} has used its ${PER_MINUTE} requests per minute (SPANLITE_RATE_LIMIT_PER_MINUTE); retry in ${RETRY_AFTER} s`,
  });
  expect((await callApi(keyed.collector.url, 'GET', '/api/public/traces', basicAuth(keyed.keys.other!))).status).toBe(200);
});

it('answers OTLP/HTTP exports 429 with Retry-After and an OTLP Status', async () => {
  const { spans } = await recordTraces([{ name: 'limited', startMs: Date.UTC(2025, 8, 3) }]);
  const body = ProtobufTraceSerializer.serializeRequest(spans)!;
  const send = () =>
    fetch(keyed.collector.tracesEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', ...apiKeyAuth(keyed.keys.otlp!) }, body });
  for (let request = 0; request < PER_MINUTE; request++) expect((await send()).status).toBe(200);
  const limited = await fetch(keyed.collector.tracesEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...apiKeyAuth(keyed.keys.otlp!) },
    body: '{}',
  });
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toBe(RETRY_AFTER);
  expect(await limited.json()).toEqual({ code: 8, message: expect.stringMatching(/^rate limit: API key pk-sl-/) });
});

it('answers OTLP/gRPC exports RESOURCE_EXHAUSTED with a RetryInfo delay', async () => {
  const { spans } = await recordTraces([{ name: 'limited-grpc', startMs: Date.UTC(2025, 8, 3) }]);
  const body = ProtobufTraceSerializer.serializeRequest(spans)!;
  const metadata = new grpc.Metadata();
  metadata.set('x-api-key', keyed.keys.grpc!.secretKey);
  const client = new grpc.Client(new URL(keyed.collector.grpcUrl!).host, grpc.credentials.createInsecure());
  const call = () =>
    new Promise<grpc.ServiceError | null>((resolve) => {
      client.makeUnaryRequest(OTLP_GRPC_METHODS.traces, (bytes: Uint8Array) => Buffer.from(bytes), (bytes: Buffer) => bytes, body, metadata, (error) =>
        resolve(error),
      );
    });
  try {
    for (let request = 0; request < PER_MINUTE; request++) expect(await call()).toBeNull();
    const limited = await call();
    expect(limited?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(limited?.details).toMatch(/^rate limit: API key pk-sl-/);
    expect(limited?.metadata.get('grpc-status-details-bin')).toHaveLength(1);
  } finally {
    client.close();
  }
});
