import { describe, expect, it } from 'vitest';
import { mapSpan } from '../../../collector/mapping/map-span.js';
import { decodedSpan } from '../../helpers/decoded-span.js';
import { itMapsToType, observationOf } from '../../helpers/mapped-span.js';
import * as vercel from '../../../semconv/vercel-ai.js';
import * as genAi from '../../../semconv/gen-ai.js';

describe('mapSpan with Vercel AI SDK attributes', () => {
  itMapsToType(vercel.AI_OPERATION_ID, [
    ['ai.generateText.doGenerate', 'GENERATION'],
    ['ai.streamText.doStream', 'GENERATION'],
    ['ai.generateObject.doGenerate', 'GENERATION'],
    ['ai.streamObject.doStream', 'GENERATION'],
    ['ai.embed.doEmbed', 'EMBEDDING'],
    ['ai.embedMany.doEmbed', 'EMBEDDING'],
    ['ai.rerank.doRerank', 'RETRIEVER'],
    ['ai.toolCall', 'TOOL'],
    // Outer calls wrap the provider calls above and repeat their usage.
    ['ai.generateText', 'SPAN'],
    ['ai.streamText', 'SPAN'],
    ['ai.generateObject', 'SPAN'],
    ['ai.streamObject', 'SPAN'],
    ['ai.embed', 'SPAN'],
    ['ai.embedMany', 'SPAN'],
    ['ai.rerank', 'SPAN'],
  ]);

  it('reads the operation from operation.name when ai.operationId is missing', () => {
    const type = (attributes: Record<string, string>) => observationOf(attributes).type;
    expect(type({ [vercel.AI_OPERATION_NAME]: 'ai.embed.doEmbed generate-document-embedding' })).toBe('EMBEDDING');
    expect(type({ [vercel.AI_OPERATION_NAME]: 'ai.generateText weather-chat', [genAi.GEN_AI_RESPONSE_MODEL]: 'gpt-4' })).toBe('SPAN');
    expect(type({ [vercel.AI_OPERATION_NAME]: 'SELECT users' })).toBe('SPAN');
  });

  it("leaves an outer call's model and usage in its attributes, so only its provider calls are priced and counted", () => {
    const attributes = {
      [vercel.AI_OPERATION_ID]: 'ai.generateText',
      [vercel.AI_MODEL_ID]: 'gpt-4o-mini',
      [vercel.AI_USAGE_INPUT_TOKENS]: 120,
      [vercel.AI_USAGE_OUTPUT_TOKENS]: 40,
    };
    const wrapper = observationOf(attributes);
    expect(wrapper).toMatchObject({ type: 'SPAN', model: null, usage: {}, countsInTraceTotals: false });
    expect(wrapper.rawAttributes).toMatchObject(attributes);
  });

  it('reads ai 6 usage with cached and reasoning tokens, preferred over the gen_ai.usage copy', () => {
    const observation = observationOf({
      [vercel.AI_OPERATION_ID]: 'ai.generateText.doGenerate',
      [vercel.AI_MODEL_ID]: 'gpt-4o-mini',
      [vercel.AI_RESPONSE_MODEL]: 'gpt-4o-mini-2024-07-18',
      [vercel.AI_USAGE_INPUT_TOKENS]: 120,
      [vercel.AI_USAGE_INPUT_CACHE_READ_TOKENS]: 100,
      [vercel.AI_USAGE_OUTPUT_TOKENS]: 40,
      [vercel.AI_USAGE_OUTPUT_REASONING_TOKENS]: 10,
      [vercel.AI_USAGE_TOTAL_TOKENS]: 160,
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 120,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 40,
    });
    expect(observation).toMatchObject({
      model: 'gpt-4o-mini-2024-07-18',
      usage: { input: 20, cachedInput: 100, output: 30, reasoning: 10, total: 160 },
    });
  });

  it('reads ai 4 prompt/completion token names', () => {
    const observation = observationOf({ [vercel.AI_USAGE_PROMPT_TOKENS]: 12, [vercel.AI_USAGE_COMPLETION_TOKENS]: 3 });
    expect(observation.usage).toEqual({ input: 12, output: 3, total: 15 });
  });

  it('finds Anthropic cache writes in the provider metadata (ai 4-5)', () => {
    const observation = observationOf({
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 18_495,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 445,
      [vercel.AI_USAGE_CACHED_INPUT_TOKENS]: 16_399,
      [vercel.AI_RESPONSE_PROVIDER_METADATA]: '{"anthropic":{"cacheCreationInputTokens":2089}}',
    });
    expect(observation.usage).toEqual({ input: 7, cachedInput: 16_399, cacheWrite: 2089, output: 445, total: 18_940 });
  });

  it('leaves input whole when the cache count shows it was never part of it (ai 5 + Anthropic)', () => {
    const observation = observationOf({ [vercel.AI_USAGE_INPUT_TOKENS]: 7, [vercel.AI_USAGE_CACHED_INPUT_TOKENS]: 16_399, [vercel.AI_USAGE_OUTPUT_TOKENS]: 5 });
    expect(observation.usage).toMatchObject({ input: 7, cachedInput: 16_399, output: 5 });
  });

  it('reads prompt messages, response text and tool calls, and the time to first chunk', () => {
    const start = 1_700_000_000_000_000_000n;
    const observation = observationOf(
      {
        [vercel.AI_OPERATION_ID]: 'ai.streamText.doStream',
        [vercel.AI_PROMPT_MESSAGES]: '[{"role":"user","content":"hi"}]',
        [vercel.AI_RESPONSE_TEXT]: 'Let me check.',
        [vercel.AI_RESPONSE_TOOL_CALLS]: '[{"toolCallId":"c1","toolName":"get_weather","input":"{}"}]',
        [vercel.AI_RESPONSE_MS_TO_FIRST_CHUNK]: 30.5,
      },
      { startTimeUnixNano: start },
    );
    expect(observation).toMatchObject({
      input: [{ role: 'user', content: 'hi' }],
      output: { text: 'Let me check.', toolCalls: [{ toolCallId: 'c1', toolName: 'get_weather', input: '{}' }] },
      completionStartTimeUnixNano: start + 30_500_000n,
    });
  });

  it('names a tool call for its tool and decodes its JSON arguments and result, old and new names', () => {
    for (const [args, result] of [
      [vercel.AI_TOOL_CALL_ARGS, vercel.AI_TOOL_CALL_RESULT],
      [vercel.AI_TOOL_CALL_INPUT, vercel.AI_TOOL_CALL_OUTPUT],
    ] as const) {
      const { observation } = mapSpan(
        decodedSpan({
          name: 'ai.toolCall',
          attributes: { [vercel.AI_OPERATION_ID]: 'ai.toolCall', [vercel.AI_TOOL_CALL_NAME]: 'get_weather', [args]: '{"city":"Paris"}', [result]: '"sunny"' },
        }),
      );
      expect(observation).toMatchObject({ type: 'TOOL', name: 'get_weather', input: { city: 'Paris' }, output: 'sunny' });
    }
  });

  it('decodes embedded values and vectors the SDK JSON-encodes one by one', () => {
    const observation = observationOf({
      [vercel.AI_OPERATION_ID]: 'ai.embedMany.doEmbed',
      [vercel.AI_VALUES]: ['"Paris"', '"Rome"'],
      [vercel.AI_EMBEDDINGS]: ['[0.1,0.2]', '[0.3,0.4]'],
      [vercel.AI_USAGE_TOKENS]: 4,
    });
    expect(observation).toMatchObject({
      input: ['Paris', 'Rome'],
      output: [[0.1, 0.2], [0.3, 0.4]],
      usage: { input: 4, total: 4 },
    });
  });

  it('reads user, session, tags and the other telemetry metadata as trace facts, and names a root trace by functionId', () => {
    const { trace, observation } = mapSpan(
      decodedSpan({
        name: 'ai.generateText',
        attributes: {
          [vercel.AI_OPERATION_ID]: 'ai.generateText',
          [vercel.AI_TELEMETRY_FUNCTION_ID]: 'weather-chat',
          [vercel.AI_TELEMETRY_METADATA_USER_ID]: 'u1',
          [vercel.AI_TELEMETRY_METADATA_SESSION_ID]: 's1',
          [vercel.AI_TELEMETRY_METADATA_TAGS]: ['a', 'b'],
          [`${vercel.AI_TELEMETRY_METADATA_PREFIX}plan`]: 'pro',
        },
      }),
    );
    expect(trace!.explicit).toMatchObject({ userId: 'u1', sessionId: 's1', tags: ['a', 'b'], metadata: { plan: 'pro' } });
    expect(trace!.explicit.metadata).not.toHaveProperty('userId');
    expect(trace!.implicit.name).toBe('weather-chat');
    expect(observation!.metadata).toMatchObject({ plan: 'pro' });
    expect(observation!.countsInTraceTotals).toBe(false);
  });

  it('reads call settings as model parameters', () => {
    const observation = observationOf({ [`${vercel.AI_SETTINGS_PREFIX}maxRetries`]: 2, [`${vercel.AI_SETTINGS_PREFIX}temperature`]: 0.3 });
    expect(observation.modelParameters).toEqual({ maxRetries: 2, temperature: 0.3 });
  });
});
