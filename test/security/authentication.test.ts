/**
 * Keys on every data route: HTTP Basic `public:secret`, `Authorization: Bearer <secret>` and
 * `x-api-key: <secret>` over REST, OTLP/HTTP and OTLP/gRPC; 401 (gRPC UNAUTHENTICATED) naming
 * what was wrong otherwise; keys created and revoked by another process on the same database
 * taken into account within SPANLITE_KEY_RECHECK_MS; the web UI's pages reachable without a key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs/minimal.js';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { exportSpans, otlpExporter, type ExporterEncoding } from '../helpers/otel-sdk.js';
import { recordTraces } from '../query/trace-builder.js';
import {
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  callApi,
  createKeys,
  startKeyedCollector,
  type KeyedCollector,
  type ProjectKey,
} from '../helpers/keyed-collector.js';
import { openSqliteKeyStore } from '../../collector/store/sqlite/keys.js';
import { createKeyManager } from '../../collector/auth/key-manager.js';
import { OTLP_GRPC_METHODS } from '../../collector/receiver/grpc-receiver.js';

const RECHECK_MS = 300;
const T0 = Date.UTC(2025, 8, 2, 9, 0, 0);

let keyed: KeyedCollector;
let alpha: ProjectKey;

beforeAll(async () => {
  keyed = await startKeyedCollector(['alpha'], { keyRecheckMs: RECHECK_MS });
  alpha = keyed.keys.alpha!;
});
afterAll(async () => {
  await keyed?.close();
});

const get = (path: string, headers: Record<string, string>) => callApi(keyed.collector.url, 'GET', path, headers);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** google.rpc.Status { 1: code, 2: message } */
function readStatus(bytes: Uint8Array): { code: number; message: string } {
  const status = { code: 0, message: '' };
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | 0)) status.code = reader.int32();
    else if (tag === ((2 << 3) | 2)) status.message = reader.string();
    else reader.skipType(tag & 7);
  }
  return status;
}

async function rawGrpcExport(metadata: grpc.Metadata): Promise<grpc.ServiceError | null> {
  const { spans } = await recordTraces([{ name: 'raw-grpc', startMs: T0 }]);
  const body = ProtobufTraceSerializer.serializeRequest(spans)!;
  const client = new grpc.Client(new URL(keyed.collector.grpcUrl!).host, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      OTLP_GRPC_METHODS.traces,
      (bytes: Uint8Array) => Buffer.from(bytes),
      (bytes: Buffer) => bytes,
      body,
      metadata,
      (error) => {
        client.close();
        resolve(error);
      },
    );
  });
}

describe('the REST API', () => {
  it.each([
    ['HTTP Basic public:secret', () => basicAuth(alpha)],
    ['Authorization: Bearer <secret>', () => bearerAuth(alpha)],
    ['x-api-key: <secret>', () => apiKeyAuth(alpha)],
  ])('accepts %s', async (_scheme, headers) => {
    const answer = await get('/api/public/traces', headers());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ data: expect.any(Array) });
  });

  it('refuses a request without credentials with 401, saying how to send them', async () => {
    const answer = await get('/api/public/traces', {});
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="spanlite"');
    expect(answer.body).toEqual({
      error: 'unauthenticated',
      message: expect.stringMatching(/^missing credentials: .*Authorization: Basic base64\(publicKey:secretKey\).*x-api-key/),
    });
  });

  it.each([
    ['a wrong secret', () => ({ authorization: `Basic ${Buffer.from(`${alpha.publicKey}:sk-sl-wrong`).toString('base64')}` }), /the secret key does not match/],
    ['an unknown public key', () => ({ authorization: `Basic ${Buffer.from(`pk-sl-${'0'.repeat(24)}:${alpha.secretKey}`).toString('base64')}` }), /no API key has the public key "pk-sl-0+"/],
    ['Basic without a colon', () => ({ authorization: `Basic ${Buffer.from(alpha.publicKey).toString('base64')}` }), /Basic expected base64 of publicKey:secretKey/],
    ['another scheme', () => ({ authorization: 'Digest username="x"' }), /expected the Basic or Bearer scheme \(got "Digest"\)/],
    ['a bearer token that is no spanlite secret', () => ({ authorization: 'Bearer not-a-key' }), /Bearer: expected a spanlite secret key .*got a 9-character value/],
    ['an x-api-key with an unknown key id', () => ({ 'x-api-key': `sk-sl-${'1'.repeat(24)}-${'2'.repeat(64)}` }), /x-api-key: no API key has the id 1{24}/],
    ['a secret of another key id, but the right public key', () => ({ authorization: `Basic ${Buffer.from(`${alpha.publicKey}:sk-sl-${'1'.repeat(24)}-${'2'.repeat(64)}`).toString('base64')}` }), /does not match/],
  ])('refuses %s with 401 naming what was wrong', async (_case, headers, message) => {
    const answer = await get('/api/public/traces', headers());
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('unauthenticated');
    expect(answer.body.message).toMatch(message);
  });

  it('never echoes a presented secret in its answer', async () => {
    const secret = `sk-sl-${'1'.repeat(24)}-${'3'.repeat(64)}`;
    const answer = await get('/api/public/traces', { authorization: `Basic ${Buffer.from(`${alpha.publicKey}:${secret}`).toString('base64')}` });
    expect(JSON.stringify(answer.body)).not.toContain('3'.repeat(64));
    const bearer = await get('/api/public/traces', { authorization: `Bearer ${secret}` });
    expect(JSON.stringify(bearer.body)).not.toContain('3'.repeat(64));
  });

  it('guards every data route', async () => {
    for (const path of ['/api/public/traces/abc', '/api/public/observations', '/api/public/sessions', '/api/public/users',
      '/api/public/scores', '/api/public/v2/scores', '/api/public/metrics/daily', '/api/public/models', '/api/public/sessions/x']) {
      expect((await get(path, {})).status, path).toBe(401);
    }
    for (const [method, path] of [['POST', '/api/public/scores'], ['POST', '/api/public/ingestion'], ['POST', '/api/public/models'],
      ['DELETE', '/api/public/traces/abc'], ['DELETE', '/api/public/scores/abc'], ['DELETE', '/api/public/models/abc']]) {
      expect((await callApi(keyed.collector.url, method!, path!, {}, {})).status, `${method} ${path}`).toBe(401);
    }
  });

  it('serves the OpenAPI document without a key: it holds no data, and the web UI links to it', async () => {
    const answer = await get('/api/public/openapi.json', {});
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toMatch(/^3\.1/);
  });

  it("keeps the web UI's pages reachable without a key (the UI asks for keys itself)", async () => {
    const page = await fetch(`${keyed.collector.url}/traces/abc`);
    expect(page.status).not.toBe(401);
    expect(page.headers.get('content-type')).toMatch(/^text\/(html|plain)/);
  });
});

describe('OTLP/HTTP ingestion', () => {
  it.each([
    ['protobuf', 'HTTP Basic', () => basicAuth(alpha), '/v1/traces'],
    ['json', 'Bearer', () => bearerAuth(alpha), '/v1/traces'],
    ['protobuf', 'x-api-key', () => apiKeyAuth(alpha), '/api/public/otel/v1/traces'],
    ['json', 'HTTP Basic', () => basicAuth(alpha), '/api/public/otel/v1/traces'],
  ] as const)('stores spans from the real %s exporter sending %s to %s', async (encoding, _scheme, headers, path) => {
    const { spans, traceIds } = await recordTraces([{ name: `ingest-${encoding}`, startMs: T0 }]);
    const exporter = otlpExporter(encoding as ExporterEncoding, keyed.collector.url + path, headers());
    await exportSpans(exporter, spans);
    await exporter.shutdown();
    expect((await get(`/api/public/traces/${traceIds[0]}`, basicAuth(alpha))).status).toBe(200);
  });

  it('fails the export of a real exporter without a key', async () => {
    const { spans } = await recordTraces([{ name: 'no-key', startMs: T0 }]);
    const exporter = otlpExporter('protobuf', keyed.collector.tracesEndpoint);
    await expect(exportSpans(exporter, spans)).rejects.toThrow();
    await exporter.shutdown();
  });

  it.each(['/v1/traces', '/v1/logs', '/api/public/otel/v1/traces', '/api/public/otel/v1/logs'])(
    'answers %s without a key with 401 and an OTLP Status in the encoding of the request',
    async (path) => {
      const protobufAnswer = await fetch(keyed.collector.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: new Uint8Array(0),
      });
      expect(protobufAnswer.status).toBe(401);
      expect(protobufAnswer.headers.get('content-type')).toBe('application/x-protobuf');
      const status = readStatus(new Uint8Array(await protobufAnswer.arrayBuffer()));
      expect(status).toEqual({ code: 16, message: expect.stringMatching(/^missing credentials/) });

      const jsonAnswer = await fetch(keyed.collector.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
        body: '{}',
      });
      expect(jsonAnswer.status).toBe(401);
      expect(await jsonAnswer.json()).toEqual({ code: 16, message: expect.stringMatching(/^Authorization: Bearer: expected a spanlite secret key/) });
    },
  );
});

describe('OTLP/gRPC ingestion', () => {
  it.each([
    ['authorization: Bearer <secret>', (metadata: grpc.Metadata) => metadata.set('authorization', `Bearer ${alpha.secretKey}`)],
    ['authorization: Basic', (metadata: grpc.Metadata) => metadata.set('authorization', basicAuth(alpha).authorization!)],
    ['x-api-key', (metadata: grpc.Metadata) => metadata.set('x-api-key', alpha.secretKey)],
  ])('stores spans from the real gRPC exporter sending %s metadata', async (_scheme, setKey) => {
    const { spans, traceIds } = await recordTraces([{ name: 'grpc-keyed', startMs: T0 }]);
    const metadata = new grpc.Metadata();
    setKey(metadata);
    const exporter = new GrpcTraceExporter({ url: keyed.collector.grpcUrl!, metadata });
    await exportSpans(exporter, spans);
    await exporter.shutdown();
    expect((await get(`/api/public/traces/${traceIds[0]}`, basicAuth(alpha))).status).toBe(200);
  });

  it('answers UNAUTHENTICATED without a key, or with a wrong one, naming what was wrong', async () => {
    const missing = await rawGrpcExport(new grpc.Metadata());
    expect(missing?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(missing?.details).toMatch(/^missing credentials/);
    const wrong = new grpc.Metadata();
    wrong.set('x-api-key', `sk-sl-${alpha.publicKey.slice(6)}-${'0'.repeat(64)}`);
    const refused = await rawGrpcExport(wrong);
    expect(refused?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(refused?.details).toBe(`API key ${alpha.publicKey}: the secret key does not match`);
  });
});

describe('keys changed by another process on the same database (the CLI)', () => {
  it('accepts a key created by another process on its first request', async () => {
    const { gamma } = await createKeys(keyed.dbFile, ['gamma']);
    expect((await get('/api/public/traces', bearerAuth(gamma!))).status).toBe(200);
  });

  it(`refuses a key revoked by another process within SPANLITE_KEY_RECHECK_MS (${RECHECK_MS} ms here)`, async () => {
    const { delta } = await createKeys(keyed.dbFile, ['delta']);
    expect((await get('/api/public/traces', apiKeyAuth(delta!))).status).toBe(200);
    const store = openSqliteKeyStore({ file: keyed.dbFile });
    expect(await createKeyManager({ keys: store }).revoke(delta!.publicKey)).toBe('revoked');
    await store.close();
    await sleep(RECHECK_MS + 50);
    const refused = await get('/api/public/traces', apiKeyAuth(delta!));
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(new RegExp(`^API key ${delta!.publicKey}: revoked at `));
    expect((await get('/api/public/traces', basicAuth(alpha))).status).toBe(200);
  });
});
