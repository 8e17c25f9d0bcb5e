/** Helpers for values that arrive as JSON text or nested objects inside one attribute. */
import type { Attributes, AttributeValue } from '../decode/span.js';
import { isSafeKey } from '../model.js';

/** Nested objects deeper than this stay objects (bounds the work on hostile input). */
const MAX_FLATTEN_DEPTH = 4;

/**
 * `{ a: { b: 1 }, c: 2 }` -> `{ "a.b": 1, "c": 2 }`, so that ordered key lists can name paths
 * inside a usage object or provider metadata.
 */
export function flattenObject(object: Record<string, AttributeValue>, depth = 0, prefix = '', into: Attributes = {}): Attributes {
  for (const key of Object.keys(object)) {
    if (!isSafeKey(key)) continue;
    const value = object[key] as AttributeValue;
    const path = prefix + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < MAX_FLATTEN_DEPTH) {
      flattenObject(value, depth + 1, `${path}.`, into);
    } else {
      into[path] = value;
    }
  }
  return into;
}

/**
 * A value some SDKs JSON-encode one by one (Langfuse's Python SDK: `"\"value\""`, `"42"`):
 * quoted strings, objects and arrays are decoded; anything else stays as sent.
 */
export function parseJsonValue(value: AttributeValue): AttributeValue {
  if (typeof value !== 'string') return value;
  const first = value.trimStart()[0];
  if (first !== '"' && first !== '{' && first !== '[') return value;
  try {
    return JSON.parse(value) as AttributeValue;
  } catch {
    return value;
  }
}
