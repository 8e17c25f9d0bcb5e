/**
 * A minimal protobuf writer for building OTLP trace bodies that remembers where chosen bytes land
 * (trace ids, span ids, timestamps), so a template body can be patched in place per request
 * instead of re-encoded. Field numbers follow opentelemetry/proto/{trace,common,resource}/v1.
 */
import { Buffer } from 'node:buffer';

/** What a patchable region holds; `ref` is the batch-level index (trace or span) it belongs to. */
export type MarkKind = 'traceId' | 'spanId' | 'parentSpanId' | 'time';

export interface Mark {
  kind: MarkKind;
  /** Byte offset of the value within the finished message. */
  offset: number;
  ref: number;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

export class MessageWriter {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  readonly marks: Mark[] = [];

  get length(): number {
    return this.size;
  }

  varint(field: number, value: number): this {
    this.raw(encodeVarint((field << 3) | WIRE_VARINT));
    return this.raw(encodeVarint(value));
  }

  /** A fixed64 (OTLP timestamps: unix nanoseconds). */
  fixed64(field: number, value: bigint, mark?: Omit<Mark, 'offset'>): this {
    this.raw(encodeVarint((field << 3) | WIRE_FIXED64));
    if (mark) this.marks.push({ ...mark, offset: this.size });
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeBigUInt64LE(value);
    return this.raw(bytes);
  }

  double(field: number, value: number): this {
    this.raw(encodeVarint((field << 3) | WIRE_FIXED64));
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeDoubleLE(value);
    return this.raw(bytes);
  }

  bytes(field: number, value: Uint8Array, mark?: Omit<Mark, 'offset'>): this {
    this.raw(encodeVarint((field << 3) | WIRE_LEN));
    this.raw(encodeVarint(value.length));
    if (mark) this.marks.push({ ...mark, offset: this.size });
    return this.raw(Buffer.from(value));
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  /** Embeds `child` as a length-delimited field; its marks move with it. */
  message(field: number, child: MessageWriter): this {
    this.raw(encodeVarint((field << 3) | WIRE_LEN));
    this.raw(encodeVarint(child.size));
    for (const mark of child.marks) this.marks.push({ ...mark, offset: mark.offset + this.size });
    for (const chunk of child.chunks) this.raw(chunk);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }

  private raw(bytes: Buffer): this {
    this.chunks.push(bytes);
    this.size += bytes.length;
    return this;
  }
}

function encodeVarint(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint: expected a safe unsigned integer (got ${value})`);
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** An attribute value as the bench writes it; arrays hold strings only. */
export type BenchAttributeValue = string | number | boolean | readonly string[];

/** AnyValue { 1 string, 2 bool, 3 int, 4 double, 5 ArrayValue { 1 values } } */
export function anyValue(value: BenchAttributeValue): MessageWriter {
  const writer = new MessageWriter();
  if (typeof value === 'string') return writer.string(1, value);
  if (typeof value === 'boolean') return writer.varint(2, value ? 1 : 0);
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? writer.varint(3, value) : writer.double(4, value);
  const list = new MessageWriter();
  for (const item of value) list.message(1, anyValue(item));
  return writer.message(5, list);
}

/** Appends `KeyValue { 1 key, 2 value }` entries as repeated field `field`. */
export function writeAttributes(
  writer: MessageWriter,
  field: number,
  attributes: Readonly<Record<string, BenchAttributeValue>>,
): MessageWriter {
  for (const [key, value] of Object.entries(attributes)) {
    writer.message(field, new MessageWriter().string(1, key).message(2, anyValue(value)));
  }
  return writer;
}
