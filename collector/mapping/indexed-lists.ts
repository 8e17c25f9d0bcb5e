/**
 * Rebuilds the lists that OpenInference and OpenLLMetry flatten into one attribute per leaf
 * (`llm.input_messages.0.message.role`, `gen_ai.prompt.1.content`, ...) into JSON arrays.
 *
 * Numeric path segments are list positions, others object keys. Positions are ordered, holes
 * closed up, and positions from MAX_INDEX on ignored (a hostile `...prompt.999999999.content`
 * must not allocate a huge array; Langfuse drops them too). One-key wrapper objects
 * (`{ message: {...} }`, `{ tool_call: {...} }`) are unwrapped, and OpenInference's multi-part
 * `contents` becomes `content`, so messages read like OpenAI's chat format.
 */
import type { AttributeValue } from '../decode/span.js';
import type { JsonValue } from '../model.js';
import type { PrefixedEntry } from './attribute-scan.js';
import { isSafeKey } from '../model.js';

/** Positions at or above this are ignored. */
export const MAX_INDEX = 10_000;

class ListNode {
  readonly items = new Map<number, Child>();
  /** Positions arrived in ascending order (the usual case): no sort needed. */
  ascending = true;
  last = -1;
}
class ObjectNode {
  readonly fields = new Map<string, Child>();
}
type Node = ListNode | ObjectNode;
type Child = Node | AttributeValue;

export interface RebuildOptions {
  /** Path segments whose single-key object is replaced by its value. */
  wrappers: ReadonlySet<string>;
  /** Keys renamed when the target is absent: `contents` -> `content`. */
  renames?: ReadonlyMap<string, string>;
}

/**
 * The entries as a list, or as one object when they carry no position at all
 * (`gen_ai.prompt.role`, `gen_ai.prompt.content`); undefined when nothing was usable.
 */
export function rebuildList(entries: readonly PrefixedEntry[], options: RebuildOptions): JsonValue | undefined {
  const first = entries[0];
  if (first === undefined) return undefined;
  const startsWithDigit = first[0].charCodeAt(0) >= 48 && first[0].charCodeAt(0) <= 57;
  const root: Node = startsWithDigit ? new ListNode() : new ObjectNode();
  for (const [suffix, value] of entries) insert(root, suffix.split('.'), value);
  if ((root instanceof ListNode ? root.items.size : root.fields.size) === 0) return undefined;
  return materialise(root, options);
}

function insert(root: Node, path: readonly string[], value: AttributeValue): void {
  let node: Node = root;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth]!;
    const last = depth === path.length - 1;
    if (node instanceof ListNode) {
      const index = toIndex(segment);
      if (index === undefined) return;
      if (index < node.last) node.ascending = false;
      node.last = index;
      if (last) node.items.set(index, value);
      else node = descend(node.items, index, path[depth + 1]!);
    } else {
      if (segment === '' || !isSafeKey(segment)) return;
      if (last) node.fields.set(segment, value);
      else node = descend(node.fields, segment, path[depth + 1]!);
    }
  }
}

/** The container at `key`, created to suit the next segment when absent or a leaf. */
function descend<K>(map: Map<K, Child>, key: K, nextSegment: string): Node {
  const existing = map.get(key);
  if (existing instanceof ListNode || existing instanceof ObjectNode) return existing;
  const created: Node = toIndex(nextSegment) !== undefined ? new ListNode() : new ObjectNode();
  map.set(key, created);
  return created;
}

function toIndex(segment: string): number | undefined {
  if (segment.length === 0 || segment.length > 5) return undefined;
  for (let i = 0; i < segment.length; i++) {
    const code = segment.charCodeAt(i);
    if (code < 48 || code > 57) return undefined;
  }
  const index = Number(segment);
  return index < MAX_INDEX ? index : undefined;
}

function materialise(value: Child, options: RebuildOptions): JsonValue {
  if (value instanceof ListNode) {
    const entries = [...value.items.entries()];
    if (!value.ascending) entries.sort(([a], [b]) => a - b);
    return entries.map(([, item]) => materialise(item, options));
  }
  if (!(value instanceof ObjectNode)) return value as JsonValue;
  if (value.fields.size === 1) {
    const [key, item] = value.fields.entries().next().value as [string, Child];
    if (options.wrappers.has(key)) return materialise(item, options);
  }
  const object: Record<string, JsonValue> = {};
  for (const [key, item] of value.fields) object[key] = materialise(item, options);
  if (options.renames) {
    for (const [from, to] of options.renames) {
      if (Object.hasOwn(object, from) && !Object.hasOwn(object, to)) {
        object[to] = object[from]!;
        delete object[from];
      }
    }
  }
  return object;
}
