/**
 * LiveKit Agents (Python `livekit-agents`, JS `@livekit/agents`) span names and `lk.*`
 * attributes, scope `livekit-agents`. Names from `livekit/agents/telemetry/trace_types.py`.
 */
export const LIVEKIT_SCOPE = 'livekit-agents';

/** Agent turn: what the user said. */
export const LK_USER_INPUT = 'lk.user_input';
/** LLM node: JSON of the chat context sent (`{ items: [...] }`). */
export const LK_CHAT_CTX = 'lk.chat_ctx';
export const LK_RESPONSE_TEXT = 'lk.response.text';
/** LLM node: JSON array of the function calls the model made. */
export const LK_RESPONSE_FUNCTION_CALLS = 'lk.response.function_calls';
export const LK_FUNCTION_TOOL_NAME = 'lk.function_tool.name';
export const LK_FUNCTION_TOOL_ARGUMENTS = 'lk.function_tool.arguments';
export const LK_FUNCTION_TOOL_OUTPUT = 'lk.function_tool.output';
/** TTS node: the text spoken. */
export const LK_INPUT_TEXT = 'lk.input_text';
/** End-of-utterance detection: the user's transcript. */
export const LK_USER_TRANSCRIPT = 'lk.user_transcript';

/** Span names of livekit-agents 1.x. */
export const LiveKitSpanName = {
  AGENT_SESSION: 'agent_session',
  START_AGENT_ACTIVITY: 'start_agent_activity',
  DRAIN_AGENT_ACTIVITY: 'drain_agent_activity',
  AGENT_TURN: 'agent_turn',
  USER_TURN: 'user_turn',
  FUNCTION_TOOL: 'function_tool',
  ON_ENTER: 'on_enter',
  ON_EXIT: 'on_exit',
  USER_SPEAKING: 'user_speaking',
  AGENT_SPEAKING: 'agent_speaking',
  EOU_DETECTION: 'eou_detection',
  LLM_NODE: 'llm_node',
  LLM_REQUEST: 'llm_request',
  LLM_REQUEST_RUN: 'llm_request_run',
  LLM_FALLBACK_ADAPTER: 'llm_fallback_adapter',
  TTS_NODE: 'tts_node',
  TTS_REQUEST: 'tts_request',
  TTS_REQUEST_RUN: 'tts_request_run',
  TTS_STREAM_ADAPTER: 'tts_stream_adapter',
  TTS_FALLBACK_ADAPTER: 'tts_fallback_adapter',
} as const;
