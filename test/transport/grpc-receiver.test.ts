/**
 * OTLP/gRPC: the real `@opentelemetry/exporter-trace-otlp-grpc` and a raw grpc-js client against
 * a collector's gRPC port, read back over REST.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs/minimal.js';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { collectorPerSuite, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { exportSpans, recordingProvider } from '../helpers/otel-sdk.js';
import { recordingLoggerProvider } from '../helpers/otel-logs.js';
import { recordSeedScenario, SEED, SEED_TRACE_FIELDS } from '../helpers/seed-scenario.js';
import { grpcErrorFor, OTLP_GRPC_METHODS } from '../../collector/receiver/grpc-receiver.js';
import { SpanliteError } from '../../collector/errors.js';
import { GEN_AI_OPERATION_NAME } from '../../semconv/gen-ai.js';
import { SPANLITE_OBSERVATION_INPUT } from '../../semconv/spanlite.js';

type GrpcCompression = NonNullable<NonNullable<ConstructorParameters<typeof GrpcTraceExporter>[0]>['compression']>;

const collector = collectorPerSuite();

function grpcAddress(url: string): string {
  return new URL(url).host;
}

interface RawAnswer {
  error: grpc.ServiceError | null;
  response: Buffer | undefined;
}

/** One unary call with raw bytes, as any OTLP/gRPC client sends them. */
function rawExport(address: string, method: string, body: Uint8Array): Promise<RawAnswer> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      method,
      (bytes: Uint8Array) => Buffer.from(bytes),
      (bytes: Buffer) => bytes,
      body,
      (error, response) => {
        client.close();
        resolve({ error, response });
      },
    );
  });
}

/** ExportTraceServiceResponse / ExportLogsServiceResponse partial_success { rejected, error_message }. */
function readPartialSuccess(bytes: Buffer): { rejected: number; errorMessage: string } {
  const result = { rejected: 0, errorMessage: '' };
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag !== ((1 << 3) | 2)) {
      reader.skipType(tag & 7);
      continue;
    }
    const end = reader.uint32() + reader.pos;
    while (reader.pos < end) {
      const field = reader.uint32();
      if (field === ((1 << 3) | 0)) result.rejected = Number(reader.int64());
      else if (field === ((2 << 3) | 2)) result.errorMessage = reader.string();
      else reader.skipType(field & 7);
    }
  }
  return result;
}

describe('the seed scenario sent by the real OTLP/gRPC exporter', () => {
  let traceId: string;
  let stored: any;

  beforeAll(async () => {
    const spans = await recordSeedScenario();
    traceId = spans[0]!.spanContext().traceId;
    const exporter = new GrpcTraceExporter({ url: collector.grpcUrl! });
    await exportSpans(exporter, spans);
    await exporter.shutdown();
    stored = await collector.getJson(`/api/public/traces/${traceId}`);
  });

  it('stores the trace with its name, user, session, metadata and tags', () => {
    expect(stored).toMatchObject({ id: traceId, ...SEED_TRACE_FIELDS });
  });

  it('stores the generation with its model, tokens and cost, the event and the score', () => {
    const generation = stored.observations.find((o: any) => o.name === 'llm-answer');
    expect(generation).toMatchObject({
      type: 'GENERATION',
      model: SEED.model,
      usageDetails: { input: SEED.inputTokens, output: SEED.outputTokens },
      costMissingReason: null,
    });
    expect(generation.totalCost).toBeGreaterThan(0);
    expect(stored.observations.find((o: any) => o.name === 'rerank')).toMatchObject({ type: 'EVENT' });
    expect(stored.scores).toEqual([expect.objectContaining({ name: 'helpfulness', value: 0.92 })]);
  });
});

describe('gzip over gRPC', () => {
  let proxy: Server;
  let bytesFromClient = 0;

  beforeAll(async () => {
    // A TCP relay in front of the gRPC port that counts what the exporter sends.
    const target = new URL(collector.grpcUrl!);
    proxy = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      client.on('data', (chunk: Buffer) => {
        bytesFromClient += chunk.length;
      });
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy.close(resolve));
  });

  it('stores a gzip-compressed export whole, while far fewer bytes than its size cross the wire', async () => {
    const tracing = recordingProvider('gzip-test');
    const prompt = 'Tell me about gzip. '.repeat(20_000); // 400 kB, very compressible
    const span = tracing.tracer.startSpan('chat', {
      attributes: { [GEN_AI_OPERATION_NAME]: 'chat', [SPANLITE_OBSERVATION_INPUT]: prompt },
    });
    span.end();
    const spans = tracing.finishedSpans();
    await tracing.shutdown();

    const { port } = proxy.address() as AddressInfo;
    const exporter = new GrpcTraceExporter({ url: `http://127.0.0.1:${port}`, compression: 'gzip' as GrpcCompression });
    await exportSpans(exporter, spans);
    await exporter.shutdown();

    const stored = await collector.getJson(`/api/public/traces/${span.spanContext().traceId}`);
    expect(stored.observations[0].input).toBe(prompt);
    expect(bytesFromClient).toBeGreaterThan(0);
    expect(bytesFromClient).toBeLessThan(prompt.length / 10);
  });
});

describe('gRPC status codes and partial success', () => {
  it('answers INVALID_ARGUMENT, naming the problem, for a message that is not a trace export', async () => {
    // field 1 (resource_spans) claims 100 bytes; 2 follow
    const { error } = await rawExport(grpcAddress(collector.grpcUrl!), OTLP_GRPC_METHODS.traces, Buffer.from([0x0a, 100, 1, 2]));
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/^invalid OTLP protobuf body: .*truncated/);
  });

  it('reports a span with an all-zero trace id in the partial success and stores the rest', async () => {
    const tracing = recordingProvider('partial');
    const good = tracing.tracer.startSpan('good');
    good.end();
    const bad = tracing.tracer.startSpan('bad');
    bad.end();
    const [goodSpan, badSpan] = tracing.finishedSpans();
    await tracing.shutdown();
    const zeroTrace = { ...badSpan!.spanContext(), traceId: '0'.repeat(32) };
    const broken = Object.assign(Object.create(Object.getPrototypeOf(badSpan)), badSpan, { spanContext: () => zeroTrace });
    const body = ProtobufTraceSerializer.serializeRequest([goodSpan!, broken])!;

    const { error, response } = await rawExport(grpcAddress(collector.grpcUrl!), OTLP_GRPC_METHODS.traces, body);
    expect(error).toBeNull();
    expect(readPartialSuccess(response!)).toEqual({
      rejected: 1,
      errorMessage: `span ${zeroTrace.spanId}: traceId: expected a non-zero id (got all zeros)`,
    });
    await expect(collector.getJson(`/api/public/traces/${goodSpan!.spanContext().traceId}`)).resolves.toMatchObject({
      name: 'good',
    });
  });

  it('answers RESOURCE_EXHAUSTED for a message over SPANLITE_MAX_BODY_BYTES', async () => {
    const small = await startTestCollector({ maxBodyBytes: 1024 });
    try {
      const { error } = await rawExport(grpcAddress(small.grpcUrl!), OTLP_GRPC_METHODS.traces, Buffer.alloc(4096));
      expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    } finally {
      await small.close();
    }
  });

  it('tells the client to retry after a delay when the write queue is full: UNAVAILABLE with RetryInfo', () => {
    const status = grpcErrorFor(new SpanliteError('overloaded', 'ingestion queue full', { retryAfterSeconds: 2 }));
    expect(status).toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'ingestion queue full' });
    const [details] = status.metadata!.get('grpc-status-details-bin') as Buffer[];
    // google.rpc.Status { code 14, message, details: [Any { type_url RetryInfo, value { retry_delay { seconds 2 } } }] }
    const reader = protobuf.Reader.create(details!);
    const fields: unknown[] = [];
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag === ((1 << 3) | 0)) fields.push(reader.int32());
      else if (tag === ((2 << 3) | 2)) fields.push(reader.string());
      else {
        const any = protobuf.Reader.create(reader.bytes());
        any.uint32();
        fields.push(any.string());
        any.uint32();
        const retryInfo = protobuf.Reader.create(any.bytes());
        retryInfo.uint32();
        const duration = protobuf.Reader.create(retryInfo.bytes());
        duration.uint32();
        fields.push(Number(duration.int64()));
      }
    }
    expect(fields).toEqual([14, 'ingestion queue full', 'type.googleapis.com/google.rpc.RetryInfo', 2]);
  });

  it('gives a message it cannot decode no retry hint', () => {
    const status = grpcErrorFor(new SpanliteError('undecodableBody', 'bad'));
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(status.metadata!.get('grpc-status-details-bin')).toEqual([]);
  });
});

describe('OTLP/gRPC logs', () => {
  it('stores a log record sent to LogsService/Export as an EVENT observation of its span', async () => {
    const tracing = recordingProvider('grpc-logs');
    const logs = recordingLoggerProvider('grpc-logs');
    const span = tracing.tracer.startSpan('tool call', { kind: SpanKind.INTERNAL });
    logs.logger.emit({ eventName: 'tool.retry', body: 'retrying once', context: trace.setSpan(context.active(), span) });
    span.end();
    const [spans, records] = [tracing.finishedSpans(), logs.emittedRecords()];
    await Promise.all([tracing.shutdown(), logs.shutdown()]);

    const address = grpcAddress(collector.grpcUrl!);
    const logsAnswer = await rawExport(address, OTLP_GRPC_METHODS.logs, ProtobufLogsSerializer.serializeRequest(records)!);
    expect(logsAnswer.error).toBeNull();
    expect(logsAnswer.response).toEqual(Buffer.alloc(0));
    const tracesAnswer = await rawExport(address, OTLP_GRPC_METHODS.traces, ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(tracesAnswer.error).toBeNull();

    const stored = await collector.getJson(`/api/public/traces/${span.spanContext().traceId}`);
    expect(stored.observations).toEqual([
      expect.objectContaining({ name: 'tool call', type: 'SPAN' }),
      expect.objectContaining({
        name: 'tool.retry',
        type: 'EVENT',
        parentObservationId: span.spanContext().spanId,
        input: 'retrying once',
      }),
    ]);
  });
});

describe('shutdown', () => {
  it('stops accepting gRPC calls once closed, and closing twice is harmless', async () => {
    const shortLived = await startTestCollector();
    const address = grpcAddress(shortLived.grpcUrl!);
    expect((await rawExport(address, OTLP_GRPC_METHODS.traces, Buffer.alloc(0))).error).toBeNull();
    await Promise.all([shortLived.close(), shortLived.close()]);
    const { error } = await rawExport(address, OTLP_GRPC_METHODS.traces, Buffer.alloc(0));
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
  });
});
