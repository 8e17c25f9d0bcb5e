/**
 * Hostile and broken input over HTTP against a real collector: random and mutated protobuf and
 * JSON (mutations of real OTel SDK exports), broken compression, gzip bombs, deep AnyValues,
 * huge strings, invalid UTF-8, bad ids, odd timestamps, thousands of attributes.
 *
 * Every request must get 400/413/415, or 200 (with a partial success naming what was refused);
 * a refused request must leave the store as it was; the collector must keep serving valid exports
 * and its memory must stay bounded. Seeded (SPANLITE_FUZZ_SEED) and bounded in time and count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import protobuf from 'protobufjs/minimal.js';
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { context, trace } from '@opentelemetry/api';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { exportSpans, otlpExporter } from '../helpers/otel-sdk.js';
import { recordingLoggerProvider } from '../helpers/otel-logs.js';
import { recordSeedScenario, SEED } from '../helpers/seed-scenario.js';
import * as ours from '../../semconv/spanlite.js';
import {
  anyInt,
  anyString,
  brokenCompression,
  gzipBomb,
  keyValue,
  mutateBytes,
  mutateJson,
  mutateJsonText,
  nestedArrays,
  protobufTraces,
  Random,
  type ProtoSpan,
} from './hostile-bodies.js';

/** Seed, case count and time budget of the random part; raise the last two to hunt for bugs locally. */
const FUZZ_SEED = Number(process.env.SPANLITE_FUZZ_SEED ?? 0x5eed_f022);
const FUZZ_MAX_CASES = Number(process.env.SPANLITE_FUZZ_CASES ?? 600);
const FUZZ_MAX_MS = Number(process.env.SPANLITE_FUZZ_MS ?? 5_000);
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_ATTRIBUTE_BYTES = 256 * 1024;
const NS_PER_MS = 1_000_000n;

let collector: TestCollector;
let spans: ReadableSpan[];
let records: ReadableLogRecord[];

beforeAll(async () => {
  collector = await startTestCollector({ maxBodyBytes: MAX_BODY_BYTES, maxAttributeBytes: MAX_ATTRIBUTE_BYTES });
  spans = await recordSeedScenario({ failingChild: 'upstream timeout' });
  records = await recordLogs();
});
afterAll(async () => {
  await collector?.close();
});

/** Real log records from the OTel logs SDK: a GenAI message event and a plain line, in the seed trace. */
async function recordLogs(): Promise<ReadableLogRecord[]> {
  const provider = recordingLoggerProvider('fuzz');
  const inSpan = trace.setSpanContext(context.active(), spans[0]!.spanContext());
  provider.logger.emit({
    eventName: 'gen_ai.user.message',
    body: { content: 'hello' },
    severityNumber: SeverityNumber.INFO,
    attributes: { 'gen_ai.system': 'openai' },
    context: inSpan,
  });
  provider.logger.emit({ body: 'plain line', severityText: 'WARN', attributes: { n: 1 }, context: inSpan });
  const emitted = provider.emittedRecords();
  await provider.shutdown();
  return emitted;
}

interface Answer {
  status: number;
  /** partial_success rejected count (0 when absent or not a 200). */
  rejected: number;
  /** partial_success error_message, or the Status message of an error. */
  message: string;
}

type Signal = 'traces' | 'logs';

async function send(
  signal: Signal,
  body: Uint8Array | string,
  contentType: 'application/x-protobuf' | 'application/json',
  contentEncoding?: string,
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (contentEncoding !== undefined) headers['content-encoding'] = contentEncoding;
  const url = signal === 'traces' ? collector.tracesEndpoint : collector.logsEndpoint;
  const response = await fetch(url, { method: 'POST', body, headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, ...readAnswer(response.headers.get('content-type') ?? '', response.status, bytes) };
}

function readAnswer(contentType: string, status: number, bytes: Buffer): { rejected: number; message: string } {
  if (contentType.includes('json')) {
    const json = bytes.length === 0 ? {} : (JSON.parse(bytes.toString('utf8')) as any);
    if (status !== 200) return { rejected: 0, message: String(json.message ?? '') };
    const partial = json.partialSuccess ?? {};
    return { rejected: Number(partial.rejectedSpans ?? partial.rejectedLogRecords ?? 0), message: partial.errorMessage ?? '' };
  }
  const reader = protobuf.Reader.create(bytes);
  if (status !== 200) {
    let message = '';
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag === ((2 << 3) | 2)) message = reader.string();
      else reader.skipType(tag & 7);
    }
    return { rejected: 0, message };
  }
  let rejected = 0;
  let message = '';
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag !== ((1 << 3) | 2)) {
      reader.skipType(tag & 7);
      continue;
    }
    const inner = protobuf.Reader.create(reader.bytes());
    while (inner.pos < inner.len) {
      const innerTag = inner.uint32();
      if (innerTag === ((1 << 3) | 0)) rejected = Number(inner.int64());
      else if (innerTag === ((2 << 3) | 2)) message = inner.string();
      else inner.skipType(innerTag & 7);
    }
  }
  return { rejected, message };
}

/** Stored traces and observations, counted through the REST API. */
async function storedCounts(): Promise<{ traces: number; observations: number }> {
  const [traces, observations] = await Promise.all([
    collector.getJson('/api/public/traces?limit=1'),
    collector.getJson('/api/public/observations?limit=1'),
  ]);
  return { traces: traces.meta.totalItems, observations: observations.meta.totalItems };
}

/** The answer is one of the allowed ones; a refusal changed nothing; a partial success says why. */
async function sendAndCheck(
  label: string,
  signal: Signal,
  body: Uint8Array | string,
  contentType: 'application/x-protobuf' | 'application/json',
  contentEncoding?: string,
): Promise<Answer> {
  const before = await storedCounts();
  const answer = await send(signal, body, contentType, contentEncoding);
  const context = `${label} (seed ${FUZZ_SEED}): ${answer.status} ${answer.message.slice(0, 300)}`;
  expect([200, 400, 413, 415], context).toContain(answer.status);
  if (answer.status === 200) {
    if (answer.rejected > 0) expect(answer.message, context).not.toBe('');
  } else {
    expect(answer.message, context).not.toBe('');
    expect(await storedCounts(), `${context}: a refused request wrote rows`).toEqual(before);
  }
  return answer;
}

/** A real export still works and is readable. */
async function expectStillServing(): Promise<void> {
  const fresh = await recordSeedScenario();
  await exportSpans(otlpExporter('protobuf', collector.tracesEndpoint), fresh);
  const trace = await collector.getJson(`/api/public/traces/${fresh[0]!.spanContext().traceId}`);
  expect(trace.name).toBe(SEED.traceName);
}

function heapAfterGc(): { heapUsed: number; rss: number } {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

const random = new Random(1);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const nowNs = () => BigInt(Date.now()) * NS_PER_MS;

function validSpan(overrides: Partial<ProtoSpan> = {}): ProtoSpan {
  const start = nowNs();
  return { traceId: random.id(16), spanId: random.id(8), startTimeUnixNano: start, endTimeUnixNano: start + 5n * NS_PER_MS, ...overrides };
}

async function observationOf(span: ProtoSpan): Promise<any> {
  const trace = await collector.getJson(`/api/public/traces/${hex(span.traceId)}`);
  return trace.observations.find((o: any) => o.id === hex(span.spanId));
}

describe('oversized attribute values', () => {
  it('truncates a value over SPANLITE_MAX_ATTRIBUTE_BYTES with a marker and records the key and original size (protobuf)', async () => {
    const huge = 'ä'.repeat(1024 * 1024); // 2 MiB of UTF-8
    const span = validSpan({
      attributes: (w) => {
        keyValue(w, 9, 'big.value', anyString(huge));
        keyValue(w, 9, 'small.value', anyString('fine'));
      },
    });
    const answer = await sendAndCheck('huge string', 'traces', protobufTraces([span]), 'application/x-protobuf');
    expect(answer).toMatchObject({ status: 200, rejected: 0 });
    const observation = await observationOf(span);
    const value = observation.attributes['big.value'] as string;
    const marker = '…[spanlite: truncated from 2097152 bytes to 262144]';
    expect(value.endsWith(marker), value.slice(-100)).toBe(true);
    expect(value.length - marker.length).toBe(MAX_ATTRIBUTE_BYTES / 2); // cut on a character boundary
    expect(/^ä+$/.test(value.slice(0, -marker.length))).toBe(true);
    expect(observation.attributes['small.value']).toBe('fine');
    expect(observation.attributes[ours.SPANLITE_TRUNCATED]).toEqual([{ key: 'big.value', originalBytes: 2097152 }]);
  });

  it('truncates nested, event, resource and JSON-encoded values the same way', async () => {
    const traceId = 'c'.repeat(32);
    const big = 'x'.repeat(300_000);
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'resource.blob', value: { stringValue: big } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: 'd'.repeat(16),
                  name: 'json-span',
                  startTimeUnixNano: String(nowNs()),
                  endTimeUnixNano: String(nowNs() + 1000n),
                  attributes: [
                    { key: 'nested', value: { kvlistValue: { values: [{ key: 'inner', value: { stringValue: big } }] } } },
                    { key: 'bytes', value: { bytesValue: Buffer.alloc(300_000, 7).toString('base64') } },
                  ],
                  events: [
                    { name: 'e', timeUnixNano: String(nowNs()), attributes: [{ key: 'event.blob', value: { stringValue: big } }] },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const answer = await sendAndCheck('huge JSON values', 'traces', JSON.stringify(body), 'application/json');
    expect(answer).toMatchObject({ status: 200, rejected: 0 });
    const trace = await collector.getJson(`/api/public/traces/${traceId}`);
    const span = trace.observations.find((o: any) => o.id === 'd'.repeat(16));
    const marker = '…[spanlite: truncated from 300000 bytes to 262144]';
    expect(span.attributes.nested.inner).toBe('x'.repeat(MAX_ATTRIBUTE_BYTES) + marker);
    expect(Buffer.from(span.attributes.bytes, 'base64').length).toBe(MAX_ATTRIBUTE_BYTES);
    expect(span.attributes[ours.SPANLITE_TRUNCATED]).toEqual([
      { key: 'nested', originalBytes: 300000 },
      { key: 'bytes', originalBytes: 300000 },
    ]);
    expect(span.resourceAttributes['resource.blob'].endsWith(marker)).toBe(true);
    expect(span.resourceAttributes[ours.SPANLITE_TRUNCATED]).toEqual([{ key: 'resource.blob', originalBytes: 300000 }]);
    const event = trace.observations.find((o: any) => o.type === 'EVENT' && o.parentObservationId === 'd'.repeat(16));
    expect(event.attributes['event.blob'].endsWith(marker)).toBe(true);
    expect(event.attributes[ours.SPANLITE_TRUNCATED]).toEqual([{ key: 'event.blob', originalBytes: 300000 }]);
  });
});

describe('times', () => {
  it('keeps a span that ends before it starts with end = start, and records the end it was sent with', async () => {
    const start = nowNs();
    const span = validSpan({ startTimeUnixNano: start, endTimeUnixNano: start - 5_000n * NS_PER_MS });
    const answer = await sendAndCheck('end before start', 'traces', protobufTraces([span]), 'application/x-protobuf');
    expect(answer).toMatchObject({ status: 200, rejected: 0 });
    const observation = await observationOf(span);
    expect(observation.endTime).toBe(observation.startTime);
    expect(observation.attributes[ours.SPANLITE_ORIGINAL_END_TIME]).toBe(String(start - 5_000n * NS_PER_MS));
  });

  it('refuses spans and events with timestamps out of range, naming each, and keeps the rest', async () => {
    const good = validSpan();
    const noStart = validSpan({ startTimeUnixNano: 0n }); // kept: it starts at its end (as Langfuse)
    const cases: Array<[ProtoSpan, string]> = [
      [validSpan({ startTimeUnixNano: 1n << 63n, endTimeUnixNano: (1n << 63n) + 1n }), 'startTimeUnixNano'],
      [validSpan({ endTimeUnixNano: (1n << 64n) - 1n }), 'endTimeUnixNano'],
      [validSpan({ events: [{ timeUnixNano: (1n << 64n) - 1n, name: 'late' }] }), 'events[0].timeUnixNano'],
    ];
    const answer = await sendAndCheck(
      'times out of range',
      'traces',
      protobufTraces([good, noStart, ...cases.map(([span]) => span)]),
      'application/x-protobuf',
    );
    expect(answer.status).toBe(200);
    expect(answer.rejected).toBe(cases.length);
    for (const [span, field] of cases) expect(answer.message).toContain(`span ${hex(span.spanId)}: ${field}`);
    expect(await observationOf(good)).toBeDefined();
    const kept = await observationOf(noStart);
    expect([kept.startTime, kept.endTime]).toEqual([kept.endTime, new Date(Number(noStart.endTimeUnixNano / NS_PER_MS)).toISOString()]);
    for (const [span] of cases) {
      const response = await fetch(`${collector.url}/api/public/traces/${hex(span.traceId)}`);
      expect(response.status).toBe(404);
    }
  });

  it('answers 400 for a negative timestamp in JSON', async () => {
    const body = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'e'.repeat(32), spanId: 'f'.repeat(16), startTimeUnixNano: '-5' }] }] }],
    });
    const answer = await sendAndCheck('negative time', 'traces', body, 'application/json');
    expect(answer.status).toBe(400);
    expect(answer.message).toContain('startTimeUnixNano');
  });

  it('stores no time from an attribute that is out of range (completion start time)', async () => {
    const span = validSpan({
      attributes: (w) => {
        keyValue(w, 9, ours.SPANLITE_OBSERVATION_COMPLETION_START_TIME, anyString('99999999999999999999999999'));
        keyValue(w, 9, 'ai.response.msToFirstChunk', anyInt(Number.MAX_SAFE_INTEGER));
      },
    });
    const answer = await sendAndCheck('attribute time out of range', 'traces', protobufTraces([span]), 'application/x-protobuf');
    expect(answer).toMatchObject({ status: 200, rejected: 0 });
    expect((await observationOf(span)).completionStartTime).toBeNull();
  });
});

describe('ids, nesting, encodings and sizes', () => {
  it('refuses spans with ids of the wrong length or all zero, naming each', async () => {
    const bad = [
      validSpan({ traceId: random.id(15) }),
      validSpan({ traceId: random.id(17) }),
      validSpan({ traceId: Buffer.alloc(16) }),
      validSpan({ spanId: Buffer.alloc(8) }),
      validSpan({ spanId: random.id(9) }),
      validSpan({ parentSpanId: random.id(3) }),
    ];
    const answer = await sendAndCheck('bad ids', 'traces', protobufTraces([validSpan(), ...bad]), 'application/x-protobuf');
    expect(answer).toMatchObject({ status: 200, rejected: bad.length });
    expect(answer.message.match(/traceId/g)).toHaveLength(3);
    expect(answer.message.match(/ spanId/g)).toHaveLength(2);
    expect(answer.message).toContain('parentSpanId: expected 8 bytes or none (got 3)');
  });

  it('answers 400 for AnyValues nested past the limit and stores 30 levels', async () => {
    const deep = validSpan({ attributes: (w) => keyValue(w, 9, 'deep', nestedArrays(100_000)) });
    expect((await sendAndCheck('deep protobuf', 'traces', protobufTraces([deep]), 'application/x-protobuf')).status).toBe(400);

    const levels = 5_000;
    const deepValue = '{"arrayValue":{"values":['.repeat(levels) + '{"stringValue":"bottom"}' + ']}}'.repeat(levels);
    const span = `{"traceId":"${'a1'.repeat(16)}","spanId":"${'b1'.repeat(8)}","startTimeUnixNano":"1","attributes":[{"key":"deep","value":${deepValue}}]}`;
    const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[${span}]}]}]}`;
    expect((await sendAndCheck('deep JSON', 'traces', body, 'application/json')).status).toBe(400);

    const fine = validSpan({ attributes: (w) => keyValue(w, 9, 'deep', nestedArrays(30)) });
    expect((await sendAndCheck('30 levels', 'traces', protobufTraces([fine]), 'application/x-protobuf')).status).toBe(200);
    let value = (await observationOf(fine)).attributes.deep;
    for (let i = 0; i < 30; i++) value = value[0];
    expect(value).toBe('bottom');
  });

  it('stores invalid UTF-8 in names, keys and values as replacement characters', async () => {
    const invalid = Buffer.from([0x61, 0xff, 0xfe, 0x80, 0xe2, 0x82, 0x62]);
    const span = validSpan({ name: invalid, attributes: (w) => keyValue(w, 9, invalid, anyString(invalid)) });
    const answer = await sendAndCheck('invalid UTF-8', 'traces', protobufTraces([span]), 'application/x-protobuf');
    expect(answer).toMatchObject({ status: 200, rejected: 0 });
    const observation = await observationOf(span);
    expect(observation.name).toMatch(/^a\ufffd+b$/);
    expect(Object.values(observation.attributes)).toContain(observation.name);
  });

  it('stores a span with thousands of attributes', async () => {
    const span = validSpan({
      attributes: (w) => {
        for (let i = 0; i < 20_000; i++) keyValue(w, 9, `attr.${i}`, anyInt(i));
      },
    });
    const answer = await sendAndCheck('20k attributes', 'traces', protobufTraces([span]), 'application/x-protobuf');
    expect(answer).toMatchObject({ status: 200, rejected: 0 });
    const observation = await observationOf(span);
    expect(Object.keys(observation.attributes)).toHaveLength(20_000);
    expect(observation.attributes['attr.19999']).toBe(19999);
  });

  it('answers 413 for gzip bombs and 400 for truncated, corrupted or foreign compressed bodies', async () => {
    const bomb = gzipBomb(1024 * 1024 * 1024);
    expect((await sendAndCheck('gzip bomb', 'traces', bomb, 'application/x-protobuf', 'gzip')).status).toBe(413);
    expect((await sendAndCheck('gzip bomb', 'logs', bomb, 'application/json', 'gzip')).status).toBe(413);
    const valid = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    const compression = new Random(FUZZ_SEED ^ 0x9e3779b9);
    for (let i = 0; i < 24; i++) {
      const broken = brokenCompression(compression, valid);
      const answer = await sendAndCheck(`compression case ${i}`, 'traces', broken.body, 'application/x-protobuf', broken.encoding);
      expect(answer.status).not.toBe(415);
    }
    await expectStillServing();
  }, 20_000);
});

describe('seeded random and mutated bodies', () => {
  it('answers every body with 200, 400 or 413, writes nothing of a refused one, keeps serving, keeps memory bounded', async () => {
    const fuzz = new Random(FUZZ_SEED);
    const protobufTracesBody = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    const jsonTraces = JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8'));
    const protobufLogsBody = Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!);
    const jsonLogs = JSON.parse(Buffer.from(JsonLogsSerializer.serializeRequest(records)!).toString('utf8'));

    await expectStillServing();
    const memoryBefore = heapAfterGc();
    const started = Date.now();
    const statuses: Record<number, number> = {};
    let cases = 0;
    for (; cases < FUZZ_MAX_CASES && Date.now() - started < FUZZ_MAX_MS; cases++) {
      const signal: Signal = fuzz.below(4) === 0 ? 'logs' : 'traces';
      const kind = fuzz.below(5);
      let answer: Answer;
      if (kind === 0) {
        const body = mutateBytes(fuzz, signal === 'traces' ? protobufTracesBody : protobufLogsBody);
        answer = await sendAndCheck(`case ${cases}: mutated protobuf ${signal}`, signal, body, 'application/x-protobuf');
      } else if (kind === 1 || kind === 2) {
        const body = JSON.stringify(mutateJson(fuzz, signal === 'traces' ? jsonTraces : jsonLogs));
        answer = await sendAndCheck(`case ${cases}: mutated JSON ${signal}: ${body.slice(0, 2000)}`, signal, body, 'application/json');
      } else if (kind === 3) {
        const body = mutateJsonText(fuzz, JSON.stringify(signal === 'traces' ? jsonTraces : jsonLogs));
        answer = await sendAndCheck(`case ${cases}: damaged JSON text ${signal}`, signal, body, 'application/json');
      } else {
        const body = fuzz.bytes(fuzz.below(4096));
        const type = fuzz.pick(['application/x-protobuf', 'application/json'] as const);
        answer = await sendAndCheck(`case ${cases}: random bytes ${signal}`, signal, body, type);
      }
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (cases % 50 === 49) await expectStillServing();
    }
    await expectStillServing();
    const memoryAfter = heapAfterGc();

    expect(cases).toBeGreaterThan(100);
    expect(statuses[200]).toBeGreaterThan(0);
    expect(statuses[400]).toBeGreaterThan(0);
    expect(memoryAfter.heapUsed - memoryBefore.heapUsed, 'heap growth').toBeLessThan(48 * 1024 * 1024);
    expect(memoryAfter.rss - memoryBefore.rss, 'RSS growth').toBeLessThan(256 * 1024 * 1024);
  }, FUZZ_MAX_MS + 25_000);
});
