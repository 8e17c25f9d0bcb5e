/**
 * OpenLLMetry / Traceloop (`@traceloop/node-server-sdk`, `@traceloop/instrumentation-*`, the
 * Python `traceloop-sdk`). Since 0.2x the JS instrumentations also write the OTel GenAI names;
 * the indexed `gen_ai.prompt.<i>.*` form below is what their older releases and the Python SDK send.
 */
import { GEN_AI_COMPLETION, GEN_AI_PROMPT } from './gen-ai.js';

/** workflow, task, agent, tool (SDK decorators / `withWorkflow`...). */
export const TRACELOOP_SPAN_KIND = 'traceloop.span.kind';
/** The decorated function's name (`withTool({ name })`); spans are named `<name>.<kind>`. */
export const TRACELOOP_ENTITY_NAME = 'traceloop.entity.name';
/** The enclosing workflow's name, copied onto every span inside it. */
export const TRACELOOP_WORKFLOW_NAME = 'traceloop.workflow.name';
/** JSON text of the decorated function's arguments (`{"args": [...], "kwargs": {...}}`). */
export const TRACELOOP_ENTITY_INPUT = 'traceloop.entity.input';
export const TRACELOOP_ENTITY_OUTPUT = 'traceloop.entity.output';
/** Prefix: `withAssociationProperties({ user_id, session_id, ... })`, copied onto every span. */
export const TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX = 'traceloop.association.properties.';
export const TRACELOOP_ASSOCIATION_USER_ID = `${TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX}user_id`;
export const TRACELOOP_ASSOCIATION_SESSION_ID = `${TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX}session_id`;

/** chat, completion, embedding, rerank. */
export const LLM_REQUEST_TYPE = 'llm.request.type';
/** Sent next to the deprecated `gen_ai.usage.prompt_tokens` / `completion_tokens`. */
export const LLM_USAGE_TOTAL_TOKENS = 'llm.usage.total_tokens';

/**
 * Indexed messages: `gen_ai.prompt.<i>.role` / `.content` / `.tool_calls.<j>.name|arguments|id`,
 * `gen_ai.completion.<i>.role` / `.content` / `.finish_reason` / `.tool_calls.<j>...`.
 */
export const GEN_AI_PROMPT_PREFIX = `${GEN_AI_PROMPT}.`;
export const GEN_AI_COMPLETION_PREFIX = `${GEN_AI_COMPLETION}.`;

/**
 * Keys OpenLLMetry writes for the first message of each list (and the single-message form
 * without a position, which Langfuse reads too); one present says scan the lists.
 */
export const OPENLLMETRY_INDEXED_MARKERS: readonly string[] = [
  `${GEN_AI_PROMPT_PREFIX}0.role`,
  `${GEN_AI_PROMPT_PREFIX}0.content`,
  `${GEN_AI_COMPLETION_PREFIX}0.role`,
  `${GEN_AI_COMPLETION_PREFIX}0.content`,
  `${GEN_AI_COMPLETION_PREFIX}0.finish_reason`,
  `${GEN_AI_PROMPT_PREFIX}role`,
  `${GEN_AI_PROMPT_PREFIX}content`,
  `${GEN_AI_COMPLETION_PREFIX}role`,
  `${GEN_AI_COMPLETION_PREFIX}content`,
];

/** `traceloop.span.kind` values. */
export const TraceloopSpanKind = {
  WORKFLOW: 'workflow',
  TASK: 'task',
  AGENT: 'agent',
  TOOL: 'tool',
} as const;

/** `llm.request.type` values. */
export const LlmRequestType = {
  CHAT: 'chat',
  COMPLETION: 'completion',
  EMBEDDING: 'embedding',
  RERANK: 'rerank',
} as const;

/** `gen_ai.operation.name` values of OpenLLMetry's guardrail spans (parent run, one per guard). */
export const OpenLlmetryOperation = {
  GUARDRAIL_RUN: 'guardrail.run',
  GUARD: 'guard',
} as const;
