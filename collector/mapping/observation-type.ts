/**
 * Which observation type a span is. Rules are tried in order; the first that answers wins:
 * a type the app named outright, then span-kind tables from the most specific convention to the
 * most generic, then evidence (a tool name, a model). Plain HTTP/DB spans match nothing: SPAN.
 * Supporting a new SDK means adding a row, with a comment naming the SDK that needed it.
 */
import type { Attributes } from '../decode/span.js';
import { OBSERVATION_TYPES, type ObservationType } from '../model.js';
import { GEN_AI_OPERATION_NAME, GEN_AI_TOOL_NAME, GenAiOperation } from '../../semconv/gen-ai.js';
import { GENKIT_METADATA_SUBTYPE, GenkitActionType } from '../../semconv/genkit.js';
import { LIVEKIT_SCOPE, LiveKitSpanName } from '../../semconv/livekit.js';
import { MLFLOW_SPAN_TYPE, MlflowSpanType } from '../../semconv/mlflow.js';
import { LANGFUSE_OBSERVATION_MODEL, LANGFUSE_OBSERVATION_TYPE, LangfuseObservationType } from '../../semconv/langfuse.js';
import { OPENINFERENCE_SPAN_KIND, OpenInferenceSpanKind } from '../../semconv/openinference.js';
import {
  LLM_REQUEST_TYPE,
  LlmRequestType,
  OpenLlmetryOperation,
  TRACELOOP_SPAN_KIND,
  TraceloopSpanKind,
} from '../../semconv/openllmetry.js';
import { SPANLITE_OBSERVATION_TYPE } from '../../semconv/spanlite.js';
import { AI_WRAPPER_OPERATIONS, AiOperation } from '../../semconv/vercel-ai.js';
import { firstDecodedString, firstString } from './attribute-readers.js';
import { vercelOperationId } from './vercel-operation.js';

/**
 * `gen_ai.operation.name` -> type (OTel GenAI semconv 1.37+; older values kept). `plan` has no
 * row: a planning step that names a model is an LLM call, one that does not is a SPAN.
 */
const GEN_AI_OPERATION_TYPES: Readonly<Record<string, ObservationType>> = {
  [GenAiOperation.CHAT]: 'GENERATION',
  [GenAiOperation.TEXT_COMPLETION]: 'GENERATION',
  [GenAiOperation.GENERATE_CONTENT]: 'GENERATION',
  completion: 'GENERATION',
  // Pre-1.30 instrumentations (and Langfuse's table).
  generate: 'GENERATION',
  [GenAiOperation.EMBEDDINGS]: 'EMBEDDING',
  embedding: 'EMBEDDING',
  [GenAiOperation.RETRIEVAL]: 'RETRIEVER',
  [GenAiOperation.EXECUTE_TOOL]: 'TOOL',
  [GenAiOperation.CREATE_AGENT]: 'AGENT',
  [GenAiOperation.INVOKE_AGENT]: 'AGENT',
  [GenAiOperation.INVOKE_WORKFLOW]: 'CHAIN',
  // Memory operations have no type of their own: SPANs, with the operation kept in `attributes`.
  // A row each, so an embedding model named on a memory span does not make it a GENERATION.
  [GenAiOperation.CREATE_MEMORY_STORE]: 'SPAN',
  [GenAiOperation.DELETE_MEMORY_STORE]: 'SPAN',
  [GenAiOperation.CREATE_MEMORY]: 'SPAN',
  [GenAiOperation.UPDATE_MEMORY]: 'SPAN',
  [GenAiOperation.UPSERT_MEMORY]: 'SPAN',
  [GenAiOperation.SEARCH_MEMORY]: 'SPAN',
  [GenAiOperation.DELETE_MEMORY]: 'SPAN',
  // OpenLLMetry guardrail spans (traceloop ai-semantic-conventions 0.2x).
  [OpenLlmetryOperation.GUARDRAIL_RUN]: 'GUARDRAIL',
  [OpenLlmetryOperation.GUARD]: 'GUARDRAIL',
};

/** `openinference.span.kind` -> type (OpenInference semantic-conventions 2.x). */
const OPENINFERENCE_KIND_TYPES: Readonly<Record<string, ObservationType>> = {
  [OpenInferenceSpanKind.LLM]: 'GENERATION',
  [OpenInferenceSpanKind.EMBEDDING]: 'EMBEDDING',
  [OpenInferenceSpanKind.CHAIN]: 'CHAIN',
  [OpenInferenceSpanKind.RETRIEVER]: 'RETRIEVER',
  // A reranker orders retrieved documents: part of retrieval (Langfuse has no reranker type either).
  [OpenInferenceSpanKind.RERANKER]: 'RETRIEVER',
  [OpenInferenceSpanKind.TOOL]: 'TOOL',
  [OpenInferenceSpanKind.AGENT]: 'AGENT',
  [OpenInferenceSpanKind.GUARDRAIL]: 'GUARDRAIL',
  [OpenInferenceSpanKind.EVALUATOR]: 'EVALUATOR',
  [OpenInferenceSpanKind.PROMPT]: 'SPAN',
};

/** `traceloop.span.kind` -> type (Traceloop SDK decorators: withWorkflow, withTask, ...). */
const TRACELOOP_KIND_TYPES: Readonly<Record<string, ObservationType>> = {
  [TraceloopSpanKind.WORKFLOW]: 'CHAIN',
  [TraceloopSpanKind.TASK]: 'SPAN',
  [TraceloopSpanKind.AGENT]: 'AGENT',
  [TraceloopSpanKind.TOOL]: 'TOOL',
};

/** `llm.request.type` -> type (OpenLLMetry instrumentations). */
const LLM_REQUEST_TYPE_TYPES: Readonly<Record<string, ObservationType>> = {
  [LlmRequestType.CHAT]: 'GENERATION',
  [LlmRequestType.COMPLETION]: 'GENERATION',
  [LlmRequestType.EMBEDDING]: 'EMBEDDING',
  [LlmRequestType.RERANK]: 'RETRIEVER',
};

/**
 * `ai.operationId` -> type (Vercel AI SDK 4-6). The provider calls (`.do*`) are the GENERATION,
 * EMBEDDING and RETRIEVER observations. The outer calls that wrap them (generateText, streamText,
 * generateObject, streamObject, embed, embedMany, rerank) only repeat their children's model and
 * usage: SPANs, as in Langfuse, so generations and per-model counts are not doubled (map-span
 * leaves their model and usage in `attributes`).
 */
const VERCEL_OPERATION_TYPES: Readonly<Record<string, ObservationType>> = {
  [AiOperation.GENERATE_TEXT_DO_GENERATE]: 'GENERATION',
  [AiOperation.STREAM_TEXT_DO_STREAM]: 'GENERATION',
  [AiOperation.GENERATE_OBJECT_DO_GENERATE]: 'GENERATION',
  [AiOperation.STREAM_OBJECT_DO_STREAM]: 'GENERATION',
  [AiOperation.EMBED_DO_EMBED]: 'EMBEDDING',
  [AiOperation.EMBED_MANY_DO_EMBED]: 'EMBEDDING',
  [AiOperation.RERANK_DO_RERANK]: 'RETRIEVER',
  [AiOperation.TOOL_CALL]: 'TOOL',
  ...Object.fromEntries([...AI_WRAPPER_OPERATIONS].map((operation) => [operation, 'SPAN'])),
};

/** `mlflow.spanType` -> type (MLflow Tracing 2.x-3.x). PARSER, MEMORY, UNKNOWN: no row, SPAN. */
const MLFLOW_SPAN_TYPES: Readonly<Record<string, ObservationType>> = {
  [MlflowSpanType.LLM]: 'GENERATION',
  [MlflowSpanType.CHAT_MODEL]: 'GENERATION',
  [MlflowSpanType.EMBEDDING]: 'EMBEDDING',
  [MlflowSpanType.RETRIEVER]: 'RETRIEVER',
  [MlflowSpanType.RERANKER]: 'RETRIEVER',
  [MlflowSpanType.TOOL]: 'TOOL',
  [MlflowSpanType.AGENT]: 'AGENT',
  [MlflowSpanType.CHAIN]: 'CHAIN',
};

/**
 * `genkit:metadata:subtype` -> type (Genkit 1.x action types). A flow is a workflow of steps:
 * CHAIN. Prompts, utils and custom actions have no row: SPAN.
 */
const GENKIT_ACTION_TYPES: Readonly<Record<string, ObservationType>> = {
  [GenkitActionType.MODEL]: 'GENERATION',
  [GenkitActionType.BACKGROUND_MODEL]: 'GENERATION',
  [GenkitActionType.EMBEDDER]: 'EMBEDDING',
  [GenkitActionType.RETRIEVER]: 'RETRIEVER',
  [GenkitActionType.RERANKER]: 'RETRIEVER',
  [GenkitActionType.TOOL]: 'TOOL',
  [GenkitActionType.TOOL_V2]: 'TOOL',
  [GenkitActionType.FLOW]: 'CHAIN',
  [GenkitActionType.EVALUATOR]: 'EVALUATOR',
};

/**
 * LiveKit Agents span name -> type, on spans of its scope only (names like `agent_turn` are
 * not a convention elsewhere). Setup and audio plumbing spans (start_agent_activity, tts_*,
 * user_speaking, ...) have no row: SPAN (their level is DEBUG, see observation-fields).
 */
const LIVEKIT_SPAN_TYPES: Readonly<Record<string, ObservationType>> = {
  [LiveKitSpanName.AGENT_SESSION]: 'AGENT',
  [LiveKitSpanName.AGENT_TURN]: 'AGENT',
  [LiveKitSpanName.FUNCTION_TOOL]: 'TOOL',
  [LiveKitSpanName.LLM_REQUEST]: 'GENERATION',
};

export interface TypeEvidence {
  attributes: Attributes;
  /** The span's key mask (see attribute-scan); ANY_KEY when unknown. */
  keyMask: number;
  /** A model name was found by the model rules. */
  hasModel: boolean;
  /** The span's name and instrumentation scope name (for SDKs that type by span name). */
  spanName?: string;
  scopeName?: string;
}

export type TypeRule = (evidence: TypeEvidence) => ObservationType | undefined;

const VALID_TYPES: ReadonlySet<string> = new Set(OBSERVATION_TYPES);

/** A type named outright by the sender, in any letter case (`generation`, `GENERATION`). */
export function explicitTypeRule(keys: readonly string[]): TypeRule {
  return ({ attributes, keyMask }) => {
    const named = firstString(attributes, keys, keyMask)?.toUpperCase();
    return named !== undefined && VALID_TYPES.has(named) ? (named as ObservationType) : undefined;
  };
}

/**
 * A lookup of one attribute's value in a table (lower-cased before lookup). `jsonQuoted`: the
 * SDK JSON-encodes the value (`"LLM"`), which is decoded first.
 */
export function tableTypeRule(
  key: string,
  table: Readonly<Record<string, ObservationType>>,
  { jsonQuoted = false }: { jsonQuoted?: boolean } = {},
): TypeRule {
  const lowerCased = lowerCasedTable(table);
  const keys = [key];
  const read = jsonQuoted ? firstDecodedString : firstString;
  return ({ attributes, keyMask }) => {
    const value = read(attributes, keys, keyMask)?.toLowerCase();
    return value !== undefined && Object.hasOwn(lowerCased, value) ? lowerCased[value] : undefined;
  };
}

/** A lookup of the span's name in a table, for spans of one instrumentation scope. */
export function spanNameTypeRule(scopeName: string, table: Readonly<Record<string, ObservationType>>): TypeRule {
  const lowerCased = lowerCasedTable(table);
  return (evidence) => {
    if (evidence.scopeName !== scopeName || evidence.spanName === undefined) return undefined;
    const name = evidence.spanName.toLowerCase();
    return Object.hasOwn(lowerCased, name) ? lowerCased[name] : undefined;
  };
}

function lowerCasedTable(table: Readonly<Record<string, ObservationType>>): Record<string, ObservationType> {
  const lowerCased: Record<string, ObservationType> = {};
  for (const [value, type] of Object.entries(table)) lowerCased[value.toLowerCase()] = type;
  return lowerCased;
}

/** The type named by the Langfuse SDKs' attribute. */
const langfuseTypeRule = explicitTypeRule([LANGFUSE_OBSERVATION_TYPE]);

/**
 * Langfuse Python SDK <= 3.3.0 sent `type: span` for generations that carried a model: with
 * `langfuse.observation.model.name` present, `span` means GENERATION.
 */
const LANGFUSE_TYPE_KEYS = [LANGFUSE_OBSERVATION_TYPE];
const LANGFUSE_MODEL_KEYS = [LANGFUSE_OBSERVATION_MODEL];
const langfuseLegacySpanWithModelRule: TypeRule = ({ attributes, keyMask }) =>
  firstString(attributes, LANGFUSE_TYPE_KEYS, keyMask)?.toLowerCase() === LangfuseObservationType.SPAN &&
  firstString(attributes, LANGFUSE_MODEL_KEYS, keyMask) !== undefined
    ? 'GENERATION'
    : undefined;

const vercelOperationRule: TypeRule = ({ attributes, keyMask }) => {
  const operation = vercelOperationId(attributes, keyMask);
  return operation !== undefined && Object.hasOwn(VERCEL_OPERATION_TYPES, operation)
    ? VERCEL_OPERATION_TYPES[operation]
    : undefined;
};

/** Pydantic AI < 1.0 marks tool spans only with gen_ai.tool.name (no operation name). */
const TOOL_NAME_KEYS = [GEN_AI_TOOL_NAME];
const toolNameRule: TypeRule = ({ attributes, keyMask }) =>
  firstString(attributes, TOOL_NAME_KEYS, keyMask) !== undefined ? 'TOOL' : undefined;

/** A span naming a model is an LLM call (Langfuse's fallback too); tokens alone are not enough. */
const modelRule: TypeRule = ({ hasModel }) => (hasModel ? 'GENERATION' : undefined);

export const TYPE_RULES: readonly TypeRule[] = [
  // Named outright by the app: spanlite's instrumentation, then the Langfuse SDKs.
  explicitTypeRule([SPANLITE_OBSERVATION_TYPE]),
  langfuseLegacySpanWithModelRule,
  langfuseTypeRule,
  // Span kinds, most specific convention first. OpenInference before gen_ai.operation.name,
  // as Langfuse orders them: its kinds are richer (CHAIN, RETRIEVER, GUARDRAIL, EVALUATOR).
  tableTypeRule(OPENINFERENCE_SPAN_KIND, OPENINFERENCE_KIND_TYPES),
  tableTypeRule(TRACELOOP_SPAN_KIND, TRACELOOP_KIND_TYPES),
  vercelOperationRule,
  tableTypeRule(MLFLOW_SPAN_TYPE, MLFLOW_SPAN_TYPES, { jsonQuoted: true }),
  tableTypeRule(GENKIT_METADATA_SUBTYPE, GENKIT_ACTION_TYPES),
  tableTypeRule(GEN_AI_OPERATION_NAME, GEN_AI_OPERATION_TYPES),
  tableTypeRule(LLM_REQUEST_TYPE, LLM_REQUEST_TYPE_TYPES),
  // Span names, where an SDK types by nothing else (LiveKit Agents).
  spanNameTypeRule(LIVEKIT_SCOPE, LIVEKIT_SPAN_TYPES),
  // Evidence.
  toolNameRule,
  modelRule,
];

export function inferObservationType(
  evidence: TypeEvidence,
  rules: readonly TypeRule[] = TYPE_RULES,
): ObservationType {
  for (const rule of rules) {
    const type = rule(evidence);
    if (type !== undefined) return type;
  }
  return 'SPAN';
}
