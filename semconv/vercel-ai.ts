/** Vercel AI SDK (`ai` package) telemetry. https://ai-sdk.dev/docs/ai-sdk-core/telemetry */
export const AI_OPERATION_ID = 'ai.operationId';

/**
 * Outer operations whose usage is the sum of their `.do*` children (`ai.generateText` around
 * `ai.generateText.doGenerate`, ...): counting both would double the trace's tokens and cost.
 */
export const AI_WRAPPER_OPERATIONS: ReadonlySet<string> = new Set([
  'ai.generateText',
  'ai.streamText',
  'ai.generateObject',
  'ai.streamObject',
  'ai.embed',
  'ai.embedMany',
]);
