/**
 * MLflow Tracing span attributes (`mlflow` Python and `mlflow-tracing` JS, exported over OTLP).
 * MLflow JSON-encodes every attribute value: strings arrive quoted (`"LLM"`).
 * https://mlflow.org/docs/latest/genai/tracing/ (SpanAttributeKey).
 */
export const MLFLOW_SPAN_TYPE = 'mlflow.spanType';
/** JSON of the function's inputs / outputs. */
export const MLFLOW_SPAN_INPUTS = 'mlflow.spanInputs';
export const MLFLOW_SPAN_OUTPUTS = 'mlflow.spanOutputs';
/** JSON `{ input_tokens, output_tokens, total_tokens }` on LLM / chat-model spans. */
export const MLFLOW_CHAT_TOKEN_USAGE = 'mlflow.chat.tokenUsage';
export const MLFLOW_LLM_MODEL = 'mlflow.llm.model';

/** Keys of `mlflow.chat.tokenUsage`. */
export const MlflowTokenUsageKey = {
  INPUT_TOKENS: 'input_tokens',
  OUTPUT_TOKENS: 'output_tokens',
  TOTAL_TOKENS: 'total_tokens',
} as const;

/** `mlflow.spanType` values. */
export const MlflowSpanType = {
  LLM: 'LLM',
  CHAT_MODEL: 'CHAT_MODEL',
  EMBEDDING: 'EMBEDDING',
  RETRIEVER: 'RETRIEVER',
  RERANKER: 'RERANKER',
  TOOL: 'TOOL',
  AGENT: 'AGENT',
  CHAIN: 'CHAIN',
  PARSER: 'PARSER',
  MEMORY: 'MEMORY',
  UNKNOWN: 'UNKNOWN',
} as const;
