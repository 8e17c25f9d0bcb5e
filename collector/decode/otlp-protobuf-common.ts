/**
 * The readers every OTLP protobuf decoder shares: protobufjs's `Reader` walked over the field
 * numbers of opentelemetry/proto/common/v1 and resource/v1 (AnyValue, KeyValue, Resource,
 * InstrumentationScope) and over the export envelope every signal shares, writing straight into
 * the output shape: no generated message classes, no intermediate objects.
 *
 * Readers of a length-delimited message take the reader positioned at its length prefix and leave
 * it after the message. They throw `OtlpDecodeError` with a path relative to themselves; callers
 * prepend theirs with `withPath`.
 */
import { Buffer } from 'node:buffer';
import protobuf from 'protobufjs/minimal.js';
import type { Reader } from 'protobufjs/minimal.js';
import type { AttributeValue, Attributes } from './span.js';
import type { ValueLimiter } from './value-limits.js';
import { OtlpDecodeError, describe, withPath } from './decode-error.js';
import type { ItemContext, OtlpEnvelopeNames } from './otlp-values.js';
import { checkDepth, emptyAttributes, emptyScope, isZeroId, setAttribute } from './otlp-values.js';

const { Reader: ProtobufReader } = protobuf;

const HEX_BY_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

/**
 * Tags (field number << 3 | wire type) of the shared fields we read. A known field number sent with
 * a different wire type is treated as unknown and skipped, as protobuf-go does; this is what lets an
 * OTLP logs body posted as traces decode into id-less spans that are refused, not misread.
 */
const Tag = Object.freeze({
  // Export<Signal>ServiceRequest
  requestResources: (1 << 3) | 2,
  // Resource<Items> (header: Resource; children: Scope<Items>) and Scope<Items> (header:
  // InstrumentationScope; children: the items)
  levelHeader: (1 << 3) | 2,
  levelChildren: (2 << 3) | 2,
  // Resource
  resourceAttributes: (1 << 3) | 2,
  // InstrumentationScope
  scopeName: (1 << 3) | 2,
  scopeVersion: (2 << 3) | 2,
  scopeAttributes: (3 << 3) | 2,
  // KeyValue
  keyValueKey: (1 << 3) | 2,
  keyValueValue: (2 << 3) | 2,
  // AnyValue
  anyString: (1 << 3) | 2,
  anyBool: (2 << 3) | 0,
  anyInt: (3 << 3) | 0,
  anyDouble: (4 << 3) | 1,
  anyArray: (5 << 3) | 2,
  anyKvlist: (6 << 3) | 2,
  anyBytes: (7 << 3) | 2,
  // ArrayValue and KeyValueList
  listValues: (1 << 3) | 2,
});

/** Reads one item (span, log record) of a Scope<Items> message into `out`. */
export type ProtobufItemReader<Out> = (
  reader: Reader,
  buf: Buffer,
  context: ItemContext,
  itemIndex: number,
  out: Out,
) => void;

/** One signal's export envelope: its names and the reader of its items. */
export interface ProtobufEnvelope<Out> extends OtlpEnvelopeNames {
  readonly readItem: ProtobufItemReader<Out>;
}

/**
 * Reads an Export<Signal>ServiceRequest body into `out`, item by item. Items of one Resource<Items>
 * share one resource object, and items of one Scope<Items> one scope object.
 *
 * @throws OtlpDecodeError when the bytes are not such a request.
 */
export function readProtobufExport<Out>(
  body: Uint8Array,
  envelope: ProtobufEnvelope<Out>,
  out: Out,
  limiter: ValueLimiter,
): void {
  if (!(body instanceof Uint8Array)) {
    throw new OtlpDecodeError('', `expected protobuf bytes (got ${describe(body)})`);
  }
  let resourceIndex = 0;
  let at = '';
  try {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const reader = ProtobufReader.create(buf);
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag === Tag.requestResources) {
        at = `${envelope.resources}[${resourceIndex}]`;
        readResourceItems(reader, buf, envelope, at, out, limiter);
        resourceIndex++;
      } else {
        skipField(reader, tag);
      }
      at = '';
    }
  } catch (error) {
    throw withPath(error, at);
  }
}

function readResourceItems<Out>(
  reader: Reader,
  buf: Buffer,
  envelope: ProtobufEnvelope<Out>,
  resourcePosition: string,
  out: Out,
  limiter: ValueLimiter,
): void {
  // Filled in place, so a `resource` field sent after the scopes still reaches every item.
  const resource = emptyAttributes();
  readLevel(
    reader,
    'resource',
    () => readAttributedMessage(reader, buf, Tag.resourceAttributes, resource, limiter),
    envelope.scopes,
    (scopeIndex) => {
      const scopePosition = `${resourcePosition}.${envelope.scopes}[${scopeIndex}]`;
      readScopeItems(reader, buf, envelope, { resource, scope: emptyScope(), scopePosition, limiter }, out);
    },
  );
}

function readScopeItems<Out>(
  reader: Reader,
  buf: Buffer,
  envelope: ProtobufEnvelope<Out>,
  context: ItemContext,
  out: Out,
): void {
  const { scope, limiter } = context;
  readLevel(
    reader,
    'scope',
    () =>
      readAttributedMessage(reader, buf, Tag.scopeAttributes, scope.attributes, limiter, (tag) => {
        if (tag === Tag.scopeName) scope.name = readString(reader, buf);
        else if (tag === Tag.scopeVersion) scope.version = readString(reader, buf);
        else skipField(reader, tag);
      }),
    envelope.items,
    (itemIndex) => envelope.readItem(reader, buf, context, itemIndex, out),
  );
}

/**
 * Reads a Resource<Items> or Scope<Items> message, which nest alike: field 1 its header (Resource,
 * InstrumentationScope), field 2 each of its children. Errors are prefixed with `headerName` or
 * `childrenName[index]`.
 */
function readLevel(
  reader: Reader,
  headerName: string,
  readHeader: () => void,
  childrenName: string,
  readChild: (childIndex: number) => void,
): void {
  const end = readEnd(reader);
  let childIndex = 0;
  let at = '';
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === Tag.levelChildren) {
        at = `${childrenName}[${childIndex}]`;
        readChild(childIndex);
        childIndex++;
      } else if (tag === Tag.levelHeader) {
        at = headerName;
        readHeader();
      } else {
        skipField(reader, tag);
      }
      at = '';
    }
    expectEnd(reader, end);
  } catch (error) {
    throw withPath(error, at);
  }
}

/**
 * Reads a message that has attributes (Resource, InstrumentationScope, Span.Event): those at
 * `attributesTag` into `attributes`, any other field with `readOther` (default: skipped). Errors
 * are prefixed with `attributes[index]`, the attribute being read or the next one.
 */
export function readAttributedMessage(
  reader: Reader,
  buf: Buffer,
  attributesTag: number,
  attributes: Attributes,
  limiter: ValueLimiter,
  readOther: (tag: number) => void = (tag) => skipField(reader, tag),
): void {
  const end = readEnd(reader);
  let attributeIndex = 0;
  try {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === attributesTag) {
        readKeyValue(reader, buf, attributes, 1, limiter);
        attributeIndex++;
      } else {
        readOther(tag);
      }
    }
  } catch (error) {
    throw withPath(error, `attributes[${attributeIndex}]`);
  }
  expectEnd(reader, end);
}

/** Reads a length prefix and returns where the field ends, refusing one that runs past the body. */
export function readEnd(reader: Reader): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > reader.len) {
    throw new OtlpDecodeError(
      '',
      `truncated: a ${length}-byte field at offset ${reader.pos} runs past the end of the ${reader.len}-byte body`,
    );
  }
  return end;
}

export function expectEnd(reader: Reader, end: number): void {
  if (reader.pos !== end) {
    throw new OtlpDecodeError(
      '',
      `malformed: a field overran its enclosing message (offset ${reader.pos}, message ends at ${end})`,
    );
  }
}

export function skipField(reader: Reader, tag: number): void {
  const wireType = tag & 7;
  if (tag >>> 3 === 0) throw new OtlpDecodeError('', `malformed: field number 0 at offset ${reader.pos}`);
  // Groups (3, 4) do not occur in proto3 OTLP; 6 and 7 do not exist.
  if (wireType !== 0 && wireType !== 1 && wireType !== 2 && wireType !== 5) {
    throw new OtlpDecodeError('', `malformed: unsupported wire type ${wireType} for field ${tag >>> 3}`);
  }
  reader.skipType(wireType);
}

/** A bytes field (an id) as lowercase hex, whatever its length: the caller checks it. */
export function readBytesAsHex(reader: Reader, buf: Buffer): string {
  const end = readEnd(reader);
  const hex = readHex(buf, reader.pos, end);
  reader.pos = end;
  return hex;
}

/**
 * An optional id (read with readBytesAsHex): `hex` when it has `bytes` bytes, null when it is
 * absent or all zeros; any other length adds a problem naming `field`.
 */
export function optionalId(hex: string, field: string, bytes: number, problems: string[]): string | null {
  if (hex.length !== 0 && hex.length !== bytes * 2) {
    problems.push(`${field}: expected ${bytes} bytes or none (got ${hex.length / 2})`);
    return null;
  }
  return isZeroId(hex) ? null : hex;
}

export function readString(reader: Reader, buf: Buffer): string {
  const end = readEnd(reader);
  const start = reader.pos;
  reader.pos = end;
  return buf.toString('utf8', start, end);
}

function readHex(buf: Buffer, start: number, end: number): string {
  let hex = '';
  for (let i = start; i < end; i++) hex += HEX_BY_BYTE[buf[i]!];
  return hex;
}

/** fixed64 read as two uint32 halves (low first), so no Long is allocated. */
export function readFixed64(reader: Reader): bigint {
  const lo = reader.fixed32();
  const hi = reader.fixed32();
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** int64 varint as a number when it fits in a double exactly, else as a decimal string. */
function readInt64(reader: Reader): number | string {
  const buf = reader.buf;
  const len = reader.len;
  let pos = reader.pos;
  let lo = 0;
  let hi = 0;
  let byte = 0;
  let done = false;
  // Bytes 0-3 carry bits 0-27, byte 4 bits 28-34, bytes 5-9 bits 35-63.
  for (let shift = 0; shift < 28 && !done; shift += 7) {
    if (pos >= len) throw truncatedVarint(reader);
    byte = buf[pos++]!;
    lo |= (byte & 127) << shift;
    done = byte < 128;
  }
  if (!done) {
    if (pos >= len) throw truncatedVarint(reader);
    byte = buf[pos++]!;
    lo |= (byte & 15) << 28;
    hi = (byte & 127) >> 4;
    done = byte < 128;
  }
  for (let shift = 3; shift < 32 && !done; shift += 7) {
    if (pos >= len) throw truncatedVarint(reader);
    byte = buf[pos++]!;
    hi |= (byte & 127) << shift;
    done = byte < 128;
  }
  if (!done) throw new OtlpDecodeError('', `malformed: varint longer than 10 bytes at offset ${reader.pos}`);
  reader.pos = pos;
  lo >>>= 0;
  hi |= 0;
  // Exact whenever the result is a safe integer: hi * 2^32 is exact and |lo| < 2^32.
  const value = hi * 4294967296 + lo;
  return Number.isSafeInteger(value) ? value : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function truncatedVarint(reader: Reader): OtlpDecodeError {
  return new OtlpDecodeError('', `truncated: varint at offset ${reader.pos} runs past the end of the body`);
}

/** A KeyValue into `into`; at depth 1 (a top-level attribute), values cut inside it are recorded there. */
export function readKeyValue(reader: Reader, buf: Buffer, into: Attributes, depth: number, limiter: ValueLimiter): void {
  const end = readEnd(reader);
  let key = '';
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === Tag.keyValueKey) key = readString(reader, buf);
    else if (tag === Tag.keyValueValue) value = readAnyValue(reader, buf, depth, limiter);
    else skipField(reader, tag);
  }
  expectEnd(reader, end);
  setAttribute(into, key, value, depth, limiter);
}

export function readAnyValue(reader: Reader, buf: Buffer, depth: number, limiter: ValueLimiter): AttributeValue {
  checkDepth(depth);
  const end = readEnd(reader);
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.uint32();
    switch (tag) {
      case Tag.anyString: {
        const stringEnd = readEnd(reader);
        value = limiter.stringFromBytes(buf, reader.pos, stringEnd);
        reader.pos = stringEnd;
        break;
      }
      case Tag.anyInt:
        value = readInt64(reader);
        break;
      case Tag.anyDouble:
        value = reader.double();
        break;
      case Tag.anyBool:
        value = reader.bool();
        break;
      case Tag.anyArray:
        value = readArrayValue(reader, buf, depth, limiter);
        break;
      case Tag.anyKvlist:
        value = readKeyValueList(reader, buf, depth, limiter);
        break;
      case Tag.anyBytes: {
        const bytesEnd = readEnd(reader);
        value = limiter.bytesAsBase64(buf, reader.pos, bytesEnd);
        reader.pos = bytesEnd;
        break;
      }
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end);
  return value;
}

function readArrayValue(reader: Reader, buf: Buffer, depth: number, limiter: ValueLimiter): AttributeValue[] {
  const end = readEnd(reader);
  const values: AttributeValue[] = [];
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === Tag.listValues) values.push(readAnyValue(reader, buf, depth + 1, limiter));
    else skipField(reader, tag);
  }
  expectEnd(reader, end);
  return values;
}

function readKeyValueList(reader: Reader, buf: Buffer, depth: number, limiter: ValueLimiter): Attributes {
  const end = readEnd(reader);
  const values = emptyAttributes();
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === Tag.listValues) readKeyValue(reader, buf, values, depth + 1, limiter);
    else skipField(reader, tag);
  }
  expectEnd(reader, end);
  return values;
}
