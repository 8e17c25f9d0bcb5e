import { context, SpanKind, SpanStatusCode as ApiStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';

import { decodeJsonTraces, decodeProtobufTraces, OtlpDecodeError } from '../../collector/decode/traces.js';
import type { DecodedTraces } from '../../collector/decode/span.js';

// ---------------------------------------------------------------------------------------------
// Real SDK exports
// ---------------------------------------------------------------------------------------------

async function recordSdkSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.instance.count': 3 }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('spanlite-test', '1.2.3');
  const parent = tracer.startSpan('agent run', { kind: SpanKind.INTERNAL });
  const child = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.system': 'openai',
        'gen_ai.usage.input_tokens': 42,
        'big.count': 2 ** 60,
        'negative.count': -7,
        'gen_ai.request.temperature': 0.25,
        streaming: true,
        'gen_ai.response.finish_reasons': ['stop', 'length'],
        'token.ids': [1, 2, 3],
        'scores': [0.5, 1.5],
        'flags': [true, false],
      },
    },
    trace.setSpan(context.active(), parent),
  );
  child.addEvent('gen_ai.choice', { index: 0, 'finish.reason': 'stop' });
  child.setStatus({ code: ApiStatusCode.ERROR, message: 'rate limited' });
  child.end();
  parent.end();
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

function nanos(time: readonly [number, number]): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

function protobufExport(spans: ReadableSpan[]): Uint8Array {
  const body = ProtobufTraceSerializer.serializeRequest(spans);
  if (body === undefined) throw new Error('serializer produced nothing');
  return body;
}

function jsonExport(spans: ReadableSpan[]): string {
  const body = JsonTraceSerializer.serializeRequest(spans);
  if (body === undefined) throw new Error('serializer produced nothing');
  return new TextDecoder().decode(body);
}

// ---------------------------------------------------------------------------------------------
// Hand-built protobuf, for what the SDK never sends (kvlist, bytes, bad ids, odd field orders)
// ---------------------------------------------------------------------------------------------

const { Writer } = protobuf;
const LEN = 2;

function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}
function lenField(field: number, ...parts: Uint8Array[]): Uint8Array {
  return Writer.create().uint32((field << 3) | LEN).bytes(concat(...parts)).finish();
}
function stringField(field: number, value: string): Uint8Array {
  return Writer.create().uint32((field << 3) | LEN).string(value).finish();
}
function varintField(field: number, value: number): Uint8Array {
  return Writer.create().uint32(field << 3).int64(value).finish();
}
function fixed64Field(field: number, value: bigint): Uint8Array {
  return Writer.create()
    .uint32((field << 3) | 1)
    .fixed32(Number(value & 0xffffffffn))
    .fixed32(Number(value >> 32n))
    .finish();
}
function doubleField(field: number, value: number): Uint8Array {
  return Writer.create().uint32((field << 3) | 1).double(value).finish();
}
function hex(text: string): Uint8Array {
  return Buffer.from(text, 'hex');
}

/** OTLP messages by field number (opentelemetry/proto/trace/v1/trace.proto, common/v1/common.proto). */
const pb = {
  request: (...resourceSpans: Uint8Array[]) => concat(...resourceSpans.map((r) => lenField(1, r))),
  resourceSpans: (resource: Uint8Array, ...scopeSpans: Uint8Array[]) =>
    concat(lenField(1, resource), ...scopeSpans.map((s) => lenField(2, s))),
  resource: (...attributes: Uint8Array[]) => concat(...attributes.map((a) => lenField(1, a))),
  scopeSpans: (scope: Uint8Array, ...spans: Uint8Array[]) => concat(lenField(1, scope), ...spans.map((s) => lenField(2, s))),
  scope: (name: string, version: string) => concat(stringField(1, name), stringField(2, version)),
  /** Start and end times come first (a span without a start is refused); later fields 7 and 8 replace them. */
  span: (ids: { traceId: Uint8Array; spanId: Uint8Array; parentSpanId?: Uint8Array }, ...rest: Uint8Array[]) =>
    concat(
      fixed64Field(7, DEFAULT_START),
      fixed64Field(8, DEFAULT_START),
      lenField(1, ids.traceId),
      lenField(2, ids.spanId),
      ...(ids.parentSpanId === undefined ? [] : [lenField(4, ids.parentSpanId)]),
      ...rest,
    ),
  spanName: (name: string) => stringField(5, name),
  spanAttribute: (keyValue: Uint8Array) => lenField(9, keyValue),
  spanStatus: (code: number, message: string) => lenField(15, concat(stringField(2, message), varintField(3, code))),
  keyValue: (key: string, value: Uint8Array) => concat(stringField(1, key), lenField(2, value)),
  string: (value: string) => stringField(1, value),
  int: (value: number) => varintField(3, value),
  double: (value: number) => doubleField(4, value),
  array: (...values: Uint8Array[]) => lenField(5, concat(...values.map((v) => lenField(1, v)))),
  kvlist: (...keyValues: Uint8Array[]) => lenField(6, concat(...keyValues.map((kv) => lenField(1, kv)))),
  bytes: (value: Uint8Array) => lenField(7, value),
};

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
/** The start time hand-built spans get unless they set their own. */
const DEFAULT_START = 1_700_000_000_000_000_000n;
const SPAN_ID = 'b7ad6b7169203331';
const PARENT_ID = '00f067aa0ba902b7';

/** A span with valid ids and the given further fields. */
function goodSpan(...fields: Uint8Array[]): Uint8Array {
  return pb.span({ traceId: hex(TRACE_ID), spanId: hex(SPAN_ID) }, ...fields);
}

function protobufWithSpans(...spans: Uint8Array[]): Uint8Array {
  return pb.request(pb.resourceSpans(pb.resource(), pb.scopeSpans(pb.scope('s', '1'), ...spans)));
}

/** Spans without a start time start and end at DEFAULT_START (a span without a start is refused). */
function jsonWithSpans(...spans: unknown[]): unknown {
  const started = spans.map((span) =>
    typeof span === 'object' && span !== null && !('startTimeUnixNano' in span)
      ? { startTimeUnixNano: String(DEFAULT_START), endTimeUnixNano: String(DEFAULT_START), ...span }
      : span,
  );
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans: started }] }] };
}

function nestedJsonArray(depth: number): unknown {
  let value: unknown = { stringValue: 'leaf' };
  for (let level = 1; level < depth; level++) value = { arrayValue: { values: [value] } };
  return value;
}

function nestedProtobufArray(depth: number): Uint8Array {
  let value = pb.string('leaf');
  for (let level = 1; level < depth; level++) value = pb.array(value);
  return value;
}

function decodeError(decode: () => unknown): OtlpDecodeError {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(OtlpDecodeError);
    return error as OtlpDecodeError;
  }
  throw new Error('expected decode to throw');
}

// ---------------------------------------------------------------------------------------------

describe('decodeProtobufTraces and decodeJsonTraces on real SDK exports', () => {
  it('decodes an SDK protobuf export into hex ids, bigint times, plain attributes and folded resource and scope', async () => {
    const sdkSpans = await recordSdkSpans();
    const sdkChild = sdkSpans.find((span) => span.name === 'chat gpt-4o')!;
    const sdkParent = sdkSpans.find((span) => span.name === 'agent run')!;

    const { spans, refused } = decodeProtobufTraces(protobufExport(sdkSpans));

    expect(refused).toEqual([]);
    expect(spans).toHaveLength(2);
    const child = spans.find((span) => span.name === 'chat gpt-4o')!;
    const parent = spans.find((span) => span.name === 'agent run')!;
    expect(child).toEqual({
      traceId: sdkChild.spanContext().traceId,
      spanId: sdkChild.spanContext().spanId,
      parentSpanId: sdkParent.spanContext().spanId,
      name: 'chat gpt-4o',
      kind: 3,
      startTimeUnixNano: nanos(sdkChild.startTime),
      endTimeUnixNano: nanos(sdkChild.endTime),
      attributes: {
        'gen_ai.system': 'openai',
        'gen_ai.usage.input_tokens': 42,
        'big.count': '1152921504606846976',
        'negative.count': -7,
        'gen_ai.request.temperature': 0.25,
        streaming: true,
        'gen_ai.response.finish_reasons': ['stop', 'length'],
        'token.ids': [1, 2, 3],
        scores: [0.5, 1.5],
        flags: [true, false],
      },
      events: [
        {
          name: 'gen_ai.choice',
          timeUnixNano: nanos(sdkChild.events[0]!.time),
          attributes: { index: 0, 'finish.reason': 'stop' },
        },
      ],
      status: { code: 2, message: 'rate limited' },
      resource: expect.objectContaining({ 'service.name': 'checkout', 'service.instance.count': 3 }),
      scope: { name: 'spanlite-test', version: '1.2.3', attributes: {} },
    });
    expect(child.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(parent.parentSpanId).toBeNull();
    expect(parent.traceId).toBe(child.traceId);
    expect(parent.status).toEqual({ code: 0, message: '' });
  });

  it('decodes the SDK JSON export of the same spans into identical spans', async () => {
    const sdkSpans = await recordSdkSpans();

    const fromProtobuf = decodeProtobufTraces(protobufExport(sdkSpans));
    const fromJson = decodeJsonTraces(jsonExport(sdkSpans));

    expect(fromJson.spans).toHaveLength(2);
    expect(fromJson).toEqual(fromProtobuf);
  });

  it('accepts the JSON body as UTF-8 bytes or as an already parsed value', async () => {
    const sdkSpans = await recordSdkSpans();
    const text = jsonExport(sdkSpans);

    const fromText = decodeJsonTraces(text);

    expect(decodeJsonTraces(Buffer.from(text))).toEqual(fromText);
    expect(decodeJsonTraces(JSON.parse(text))).toEqual(fromText);
  });

  it('throws OtlpDecodeError, never a RangeError, for every truncation of a real protobuf export', async () => {
    const body = protobufExport(await recordSdkSpans());

    for (let length = 1; length < body.length; length++) {
      expect(() => decodeProtobufTraces(body.subarray(0, length))).toThrow(OtlpDecodeError);
    }
    expect(decodeError(() => decodeProtobufTraces(body.subarray(0, body.length - 3))).message).toMatch(
      /^resourceSpans\[0\]: truncated: a \d+-byte field at offset \d+ runs past the end of the \d+-byte body$/,
    );
  });

  it('either decodes or throws OtlpDecodeError when bytes of a real export are corrupted', async () => {
    const body = protobufExport(await recordSdkSpans());
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };

    for (let round = 0; round < 3000; round++) {
      const corrupted = Buffer.from(body);
      for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
        corrupted[Math.floor(random() * corrupted.length)] = Math.floor(random() * 256);
      }
      try {
        decodeProtobufTraces(corrupted);
      } catch (error) {
        expect(error).toBeInstanceOf(OtlpDecodeError);
      }
    }
  });
});

describe('decodeJsonTraces on hand-written OTLP/JSON', () => {
  it('reads int64 as decimal strings, enums by name, snake_case keys and upper-case hex ids', () => {
    const { spans, refused } = decodeJsonTraces({
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'api' } }] },
          scope_spans: [
            {
              scope: { name: 'openinference', version: '0.1.0', attributes: [{ key: 'lib', value: { stringValue: 'x' } }] },
              spans: [
                {
                  trace_id: '0AF7651916CD43DD8448EB211C80319C',
                  span_id: 'B7AD6B7169203331',
                  parent_span_id: '00F067AA0BA902B7',
                  name: 'llm',
                  kind: 'SPAN_KIND_SERVER',
                  start_time_unix_nano: '1795541721379285241',
                  endTimeUnixNano: 1795541722000000000,
                  attributes: [
                    { key: 'tokens', value: { intValue: '1234' } },
                    { key: 'huge', value: { int_value: '9223372036854775807' } },
                    { key: 'tiny', value: { intValue: '-9223372036854775808' } },
                    { key: 'ratio', value: { doubleValue: '0.5' } },
                    { key: 'nothing', value: {} },
                    { key: 'absent' },
                  ],
                  events: [{ time_unix_nano: '5', name: 'exception' }],
                  status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    });

    expect(refused).toEqual([]);
    expect(spans).toEqual([
      {
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        parentSpanId: PARENT_ID,
        name: 'llm',
        kind: 2,
        startTimeUnixNano: 1795541721379285241n,
        endTimeUnixNano: 1795541722000000000n,
        attributes: {
          tokens: 1234,
          huge: '9223372036854775807',
          tiny: '-9223372036854775808',
          ratio: 0.5,
          nothing: null,
          absent: null,
        },
        events: [{ name: 'exception', timeUnixNano: 5n, attributes: {} }],
        status: { code: 2, message: 'boom' },
        resource: { 'service.name': 'api' },
        scope: { name: 'openinference', version: '0.1.0', attributes: { lib: 'x' } },
      },
    ]);
  });

  it('gives a missing end the start time, an absent status UNSET and empty or all-zero parent ids null', () => {
    const { spans } = decodeJsonTraces(
      jsonWithSpans(
        { traceId: TRACE_ID, spanId: SPAN_ID, parentSpanId: '', startTimeUnixNano: String(DEFAULT_START) },
        {
          traceId: TRACE_ID,
          spanId: 'b7ad6b7169203332',
          parentSpanId: '0000000000000000',
          status: {},
          startTimeUnixNano: String(DEFAULT_START),
        },
      ),
    );

    expect(spans.map((span) => [span.parentSpanId, span.startTimeUnixNano, span.endTimeUnixNano, span.status])).toEqual([
      [null, DEFAULT_START, DEFAULT_START, { code: 0, message: '' }],
      [null, DEFAULT_START, DEFAULT_START, { code: 0, message: '' }],
    ]);
  });

  it('treats an empty body, {} and an empty resourceSpans list as a valid empty export', () => {
    const empty: DecodedTraces = { spans: [], refused: [] };

    expect(decodeJsonTraces('')).toEqual(empty);
    expect(decodeJsonTraces('{}')).toEqual(empty);
    expect(decodeJsonTraces({ resourceSpans: [] })).toEqual(empty);
    expect(decodeProtobufTraces(new Uint8Array(0))).toEqual(empty);
  });
});

describe('kvlist, bytes and integer values', () => {
  const jsonValues = [
    {
      key: 'kv',
      value: {
        kvlistValue: {
          values: [
            { key: 'a', value: { intValue: '1' } },
            { key: 'b', value: { arrayValue: { values: [{ stringValue: 'x' }, {}] } } },
          ],
        },
      },
    },
    { key: 'blob', value: { bytesValue: 'AQID/w==' } },
    { key: 'minus', value: { intValue: -5 } },
    { key: 'max', value: { intValue: '9223372036854775807' } },
    { key: 'pi', value: { doubleValue: 3.14 } },
  ];
  const protobufValues = [
    pb.keyValue('kv', pb.kvlist(pb.keyValue('a', pb.int(1)), pb.keyValue('b', pb.array(pb.string('x'), new Uint8Array(0))))),
    pb.keyValue('blob', pb.bytes(Uint8Array.from([1, 2, 3, 255]))),
    pb.keyValue('minus', pb.int(-5)),
    pb.keyValue('max', Writer.create().uint32(3 << 3).int64('9223372036854775807').finish()),
    pb.keyValue('pi', pb.double(3.14)),
  ];
  const expected = {
    kv: { a: 1, b: ['x', null] },
    blob: 'AQID/w==',
    minus: -5,
    max: '9223372036854775807',
    pi: 3.14,
  };

  it('decodes kvlists to objects, bytes to base64 and unsafe int64 to decimal strings in JSON', () => {
    const { spans } = decodeJsonTraces(jsonWithSpans({ traceId: TRACE_ID, spanId: SPAN_ID, attributes: jsonValues }));

    expect(spans[0]!.attributes).toEqual(expected);
  });

  it('decodes the same values from protobuf, including negative ten-byte varints', () => {
    const body = protobufWithSpans(
      goodSpan(...protobufValues.map(pb.spanAttribute)),
    );

    expect(decodeProtobufTraces(body).spans[0]!.attributes).toEqual(expected);
  });

  it('normalises URL-safe or unpadded base64 bytesValue in JSON to the form protobuf bytes decode to', () => {
    const { spans } = decodeJsonTraces(
      jsonWithSpans({ traceId: TRACE_ID, spanId: SPAN_ID, attributes: [{ key: 'blob', value: { bytesValue: 'AQID_w' } }] }),
    );

    expect(spans[0]!.attributes).toEqual({ blob: 'AQID/w==' });
  });
});

describe('protobuf wire details', () => {
  it('reads fixed64 times exactly up to the largest unsigned 64-bit value, and refuses those past int64', () => {
    const latest = (1n << 63n) - 1n;
    const body = protobufWithSpans(
      goodSpan(fixed64Field(7, 1795541721379285241n), fixed64Field(8, latest)),
      pb.span({ traceId: hex(TRACE_ID), spanId: hex('b7ad6b7169203332') }, fixed64Field(8, 18446744073709551615n)),
    );

    const { spans, refused } = decodeProtobufTraces(body);

    expect(spans[0]!.startTimeUnixNano).toBe(1795541721379285241n);
    expect(spans[0]!.endTimeUnixNano).toBe(latest);
    expect(refused).toEqual([
      {
        span: 'b7ad6b7169203332',
        reason: 'endTimeUnixNano: expected unix nanoseconds up to 9223372036854775807 (year 2262) (got 18446744073709551615)',
      },
    ]);
  });

  it('folds a resource sent after its scope spans into every span', () => {
    const resourceLast = concat(
      lenField(2, pb.scopeSpans(pb.scope('s', '1'), goodSpan())),
      lenField(1, pb.resource(pb.keyValue('service.name', pb.string('late')))),
    );

    const { spans } = decodeProtobufTraces(pb.request(resourceLast));

    expect(spans[0]!.resource).toEqual({ 'service.name': 'late' });
  });

  it('skips unknown fields of every wire type and known field numbers sent with the wrong wire type', () => {
    const unknown = concat(
      varintField(99, 7),
      fixed64Field(98, 1n),
      stringField(97, 'future'),
      Writer.create().uint32((96 << 3) | 5).fixed32(1).finish(),
    );
    const body = protobufWithSpans(
      goodSpan(
        unknown,
        varintField(5, 1), // name as a varint: not a name
        pb.spanName('kept'),
        pb.spanAttribute(concat(pb.keyValue('k', concat(unknown, pb.string('v'))), unknown)),
      ),
    );

    const { spans } = decodeProtobufTraces(body);

    expect(spans).toHaveLength(1);
    expect(spans[0]!.name).toBe('kept');
    expect(spans[0]!.attributes).toEqual({ k: 'v' });
  });

  it('refuses id-less spans when an OTLP logs export is posted to the traces decoder', () => {
    // ExportLogsServiceRequest { resource_logs { scope_logs { scope { name }, log_records { time_unix_nano, severity_text } } } }
    // shares field numbers 1 and 2 with traces; a LogRecord has no field 1 or 2 of the span id types.
    const logRecord = concat(fixed64Field(1, 1795541721379285241n), stringField(3, 'INFO'));
    const scopeLogs = concat(lenField(1, pb.scope('codex_otel.log_only', '')), lenField(2, logRecord));
    const body = pb.request(concat(lenField(1, new Uint8Array(0)), lenField(2, scopeLogs)));

    expect(decodeProtobufTraces(body)).toEqual({
      spans: [],
      refused: [
        {
          span: 'resourceSpans[0].scopeSpans[0].spans[0]',
          reason: 'traceId: expected 16 bytes (got 0); spanId: expected 8 bytes (got 0)',
        },
      ],
    });
  });
});

describe('span validation', () => {
  it('refuses protobuf spans with unusable ids or an unknown status code and keeps the rest', () => {
    const good = goodSpan(pb.spanName('good'));
    const body = protobufWithSpans(
      pb.span({ traceId: new Uint8Array(0), spanId: hex('1111111111111111') }),
      good,
      pb.span({ traceId: new Uint8Array(16), spanId: hex('2222222222222222') }),
      pb.span({ traceId: hex(TRACE_ID), spanId: hex('33333333333333') }),
      pb.span({ traceId: hex(TRACE_ID), spanId: new Uint8Array(8) }),
      pb.span({ traceId: hex(TRACE_ID), spanId: hex('4444444444444444'), parentSpanId: hex('0102') }),
      pb.span({ traceId: hex(TRACE_ID), spanId: hex('5555555555555555') }, pb.spanStatus(7, '')),
    );

    const { spans, refused } = decodeProtobufTraces(body);

    expect(spans.map((span) => span.name)).toEqual(['good']);
    expect(refused).toEqual([
      { span: '1111111111111111', reason: 'traceId: expected 16 bytes (got 0)' },
      { span: '2222222222222222', reason: 'traceId: expected a non-zero id (got all zeros)' },
      { span: 'resourceSpans[0].scopeSpans[0].spans[3]', reason: 'spanId: expected 8 bytes (got 7)' },
      { span: 'resourceSpans[0].scopeSpans[0].spans[4]', reason: 'spanId: expected a non-zero id (got all zeros)' },
      { span: '4444444444444444', reason: 'parentSpanId: expected 8 bytes or none (got 2)' },
      { span: '5555555555555555', reason: 'status.code: expected 0, 1 or 2 (got 7)' },
    ]);
  });

  it('refuses JSON spans with unusable ids and keeps the rest', () => {
    const { spans, refused } = decodeJsonTraces(
      jsonWithSpans(
        { traceState: 'INFO' },
        { traceId: 42, spanId: 42 },
        { traceId: TRACE_ID, spanId: SPAN_ID, name: 'good' },
        { traceId: '00000000000000000000000000000000', spanId: '1111111111111111' },
        { traceId: 'zz' + TRACE_ID.slice(2), spanId: '2222222222222222' },
        { traceId: TRACE_ID, spanId: '3333333333333333', parentSpanId: 'abc' },
        { traceId: TRACE_ID, spanId: '4444444444444444', status: { code: 9 } },
      ),
    );

    expect(spans.map((span) => span.name)).toEqual(['good']);
    expect(refused).toEqual([
      {
        span: 'resourceSpans[0].scopeSpans[0].spans[0]',
        reason: 'traceId: expected 32 hex characters (got nothing); spanId: expected 16 hex characters (got nothing)',
      },
      {
        span: 'resourceSpans[0].scopeSpans[0].spans[1]',
        reason: 'traceId: expected 32 hex characters (got 42); spanId: expected 16 hex characters (got 42)',
      },
      { span: '1111111111111111', reason: 'traceId: expected a non-zero id (got all zeros)' },
      { span: '2222222222222222', reason: `traceId: expected 32 hex characters (got "zz${TRACE_ID.slice(2)}")` },
      { span: '3333333333333333', reason: 'parentSpanId: expected 16 hex characters or none (got "abc")' },
      { span: '4444444444444444', reason: 'status.code: expected 0, 1 or 2 (got 9)' },
    ]);
  });
});

describe('undecodable bodies', () => {
  it('throws OtlpDecodeError for bytes that are not protobuf', () => {
    expect(decodeError(() => decodeProtobufTraces(Buffer.from('this is not protobuf'))).message).toBe(
      'malformed: unsupported wire type 4 for field 14',
    );
    expect(decodeError(() => decodeProtobufTraces(Buffer.from('{"resourceSpans":[]}'))).message).toBe(
      'malformed: unsupported wire type 3 for field 15',
    );
  });

  it('names the span and attribute where a protobuf body stops making sense', () => {
    const badAttribute = concat(stringField(1, 'k'), lenField(2, Uint8Array.from([0x0a, 0x05, 0x61])));
    const body = protobufWithSpans(
      goodSpan(),
      goodSpan(pb.spanAttribute(pb.keyValue('ok', pb.string('v'))), pb.spanAttribute(badAttribute)),
    );

    expect(decodeError(() => decodeProtobufTraces(body)).message).toMatch(
      /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]\.attributes\[1\]: truncated: a 5-byte field at offset \d+ runs past the end of the \d+-byte body$/,
    );
  });

  it('throws OtlpDecodeError naming the position for invalid JSON', () => {
    const error = decodeError(() => decodeJsonTraces('{"resourceSpans": ['));

    expect(error.message).toMatch(/^invalid JSON \(.+\)$/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('throws OtlpDecodeError when the top level is not an object or resourceSpans is not an array', () => {
    expect(decodeError(() => decodeJsonTraces('[]')).message).toBe('expected an ExportTraceServiceRequest object (got array)');
    expect(decodeError(() => decodeJsonTraces({ resourceSpans: {} })).message).toBe('resourceSpans: expected an array (got object)');
    expect(
      decodeError(() => decodeJsonTraces({ resourceSpans: [{ scopeSpans: [] }, { scopeSpans: {} }] })).message,
    ).toBe('resourceSpans[1].scopeSpans: expected an array (got object)');
  });

  it('throws OtlpDecodeError naming the span when attributes are sent as an object', () => {
    const body = {
      resourceSpans: [
        {
          scopeSpans: [
            {},
            {
              scope: { name: 'agent' },
              spans: [{ traceId: TRACE_ID, spanId: SPAN_ID, name: 'retrieval', attributes: { 'capability.id': 'document_retrieval' } }],
            },
          ],
        },
      ],
    };

    expect(decodeError(() => decodeJsonTraces(body)).message).toBe(
      'resourceSpans[0].scopeSpans[1].spans[0].attributes: expected an array (got object)',
    );
  });

  it('throws OtlpDecodeError naming the attribute for a mistyped value', () => {
    const body = jsonWithSpans({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      events: [{ attributes: [{ key: 'ok', value: { stringValue: 'v' } }, { key: 'n', value: { intValue: '12abc' } }] }],
    });

    expect(decodeError(() => decodeJsonTraces(body)).message).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0].events[0].attributes[1].intValue: expected a signed 64-bit integer as a decimal string or number (got "12abc")',
    );
  });

  it('accepts AnyValue nested 32 levels deep and refuses 33 levels in both encodings', () => {
    const json = (depth: number) =>
      jsonWithSpans({ traceId: TRACE_ID, spanId: SPAN_ID, attributes: [{ key: 'deep', value: nestedJsonArray(depth) }] });
    const proto = (depth: number) =>
      protobufWithSpans(goodSpan(pb.spanAttribute(pb.keyValue('deep', nestedProtobufArray(depth)))));

    expect(decodeJsonTraces(json(32)).spans).toHaveLength(1);
    expect(decodeProtobufTraces(proto(32)).spans).toHaveLength(1);
    expect(decodeError(() => decodeJsonTraces(json(33))).message).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0].attributes[0]: AnyValue nested deeper than 32 levels',
    );
    expect(decodeError(() => decodeProtobufTraces(proto(33))).message).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0].attributes[0]: AnyValue nested deeper than 32 levels',
    );
  });

  it('throws OtlpDecodeError rather than overflowing the stack for a body nested 50000 levels deep', () => {
    const depth = 50_000;
    const deepValue = `${'{"arrayValue":{"values":['.repeat(depth)}{}${']}}'.repeat(depth)}`;
    const span = `{"traceId":"${TRACE_ID}","spanId":"${SPAN_ID}","attributes":[{"key":"deep","value":${deepValue}}]}`;
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[${span}]}]}]}`;

    expect(() => decodeJsonTraces(text)).toThrow(OtlpDecodeError);
    const deepProtobuf = protobufWithSpans(goodSpan(pb.spanAttribute(pb.keyValue('deep', nestedProtobufArray(2_000)))));
    expect(() => decodeProtobufTraces(deepProtobuf)).toThrow(OtlpDecodeError);
  });
});

describe('prototype pollution guard', () => {
  const pollutingKeys = ['__proto__', 'constructor', 'prototype'];

  it('drops __proto__, constructor and prototype keys from JSON attributes at every level', () => {
    const attributes = [
      ...pollutingKeys.map((key) => ({ key, value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } } })),
      { key: 'gen_ai.prompt.__proto__.POLLUTED', value: { stringValue: 'kept: only exact keys are dangerous' } },
      { key: 'nested', value: { kvlistValue: { values: pollutingKeys.map((key) => ({ key, value: { stringValue: 'x' } })) } } },
    ];
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes },
          scopeSpans: [
            { scope: { attributes }, spans: [{ traceId: TRACE_ID, spanId: SPAN_ID, startTimeUnixNano: '1', endTimeUnixNano: '1', attributes, events: [{ attributes }] }] },
          ],
        },
      ],
    });

    const [span] = decodeJsonTraces(body).spans;

    const expected = { 'gen_ai.prompt.__proto__.POLLUTED': 'kept: only exact keys are dangerous', nested: {} };
    for (const decoded of [span!.attributes, span!.resource, span!.scope.attributes, span!.events[0]!.attributes]) {
      expect(decoded).toEqual(expected);
      expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
      expect(Object.keys(decoded.nested as object)).toEqual([]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops the same keys from protobuf attributes', () => {
    const body = protobufWithSpans(
      goodSpan(
        ...pollutingKeys.map((key) => pb.spanAttribute(pb.keyValue(key, pb.kvlist(pb.keyValue('polluted', pb.string('yes')))))),
        pb.spanAttribute(pb.keyValue('nested', pb.kvlist(...pollutingKeys.map((key) => pb.keyValue(key, pb.string('x')))))),
      ),
    );

    const [span] = decodeProtobufTraces(body).spans;

    expect(span!.attributes).toEqual({ nested: {} });
    expect(Object.getPrototypeOf(span!.attributes)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('times and value limits', () => {
  const LATEST = (1n << 63n) - 1n;

  it('refuses spans with a start, end or event time past int64, in both encodings, naming the field', () => {
    const spanIds = ['b7ad6b7169203332', 'b7ad6b7169203333', 'b7ad6b7169203334'];
    const times: Array<[start: bigint, end: bigint, event: bigint]> = [
      [LATEST + 1n, LATEST + 1n, 1n],
      [5n, LATEST + 1n, 1n],
      [5n, 6n, LATEST + 1n],
    ];
    const protobufBody = protobufWithSpans(
      goodSpan(fixed64Field(7, LATEST), fixed64Field(8, LATEST)),
      ...times.map(([start, end, event], i) =>
        pb.span(
          { traceId: hex(TRACE_ID), spanId: hex(spanIds[i]!) },
          fixed64Field(7, start),
          fixed64Field(8, end),
          lenField(11, fixed64Field(1, event)),
        ),
      ),
    );
    const jsonBody = jsonWithSpans(
      { traceId: TRACE_ID, spanId: SPAN_ID, startTimeUnixNano: String(LATEST), endTimeUnixNano: String(LATEST) },
      ...times.map(([start, end, event], i) => ({
        traceId: TRACE_ID,
        spanId: spanIds[i],
        startTimeUnixNano: String(start),
        endTimeUnixNano: String(end),
        events: [{ timeUnixNano: String(event) }],
      })),
    );

    for (const { spans, refused } of [decodeProtobufTraces(protobufBody), decodeJsonTraces(jsonBody)]) {
      expect(spans.map((span) => [span.spanId, span.endTimeUnixNano])).toEqual([[SPAN_ID, LATEST]]);
      expect(refused.map((r) => [r.span, r.reason.split(':')[0]])).toEqual([
        [spanIds[0], 'startTimeUnixNano'],
        [spanIds[1], 'endTimeUnixNano'],
        [spanIds[2], 'events[0].timeUnixNano'],
      ]);
      expect(refused[0]!.reason).toBe(
        'startTimeUnixNano: expected unix nanoseconds up to 9223372036854775807 (year 2262) (got 9223372036854775808); ' +
          'endTimeUnixNano: expected unix nanoseconds up to 9223372036854775807 (year 2262) (got 9223372036854775808)',
      );
    }
  });

  it('gives a span without a start its end, and one with neither the time the export was received (as Langfuse)', () => {
    const receivedAt = 1_800_000_000_000_000_000n;
    const protobufBody = protobufWithSpans(
      pb.span({ traceId: hex(TRACE_ID), spanId: hex(SPAN_ID) }, fixed64Field(7, 0n), fixed64Field(8, 1500n)),
      pb.span({ traceId: hex(TRACE_ID), spanId: hex('b7ad6b7169203332') }, fixed64Field(7, 0n), fixed64Field(8, 0n)),
    );
    const jsonBody = jsonWithSpans(
      { traceId: TRACE_ID, spanId: SPAN_ID, startTimeUnixNano: '0', endTimeUnixNano: '1500' },
      { traceId: TRACE_ID, spanId: 'b7ad6b7169203332', startTimeUnixNano: '0' },
    );

    for (const { spans } of [
      decodeProtobufTraces(protobufBody, undefined, receivedAt),
      decodeJsonTraces(jsonBody, undefined, receivedAt),
    ]) {
      expect(spans.map((span) => [span.startTimeUnixNano, span.endTimeUnixNano, span.attributes])).toEqual([
        [1500n, 1500n, {}],
        [receivedAt, receivedAt, {}],
      ]);
    }
  });

  it('keeps a span that ends before it starts with its end at its start, recording the end it was sent with', () => {
    const protobufBody = protobufWithSpans(goodSpan(fixed64Field(7, 2000n), fixed64Field(8, 1500n)));
    const jsonBody = jsonWithSpans({ traceId: TRACE_ID, spanId: SPAN_ID, startTimeUnixNano: '2000', endTimeUnixNano: '1500' });

    for (const { spans } of [decodeProtobufTraces(protobufBody), decodeJsonTraces(jsonBody)]) {
      expect(spans[0]).toMatchObject({
        startTimeUnixNano: 2000n,
        endTimeUnixNano: 2000n,
        attributes: { 'spanlite.original_end_time_unix_nano': '1500' },
      });
    }
  });

  it('truncates string values past the limit on a character boundary, marks them and records key and size', () => {
    const limits = { maxAttributeBytes: 1024 };
    const long = 'a' + 'é'.repeat(1000); // 2001 bytes: byte 1024 is the second of an 'é'
    const protobufBody = protobufWithSpans(
      goodSpan(
        pb.spanAttribute(pb.keyValue('long', pb.string(long))),
        pb.spanAttribute(pb.keyValue('list', pb.array(pb.string('ok'), pb.string(long)))),
        pb.spanAttribute(pb.keyValue('blob', pb.bytes(new Uint8Array(1500)))),
        pb.spanAttribute(pb.keyValue('short', pb.string('ok'))),
      ),
    );
    const jsonBody = jsonWithSpans({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      attributes: [
        { key: 'long', value: { stringValue: long } },
        { key: 'list', value: { arrayValue: { values: [{ stringValue: 'ok' }, { stringValue: long }] } } },
        { key: 'blob', value: { bytesValue: Buffer.alloc(1500).toString('base64') } },
        { key: 'short', value: { stringValue: 'ok' } },
      ],
    });
    const cut = 'a' + 'é'.repeat(511) + '…[spanlite: truncated from 2001 bytes to 1024]';

    for (const { spans } of [decodeProtobufTraces(protobufBody, limits), decodeJsonTraces(jsonBody, limits)]) {
      expect(spans[0]!.attributes).toEqual({
        long: cut,
        list: ['ok', cut],
        blob: Buffer.alloc(1024).toString('base64'),
        short: 'ok',
        'spanlite.truncated': [
          { key: 'long', originalBytes: 2001 },
          { key: 'list', originalBytes: 2001 },
          { key: 'blob', originalBytes: 1500 },
        ],
      });
    }
  });

  it('leaves values at the limit untouched and adds nothing', () => {
    const exact = 'a'.repeat(1024);
    const { spans } = decodeProtobufTraces(
      protobufWithSpans(goodSpan(pb.spanAttribute(pb.keyValue('exact', pb.string(exact))))),
      { maxAttributeBytes: 1024 },
    );
    expect(spans[0]!.attributes).toEqual({ exact });
  });
});
