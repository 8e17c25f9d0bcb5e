/**
 * Typed reads over span attributes: "first of these keys that holds a usable value". Convention
 * fallbacks are ordered key lists, and these are the only functions that walk them.
 */
import type { Attributes, AttributeValue } from '../decode/span.js';
import { SPANLITE_NAMESPACE } from '../../semconv/spanlite.js';
import { parseJsonValue } from './json-values.js';

/**
 * The bit of a key's first character. A span's keys OR-ed together make its key mask (see
 * attribute-scan): a key whose bit is not in the mask is certainly absent, which the readers
 * below check before looking it up. Most keys of an ordered list are absent from most spans, and
 * a miss costs a hash lookup plus a prototype walk; the bit test costs nothing.
 */
export function keyBit(key: string): number {
  return 1 << (key.charCodeAt(0) & 31);
}

/** The mask of a span whose keys are unknown: every key may be present. */
export const ANY_KEY = -1;

export function firstString(attributes: Attributes, keys: readonly string[], mask: number = ANY_KEY): string | undefined {
  for (const key of keys) {
    if ((mask & keyBit(key)) === 0) continue;
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  }
  return undefined;
}

/**
 * First string, with JSON quoting removed: Langfuse's Python SDK quotes metadata values, MLflow
 * every attribute value (`"\"gpt-4o\""`).
 */
export function firstDecodedString(attributes: Attributes, keys: readonly string[], mask: number = ANY_KEY): string | undefined {
  const value = firstString(attributes, keys, mask);
  if (value === undefined) return undefined;
  const decoded = parseJsonValue(value);
  return typeof decoded === 'string' && decoded !== '' ? decoded : value;
}

/** Numbers, and decimal strings (int64 beyond 2^53 arrive as strings). */
export function firstNumber(attributes: Attributes, keys: readonly string[], mask: number = ANY_KEY): number | undefined {
  for (const key of keys) {
    if ((mask & keyBit(key)) === 0) continue;
    const number = toNumber(attributes[key]);
    if (number !== undefined) return number;
  }
  return undefined;
}

export function toNumber(value: AttributeValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

export function firstBoolean(attributes: Attributes, keys: readonly string[], mask: number = ANY_KEY): boolean | undefined {
  for (const key of keys) {
    if ((mask & keyBit(key)) === 0) continue;
    const value = attributes[key];
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
  }
  return undefined;
}

/** The first key holding a non-empty value, or undefined. */
export function firstPresentKey(attributes: Attributes, keys: readonly string[], mask: number = ANY_KEY): string | undefined {
  for (const key of keys) {
    if ((mask & keyBit(key)) === 0) continue;
    const value = attributes[key];
    if (value !== undefined && value !== null && value !== '') return key;
  }
  return undefined;
}

/** A value that may be a JSON document in a string (how SDKs ship structured input/output). */
export function firstJson(attributes: Attributes, keys: readonly string[], mask: number = ANY_KEY): AttributeValue | undefined {
  for (const key of keys) {
    if ((mask & keyBit(key)) === 0) continue;
    const value = attributes[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') return value;
    return key.startsWith(SPANLITE_NAMESPACE) ? parseJsonDocument(value) : parseJsonLoosely(value);
  }
  return undefined;
}

/**
 * spanlite's own content attributes always hold a JSON document (a string output is sent as
 * `"text"`), so they are parsed whole; a value that is not JSON (set by hand) stays as it is.
 */
function parseJsonDocument(text: string): AttributeValue {
  try {
    return JSON.parse(text) as AttributeValue;
  } catch {
    return text;
  }
}

/** Parses strings that look like JSON objects or arrays; anything else stays the string it was. */
export function parseJsonLoosely(text: string): AttributeValue {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return text;
  try {
    return JSON.parse(text) as AttributeValue;
  } catch {
    return text;
  }
}

/** A string list from an array attribute, a JSON array string, or a comma-separated string. */
export function firstStringList(attributes: Attributes, keys: readonly string[], mask: number = ANY_KEY): string[] | undefined {
  for (const key of keys) {
    if ((mask & keyBit(key)) === 0) continue;
    const value = attributes[key];
    if (value === undefined || value === null || value === '') continue;
    const list = typeof value === 'string' ? parseJsonLoosely(value) : value;
    if (Array.isArray(list)) return list.filter((item) => item !== null).map((item) => String(item));
    if (typeof list === 'string') return list.split(',').map((tag) => tag.trim()).filter(Boolean);
  }
  return undefined;
}

/** A JSON object from an object attribute or a JSON string; undefined for anything else. */
export function firstObject(
  attributes: Attributes,
  keys: readonly string[],
  mask: number = ANY_KEY,
): Record<string, AttributeValue> | undefined {
  const value = firstJson(attributes, keys, mask);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}
