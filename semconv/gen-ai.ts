/**
 * OTel GenAI semantic conventions (incubating), current names and the deprecated ones still
 * emitted in the wild. https://opentelemetry.io/docs/specs/semconv/gen-ai/
 */
export const GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
/** Deprecated in semconv 1.37 for gen_ai.provider.name. */
export const GEN_AI_SYSTEM = 'gen_ai.system';

export const GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';

/** Request parameters, recorded as the observation's modelParameters. */
export const GEN_AI_REQUEST_PARAMETER_PREFIX = 'gen_ai.request.';
export const GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';

export const GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
/** Not in the spec, but sent by several SDKs next to the two above. */
export const GEN_AI_USAGE_TOTAL_TOKENS = 'gen_ai.usage.total_tokens';
/** Deprecated names for input/output tokens (semconv <= 1.26). */
export const GEN_AI_USAGE_PROMPT_TOKENS = 'gen_ai.usage.prompt_tokens';
export const GEN_AI_USAGE_COMPLETION_TOKENS = 'gen_ai.usage.completion_tokens';
export const GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
export const GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens';
/** Pre-1.37 spellings of the cache counts, still sent by some instrumentations. */
export const GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS_OLD = 'gen_ai.usage.cache_read_input_tokens';
export const GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS_OLD = 'gen_ai.usage.cache_creation_input_tokens';
export const GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens';
export const GEN_AI_USAGE_REASONING_TOKENS = 'gen_ai.usage.reasoning_tokens';
/** Cost in USD as some SDKs report it on the span. */
export const GEN_AI_USAGE_COST = 'gen_ai.usage.cost';

export const GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
export const GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';
/** Deprecated flat prompt/completion (also the prefix of OpenLLMetry's indexed form). */
export const GEN_AI_PROMPT = 'gen_ai.prompt';
export const GEN_AI_COMPLETION = 'gen_ai.completion';

export const GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';

/** Retrieval spans: the query in, the documents out (JSON array of `{ id, score, content? }`). */
export const GEN_AI_RETRIEVAL_QUERY_TEXT = 'gen_ai.retrieval.query.text';
export const GEN_AI_RETRIEVAL_DOCUMENTS = 'gen_ai.retrieval.documents';
/** The vector store, knowledge base or collection a retrieval read (kept in `attributes`). */
export const GEN_AI_DATA_SOURCE_ID = 'gen_ai.data_source.id';
/** Memory spans: the search query, and the records stored or retrieved (JSON array). */
export const GEN_AI_MEMORY_QUERY_TEXT = 'gen_ai.memory.query.text';
export const GEN_AI_MEMORY_RECORDS = 'gen_ai.memory.records';

/**
 * Span events of semconv <= 1.27 (still sent by OpenLit): the prompt and the completion in a
 * `gen_ai.prompt` / `gen_ai.completion` event attribute.
 */
export const GEN_AI_CONTENT_PROMPT_EVENT = 'gen_ai.content.prompt';
export const GEN_AI_CONTENT_COMPLETION_EVENT = 'gen_ai.content.completion';

/**
 * `gen_ai.operation.name` well-known values, as listed by the GenAI semantic conventions
 * (open-telemetry/semantic-conventions-genai, docs/gen-ai/gen-ai-spans.md, 2026).
 */
export const GenAiOperation = {
  CHAT: 'chat',
  TEXT_COMPLETION: 'text_completion',
  GENERATE_CONTENT: 'generate_content',
  EMBEDDINGS: 'embeddings',
  RETRIEVAL: 'retrieval',
  EXECUTE_TOOL: 'execute_tool',
  CREATE_AGENT: 'create_agent',
  INVOKE_AGENT: 'invoke_agent',
  INVOKE_WORKFLOW: 'invoke_workflow',
  PLAN: 'plan',
  CREATE_MEMORY_STORE: 'create_memory_store',
  DELETE_MEMORY_STORE: 'delete_memory_store',
  CREATE_MEMORY: 'create_memory',
  UPDATE_MEMORY: 'update_memory',
  UPSERT_MEMORY: 'upsert_memory',
  SEARCH_MEMORY: 'search_memory',
  DELETE_MEMORY: 'delete_memory',
} as const;

/** Evaluation results travel as span events (or log events) with this name. */
export const GEN_AI_EVALUATION_RESULT_EVENT = 'gen_ai.evaluation.result';
export const GEN_AI_EVALUATION_NAME = 'gen_ai.evaluation.name';
export const GEN_AI_EVALUATION_SCORE_VALUE = 'gen_ai.evaluation.score.value';
export const GEN_AI_EVALUATION_SCORE_LABEL = 'gen_ai.evaluation.score.label';
export const GEN_AI_EVALUATION_EXPLANATION = 'gen_ai.evaluation.explanation';
