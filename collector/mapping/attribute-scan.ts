/**
 * The one pass over a span's attribute keys. Conventions that spread one value over many keys
 * (`langfuse.trace.metadata.<key>`, `gen_ai.request.<param>`, `llm.input_messages.<i>.message.*`,
 * ...) are gathered here in a single walk, so mapSpan never scans the attributes twice.
 *
 * Indexed message lists are collected only when a cheap marker (one key lookup each, see
 * INDEXED_CONVENTIONS) says their convention is on the span: most spans pay nothing for them.
 */
import type { Attributes, AttributeValue } from '../decode/span.js';
import * as genAi from '../../semconv/gen-ai.js';
import * as langfuse from '../../semconv/langfuse.js';
import * as oi from '../../semconv/openinference.js';
import * as openllmetry from '../../semconv/openllmetry.js';
import * as ours from '../../semconv/spanlite.js';
import * as vercel from '../../semconv/vercel-ai.js';

/** One key of a prefixed group: the key without its prefix, and the value. */
export type PrefixedEntry = readonly [suffix: string, value: AttributeValue, key: string];

/** Entries per prefix, in attribute order. A prefix with no key is absent. */
export type PrefixGroups = ReadonlyMap<string, readonly PrefixedEntry[]>;

/** What the one pass learned: the prefixed groups, and the key mask (see keyBit). */
export interface AttributeScan {
  groups: PrefixGroups;
  keyMask: number;
}

/** Prefixes gathered on every span: metadata, parameters and association properties. */
export const ALWAYS_SCANNED_PREFIXES: readonly string[] = [
  ours.SPANLITE_OBSERVATION_METADATA_PREFIX,
  ours.SPANLITE_TRACE_METADATA_PREFIX,
  langfuse.LANGFUSE_OBSERVATION_METADATA_PREFIX,
  langfuse.LANGFUSE_TRACE_METADATA_PREFIX,
  langfuse.LANGFUSE_METADATA_PREFIX,
  genAi.GEN_AI_REQUEST_PARAMETER_PREFIX,
  oi.LLM_INVOCATION_PARAMETERS_PREFIX,
  vercel.AI_SETTINGS_PREFIX,
  vercel.AI_TELEMETRY_METADATA_PREFIX,
  openllmetry.TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX,
];

/** Flattened lists, gathered only when one of their markers is present. */
export const INDEXED_CONVENTIONS: ReadonlyArray<{ markers: readonly string[]; prefixes: readonly string[] }> = [
  {
    // OpenInference (all instrumentations): messages, retrieved documents, embedded texts.
    markers: oi.OPENINFERENCE_INDEXED_MARKERS,
    prefixes: [
      oi.LLM_INPUT_MESSAGES_PREFIX,
      oi.LLM_OUTPUT_MESSAGES_PREFIX,
      oi.RETRIEVAL_DOCUMENTS_PREFIX,
      oi.EMBEDDING_EMBEDDINGS_PREFIX,
    ],
  },
  {
    // OpenLLMetry (Python traceloop-sdk, JS instrumentations before 0.2x): gen_ai.prompt.<i>.*.
    markers: openllmetry.OPENLLMETRY_INDEXED_MARKERS,
    prefixes: [openllmetry.GEN_AI_PROMPT_PREFIX, openllmetry.GEN_AI_COMPLETION_PREFIX],
  },
];

/** Prefixes bucketed by first character, so each key is compared with two or three at most. */
type PrefixTable = ReadonlyMap<number, readonly string[]>;

const tableCache = new Map<number, PrefixTable>();

/** One table per combination of indexed conventions present (bit i: INDEXED_CONVENTIONS[i]). */
function prefixTable(indexedMask: number): PrefixTable {
  let table = tableCache.get(indexedMask);
  if (table !== undefined) return table;
  const prefixes = [...ALWAYS_SCANNED_PREFIXES];
  INDEXED_CONVENTIONS.forEach((convention, bit) => {
    if ((indexedMask & (1 << bit)) !== 0) prefixes.push(...convention.prefixes);
  });
  const buckets = new Map<number, string[]>();
  for (const prefix of prefixes) {
    const code = prefix.charCodeAt(0);
    const bucket = buckets.get(code) ?? [];
    bucket.push(prefix);
    buckets.set(code, bucket);
  }
  table = buckets;
  tableCache.set(indexedMask, table);
  return table;
}

/** Which indexed conventions are on the span: a handful of key lookups, no scan. */
function indexedMaskOf(attributes: Attributes): number {
  let mask = 0;
  for (let bit = 0; bit < INDEXED_CONVENTIONS.length; bit++) {
    for (const marker of INDEXED_CONVENTIONS[bit]!.markers) {
      if (attributes[marker] !== undefined) {
        mask |= 1 << bit;
        break;
      }
    }
  }
  return mask;
}

/** Groups the span's prefixed keys and computes its key mask, in one pass over its attributes. */
export function scanAttributes(attributes: Attributes): AttributeScan {
  const table = prefixTable(indexedMaskOf(attributes));
  const groups = new Map<string, PrefixedEntry[]>();
  let keyMask = 0;
  for (const key in attributes) {
    const code = key.charCodeAt(0);
    keyMask |= 1 << (code & 31);
    const candidates = table.get(code);
    if (candidates === undefined) continue;
    for (const prefix of candidates) {
      if (key.length <= prefix.length || !key.startsWith(prefix)) continue;
      const entry: PrefixedEntry = [key.slice(prefix.length), attributes[key] as AttributeValue, key];
      const group = groups.get(prefix);
      if (group === undefined) groups.set(prefix, [entry]);
      else group.push(entry);
      break;
    }
  }
  return { groups, keyMask };
}
