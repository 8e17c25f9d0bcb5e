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
import {
  MAX_ANY_VALUE_DEPTH,
  emptyAttributes,
  emptyScope,
  setAttribute,
  tooDeep,
  type DecodedScope,
  type OtlpEnvelopeNames,
} from './otlp-values.js';

export type JsonObject = Record<string, unknown>;

const HEX_PATTERN = /^[0-9a-fA-F]*$/;
export const ALL_ZERO_PATTERN = /^0*$/;
const UINT_PATTERN = /^\d+$/;
const INT_PATTERN = /^-?\d+$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const BLANK_PATTERN = /^\s*$/;
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const NO_ITEMS: readonly unknown[] = Object.freeze([]);

/**
 * Reads one item (span, log record) of a Scope<Items> message into `out`. `scopePosition` is
 * `resourceSpans[i].scopeSpans[j]`, for naming the item by position when it is refused.
 */
export type JsonItemReader<Out> = (
  value: unknown,
  resource: Attributes,
  scope: DecodedScope,
  scopePosition: string,
  itemIndex: number,
  out: Out,
  limiter: ValueLimiter,
) => void;

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
    const resourceList = getArray(request, envelope.resources, envelope.resourcesProto);
    for (let i = 0; i < resourceList.length; i++) {
      try {
        readJsonResourceItems(resourceList[i], envelope, i, out, limiter);
      } catch (error) {
        throw withPath(error, `${envelope.resources}[${i}]`);
      }
    }
  } catch (error) {
    throw withPath(error, '');
  }
}

function readJsonResourceItems<Out>(
  value: unknown,
  envelope: JsonEnvelope<Out>,
  resourceIndex: number,
  out: Out,
  limiter: ValueLimiter,
): void {
  const message = expectObject(value);
  const resource = emptyAttributes();
  const resourceMessage = getObject(message, 'resource');
  if (resourceMessage !== undefined) {
    try {
      readJsonAttributes(getArray(resourceMessage, 'attributes'), resource, limiter);
    } catch (error) {
      throw withPath(error, 'resource');
    }
  }
  const scopeList = getArray(message, envelope.scopes, envelope.scopesProto);
  for (let j = 0; j < scopeList.length; j++) {
    const at = `${envelope.scopes}[${j}]`;
    try {
      readJsonScopeItems(scopeList[j], envelope, resource, `${envelope.resources}[${resourceIndex}].${at}`, out, limiter);
    } catch (error) {
      throw withPath(error, at);
    }
  }
}

function readJsonScopeItems<Out>(
  value: unknown,
  envelope: JsonEnvelope<Out>,
  resource: Attributes,
  scopePosition: string,
  out: Out,
  limiter: ValueLimiter,
): void {
  const message = expectObject(value);
  const scope = emptyScope();
  const scopeMessage = getObject(message, 'scope');
  if (scopeMessage !== undefined) {
    try {
      scope.name = getString(scopeMessage, 'name');
      scope.version = getString(scopeMessage, 'version');
      readJsonAttributes(getArray(scopeMessage, 'attributes'), scope.attributes, limiter);
    } catch (error) {
      throw withPath(error, 'scope');
    }
  }
  const items = getArray(message, envelope.items, envelope.itemsProto);
  for (let k = 0; k < items.length; k++) {
    try {
      envelope.readItem(items[k], resource, scope, scopePosition, k, out, limiter);
    } catch (error) {
      throw withPath(error, `${envelope.items}[${k}]`);
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

/** Lowercase hex of a valid, non-zero id, or undefined. */
export function jsonHexId(value: unknown, hexLength: number): string | undefined {
  if (typeof value !== 'string' || value.length !== hexLength || !HEX_PATTERN.test(value)) return undefined;
  return ALL_ZERO_PATTERN.test(value) ? undefined : value.toLowerCase();
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
  if (depth > MAX_ANY_VALUE_DEPTH) throw tooDeep();
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
