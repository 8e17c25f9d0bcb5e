/**
 * Hostile and broken OTLP request bodies for the fuzz test: a seeded random source, hand-built
 * protobuf spans (ids, timestamps and bytes no SDK would send), structural mutations of real JSON
 * exports, byte-level mutations of real protobuf exports, and broken compression.
 */
import { Buffer } from 'node:buffer';
import { gzipSync, deflateSync } from 'node:zlib';
import protobuf from 'protobufjs/minimal.js';
import * as genAi from '../../semconv/gen-ai.js';
import * as ours from '../../semconv/spanlite.js';

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) out[i] = this.below(256);
    return out;
  }

  /** Random bytes that are never all zero (a valid id). */
  id(n: number): Buffer {
    const out = this.bytes(n);
    out[0] = out[0]! | 1;
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Hand-built protobuf: ExportTraceServiceRequest { 1 ResourceSpans { 2 ScopeSpans { 2 Span } } }
// ---------------------------------------------------------------------------------------------

const { Writer } = protobuf;
type ProtoWriter = protobuf.Writer;

export interface ProtoSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId?: Uint8Array;
  /** Raw bytes of the name (to send invalid UTF-8). */
  name?: Uint8Array | string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  /** Writes `KeyValue` fields (tag 9) into the span. */
  attributes?: (span: ProtoWriter) => void;
  events?: Array<{ timeUnixNano: bigint; name: string }>;
}

function fixed64(writer: ProtoWriter, field: number, value: bigint): void {
  const masked = BigInt.asUintN(64, value);
  writer.uint32((field << 3) | 1).fixed32(Number(masked & 0xffffffffn)).fixed32(Number(masked >> 32n));
}

function bytesField(writer: ProtoWriter, field: number, value: Uint8Array | string): void {
  writer.uint32((field << 3) | 2).bytes(typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
}

/** KeyValue { 1 key, 2 AnyValue } written as field `field` of the current message. */
export function keyValue(writer: ProtoWriter, field: number, key: Uint8Array | string, value: (any: ProtoWriter) => void): void {
  writer.uint32((field << 3) | 2).fork();
  bytesField(writer, 1, key);
  writer.uint32((2 << 3) | 2).fork();
  value(writer);
  writer.ldelim();
  writer.ldelim();
}

export const anyString = (value: Uint8Array | string) => (writer: ProtoWriter) => bytesField(writer, 1, value);
export const anyInt = (value: number) => (writer: ProtoWriter) => writer.uint32((3 << 3) | 0).int64(value);

/** An AnyValue of `depth` nested single-element arrays around a string. */
export function nestedArrays(depth: number): (writer: ProtoWriter) => void {
  return (writer) => {
    for (let level = 0; level < depth; level++) {
      writer.uint32((5 << 3) | 2).fork(); // ArrayValue
      writer.uint32((1 << 3) | 2).fork(); // values[0]: AnyValue
    }
    bytesField(writer, 1, 'bottom');
    for (let level = 0; level < depth; level++) writer.ldelim().ldelim();
  };
}

export function protobufTraces(spans: readonly ProtoSpan[], resource?: (resource: ProtoWriter) => void): Buffer {
  const writer = Writer.create();
  writer.uint32((1 << 3) | 2).fork(); // resource_spans
  if (resource) {
    writer.uint32((1 << 3) | 2).fork();
    resource(writer);
    writer.ldelim();
  }
  writer.uint32((2 << 3) | 2).fork(); // scope_spans
  writer.uint32((1 << 3) | 2).fork(); // scope
  bytesField(writer, 1, 'fuzz');
  writer.ldelim();
  for (const span of spans) {
    writer.uint32((2 << 3) | 2).fork();
    bytesField(writer, 1, span.traceId);
    bytesField(writer, 2, span.spanId);
    if (span.parentSpanId) bytesField(writer, 4, span.parentSpanId);
    bytesField(writer, 5, span.name ?? 'fuzz-span');
    writer.uint32((6 << 3) | 0).int32(1);
    fixed64(writer, 7, span.startTimeUnixNano);
    fixed64(writer, 8, span.endTimeUnixNano);
    span.attributes?.(writer);
    for (const event of span.events ?? []) {
      writer.uint32((11 << 3) | 2).fork();
      fixed64(writer, 1, event.timeUnixNano);
      bytesField(writer, 2, event.name);
      writer.ldelim();
    }
    writer.ldelim();
  }
  writer.ldelim().ldelim();
  return Buffer.from(writer.finish());
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

/** Byte-level damage to a protobuf body: flips, cuts, splices, inserted varints. */
export function mutateBytes(random: Random, body: Buffer): Buffer {
  const out = Buffer.from(body);
  switch (random.below(6)) {
    case 0: {
      const flips = 1 + random.below(8);
      for (let i = 0; i < flips; i++) { const at = random.below(out.length); out[at] = out[at]! ^ (1 << random.below(8)); }
      return out;
    }
    case 1:
      return out.subarray(0, random.below(out.length));
    case 2: {
      const from = random.below(out.length);
      const to = from + random.below(out.length - from);
      return Buffer.concat([out.subarray(0, from), out.subarray(to)]);
    }
    case 3: {
      const at = random.below(out.length);
      return Buffer.concat([out.subarray(0, at), random.bytes(1 + random.below(16)), out.subarray(at)]);
    }
    case 4: {
      // A huge length prefix or tag where a byte was.
      const at = random.below(out.length);
      const varint = random.pick([
        Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
        Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]),
        Buffer.from([0x00]),
        Buffer.from([0x0b]), // wire type 3 (group)
      ]);
      return Buffer.concat([out.subarray(0, at), varint, out.subarray(at + 1)]);
    }
    default: {
      // Overwrite a run with one repeated byte (zeroed ids, 0xff timestamps).
      const at = random.below(out.length);
      out.fill(random.pick([0x00, 0xff, 0x80]), at, Math.min(out.length, at + 1 + random.below(16)));
      return out;
    }
  }
}

/** Attribute keys the mapper reads with numbers, times and JSON: where odd values do the most damage. */
const INTERESTING_KEYS: readonly string[] = [
  genAi.GEN_AI_USAGE_INPUT_TOKENS,
  genAi.GEN_AI_USAGE_OUTPUT_TOKENS,
  genAi.GEN_AI_REQUEST_MODEL,
  genAi.GEN_AI_OPERATION_NAME,
  genAi.GEN_AI_INPUT_MESSAGES,
  genAi.GEN_AI_OUTPUT_MESSAGES,
  genAi.GEN_AI_EVALUATION_SCORE_VALUE,
  genAi.GEN_AI_EVALUATION_NAME,
  ours.SPANLITE_OBSERVATION_COMPLETION_START_TIME,
  ours.SPANLITE_OBSERVATION_COST,
  ours.SPANLITE_OBSERVATION_MODEL_PARAMETERS,
  ours.SPANLITE_OBSERVATION_INPUT,
  ours.SPANLITE_OBSERVATION_TYPE,
  ours.SPANLITE_OBSERVATION_LEVEL,
  ours.SPANLITE_TRACE_TAGS,
  ours.SPANLITE_TRACE_PUBLIC,
  ours.SPANLITE_SCORE_DATA_TYPE,
  ours.SPANLITE_SCORE_OBSERVATION_ID,
  ours.SPANLITE_SCORE_CARRIER,
  'langfuse.observation.completion_start_time',
  'langfuse.observation.usage_details',
  'langfuse.observation.cost_details',
  'langfuse.observation.metadata',
  'ai.response.msToFirstChunk',
  'ai.usage.promptTokens',
  'llm.token_count.prompt',
  'llm.invocation_parameters',
  'llm.input_messages.0.message.content',
  'gen_ai.prompt.0.content',
  'traceloop.association.properties.user_id',
  'user.id',
  'session.id',
  '__proto__',
  'constructor',
];

const INTERESTING_STRINGS: readonly string[] = [
  '',
  '0',
  '-1',
  '18446744073709551615',
  '99999999999999999999999999',
  '9223372036854775807',
  '-9223372036854775808',
  '1e308',
  'NaN',
  'Infinity',
  '2262-04-12T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '0000-01-01T00:00:00Z',
  '{"input": 1e400, "output": -1e400, "total": "x"}',
  '{"__proto__": {"polluted": true}}',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
  '\ud800',
  '\u0000',
  'GENERATION',
  'true',
];

/** An AnyValue (JSON form) chosen to stress the mapper. */
function interestingAnyValue(random: Random): unknown {
  switch (random.below(9)) {
    case 0:
      return { stringValue: random.pick(INTERESTING_STRINGS) };
    case 1:
      return { intValue: random.pick(['9223372036854775807', '-9223372036854775808', '0', '-1', 2 ** 53 + 1]) };
    case 2:
      return { doubleValue: random.pick(['NaN', 'Infinity', '-Infinity', 1e308, -1e308, 5e-324, -0]) };
    case 3:
      return { boolValue: random.next() < 0.5 };
    case 4:
      return { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '-5' }, { kvlistValue: { values: [] } }] } };
    case 5:
      return { kvlistValue: { values: [{ key: random.pick(INTERESTING_KEYS), value: interestingAnyValue(random) }] } };
    case 6:
      return { bytesValue: 'AAAA' };
    case 7:
      return {};
    default:
      return { stringValue: 'x'.repeat(random.pick([1, 1000, 70_000])) };
  }
}

/** A value to put anywhere in an OTLP JSON tree. */
function interestingJson(random: Random): unknown {
  switch (random.below(12)) {
    case 0:
      return random.pick([0, -1, -(2 ** 63), 2 ** 64, 1e308, 0.5, Number.MAX_SAFE_INTEGER + 2]);
    case 1:
      return random.pick(INTERESTING_STRINGS);
    case 2:
      return random.pick(['0'.repeat(32), '0'.repeat(16), 'ab', 'z'.repeat(32), 'A'.repeat(32), 'f'.repeat(33)]);
    case 3:
      return null;
    case 4:
      return [];
    case 5:
      return {};
    case 6:
      return random.next() < 0.5;
    case 7:
      return interestingAnyValue(random);
    case 8:
      return random.pick(['SPAN_KIND_CLIENT', 'STATUS_CODE_ERROR', 'NOT_AN_ENUM', 7, -3]);
    case 9:
      return [{ key: random.pick(INTERESTING_KEYS), value: interestingAnyValue(random) }];
    case 10:
      return { key: random.pick(INTERESTING_KEYS), value: interestingAnyValue(random) };
    default:
      return random.pick(['0', '1', '18446744073709551615', '9223372036854775808', '-1', '1.5', ' 5']);
  }
}

interface Slot {
  parent: Record<string, unknown> | unknown[];
  key: string | number;
}

function collectSlots(value: unknown, into: Slot[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      into.push({ parent: value, key: index });
      collectSlots(item, into);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      into.push({ parent: value as Record<string, unknown>, key });
      collectSlots((value as Record<string, unknown>)[key], into);
    }
  }
}

/**
 * Structural damage to an OTLP JSON export: a few nodes replaced by odd values, attributes added
 * under keys the mapper reads, items duplicated or dropped. The input is not modified.
 */
export function mutateJson(random: Random, exported: unknown): unknown {
  const copy = structuredClone(exported);
  const mutations = 1 + random.below(4);
  for (let m = 0; m < mutations; m++) {
    const slots: Slot[] = [];
    collectSlots(copy, slots);
    if (slots.length === 0) break;
    const slot = random.pick(slots);
    const current = (slot.parent as Record<string | number, unknown>)[slot.key];
    const action = random.below(10);
    if (action < 5) {
      (slot.parent as Record<string | number, unknown>)[slot.key] = interestingJson(random);
    } else if (action < 7 && Array.isArray(current)) {
      current.push({ key: random.pick(INTERESTING_KEYS), value: interestingAnyValue(random) });
    } else if (action < 8 && Array.isArray(slot.parent)) {
      slot.parent.push(structuredClone(current));
    } else if (action < 9 && Array.isArray(slot.parent)) {
      slot.parent.splice(slot.key as number, 1);
    } else if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
      const keys = Object.keys(current);
      if (keys.length > 0) delete (current as Record<string, unknown>)[random.pick(keys)];
    }
  }
  return copy;
}

/** Text-level damage to a JSON body: cuts, flipped bytes, invalid UTF-8, deep bracket runs. */
export function mutateJsonText(random: Random, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  switch (random.below(4)) {
    case 0:
      return bytes.subarray(0, random.below(bytes.length));
    case 1: {
      const out = Buffer.from(bytes);
      for (let i = 0; i < 1 + random.below(4); i++) out[random.below(out.length)] = random.pick([0xff, 0xc3, 0x80, 0x22, 0x7b, 0x5d, 0x00]);
      return out;
    }
    case 2:
      return Buffer.concat([Buffer.from('{"resourceSpans":'), Buffer.from('['.repeat(200_000)), Buffer.from(']'.repeat(200_000)), Buffer.from('}')]);
    default: {
      // Invalid UTF-8 inside a string value: a lone continuation byte and a truncated sequence.
      const at = text.indexOf('"name":"');
      if (at < 0) return bytes;
      const cut = Buffer.byteLength(text.slice(0, at + 8));
      return Buffer.concat([bytes.subarray(0, cut), Buffer.from([0x80, 0xe2, 0x82]), bytes.subarray(cut)]);
    }
  }
}

export type Compression = 'gzip' | 'deflate';

/** Broken or hostile compressed bodies around a valid export. */
export function brokenCompression(random: Random, body: Buffer): { body: Buffer; encoding: Compression } {
  const gz = gzipSync(body);
  switch (random.below(6)) {
    case 0:
      return { body: gz.subarray(0, Math.max(1, random.below(gz.length))), encoding: 'gzip' };
    case 1: {
      const out = Buffer.from(gz);
      out.fill(random.below(256), 10 + random.below(Math.max(1, out.length - 20)), Math.min(out.length, 30 + random.below(40)));
      return { body: out, encoding: 'gzip' };
    }
    case 2:
      return { body: random.bytes(1 + random.below(512)), encoding: random.pick(['gzip', 'deflate'] as const) };
    case 3:
      return { body: gzipSync(gz), encoding: 'gzip' };
    case 4: {
      // Valid gzip, trailing garbage (a second, broken member).
      return { body: Buffer.concat([gz, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff])]), encoding: 'gzip' };
    }
    default:
      return { body: deflateSync(body).subarray(0, 8), encoding: 'deflate' };
  }
}

/**
 * A gzip bomb: `inflatedBytes` of spaces in about a thousandth of that on the wire, as
 * concatenated gzip members of 16 MiB each (a valid gzip stream; cheap to build).
 */
export function gzipBomb(inflatedBytes: number): Buffer {
  const memberBytes = 16 * 1024 * 1024;
  const member = gzipSync(Buffer.alloc(memberBytes, 0x20), { level: 9 });
  return Buffer.concat(Array.from({ length: Math.ceil(inflatedBytes / memberBytes) }, () => member));
}
