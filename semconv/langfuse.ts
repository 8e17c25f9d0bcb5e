/**
 * Attributes the Langfuse SDKs put on their spans: `@langfuse/tracing` + `@langfuse/otel` (JS, v4
 * and v5: `LangfuseOtelSpanAttributes` in `@langfuse/core`) and the Python SDK (v3). Values of
 * `*.input`, `*.output`, `*.model.parameters`, `*.usage_details` and `*.cost_details` are JSON
 * strings; the Python SDK also JSON-encodes each `*.metadata.<key>` value.
 */

export const LANGFUSE_OBSERVATION_TYPE = 'langfuse.observation.type';
export const LANGFUSE_OBSERVATION_LEVEL = 'langfuse.observation.level';
export const LANGFUSE_OBSERVATION_STATUS_MESSAGE = 'langfuse.observation.status_message';
export const LANGFUSE_OBSERVATION_INPUT = 'langfuse.observation.input';
export const LANGFUSE_OBSERVATION_OUTPUT = 'langfuse.observation.output';
/** JSON object, or (with the prefix form) one attribute per key. */
export const LANGFUSE_OBSERVATION_METADATA = 'langfuse.observation.metadata';
export const LANGFUSE_OBSERVATION_METADATA_PREFIX = `${LANGFUSE_OBSERVATION_METADATA}.`;
export const LANGFUSE_OBSERVATION_MODEL = 'langfuse.observation.model.name';
export const LANGFUSE_OBSERVATION_MODEL_PARAMETERS = 'langfuse.observation.model.parameters';
/**
 * JSON object of token counts. Langfuse's own keys (`input`, `output`, `input_cached_tokens`,
 * ...) are exclusive; an OpenAI or Anthropic usage object sent as is keeps its own meaning.
 */
export const LANGFUSE_OBSERVATION_USAGE_DETAILS = 'langfuse.observation.usage_details';
/** JSON object of USD per usage key, plus `total`. */
export const LANGFUSE_OBSERVATION_COST_DETAILS = 'langfuse.observation.cost_details';
/** ISO time, sometimes JSON-quoted (`"\"2025-...Z\""`) by the Python SDK. */
export const LANGFUSE_OBSERVATION_COMPLETION_START_TIME = 'langfuse.observation.completion_start_time';

export const LANGFUSE_TRACE_NAME = 'langfuse.trace.name';
/** String array, JSON array string, or comma-separated string. */
export const LANGFUSE_TRACE_TAGS = 'langfuse.trace.tags';
export const LANGFUSE_TRACE_PUBLIC = 'langfuse.trace.public';
export const LANGFUSE_TRACE_INPUT = 'langfuse.trace.input';
export const LANGFUSE_TRACE_OUTPUT = 'langfuse.trace.output';
export const LANGFUSE_TRACE_METADATA = 'langfuse.trace.metadata';
export const LANGFUSE_TRACE_METADATA_PREFIX = `${LANGFUSE_TRACE_METADATA}.`;
/** The JS SDK sends user and session as `user.id` / `session.id`; these are its compat names. */
export const LANGFUSE_USER_ID = 'langfuse.user.id';
export const LANGFUSE_SESSION_ID = 'langfuse.session.id';
/** Older SDK spellings of trace tags, public flag and metadata (also read as resource attributes). */
export const LANGFUSE_TAGS = 'langfuse.tags';
export const LANGFUSE_PUBLIC = 'langfuse.public';
export const LANGFUSE_METADATA = 'langfuse.metadata';
export const LANGFUSE_METADATA_PREFIX = `${LANGFUSE_METADATA}.`;

/** Span or resource attribute. */
export const LANGFUSE_ENVIRONMENT = 'langfuse.environment';
export const LANGFUSE_RELEASE = 'langfuse.release';
/** The version of the observation, and of the trace. */
export const LANGFUSE_VERSION = 'langfuse.version';
/** `true`: this span starts the trace as Langfuse shows it, even though it has an OTel parent. */
export const LANGFUSE_INTERNAL_AS_ROOT = 'langfuse.internal.as_root';

/**
 * Trace facts Langfuse's LangChain and OpenAI integrations send as metadata keys
 * (`metadata={"langfuse_user_id": ...}`), on the trace or the observation metadata.
 */
export const LANGFUSE_TRACE_METADATA_USER_ID = `${LANGFUSE_TRACE_METADATA_PREFIX}langfuse_user_id`;
export const LANGFUSE_TRACE_METADATA_SESSION_ID = `${LANGFUSE_TRACE_METADATA_PREFIX}langfuse_session_id`;
export const LANGFUSE_TRACE_METADATA_TAGS = `${LANGFUSE_TRACE_METADATA_PREFIX}langfuse_tags`;
export const LANGFUSE_OBSERVATION_METADATA_USER_ID = `${LANGFUSE_OBSERVATION_METADATA_PREFIX}langfuse_user_id`;
export const LANGFUSE_OBSERVATION_METADATA_SESSION_ID = `${LANGFUSE_OBSERVATION_METADATA_PREFIX}langfuse_session_id`;
export const LANGFUSE_OBSERVATION_METADATA_TAGS = `${LANGFUSE_OBSERVATION_METADATA_PREFIX}langfuse_tags`;

/**
 * Langfuse's usage-type names written under `gen_ai.usage.*` by hand-rolled instrumentation
 * (Langfuse's docs suggest them): cached reads and cache writes, to be taken out of an inclusive
 * `gen_ai.usage.input_tokens`.
 */
export const LANGFUSE_GEN_AI_USAGE_INPUT_CACHED_TOKENS = 'gen_ai.usage.input_cached_tokens';
export const LANGFUSE_GEN_AI_USAGE_INPUT_CACHE_CREATION = 'gen_ai.usage.input_cache_creation';

/**
 * Keys of a `usage_details` / `cost_details` object. Langfuse's own names are exclusive buckets;
 * the provider usage objects some SDK users pass through unchanged keep their providers' names.
 */
export const LangfuseUsageKey = {
  INPUT: 'input',
  OUTPUT: 'output',
  TOTAL: 'total',
  INPUT_CACHED_TOKENS: 'input_cached_tokens',
  INPUT_CACHE_READ: 'input_cache_read',
  INPUT_CACHE_CREATION: 'input_cache_creation',
  INPUT_CACHE_WRITE: 'input_cache_write',
  OUTPUT_REASONING_TOKENS: 'output_reasoning_tokens',
  OUTPUT_REASONING: 'output_reasoning',
  /** OpenAI Chat Completions `usage` (inclusive of cached and reasoning tokens). */
  PROMPT_TOKENS: 'prompt_tokens',
  COMPLETION_TOKENS: 'completion_tokens',
  TOTAL_TOKENS: 'total_tokens',
  PROMPT_CACHED_TOKENS: 'prompt_tokens_details.cached_tokens',
  COMPLETION_REASONING_TOKENS: 'completion_tokens_details.reasoning_tokens',
  /** OpenAI Responses `usage` (inclusive) and Anthropic `usage` (exclusive) share these two. */
  INPUT_TOKENS: 'input_tokens',
  OUTPUT_TOKENS: 'output_tokens',
  RESPONSES_CACHED_TOKENS: 'input_tokens_details.cached_tokens',
  RESPONSES_REASONING_TOKENS: 'output_tokens_details.reasoning_tokens',
  /** Anthropic `usage`: input_tokens excludes these two. */
  CACHE_READ_INPUT_TOKENS: 'cache_read_input_tokens',
  CACHE_CREATION_INPUT_TOKENS: 'cache_creation_input_tokens',
} as const;

/** `langfuse.observation.type` values: Langfuse's observation types in lower case. */
export const LangfuseObservationType = {
  SPAN: 'span',
  GENERATION: 'generation',
  EVENT: 'event',
} as const;

/** The prompt a generation used (Langfuse prompt management): its name and version. */
export const LANGFUSE_OBSERVATION_PROMPT_NAME = 'langfuse.observation.prompt.name';
export const LANGFUSE_OBSERVATION_PROMPT_VERSION = 'langfuse.observation.prompt.version';
