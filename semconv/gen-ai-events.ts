/**
 * OTel GenAI events: message content sent as log records (or log-based events) next to the span,
 * by the official OTel GenAI instrumentations (`@opentelemetry/instrumentation-openai`,
 * `opentelemetry-instrumentation-openai-v2`, ...). The event name is in the LogRecord
 * `event_name` field, or in the `event.name` attribute from older SDKs.
 * https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-events/
 */

/** Body `{ content, role? }`: a system message of the request (semconv 1.28-1.36). */
export const GEN_AI_SYSTEM_MESSAGE_EVENT = 'gen_ai.system.message';
/** Body `{ content, role? }`: a user message of the request. */
export const GEN_AI_USER_MESSAGE_EVENT = 'gen_ai.user.message';
/** Body `{ content?, tool_calls?, role? }`: an earlier assistant turn sent in the request. */
export const GEN_AI_ASSISTANT_MESSAGE_EVENT = 'gen_ai.assistant.message';
/** Body `{ content, id, role? }`: a tool result sent in the request. */
export const GEN_AI_TOOL_MESSAGE_EVENT = 'gen_ai.tool.message';
/** Body `{ index, finish_reason, message: { content?, tool_calls?, role? } }`: one response choice. */
export const GEN_AI_CHOICE_EVENT = 'gen_ai.choice';
/**
 * semconv 1.37+: one event with the whole request and response in its attributes
 * (`gen_ai.input.messages`, `gen_ai.output.messages`, `gen_ai.system_instructions`).
 */
export const GEN_AI_CLIENT_INFERENCE_OPERATION_DETAILS_EVENT = 'gen_ai.client.inference.operation.details';
