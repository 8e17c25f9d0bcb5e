/**
 * Pydantic AI's own span attributes (also what Logfire shows), scope `pydantic-ai`. Its model
 * spans use the OTel GenAI names; agent runs and, before instrumentation version 3, tool calls
 * use the names below. The un-namespaced ones are read only on spans of its scope.
 * https://ai.pydantic.dev/logfire/ (InstrumentationSettings).
 */
export const PYDANTIC_AI_SCOPE = 'pydantic-ai';
/** Agent run: the agent's name (only agent run spans carry it). */
export const PYDANTIC_AI_AGENT_NAME = 'agent_name';
/** Agent run: JSON array of every message of the run (GenAI `parts` messages). */
export const PYDANTIC_AI_ALL_MESSAGES = 'pydantic_ai.all_messages';
/** Agent run: the run's result, text or JSON text. */
export const PYDANTIC_AI_FINAL_RESULT = 'final_result';
/** Tool call (instrumentation version <= 2; version 3 sends gen_ai.tool.call.arguments / result). */
export const PYDANTIC_AI_TOOL_ARGUMENTS = 'tool_arguments';
export const PYDANTIC_AI_TOOL_RESPONSE = 'tool_response';
