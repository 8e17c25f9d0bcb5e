/**
 * Safe, capped JSON for inputs, outputs and metadata. Never throws and never walks more than
 * the cap: a 100 MB argument costs what its first `maxChars` characters cost.
 */

/** Default cap on one serialised value, in UTF-16 characters. */
export const DEFAULT_MAX_CHARS = 65_536;

/** Appended to the text of a value cut at the cap; the result is then a JSON string. */
export const TRUNCATION_MARKER = '...[truncated by spanlite]';

/** Nesting below this depth is written as a marker (guards the stack against deep chains). */
const MAX_DEPTH = 64;

const FULL = Symbol('budget exhausted');

interface Writer {
  parts: string[];
  length: number;
  readonly maxChars: number;
  readonly ancestors: Set<object>;
}

/**
 * JSON text of `value`. Cycles become `"[Circular]"`, BigInt its decimal string, Errors
 * `{ name, message, stack, ...own fields, cause }`, binary data `"[Buffer 12 bytes]"`, Maps
 * objects (or `[key, value]` pairs when a key is not a string or number), Sets arrays,
 * functions `"[Function name]"`. Text longer than `maxChars` is cut, suffixed with
 * {@link TRUNCATION_MARKER} and returned as one JSON string, escaping included at most
 * `maxChars` + the marker + 2 quotes long.
 */
export function serialize(value: unknown, maxChars: number = DEFAULT_MAX_CHARS): string {
  if (typeof value === 'string' && value.length > maxChars) return truncated(value, maxChars);
  const writer: Writer = { parts: [], length: 0, maxChars: Math.max(16, maxChars), ancestors: new Set() };
  try {
    walk(value, writer, 0);
    return writer.parts.join('');
  } catch (error) {
    if (error === FULL) return truncated(writer.parts.join(''), writer.maxChars);
    return JSON.stringify(`[unserializable: ${describeError(error)}]`);
  }
}

/** `text` cut so that, marked and quoted as a JSON string, it is at most `maxChars` + marker + quotes long. */
function truncated(text: string, maxChars: number): string {
  const limit = maxChars + TRUNCATION_MARKER.length + 2;
  let kept = text.slice(0, maxChars);
  let out = JSON.stringify(kept + TRUNCATION_MARKER);
  while (out.length > limit && kept.length > 0) {
    kept = kept.slice(0, Math.max(0, kept.length - (out.length - limit)));
    out = JSON.stringify(kept + TRUNCATION_MARKER);
  }
  return out;
}

function write(writer: Writer, text: string): void {
  writer.parts.push(text);
  writer.length += text.length;
  if (writer.length > writer.maxChars) throw FULL;
}

function walk(value: unknown, writer: Writer, depth: number): void {
  switch (typeof value) {
    case 'string':
      writeString(value, writer);
      return;
    case 'number':
      write(writer, Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'boolean':
      write(writer, value ? 'true' : 'false');
      return;
    case 'bigint':
      write(writer, `"${value.toString()}"`);
      return;
    case 'undefined':
      write(writer, 'null');
      return;
    case 'function':
      writeString(`[Function ${value.name || 'anonymous'}]`, writer);
      return;
    case 'symbol':
      writeString(value.toString(), writer);
      return;
    default:
      if (value === null) write(writer, 'null');
      else walkObject(value as object, writer, depth);
  }
}

function writeString(value: string, writer: Writer): void {
  const room = writer.maxChars - writer.length;
  write(writer, JSON.stringify(value.length > room ? value.slice(0, room + 1) : value));
}

function walkObject(value: object, writer: Writer, depth: number): void {
  if (writer.ancestors.has(value)) return writeString('[Circular]', writer);
  if (depth >= MAX_DEPTH) return writeString('[Max depth]', writer);
  const binary = describeBinary(value);
  if (binary !== undefined) return writeString(binary, writer);
  writer.ancestors.add(value);
  try {
    if (value instanceof Error) walkEntries(errorEntries(value), writer, depth);
    else if (value instanceof Map) walkMap(value, writer, depth);
    else if (value instanceof Set) walkArray(Array.from(value), writer, depth);
    else if (Array.isArray(value)) walkArray(value, writer, depth);
    else if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      walk((value as { toJSON: () => unknown }).toJSON(), writer, depth + 1);
    } else walkEntries(ownEntries(value), writer, depth);
  } finally {
    writer.ancestors.delete(value);
  }
}

function walkArray(items: readonly unknown[], writer: Writer, depth: number): void {
  write(writer, '[');
  for (let i = 0; i < items.length; i++) {
    if (i > 0) write(writer, ',');
    walk(items[i], writer, depth + 1);
  }
  write(writer, ']');
}

function walkEntries(entries: Iterable<[string, unknown]>, writer: Writer, depth: number): void {
  write(writer, '{');
  let first = true;
  for (const [key, item] of entries) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    if (!first) write(writer, ',');
    first = false;
    writeString(key, writer);
    write(writer, ':');
    walk(item, writer, depth + 1);
  }
  write(writer, '}');
}

function walkMap(map: Map<unknown, unknown>, writer: Writer, depth: number): void {
  let plainKeys = true;
  for (const key of map.keys()) {
    if (typeof key !== 'string' && typeof key !== 'number') {
      plainKeys = false;
      break;
    }
  }
  if (plainKeys) walkEntries(mapEntries(map), writer, depth);
  else walkArray(Array.from(map.entries()), writer, depth);
}

function* mapEntries(map: Map<unknown, unknown>): Iterable<[string, unknown]> {
  for (const [key, item] of map) yield [String(key), item];
}

function* ownEntries(value: object): Iterable<[string, unknown]> {
  for (const key of Object.keys(value)) {
    let item: unknown;
    try {
      item = (value as Record<string, unknown>)[key];
    } catch (error) {
      item = `[Thrown: ${describeError(error)}]`;
    }
    yield [key, item];
  }
}

function* errorEntries(error: Error): Iterable<[string, unknown]> {
  yield ['name', error.name];
  yield ['message', error.message];
  if (error.stack !== undefined) yield ['stack', error.stack];
  for (const entry of ownEntries(error)) {
    if (entry[0] !== 'name' && entry[0] !== 'message' && entry[0] !== 'stack' && entry[0] !== 'cause') yield entry;
  }
  if ('cause' in error) yield ['cause', error.cause];
}

function describeBinary(value: object): string | undefined {
  if (Buffer.isBuffer(value)) return `[Buffer ${value.byteLength} bytes]`;
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return `[ArrayBuffer ${value.byteLength} bytes]`;
  return undefined;
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}
