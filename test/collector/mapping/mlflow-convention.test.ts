import { describe, expect, it } from 'vitest';
import * as mlflow from '../../../semconv/mlflow.js';
import { observationOf } from '../../helpers/mapped-span.js';

describe('mapSpan with MLflow Tracing attributes', () => {
  it('reads a chat-model span: its JSON-quoted type and model, inputs, outputs and token usage', () => {
    const observation = observationOf({
      [mlflow.MLFLOW_SPAN_TYPE]: '"CHAT_MODEL"',
      [mlflow.MLFLOW_LLM_MODEL]: '"gpt-4o-mini"',
      [mlflow.MLFLOW_SPAN_INPUTS]: '{"messages":[{"role":"user","content":"What is LLM observability?"}]}',
      [mlflow.MLFLOW_SPAN_OUTPUTS]: '"It is tracing for LLM apps."',
      [mlflow.MLFLOW_CHAT_TOKEN_USAGE]: '{"input_tokens":12,"output_tokens":8,"total_tokens":20}',
    });
    expect(observation).toMatchObject({
      type: 'GENERATION',
      model: 'gpt-4o-mini',
      input: { messages: [{ role: 'user', content: 'What is LLM observability?' }] },
      output: 'It is tracing for LLM apps.',
      usage: { input: 12, output: 8, total: 20 },
    });
  });

  it.each([
    ['"LLM"', 'GENERATION'],
    ['"EMBEDDING"', 'EMBEDDING'],
    ['"RETRIEVER"', 'RETRIEVER'],
    ['"RERANKER"', 'RETRIEVER'],
    ['"TOOL"', 'TOOL'],
    ['"AGENT"', 'AGENT'],
    ['"CHAIN"', 'CHAIN'],
    ['"PARSER"', 'SPAN'],
    ['TOOL', 'TOOL'],
  ] as const)('types mlflow.spanType %s as %s', (spanType, type) => {
    expect(observationOf({ [mlflow.MLFLOW_SPAN_TYPE]: spanType }).type).toBe(type);
  });
});
