/**
 * Google Agent Development Kit (ADK) span attributes, scope `gcp.vertex.agent`. ADK sets them
 * on the current span, so they also arrive on spans of other instrumentations (OpenInference's
 * ADK instrumentation). With content capture off the JSON values are `{}`.
 * https://github.com/google/adk-python (src/google/adk/telemetry/tracing.py).
 */
/** JSON of the LLM request (`{ model, config, contents }`). */
export const ADK_LLM_REQUEST = 'gcp.vertex.agent.llm_request';
/** JSON of the LLM response (`{ content, finish_reason, usage_metadata, model_version }`). */
export const ADK_LLM_RESPONSE = 'gcp.vertex.agent.llm_response';
export const ADK_TOOL_CALL_ARGS = 'gcp.vertex.agent.tool_call_args';
export const ADK_TOOL_RESPONSE = 'gcp.vertex.agent.tool_response';

/**
 * Path in the LLM response to Gemini's cached prompt count (part of the prompt count, which
 * ADK before 2.3 sends as gen_ai.usage.input_tokens without a cache count of its own).
 */
export const ADK_RESPONSE_CACHED_CONTENT_TOKENS = 'usage_metadata.cached_content_token_count';
