import { describe, expect, it } from 'vitest';
import * as genAi from '../../../semconv/gen-ai.js';
import * as adk from '../../../semconv/google-adk.js';
import { observationOf } from '../../helpers/mapped-span.js';

const RESPONSE = {
  content: { parts: [{ text: 'Hello!' }], role: 'model' },
  finish_reason: 'STOP',
  usage_metadata: { cached_content_token_count: 800, candidates_token_count: 200, prompt_token_count: 1000 },
};

describe('mapSpan with Google ADK attributes', () => {
  it('reads the LLM request and response, and the cached prompt count from the response', () => {
    const observation = observationOf({
      [genAi.GEN_AI_REQUEST_MODEL]: 'gemini-2.5-flash',
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 1000,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 200,
      [adk.ADK_LLM_REQUEST]: '{"model":"gemini-2.5-flash","contents":[{"role":"user","parts":[{"text":"Hi"}]}]}',
      [adk.ADK_LLM_RESPONSE]: JSON.stringify(RESPONSE),
    });
    expect(observation).toMatchObject({
      type: 'GENERATION',
      input: { model: 'gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
      output: RESPONSE,
      usage: { input: 200, cachedInput: 800, output: 200, total: 1200 },
    });
  });

  it('takes the cache out of input once when ADK also sends the GenAI cache count', () => {
    const observation = observationOf({
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 1000,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 200,
      [genAi.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 800,
      [adk.ADK_LLM_RESPONSE]: JSON.stringify(RESPONSE),
    });
    expect(observation.usage).toEqual({ input: 200, cachedInput: 800, output: 200, total: 1200 });
  });

  it("reads a tool call's arguments and response when content capture left the LLM attributes {}", () => {
    const observation = observationOf({
      [adk.ADK_LLM_REQUEST]: '{}',
      [adk.ADK_LLM_RESPONSE]: '{}',
      [adk.ADK_TOOL_CALL_ARGS]: '{"query": "much duplo"}',
      [adk.ADK_TOOL_RESPONSE]: '{"result": "cake"}',
    });
    expect(observation).toMatchObject({ input: { query: 'much duplo' }, output: { result: 'cake' } });
  });

  it('reads nothing from {} values, and keeps the GenAI usage as sent', () => {
    const observation = observationOf({
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 1000,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 200,
      [adk.ADK_LLM_RESPONSE]: '{}',
    });
    expect(observation).toMatchObject({ input: null, output: null, usage: { input: 1000, output: 200, total: 1200 } });
  });
});
