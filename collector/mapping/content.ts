/**
 * An observation's input and output. Each is an ordered list of sources, first present wins:
 *
 * 1. names the app set on purpose (spanlite's, then the Langfuse SDKs');
 * 2. the OTel GenAI semconv of today (span attributes, then the operation-details event);
 * 3. SDK conventions with structure (OpenInference, Vercel AI SDK), then the frameworks' own
 *    names (Pydantic AI, Google ADK, Genkit, LiveKit, MLflow);
 * 4. legacy forms (OpenLLMetry's indexed lists, semconv <= 1.36 flat attributes and events).
 *
 * Conventions rarely overlap on one span; when they do, the more specific and more recent one wins.
 * The attribute keys a chosen source read are reported, so they are not stored twice.
 */
import type { Attributes, AttributeValue } from '../decode/span.js';
import type { JsonValue } from '../model.js';
import * as genAi from '../../semconv/gen-ai.js';
import * as genkit from '../../semconv/genkit.js';
import * as adk from '../../semconv/google-adk.js';
import * as langfuse from '../../semconv/langfuse.js';
import * as livekit from '../../semconv/livekit.js';
import * as mlflow from '../../semconv/mlflow.js';
import * as oi from '../../semconv/openinference.js';
import * as openllmetry from '../../semconv/openllmetry.js';
import * as pydanticAi from '../../semconv/pydantic-ai.js';
import * as ours from '../../semconv/spanlite.js';
import * as vercel from '../../semconv/vercel-ai.js';
import type { AttributeScan, PrefixGroups } from './attribute-scan.js';
import { firstJson, keyBit, parseJsonLoosely } from './attribute-readers.js';
import { parseJsonValue } from './json-values.js';
import { rebuildList, type RebuildOptions } from './indexed-lists.js';
import type { EventContent } from './span-message-events.js';

export interface ContentContext {
  attributes: Attributes;
  scan: AttributeScan;
  events: EventContent;
  /** The span's instrumentation scope name (some SDKs' names are theirs only on their spans). */
  scopeName: string;
}

/** A value found, with the attribute keys and the span events (positions) it was read from. */
export interface FoundContent {
  value: JsonValue;
  keys: readonly string[];
  events: readonly number[];
}

const NONE: readonly never[] = [];

type ListShape = 'messages' | 'plainMessages' | 'documents' | 'embeddingTexts' | 'embeddingVectors';

/** Where input or output can come from; see readContent for how each reads. */
export type ContentSource =
  /**
   * One attribute; JSON text parsed, unless the mime-type attribute says plain text. `json`:
   * the value (each item, for an array) is JSON text even when it is a quoted string.
   * `emptyObjectIsAbsent`: `{}` means "not captured". `scope`: read only on spans of that
   * instrumentation scope (an un-namespaced name is that SDK's only there).
   */
  | { from: 'attribute'; key: string; textMimeTypeKey?: string; json?: true; emptyObjectIsAbsent?: true; scope?: string }
  /**
   * OTel GenAI-shaped messages with the system instructions put first (unless a system message
   * already leads), on the span or its event.
   */
  | { from: 'genAiMessages'; key: string; on: 'span' | 'operationDetailsEvent'; instructions?: true }
  /** System instructions alone (no messages anywhere). */
  | { from: 'systemInstructions' }
  /** A flattened indexed list (see indexed-lists). */
  | { from: 'list'; prefix: string; shape: ListShape }
  /** Content read from span events (see span-message-events). */
  | { from: 'events'; field: 'inputMessages' | 'outputMessages' | 'legacyPrompt' | 'legacyCompletion' }
  /** Vercel AI SDK response: text and/or tool calls. */
  | { from: 'vercelResponse' };

const attribute = (key: string, textMimeTypeKey?: string): ContentSource =>
  textMimeTypeKey === undefined ? { from: 'attribute', key } : { from: 'attribute', key, textMimeTypeKey };
/** The Vercel AI SDK JSON-encodes these one by one (`ai.value: "\"Paris\""`, `ai.embeddings: ["[0.1,...]"]`). */
const jsonAttribute = (key: string): ContentSource => ({ from: 'attribute', key, json: true });
/** Google ADK writes `{}` for a request or response when content capture is off. */
const adkAttribute = (key: string): ContentSource => ({ from: 'attribute', key, emptyObjectIsAbsent: true });
/** Pydantic AI's un-namespaced names, read on its spans only. */
const pydanticAiAttribute = (key: string): ContentSource => ({ from: 'attribute', key, scope: pydanticAi.PYDANTIC_AI_SCOPE });

export const INPUT_SOURCES: readonly ContentSource[] = [
  // spanlite's own name, then the Langfuse SDKs' (JS v4/v5, Python v3): set on purpose by the app.
  attribute(ours.SPANLITE_OBSERVATION_INPUT),
  attribute(langfuse.LANGFUSE_OBSERVATION_INPUT),
  // OTel GenAI semconv 1.37+: messages (system instructions first), tool call arguments, the
  // retrieval or memory query; then the same messages on the opt-in
  // gen_ai.client.inference.operation.details span event.
  { from: 'genAiMessages', key: genAi.GEN_AI_INPUT_MESSAGES, on: 'span', instructions: true },
  attribute(genAi.GEN_AI_TOOL_CALL_ARGUMENTS),
  attribute(genAi.GEN_AI_RETRIEVAL_QUERY_TEXT),
  attribute(genAi.GEN_AI_MEMORY_QUERY_TEXT),
  { from: 'genAiMessages', key: genAi.GEN_AI_INPUT_MESSAGES, on: 'operationDetailsEvent', instructions: true },
  // OpenInference: an LLM span's messages, an embedding span's texts, then input.value.
  { from: 'list', prefix: oi.LLM_INPUT_MESSAGES_PREFIX, shape: 'messages' },
  { from: 'list', prefix: oi.EMBEDDING_EMBEDDINGS_PREFIX, shape: 'embeddingTexts' },
  attribute(oi.INPUT_VALUE, oi.INPUT_MIME_TYPE),
  // Vercel AI SDK 4-6: messages sent (.do* spans), the call's prompt (outer spans), tool
  // arguments (ai 4-6 name, then the newer one), embedded values.
  attribute(vercel.AI_PROMPT_MESSAGES),
  attribute(vercel.AI_PROMPT),
  jsonAttribute(vercel.AI_TOOL_CALL_ARGS),
  jsonAttribute(vercel.AI_TOOL_CALL_INPUT),
  jsonAttribute(vercel.AI_VALUES),
  jsonAttribute(vercel.AI_VALUE),
  // Pydantic AI: an agent run's messages (system instructions first), a tool call's arguments
  // (instrumentation version <= 2).
  { from: 'genAiMessages', key: pydanticAi.PYDANTIC_AI_ALL_MESSAGES, on: 'span', instructions: true },
  pydanticAiAttribute(pydanticAi.PYDANTIC_AI_TOOL_ARGUMENTS),
  // Google ADK: the LLM request, a tool call's arguments.
  adkAttribute(adk.ADK_LLM_REQUEST),
  adkAttribute(adk.ADK_TOOL_CALL_ARGS),
  // Genkit: every action's input.
  attribute(genkit.GENKIT_INPUT),
  // LiveKit Agents: an agent turn's user input, an LLM node's chat context, a tool's arguments,
  // a transcript, a TTS node's text.
  attribute(livekit.LK_USER_INPUT),
  attribute(livekit.LK_CHAT_CTX),
  attribute(livekit.LK_FUNCTION_TOOL_ARGUMENTS),
  attribute(livekit.LK_USER_TRANSCRIPT),
  attribute(livekit.LK_INPUT_TEXT),
  // MLflow Tracing.
  jsonAttribute(mlflow.MLFLOW_SPAN_INPUTS),
  // OpenLLMetry: indexed prompt messages (Python SDK, JS before 0.2x), decorated functions' arguments.
  { from: 'list', prefix: openllmetry.GEN_AI_PROMPT_PREFIX, shape: 'plainMessages' },
  attribute(openllmetry.TRACELOOP_ENTITY_INPUT),
  // OTel GenAI before 1.37: flat gen_ai.prompt, per-message span events, gen_ai.content.prompt event (OpenLit).
  attribute(genAi.GEN_AI_PROMPT),
  { from: 'events', field: 'inputMessages' },
  { from: 'events', field: 'legacyPrompt' },
  { from: 'systemInstructions' },
];

export const OUTPUT_SOURCES: readonly ContentSource[] = [
  attribute(ours.SPANLITE_OBSERVATION_OUTPUT),
  attribute(langfuse.LANGFUSE_OBSERVATION_OUTPUT),
  // OTel GenAI semconv 1.37+: messages, tool call result, retrieved documents, memory records.
  attribute(genAi.GEN_AI_OUTPUT_MESSAGES),
  attribute(genAi.GEN_AI_TOOL_CALL_RESULT),
  attribute(genAi.GEN_AI_RETRIEVAL_DOCUMENTS),
  attribute(genAi.GEN_AI_MEMORY_RECORDS),
  { from: 'genAiMessages', key: genAi.GEN_AI_OUTPUT_MESSAGES, on: 'operationDetailsEvent' },
  // OpenInference: messages, retrieved documents, embedding vectors, then output.value.
  { from: 'list', prefix: oi.LLM_OUTPUT_MESSAGES_PREFIX, shape: 'messages' },
  { from: 'list', prefix: oi.RETRIEVAL_DOCUMENTS_PREFIX, shape: 'documents' },
  { from: 'list', prefix: oi.EMBEDDING_EMBEDDINGS_PREFIX, shape: 'embeddingVectors' },
  attribute(oi.OUTPUT_VALUE, oi.OUTPUT_MIME_TYPE),
  // Vercel AI SDK 4-6.
  { from: 'vercelResponse' },
  jsonAttribute(vercel.AI_RESPONSE_OBJECT),
  jsonAttribute(vercel.AI_TOOL_CALL_RESULT),
  jsonAttribute(vercel.AI_TOOL_CALL_OUTPUT),
  jsonAttribute(vercel.AI_EMBEDDINGS),
  jsonAttribute(vercel.AI_EMBEDDING),
  // Pydantic AI, Google ADK, Genkit, LiveKit Agents, MLflow: as for input.
  pydanticAiAttribute(pydanticAi.PYDANTIC_AI_FINAL_RESULT),
  pydanticAiAttribute(pydanticAi.PYDANTIC_AI_TOOL_RESPONSE),
  adkAttribute(adk.ADK_LLM_RESPONSE),
  adkAttribute(adk.ADK_TOOL_RESPONSE),
  attribute(genkit.GENKIT_OUTPUT),
  attribute(livekit.LK_FUNCTION_TOOL_OUTPUT),
  attribute(livekit.LK_RESPONSE_TEXT),
  attribute(livekit.LK_RESPONSE_FUNCTION_CALLS),
  jsonAttribute(mlflow.MLFLOW_SPAN_OUTPUTS),
  // OpenLLMetry.
  { from: 'list', prefix: openllmetry.GEN_AI_COMPLETION_PREFIX, shape: 'plainMessages' },
  attribute(openllmetry.TRACELOOP_ENTITY_OUTPUT),
  // OTel GenAI before 1.37.
  attribute(genAi.GEN_AI_COMPLETION),
  { from: 'events', field: 'outputMessages' },
  { from: 'events', field: 'legacyCompletion' },
];

const OPENINFERENCE_MESSAGES: RebuildOptions = {
  wrappers: new Set([oi.MESSAGE_WRAPPER, oi.MESSAGE_CONTENT_WRAPPER, oi.TOOL_CALL_WRAPPER]),
  renames: new Map([[oi.MESSAGE_CONTENTS, oi.MESSAGE_CONTENT]]),
};
const OPENINFERENCE_DOCUMENTS: RebuildOptions = { wrappers: new Set([oi.DOCUMENT_WRAPPER]) };
const OPENINFERENCE_EMBEDDINGS: RebuildOptions = { wrappers: new Set([oi.EMBEDDING_WRAPPER]) };
const PLAIN: RebuildOptions = { wrappers: new Set() };

/** The first source with a value, or undefined. */
export function readContent(sources: readonly ContentSource[], context: ContentContext): FoundContent | undefined {
  for (const source of sources) {
    const found = readSource(source, context);
    if (found !== undefined) return found;
  }
  return undefined;
}

function readSource(source: ContentSource, context: ContentContext): FoundContent | undefined {
  const { attributes } = context;
  const mask = context.scan.keyMask;
  switch (source.from) {
    case 'attribute': {
      if (!mayHave(mask, source.key)) return undefined;
      if (source.scope !== undefined && source.scope !== context.scopeName) return undefined;
      const value = attributes[source.key];
      if (isEmpty(value)) return undefined;
      const plainText = source.textMimeTypeKey !== undefined && attributes[source.textMimeTypeKey] === oi.MIME_TYPE_TEXT;
      // firstJson: the shared rule for JSON text (spanlite's own names hold whole JSON documents).
      const read = plainText ? (value as JsonValue) : source.json ? decodedJson(value as AttributeValue) : firstJson(attributes, [source.key])!;
      if (source.emptyObjectIsAbsent && isObject(read) && Object.keys(read).length === 0) return undefined;
      return { value: read, keys: [source.key], events: NONE };
    }
    case 'genAiMessages': {
      if (source.on === 'span' && !mayHave(mask, source.key)) return undefined;
      const details = context.events.operationDetails;
      const where = source.on === 'span' ? attributes : details?.value;
      if (where === undefined || isEmpty(where[source.key])) return undefined;
      const messages = parsed(where[source.key] as AttributeValue);
      const onSpan = source.on === 'span';
      const events = onSpan ? NONE : (details?.events ?? NONE);
      const instructions = source.instructions ? where[genAi.GEN_AI_SYSTEM_INSTRUCTIONS] : undefined;
      if (isEmpty(instructions) || leadsWithSystemMessage(messages)) {
        return { value: messages, keys: onSpan ? [source.key] : NONE, events };
      }
      const keys = onSpan ? [source.key, genAi.GEN_AI_SYSTEM_INSTRUCTIONS] : NONE;
      return { value: withSystemInstructions(messages, instructions), keys, events };
    }
    case 'systemInstructions': {
      const onSpan = mayHave(mask, genAi.GEN_AI_SYSTEM_INSTRUCTIONS) ? attributes[genAi.GEN_AI_SYSTEM_INSTRUCTIONS] : undefined;
      const details = context.events.operationDetails;
      const instructions = onSpan ?? details?.value[genAi.GEN_AI_SYSTEM_INSTRUCTIONS];
      if (isEmpty(instructions)) return undefined;
      const value = [systemMessage(parsed(instructions as AttributeValue))];
      return isEmpty(onSpan)
        ? { value, keys: NONE, events: details?.events ?? NONE }
        : { value, keys: [genAi.GEN_AI_SYSTEM_INSTRUCTIONS], events: NONE };
    }
    case 'list':
      return readList(source.prefix, source.shape, context.scan.groups);
    case 'events': {
      const field = context.events[source.field];
      return field === undefined ? undefined : { value: field.value, keys: NONE, events: field.events };
    }
    case 'vercelResponse':
      return mayHave(mask, vercel.AI_RESPONSE_TEXT) || mayHave(mask, vercel.AI_RESPONSE_TOOL_CALLS)
        ? readVercelResponse(attributes)
        : undefined;
  }
}

/** False when the span's key mask rules `key` out (see attribute-scan). */
function mayHave(mask: number, key: string): boolean {
  return (mask & keyBit(key)) !== 0;
}

function readList(prefix: string, shape: ListShape, groups: PrefixGroups): FoundContent | undefined {
  const entries = groups.get(prefix);
  if (entries === undefined) return undefined;
  const options =
    shape === 'messages' ? OPENINFERENCE_MESSAGES
    : shape === 'documents' ? OPENINFERENCE_DOCUMENTS
    : shape === 'plainMessages' ? PLAIN
    : OPENINFERENCE_EMBEDDINGS;
  let list = rebuildList(entries, options);
  if (list === undefined) return undefined;
  if (shape === 'embeddingTexts' || shape === 'embeddingVectors') {
    if (!Array.isArray(list)) return undefined;
    const field = shape === 'embeddingTexts' ? oi.EMBEDDING_TEXT : oi.EMBEDDING_VECTOR;
    // Instrumentations that hide vectors send them empty: that is no output.
    list = list
      .map((item) => (isObject(item) ? (item[field] ?? null) : null))
      .filter((item) => item !== null && !(Array.isArray(item) && item.length === 0));
    if (list.length === 0) return undefined;
  }
  return { value: list, keys: entries.map(([, , key]) => key), events: NONE };
}

/** Text, tool calls, or both as `{ text, toolCalls }`. */
function readVercelResponse(attributes: Attributes): FoundContent | undefined {
  const text = attributes[vercel.AI_RESPONSE_TEXT];
  const toolCalls = attributes[vercel.AI_RESPONSE_TOOL_CALLS];
  const hasText = !isEmpty(text);
  const hasToolCalls = !isEmpty(toolCalls);
  if (hasText && hasToolCalls) {
    return {
      value: { text: text as JsonValue, toolCalls: parsed(toolCalls as AttributeValue) },
      keys: [vercel.AI_RESPONSE_TEXT, vercel.AI_RESPONSE_TOOL_CALLS],
      events: NONE,
    };
  }
  if (hasText) return { value: text as JsonValue, keys: [vercel.AI_RESPONSE_TEXT], events: NONE };
  if (hasToolCalls) return { value: parsed(toolCalls as AttributeValue), keys: [vercel.AI_RESPONSE_TOOL_CALLS], events: NONE };
  return undefined;
}

function systemMessage(instructions: JsonValue): JsonValue {
  return { role: 'system', parts: instructions };
}

/** A message list whose first message is the system message already (Pydantic AI's often is). */
function leadsWithSystemMessage(messages: JsonValue): boolean {
  const first = Array.isArray(messages) ? messages[0] : undefined;
  return first !== undefined && isObject(first) && first['role'] === 'system';
}

/** System instructions (sent apart in semconv 1.37+) put first, as the model saw them. */
function withSystemInstructions(messages: JsonValue, instructions: AttributeValue | undefined): JsonValue {
  if (isEmpty(instructions)) return messages;
  const system = systemMessage(parsed(instructions as AttributeValue));
  if (Array.isArray(messages)) return [system, ...messages];
  return { system: parsed(instructions as AttributeValue), input: messages };
}

function decodedJson(value: AttributeValue): JsonValue {
  return Array.isArray(value) ? value.map((item) => parseJsonValue(item)) : parseJsonValue(value);
}

function parsed(value: AttributeValue): JsonValue {
  return typeof value === 'string' ? parseJsonLoosely(value) : value;
}

function isEmpty(value: AttributeValue | undefined): boolean {
  return value === undefined || value === null || value === '';
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
