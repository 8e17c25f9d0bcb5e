/**
 * Firebase Genkit (JS, Go, Python) span attributes, scope `genkit-tracer`. Every action span
 * has `genkit:type: action`, its kind in `genkit:metadata:subtype`, its name in `genkit:name`
 * (for a model: `<plugin>/<model>`), and its input and output as JSON text.
 * https://github.com/firebase/genkit (core tracing: `genkit:*` span attributes).
 */
export const GENKIT_NAME = 'genkit:name';
/** model, embedder, retriever, reranker, tool, tool.v2, flow, evaluator, prompt, util, ... */
export const GENKIT_METADATA_SUBTYPE = 'genkit:metadata:subtype';
/** JSON text of the action's input (a model: `{ messages, config, tools, output }`). */
export const GENKIT_INPUT = 'genkit:input';
/** JSON text of the action's output (a model: `{ message, finishReason, usage, request }`). */
export const GENKIT_OUTPUT = 'genkit:output';
/** A chat session's id (`ai.chat()` sessions), on the spans of the session. */
export const GENKIT_SESSION_ID = 'genkit:sessionId';

/** `genkit:metadata:subtype` values. */
export const GenkitActionType = {
  MODEL: 'model',
  BACKGROUND_MODEL: 'background-model',
  EMBEDDER: 'embedder',
  RETRIEVER: 'retriever',
  RERANKER: 'reranker',
  TOOL: 'tool',
  TOOL_V2: 'tool.v2',
  FLOW: 'flow',
  EVALUATOR: 'evaluator',
} as const;

/**
 * Paths in a model action's `genkit:output` (GenerationUsage). inputTokens includes cached
 * content (Gemini's prompt count does); whether outputTokens includes thoughtsTokens depends on
 * the plugin, and the total tells (see usage).
 */
export const GENKIT_USAGE_INPUT_TOKENS = 'usage.inputTokens';
export const GENKIT_USAGE_OUTPUT_TOKENS = 'usage.outputTokens';
export const GENKIT_USAGE_TOTAL_TOKENS = 'usage.totalTokens';
export const GENKIT_USAGE_THOUGHTS_TOKENS = 'usage.thoughtsTokens';
export const GENKIT_USAGE_CACHED_CONTENT_TOKENS = 'usage.cachedContentTokens';
