/**
 * Ordered key lists for an observation's scalar fields, and the readers that walk them. First
 * present wins: the app's explicit names (spanlite's, then Langfuse's), then the OTel GenAI
 * semconv, then SDK conventions; within one convention the more recent name comes first.
 */
import type { Attributes, AttributeValue, DecodedSpan } from '../decode/span.js';
import { SpanStatusCode } from '../decode/span.js';
import type { CostDetails, JsonValue, Level, ObservationType } from '../model.js';
import * as genAi from '../../semconv/gen-ai.js';
import * as genkit from '../../semconv/genkit.js';
import * as langfuse from '../../semconv/langfuse.js';
import * as livekit from '../../semconv/livekit.js';
import * as mlflow from '../../semconv/mlflow.js';
import * as oi from '../../semconv/openinference.js';
import * as openllmetry from '../../semconv/openllmetry.js';
import * as ours from '../../semconv/spanlite.js';
import * as vercel from '../../semconv/vercel-ai.js';
import type { AttributeScan } from './attribute-scan.js';
import {
  firstDecodedString,
  firstNumber,
  firstObject,
  firstString,
  keyBit,
  parseJsonLoosely,
  toNumber,
} from './attribute-readers.js';
import { isSafeKey } from '../model.js';
import { flattenObject, parseJsonValue } from './json-values.js';
import { parseLevel } from './level.js';
import { inStoreRange, parseTimeToUnixNano } from './times.js';

export const OBSERVATION_FIELD_KEYS = {
  // Langfuse: named by the app. GenAI: the model that answered, then the one asked for.
  // OpenInference: response, generic, request, then embedding / reranker model names.
  // Vercel AI SDK: the response's model (ai >= 4), then the configured model id.
  model: [
    langfuse.LANGFUSE_OBSERVATION_MODEL,
    genAi.GEN_AI_RESPONSE_MODEL,
    genAi.GEN_AI_REQUEST_MODEL,
    oi.LLM_RESPONSE_MODEL_NAME,
    oi.LLM_MODEL_NAME,
    oi.LLM_REQUEST_MODEL_NAME,
    oi.EMBEDDING_MODEL_NAME,
    oi.RERANKER_MODEL_NAME,
    vercel.AI_RESPONSE_MODEL,
    vercel.AI_MODEL_ID,
  ],
  // Who serves the model, for pricing: OTel GenAI (current, then deprecated name), OpenInference
  // (hosting provider, then model family), Vercel AI SDK (`<provider>.<api>`).
  modelProvider: [
    genAi.GEN_AI_PROVIDER_NAME,
    genAi.GEN_AI_SYSTEM,
    oi.LLM_PROVIDER,
    oi.LLM_SYSTEM,
    vercel.AI_MODEL_PROVIDER,
  ],
  level: [ours.SPANLITE_OBSERVATION_LEVEL, langfuse.LANGFUSE_OBSERVATION_LEVEL],
  statusMessage: [ours.SPANLITE_OBSERVATION_STATUS_MESSAGE, langfuse.LANGFUSE_OBSERVATION_STATUS_MESSAGE],
  version: [ours.SPANLITE_OBSERVATION_VERSION, langfuse.LANGFUSE_VERSION],
  // ISO text or unix nanoseconds.
  completionStartTime: [ours.SPANLITE_OBSERVATION_COMPLETION_START_TIME, langfuse.LANGFUSE_OBSERVATION_COMPLETION_START_TIME],
  // Milliseconds after the span's start (Vercel AI SDK streaming calls).
  msToFirstChunk: [vercel.AI_RESPONSE_MS_TO_FIRST_CHUNK],
  // A tool observation is named for its tool: OTel GenAI, Vercel AI SDK, OpenInference, Traceloop,
  // LiveKit Agents.
  toolName: [
    genAi.GEN_AI_TOOL_NAME,
    vercel.AI_TOOL_CALL_NAME,
    oi.TOOL_NAME,
    openllmetry.TRACELOOP_ENTITY_NAME,
    livekit.LK_FUNCTION_TOOL_NAME,
  ],
  scoreCarrier: [ours.SPANLITE_SCORE_CARRIER],
} as const;

/**
 * Model parameters: JSON objects, then one-attribute-per-parameter prefixes; merged key by key,
 * an earlier source winning. spanlite, Langfuse, OpenInference (object, then the flattened form
 * of newer instrumentations), OTel GenAI `gen_ai.request.*`, Vercel AI SDK `ai.settings.*`.
 */
export const MODEL_PARAMETER_OBJECTS: readonly string[] = [
  ours.SPANLITE_OBSERVATION_MODEL_PARAMETERS,
  langfuse.LANGFUSE_OBSERVATION_MODEL_PARAMETERS,
  oi.LLM_INVOCATION_PARAMETERS,
];
export const MODEL_PARAMETER_PREFIXES: readonly string[] = [
  oi.LLM_INVOCATION_PARAMETERS_PREFIX,
  genAi.GEN_AI_REQUEST_PARAMETER_PREFIX,
  vercel.AI_SETTINGS_PREFIX,
];
/**
 * Not parameters: `gen_ai.request.model` is the model, and so is `model` inside OpenInference's
 * `llm.invocation_parameters` (the request body minus the messages).
 */
const NON_PARAMETER_NAMES: ReadonlySet<string> = new Set(['model']);

/**
 * Observation metadata: spanlite, Langfuse (observation, then the older `langfuse.metadata`),
 * then what SDKs copy onto every span of a call (also trace metadata, see trace-facts): Vercel
 * AI SDK telemetry metadata, OpenInference `metadata`, Traceloop association properties. Merged
 * key by key, earlier wins. Langfuse values are JSON-decoded one by one (its Python SDK encodes each).
 */
export const OBSERVATION_METADATA_SOURCES: readonly MetadataSource[] = [
  { prefix: ours.SPANLITE_OBSERVATION_METADATA_PREFIX, decode: 'loose' },
  { prefix: langfuse.LANGFUSE_OBSERVATION_METADATA_PREFIX, object: langfuse.LANGFUSE_OBSERVATION_METADATA, decode: 'json' },
  { prefix: langfuse.LANGFUSE_METADATA_PREFIX, object: langfuse.LANGFUSE_METADATA, decode: 'json' },
  { prefix: vercel.AI_TELEMETRY_METADATA_PREFIX, decode: 'loose' },
  { object: oi.METADATA, decode: 'loose' },
  { prefix: openllmetry.TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX, decode: 'loose' },
];

export interface MetadataSource {
  /** `prefix.<key>` attributes, gathered by the attribute scan. */
  prefix?: string;
  /** One attribute holding a JSON object. */
  object?: string;
  /** `json`: decode quoted strings too; `loose`: only objects and arrays. */
  decode: 'json' | 'loose';
  /** Names (after the prefix) not read as metadata: they are another field's. */
  except?: ReadonlySet<string>;
}

/**
 * Cost the span reports itself. Objects first (spanlite's buckets, Langfuse's `cost_details`
 * with its usage-type keys), then single numbers: OpenInference's per-side and total cost,
 * the `gen_ai.usage.cost` some SDKs (OpenLit, LiteLLM) send.
 */
export const REPORTED_COST_OBJECTS: readonly string[] = [
  ours.SPANLITE_OBSERVATION_COST,
  langfuse.LANGFUSE_OBSERVATION_COST_DETAILS,
];
export const REPORTED_COST_FLAT: Readonly<Record<'input' | 'output' | 'total', readonly string[]>> = {
  input: [oi.LLM_COST_PROMPT],
  output: [oi.LLM_COST_COMPLETION],
  total: [oi.LLM_COST_TOTAL, genAi.GEN_AI_USAGE_COST],
};
/** Keys of a cost object -> our bucket. spanlite's own names, Langfuse's, providers'. */
const COST_KEY_BUCKETS: Readonly<Record<string, keyof CostDetails>> = {
  input: 'input',
  input_tokens: 'input',
  prompt_tokens: 'input',
  output: 'output',
  output_tokens: 'output',
  completion_tokens: 'output',
  cachedInput: 'cachedInput',
  [langfuse.LangfuseUsageKey.INPUT_CACHED_TOKENS]: 'cachedInput',
  [langfuse.LangfuseUsageKey.INPUT_CACHE_READ]: 'cachedInput',
  [langfuse.LangfuseUsageKey.CACHE_READ_INPUT_TOKENS]: 'cachedInput',
  cacheWrite: 'cacheWrite',
  [langfuse.LangfuseUsageKey.INPUT_CACHE_CREATION]: 'cacheWrite',
  [langfuse.LangfuseUsageKey.INPUT_CACHE_WRITE]: 'cacheWrite',
  [langfuse.LangfuseUsageKey.CACHE_CREATION_INPUT_TOKENS]: 'cacheWrite',
  reasoning: 'reasoning',
  [langfuse.LangfuseUsageKey.OUTPUT_REASONING_TOKENS]: 'reasoning',
  [langfuse.LangfuseUsageKey.OUTPUT_REASONING]: 'reasoning',
  total: 'total',
};

/**
 * Model names after the OBSERVATION_FIELD_KEYS.model list, in an SDK's own form: MLflow's
 * (JSON-quoted), then a Genkit model action's name (`<plugin>/<model>`).
 */
const MLFLOW_MODEL_KEYS: readonly string[] = [mlflow.MLFLOW_LLM_MODEL];
const GENKIT_NAME_KEYS: readonly string[] = [genkit.GENKIT_NAME];
const GENKIT_SUBTYPE_KEYS: readonly string[] = [genkit.GENKIT_METADATA_SUBTYPE];
const GENKIT_MODEL_ACTIONS: ReadonlySet<string> = new Set([genkit.GenkitActionType.MODEL, genkit.GenkitActionType.BACKGROUND_MODEL]);

export function readModel(attributes: Attributes, keyMask: number): string | undefined {
  return (
    firstString(attributes, OBSERVATION_FIELD_KEYS.model, keyMask) ??
    firstDecodedString(attributes, MLFLOW_MODEL_KEYS, keyMask) ??
    genkitModelName(attributes, keyMask)
  );
}

function genkitModelName(attributes: Attributes, keyMask: number): string | undefined {
  const subtype = firstString(attributes, GENKIT_SUBTYPE_KEYS, keyMask);
  return subtype !== undefined && GENKIT_MODEL_ACTIONS.has(subtype) ? firstString(attributes, GENKIT_NAME_KEYS, keyMask) : undefined;
}

/**
 * LiveKit Agents spans that are setup or audio plumbing, not the conversation: level DEBUG on
 * spans of its scope, so a default view can hide them (Langfuse does the same).
 */
const LIVEKIT_DEBUG_SPANS: ReadonlySet<string> = new Set([
  livekit.LiveKitSpanName.START_AGENT_ACTIVITY,
  livekit.LiveKitSpanName.DRAIN_AGENT_ACTIVITY,
  livekit.LiveKitSpanName.ON_ENTER,
  livekit.LiveKitSpanName.ON_EXIT,
  livekit.LiveKitSpanName.USER_SPEAKING,
  livekit.LiveKitSpanName.AGENT_SPEAKING,
  livekit.LiveKitSpanName.EOU_DETECTION,
  livekit.LiveKitSpanName.LLM_REQUEST_RUN,
  livekit.LiveKitSpanName.LLM_FALLBACK_ADAPTER,
  livekit.LiveKitSpanName.TTS_NODE,
  livekit.LiveKitSpanName.TTS_REQUEST,
  livekit.LiveKitSpanName.TTS_REQUEST_RUN,
  livekit.LiveKitSpanName.TTS_STREAM_ADAPTER,
  livekit.LiveKitSpanName.TTS_FALLBACK_ADAPTER,
]);

function isQuietSpan(span: DecodedSpan): boolean {
  return span.scope.name === livekit.LIVEKIT_SCOPE && LIVEKIT_DEBUG_SPANS.has(span.name);
}

export function readLevel(span: DecodedSpan, keyMask: number): { level: Level; statusMessage: string | null } {
  const named = parseLevel(firstString(span.attributes, OBSERVATION_FIELD_KEYS.level, keyMask));
  const isError = span.status.code === SpanStatusCode.ERROR;
  const level = named ?? (isError ? 'ERROR' : isQuietSpan(span) ? 'DEBUG' : 'DEFAULT');
  const statusMessage =
    firstString(span.attributes, OBSERVATION_FIELD_KEYS.statusMessage, keyMask) ??
    (span.status.message !== '' ? span.status.message : null);
  return { level, statusMessage };
}

/** Tool observations are named for their tool; every other observation keeps the span name. */
export function observationName(span: DecodedSpan, type: ObservationType, keyMask: number): string {
  if (type !== 'TOOL') return span.name;
  return firstString(span.attributes, OBSERVATION_FIELD_KEYS.toolName, keyMask) ?? span.name;
}

export function readCompletionStartTime(span: DecodedSpan, keyMask: number): bigint | null {
  for (const key of OBSERVATION_FIELD_KEYS.completionStartTime) {
    if ((keyMask & keyBit(key)) === 0) continue;
    const value = span.attributes[key];
    if (value === undefined) continue;
    const time = parseTimeToUnixNano(parseJsonValue(value as AttributeValue));
    if (time !== null) return time;
  }
  const ms = firstNumber(span.attributes, OBSERVATION_FIELD_KEYS.msToFirstChunk, keyMask);
  return ms === undefined || ms < 0 ? null : inStoreRange(span.startTimeUnixNano + BigInt(Math.round(ms * 1_000_000)));
}

export function readModelParameters(attributes: Attributes, scan: AttributeScan): Record<string, JsonValue> | null {
  let parameters: Record<string, JsonValue> | null = null;
  const add = (name: string, value: AttributeValue): void => {
    if (!isSafeKey(name) || NON_PARAMETER_NAMES.has(name) || (parameters !== null && Object.hasOwn(parameters, name))) return;
    parameters ??= {};
    parameters[name] = typeof value === 'string' ? parseJsonLoosely(value) : value;
  };
  for (const key of MODEL_PARAMETER_OBJECTS) {
    if ((scan.keyMask & keyBit(key)) === 0) continue;
    const object = firstObject(attributes, [key]);
    if (object !== undefined) for (const name of Object.keys(object)) add(name, object[name] as AttributeValue);
  }
  for (const prefix of MODEL_PARAMETER_PREFIXES) {
    for (const [name, value] of scan.groups.get(prefix) ?? []) add(name, value);
  }
  return parameters;
}

/** Merged metadata from `sources`, earlier sources winning key by key; undefined when none. */
export function readMetadata(
  attributes: Attributes,
  scan: AttributeScan,
  sources: readonly MetadataSource[],
): Record<string, JsonValue> | undefined {
  let metadata: Record<string, JsonValue> | undefined;
  const add = (name: string, value: AttributeValue, decode: MetadataSource['decode']): void => {
    if (name === '' || !isSafeKey(name) || (metadata !== undefined && Object.hasOwn(metadata, name))) return;
    metadata ??= {};
    metadata[name] = decode === 'json' ? parseJsonValue(value) : typeof value === 'string' ? parseJsonLoosely(value) : value;
  };
  for (const source of sources) {
    if (source.prefix !== undefined) {
      for (const [name, value] of scan.groups.get(source.prefix) ?? []) {
        if (source.except?.has(name) !== true) add(name, value, source.decode);
      }
    }
    if (source.object !== undefined && (scan.keyMask & keyBit(source.object)) !== 0) {
      const object = firstObject(attributes, [source.object]);
      if (object !== undefined) for (const name of Object.keys(object)) add(name, object[name] as AttributeValue, 'loose');
    }
  }
  return metadata;
}

export function readReportedCost(attributes: Attributes, keyMask: number): CostDetails | null {
  const object = firstObject(attributes, REPORTED_COST_OBJECTS, keyMask);
  if (object !== undefined) {
    const cost: CostDetails = {};
    let sum = 0;
    for (const [key, value] of Object.entries(flattenObject(object))) {
      const amount = toNumber(value);
      if (amount === undefined) continue;
      const bucket = Object.hasOwn(COST_KEY_BUCKETS, key) ? COST_KEY_BUCKETS[key] : undefined;
      if (bucket !== undefined) cost[bucket] = (cost[bucket] ?? 0) + amount;
      if (bucket !== 'total') sum += amount;
    }
    if (Object.keys(cost).length > 0 || sum > 0) {
      cost.total ??= sum;
      return cost;
    }
  }
  const cost: CostDetails = {};
  for (const bucket of ['input', 'output', 'total'] as const) {
    const amount = firstNumber(attributes, REPORTED_COST_FLAT[bucket], keyMask);
    if (amount !== undefined) cost[bucket] = amount;
  }
  if (Object.keys(cost).length === 0) return null;
  cost.total ??= (cost.input ?? 0) + (cost.output ?? 0);
  return cost;
}
