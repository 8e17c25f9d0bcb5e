/**
 * The readers every OTLP JSON decoder shares: the body, field access, AnyValue, KeyValue,
 * Resource, InstrumentationScope and the export envelope every signal shares, following
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding and also accepting what proto3
 * JSON parsers accept (snake_case keys, enum names, int64 as numbers).
 *
 * Readers throw `OtlpDecodeError` with a path relative to themselves; callers prepend theirs with
 * `withPath`.
 */
import { Buffer } from 'node:buffer';
import type { AttributeValue, Attributes } from './span.js';
import type { ValueLimiter } from './value-limits.js';
import { OtlpDecodeError, describe, withPath } from './decode-error.js';
import type { ItemContext, OtlpEnvelopeNames } from './otlp-values.js';
import { checkDepth, emptyAttributes, emptyScope, isZeroId, setAttribute } from './otlp-values.js';

export type JsonObject = Record<string, unknown>;

const HEX_PATTERN = /^[0-9a-fA-F]*$/;
const UINT_PATTERN = /^\d+$/;
const INT_PATTERN = /^-?\d+$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const BLANK_PATTERN = /^\s*$/;
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const NO_ITEMS: readonly unknown[] = Object.freeze([]);

/** Reads one item (span, log record) of a Scope<Items> message into `out`. */
export type JsonItemReader<Out> = (value: unknown, context: ItemContext, itemIndex: number, out: Out) => void;

/** One signal's export envelope: its names and the reader of its items. */
export interface JsonEnvelope<Out> extends OtlpEnvelopeNames {
  readonly readItem: JsonItemReader<Out>;
}

/**
 * Reads an Export<Signal>ServiceRequest into `out`, item by item: the text, its UTF-8 bytes, or
 * the value `JSON.parse` already produced. An empty body or `{}` is an empty export. Items of one
 * Resource<Items> share one resource object, and items of one Scope<Items> one scope object.
 *
 * @throws OtlpDecodeError when the body is not JSON or not shaped like such a request.
 */
export function readJsonExport<Out>(body: unknown, envelope: JsonEnvelope<Out>, out: Out, limiter: ValueLimiter): void {
  let request = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string'
      ? body
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    if (BLANK_PATTERN.test(text)) return;
    try {
      request = JSON.parse(text);
    } catch (error) {
      throw new OtlpDecodeError('', `invalid JSON (${(error as Error).message})`, { cause: error });
    }
  }
  if (!isJsonObject(request)) {
    throw new OtlpDecodeError('', `expected an ${envelope.request} object (got ${describe(request)})`);
  }
  try {
    readChildren(getArray(request, envelope.resources, envelope.resourcesProto), envelope.resources, (value, index) =>
      readJsonResourceItems(value, envelope, `${envelope.resources}[${index}]`, out, limiter),
    );
  } catch (error) {
    throw withPath(error, '');
  }
}

function readJsonResourceItems<Out>(
  value: unknown,
  envelope: JsonEnvelope<Out>,
  resourcePosition: string,
  out: Out,
  limiter: ValueLimiter,
): void {
  const message = expectObject(value);
  const resource = emptyAttributes();
  readHeader(message, 'resource', (header) => readJsonAttributes(getArray(header, 'attributes'), resource, limiter));
  readChildren(getArray(message, envelope.scopes, envelope.scopesProto), envelope.scopes, (scopeValue, index) => {
    const scopePosition = `${resourcePosition}.${envelope.scopes}[${index}]`;
    readJsonScopeItems(scopeValue, envelope, { resource, scope: emptyScope(), scopePosition, limiter }, out);
  });
}

function readJsonScopeItems<Out>(value: unknown, envelope: JsonEnvelope<Out>, context: ItemContext, out: Out): void {
  const message = expectObject(value);
  const { scope } = context;
  readHeader(message, 'scope', (header) => {
    scope.name = getString(header, 'name');
    scope.version = getString(header, 'version');
    readJsonAttributes(getArray(header, 'attributes'), scope.attributes, context.limiter);
  });
  const items = getArray(message, envelope.items, envelope.itemsProto);
  readChildren(items, envelope.items, (item, index) => envelope.readItem(item, context, index, out));
}

/** Reads the header object (`resource`, `scope`) of a Resource<Items> or Scope<Items>, if sent. */
function readHeader(message: JsonObject, name: string, read: (header: JsonObject) => void): void {
  const header = getObject(message, name);
  if (header === undefined) return;
  try {
    read(header);
  } catch (error) {
    throw withPath(error, name);
  }
}

/** Reads each element of a repeated field named `name`; errors are prefixed with `name[index]`. */
function readChildren(
  list: readonly unknown[],
  name: string,
  read: (value: unknown, index: number) => void,
): void {
  for (let index = 0; index < list.length; index++) {
    try {
      read(list[index], index);
    } catch (error) {
      throw withPath(error, `${name}[${index}]`);
    }
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field by its lowerCamelCase or proto name; `null` means absent, as in proto3 JSON. */
export function get(message: JsonObject, camel: string, snake?: string): unknown {
  const value = message[camel];
  if (value !== undefined && value !== null) return value;
  if (snake === undefined) return undefined;
  const alternative = message[snake];
  return alternative === null ? undefined : alternative;
}

export function getArray(message: JsonObject, camel: string, snake?: string): readonly unknown[] {
  const value = get(message, camel, snake);
  if (value === undefined) return NO_ITEMS;
  if (!Array.isArray(value)) throw new OtlpDecodeError(camel, `expected an array (got ${describe(value)})`);
  return value;
}

export function getObject(message: JsonObject, camel: string): JsonObject | undefined {
  const value = get(message, camel);
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) throw new OtlpDecodeError(camel, `expected an object (got ${describe(value)})`);
  return value;
}

export function getString(message: JsonObject, camel: string): string {
  const value = get(message, camel);
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new OtlpDecodeError(camel, `expected a string (got ${describe(value)})`);
  return value;
}

export function expectObject(value: unknown): JsonObject {
  if (!isJsonObject(value)) throw new OtlpDecodeError('', `expected an object (got ${describe(value)})`);
  return value;
}

export function getEnum(message: JsonObject, camel: string, names: ReadonlyMap<string, number>): number {
  const value = get(message, camel);
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const byName = typeof value === 'string' ? names.get(value) : undefined;
  if (byName !== undefined) return byName;
  throw new OtlpDecodeError(camel, `expected an integer or one of ${[...names.keys()].join(', ')} (got ${describe(value)})`);
}

/** An unsigned 64-bit integer (times): decimal string or non-negative integer number. */
export function getUint64(message: JsonObject, camel: string, snake: string): bigint {
  const value = get(message, camel, snake);
  if (value === undefined) return 0n;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 64) {
    return BigInt(value);
  }
  if (typeof value === 'string' && UINT_PATTERN.test(value)) {
    const parsed = BigInt(value);
    if (parsed <= UINT64_MAX) return parsed;
  }
  throw new OtlpDecodeError(camel, `expected an unsigned 64-bit integer as a decimal string or number (got ${describe(value)})`);
}

/** Whether `value` is an id of `hexLength` zeros, which OTLP uses for "none". */
export function isAllZeroHex(value: unknown, hexLength: number): boolean {
  return typeof value === 'string' && value.length === hexLength && isZeroId(value);
}

/** Lowercase hex of a valid, non-zero id, or undefined. */
export function jsonHexId(value: unknown, hexLength: number): string | undefined {
  if (typeof value !== 'string' || value.length !== hexLength || !HEX_PATTERN.test(value)) return undefined;
  return isZeroId(value) ? undefined : value.toLowerCase();
}

/**
 * An optional id: lowercase hex, or null when absent, empty or all zeros; a malformed one adds a
 * problem naming `field`.
 */
export function optionalJsonId(value: unknown, field: string, hexLength: number, problems: string[]): string | null {
  if (value === undefined || value === '' || isAllZeroHex(value, hexLength)) return null;
  const id = jsonHexId(value, hexLength);
  if (id !== undefined) return id;
  problems.push(`${field}: expected ${hexLength} hex characters or none (got ${describe(value)})`);
  return null;
}

/** KeyValues into `into`; errors name `attributes[index]`. */
export function readJsonAttributes(list: readonly unknown[], into: Attributes, limiter: ValueLimiter): void {
  for (let n = 0; n < list.length; n++) {
    try {
      readJsonKeyValue(list[n], into, 1, limiter);
    } catch (error) {
      throw withPath(error, `attributes[${n}]`);
    }
  }
}

function readJsonKeyValue(value: unknown, into: Attributes, depth: number, limiter: ValueLimiter): void {
  const message = expectObject(value);
  const key = message.key;
  if (typeof key !== 'string') throw new OtlpDecodeError('key', `expected a string (got ${describe(key)})`);
  const anyValue = message.value;
  setAttribute(
    into,
    key,
    anyValue === undefined || anyValue === null ? null : readJsonAnyValue(anyValue, depth, limiter),
    depth,
    limiter,
  );
}

export function readJsonAnyValue(value: unknown, depth: number, limiter: ValueLimiter): AttributeValue {
  checkDepth(depth);
  const message = expectObject(value);
  let field: unknown;
  if ((field = get(message, 'stringValue', 'string_value')) !== undefined) {
    if (typeof field !== 'string') throw new OtlpDecodeError('stringValue', `expected a string (got ${describe(field)})`);
    return limiter.string(field);
  }
  if ((field = get(message, 'intValue', 'int_value')) !== undefined) return readJsonInt64(field);
  if ((field = get(message, 'boolValue', 'bool_value')) !== undefined) {
    if (typeof field !== 'boolean') throw new OtlpDecodeError('boolValue', `expected true or false (got ${describe(field)})`);
    return field;
  }
  if ((field = get(message, 'doubleValue', 'double_value')) !== undefined) return readJsonDouble(field);
  if ((field = get(message, 'arrayValue', 'array_value')) !== undefined) {
    const list = getArray(expectObject(field), 'values');
    const values: AttributeValue[] = new Array<AttributeValue>(list.length);
    for (let n = 0; n < list.length; n++) values[n] = readJsonAnyValue(list[n], depth + 1, limiter);
    return values;
  }
  if ((field = get(message, 'kvlistValue', 'kvlist_value')) !== undefined) {
    const list = getArray(expectObject(field), 'values');
    const values = emptyAttributes();
    for (let n = 0; n < list.length; n++) readJsonKeyValue(list[n], values, depth + 1, limiter);
    return values;
  }
  if ((field = get(message, 'bytesValue', 'bytes_value')) !== undefined) {
    if (typeof field !== 'string' || !BASE64_PATTERN.test(field)) {
      throw new OtlpDecodeError('bytesValue', `expected a base64 string (got ${describe(field)})`);
    }
    const bytes = Buffer.from(field, 'base64');
    return limiter.bytesAsBase64(bytes, 0, bytes.length);
  }
  return null;
}

function readJsonInt64(value: unknown): number | string {
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (Number.isSafeInteger(value)) return value;
    if (value >= -(2 ** 63) && value < 2 ** 63) return BigInt(value).toString();
  } else if (typeof value === 'string' && INT_PATTERN.test(value)) {
    if (value.length <= 15) return Number(value);
    const parsed = BigInt(value);
    if (parsed >= INT64_MIN && parsed <= INT64_MAX) {
      const asNumber = Number(parsed);
      return Number.isSafeInteger(asNumber) ? asNumber : parsed.toString();
    }
  }
  throw new OtlpDecodeError(
    'intValue',
    `expected a signed 64-bit integer as a decimal string or number (got ${describe(value)})`,
  );
}

/** proto3 JSON doubles: numbers, numeric strings, or "NaN" / "Infinity" / "-Infinity". */
function readJsonDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return Number.NaN;
    const parsed = Number(value);
    if (value.trim() !== '' && !Number.isNaN(parsed)) return parsed;
  }
  throw new OtlpDecodeError('doubleValue', `expected a number (got ${describe(value)})`);
}
