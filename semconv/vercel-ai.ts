/**
 * Vercel AI SDK (`ai` package) telemetry, `experimental_telemetry: { isEnabled: true }`.
 * https://ai-sdk.dev/docs/ai-sdk-core/telemetry. Names checked against ai 4, 5 and 6.
 */
export const AI_OPERATION_ID = 'ai.operationId';
/** `"<operationId> <functionId>"`: the SDK's "standardized operation name". */
export const AI_OPERATION_NAME = 'operation.name';
export const AI_TELEMETRY_FUNCTION_ID = 'ai.telemetry.functionId';
/** Prefix: `experimental_telemetry.metadata` entries, one attribute each. */
export const AI_TELEMETRY_METADATA_PREFIX = 'ai.telemetry.metadata.';
/** Metadata keys Langfuse's AI SDK docs use for trace facts; we read them the same way. */
export const AI_TELEMETRY_METADATA_USER_ID = `${AI_TELEMETRY_METADATA_PREFIX}userId`;
export const AI_TELEMETRY_METADATA_SESSION_ID = `${AI_TELEMETRY_METADATA_PREFIX}sessionId`;
export const AI_TELEMETRY_METADATA_TAGS = `${AI_TELEMETRY_METADATA_PREFIX}tags`;
/** Prefix: call settings (`maxRetries`, `temperature`, `maxOutputTokens`, ...). */
export const AI_SETTINGS_PREFIX = 'ai.settings.';

export const AI_MODEL_ID = 'ai.model.id';
/** The provider and its API, `<provider>.<api>`: `openai.chat`, `amazon-bedrock`, `google.vertex.chat`. */
export const AI_MODEL_PROVIDER = 'ai.model.provider';
/** The model the provider answered with (ai >= 4). */
export const AI_RESPONSE_MODEL = 'ai.response.model';

/** Outer calls: JSON `{ system, prompt, messages }`. */
export const AI_PROMPT = 'ai.prompt';
/** `.do*` calls: JSON array of the messages sent to the provider. */
export const AI_PROMPT_MESSAGES = 'ai.prompt.messages';
export const AI_RESPONSE_TEXT = 'ai.response.text';
/** JSON array of `{ toolCallId, toolName, input|args }`. */
export const AI_RESPONSE_TOOL_CALLS = 'ai.response.toolCalls';
export const AI_RESPONSE_OBJECT = 'ai.response.object';
/** JSON of provider-specific details, incl. Anthropic / Bedrock cache usage (see usage rows). */
export const AI_RESPONSE_PROVIDER_METADATA = 'ai.response.providerMetadata';
/** Milliseconds from the start of a streaming call to its first chunk. */
export const AI_RESPONSE_MS_TO_FIRST_CHUNK = 'ai.response.msToFirstChunk';

export const AI_TOOL_CALL_NAME = 'ai.toolCall.name';
export const AI_TOOL_CALL_ARGS = 'ai.toolCall.args';
export const AI_TOOL_CALL_RESULT = 'ai.toolCall.result';
/** Names newer releases and other AI SDK exporters use for the same two values. */
export const AI_TOOL_CALL_INPUT = 'ai.toolCall.input';
export const AI_TOOL_CALL_OUTPUT = 'ai.toolCall.output';

/** `embed` / `embedMany`: the text(s) in, the vector(s) out. */
export const AI_VALUE = 'ai.value';
export const AI_VALUES = 'ai.values';
export const AI_EMBEDDING = 'ai.embedding';
export const AI_EMBEDDINGS = 'ai.embeddings';

/** ai 4: prompt/completion names. */
export const AI_USAGE_PROMPT_TOKENS = 'ai.usage.promptTokens';
export const AI_USAGE_COMPLETION_TOKENS = 'ai.usage.completionTokens';
/** ai 5+: input includes cached reads (and writes); output includes reasoning. */
export const AI_USAGE_INPUT_TOKENS = 'ai.usage.inputTokens';
export const AI_USAGE_OUTPUT_TOKENS = 'ai.usage.outputTokens';
export const AI_USAGE_TOTAL_TOKENS = 'ai.usage.totalTokens';
export const AI_USAGE_CACHED_INPUT_TOKENS = 'ai.usage.cachedInputTokens';
export const AI_USAGE_REASONING_TOKENS = 'ai.usage.reasoningTokens';
/** ai 6: the split of input and output. */
export const AI_USAGE_INPUT_CACHE_READ_TOKENS = 'ai.usage.inputTokenDetails.cacheReadTokens';
export const AI_USAGE_INPUT_CACHE_WRITE_TOKENS = 'ai.usage.inputTokenDetails.cacheWriteTokens';
export const AI_USAGE_OUTPUT_REASONING_TOKENS = 'ai.usage.outputTokenDetails.reasoningTokens';
/** Embedding calls: tokens embedded. */
export const AI_USAGE_TOKENS = 'ai.usage.tokens';

/**
 * Paths inside `ai.response.providerMetadata` holding cache counts the `ai.usage.*` names miss
 * (ai 4 and 5 with Anthropic or Bedrock).
 */
export const PROVIDER_METADATA_CACHE_READ_PATHS: readonly string[] = [
  'anthropic.usage.cache_read_input_tokens',
  'bedrock.usage.cacheReadInputTokens',
];
export const PROVIDER_METADATA_CACHE_WRITE_PATHS: readonly string[] = [
  'anthropic.cacheCreationInputTokens',
  'anthropic.usage.cache_creation_input_tokens',
  'bedrock.usage.cacheWriteInputTokens',
];
/** Bedrock's total: input (without cache) + output + cache reads + cache writes. */
export const PROVIDER_METADATA_TOTAL_PATHS: readonly string[] = ['bedrock.usage.totalTokens'];

/** `ai.operationId` values. */
export const AiOperation = {
  GENERATE_TEXT: 'ai.generateText',
  GENERATE_TEXT_DO_GENERATE: 'ai.generateText.doGenerate',
  STREAM_TEXT: 'ai.streamText',
  STREAM_TEXT_DO_STREAM: 'ai.streamText.doStream',
  GENERATE_OBJECT: 'ai.generateObject',
  GENERATE_OBJECT_DO_GENERATE: 'ai.generateObject.doGenerate',
  STREAM_OBJECT: 'ai.streamObject',
  STREAM_OBJECT_DO_STREAM: 'ai.streamObject.doStream',
  EMBED: 'ai.embed',
  EMBED_DO_EMBED: 'ai.embed.doEmbed',
  EMBED_MANY: 'ai.embedMany',
  EMBED_MANY_DO_EMBED: 'ai.embedMany.doEmbed',
  RERANK: 'ai.rerank',
  RERANK_DO_RERANK: 'ai.rerank.doRerank',
  TOOL_CALL: 'ai.toolCall',
} as const;

/** Every operation id starts with this; `operation.name` is read only when it does. */
export const AI_OPERATION_PREFIX = 'ai.';

/**
 * Outer operations whose usage is the sum of their `.do*` children (`ai.generateText` around
 * `ai.generateText.doGenerate`, ...): counting both would double the trace's tokens and cost.
 */
export const AI_WRAPPER_OPERATIONS: ReadonlySet<string> = new Set([
  AiOperation.GENERATE_TEXT,
  AiOperation.STREAM_TEXT,
  AiOperation.GENERATE_OBJECT,
  AiOperation.STREAM_OBJECT,
  AiOperation.EMBED,
  AiOperation.EMBED_MANY,
  AiOperation.RERANK,
]);
