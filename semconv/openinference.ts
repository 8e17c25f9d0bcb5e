/**
 * OpenInference (Arize) semantic conventions, as sent by the `@arizeai/openinference-*` and
 * `openinference-instrumentation-*` packages (semantic-conventions 2.x).
 * https://github.com/Arize-ai/openinference/tree/main/spec
 */

/** LLM, EMBEDDING, CHAIN, RETRIEVER, RERANKER, TOOL, AGENT, GUARDRAIL, EVALUATOR, PROMPT. */
export const OPENINFERENCE_SPAN_KIND = 'openinference.span.kind';

/** The span's input / output, as text or JSON text (see the mime types). */
export const INPUT_VALUE = 'input.value';
export const INPUT_MIME_TYPE = 'input.mime_type';
export const OUTPUT_VALUE = 'output.value';
export const OUTPUT_MIME_TYPE = 'output.mime_type';
export const MIME_TYPE_TEXT = 'text/plain';

export const LLM_MODEL_NAME = 'llm.model_name';
export const LLM_REQUEST_MODEL_NAME = 'llm.request.model_name';
export const LLM_RESPONSE_MODEL_NAME = 'llm.response.model_name';
export const EMBEDDING_MODEL_NAME = 'embedding.model_name';
export const RERANKER_MODEL_NAME = 'reranker.model_name';

/** Who serves the model (`openai`, `azure`, `aws`, `google`, ...): the hosting provider. */
export const LLM_PROVIDER = 'llm.provider';
/** The model's family / API (`openai`, `anthropic`, `mistralai`, `vertexai`, ...). */
export const LLM_SYSTEM = 'llm.system';

/** JSON object of request parameters; newer instrumentations also flatten it (prefix form). */
export const LLM_INVOCATION_PARAMETERS = 'llm.invocation_parameters';
export const LLM_INVOCATION_PARAMETERS_PREFIX = `${LLM_INVOCATION_PARAMETERS}.`;

/** `prompt` includes cached reads and writes; `completion` includes reasoning. */
export const LLM_TOKEN_COUNT_PROMPT = 'llm.token_count.prompt';
export const LLM_TOKEN_COUNT_COMPLETION = 'llm.token_count.completion';
export const LLM_TOKEN_COUNT_TOTAL = 'llm.token_count.total';
export const LLM_TOKEN_COUNT_PROMPT_CACHE_READ = 'llm.token_count.prompt_details.cache_read';
/** "Input tokens in the prompt that were cached": a read, named by some instrumentations. */
export const LLM_TOKEN_COUNT_PROMPT_CACHE_INPUT = 'llm.token_count.prompt_details.cache_input';
export const LLM_TOKEN_COUNT_PROMPT_CACHE_WRITE = 'llm.token_count.prompt_details.cache_write';
export const LLM_TOKEN_COUNT_COMPLETION_REASONING = 'llm.token_count.completion_details.reasoning';

/** Cost in USD the instrumentation computed. */
export const LLM_COST_TOTAL = 'llm.cost.total';
export const LLM_COST_PROMPT = 'llm.cost.prompt';
export const LLM_COST_COMPLETION = 'llm.cost.completion';

/**
 * Flattened lists: `llm.input_messages.<i>.message.role`, `...message.content`,
 * `...message.contents.<j>.message_content.text`, `...message.tool_calls.<j>.tool_call.function.name`.
 */
export const LLM_INPUT_MESSAGES_PREFIX = 'llm.input_messages.';
export const LLM_OUTPUT_MESSAGES_PREFIX = 'llm.output_messages.';
/** `retrieval.documents.<i>.document.id` / `.content` / `.score` / `.metadata`. */
export const RETRIEVAL_DOCUMENTS_PREFIX = 'retrieval.documents.';
/** `embedding.embeddings.<i>.embedding.text` / `.vector`. */
export const EMBEDDING_EMBEDDINGS_PREFIX = 'embedding.embeddings.';

/** Path segments that only wrap one object in the flattened lists. */
export const MESSAGE_WRAPPER = 'message';
export const MESSAGE_CONTENT_WRAPPER = 'message_content';
export const TOOL_CALL_WRAPPER = 'tool_call';
export const DOCUMENT_WRAPPER = 'document';
export const EMBEDDING_WRAPPER = 'embedding';
/** A message's multi-part content, named `content` (an array of parts) in OpenAI's format. */
export const MESSAGE_CONTENTS = 'contents';
export const MESSAGE_CONTENT = 'content';
export const EMBEDDING_TEXT = 'text';
export const EMBEDDING_VECTOR = 'vector';

/**
 * Keys the OpenInference instrumentations always write first for each list; one of them present
 * says the indexed lists are worth a scan (see attribute-scan).
 */
export const OPENINFERENCE_INDEXED_MARKERS: readonly string[] = [
  OPENINFERENCE_SPAN_KIND,
  `${LLM_INPUT_MESSAGES_PREFIX}0.${MESSAGE_WRAPPER}.role`,
  `${LLM_INPUT_MESSAGES_PREFIX}0.${MESSAGE_WRAPPER}.content`,
  `${LLM_OUTPUT_MESSAGES_PREFIX}0.${MESSAGE_WRAPPER}.role`,
  `${LLM_OUTPUT_MESSAGES_PREFIX}0.${MESSAGE_WRAPPER}.content`,
];

/** JSON object of metadata (`using_metadata`), and the tags list (`using_tags`). */
export const METADATA = 'metadata';
export const TAG_TAGS = 'tag.tags';

export const TOOL_NAME = 'tool.name';

/** `openinference.span.kind` values. */
export const OpenInferenceSpanKind = {
  LLM: 'llm',
  EMBEDDING: 'embedding',
  CHAIN: 'chain',
  RETRIEVER: 'retriever',
  RERANKER: 'reranker',
  TOOL: 'tool',
  AGENT: 'agent',
  GUARDRAIL: 'guardrail',
  EVALUATOR: 'evaluator',
  PROMPT: 'prompt',
} as const;
