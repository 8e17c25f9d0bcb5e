import { describe, expect, it } from 'vitest';
import { mapSpan } from '../../../collector/mapping/map-span.js';
import { decodedSpan } from '../../helpers/decoded-span.js';
import { itMapsToType, observationOf, traceOf } from '../../helpers/mapped-span.js';
import * as openllmetry from '../../../semconv/openllmetry.js';
import * as genAi from '../../../semconv/gen-ai.js';

const P = openllmetry.GEN_AI_PROMPT_PREFIX;
const C = openllmetry.GEN_AI_COMPLETION_PREFIX;

describe('mapSpan with OpenLLMetry / Traceloop attributes', () => {
  it('rebuilds indexed prompt and completion messages, with tool calls, and reads its usage names', () => {
    const observation = observationOf({
      [openllmetry.LLM_REQUEST_TYPE]: 'chat',
      [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-3.5-turbo',
      [genAi.GEN_AI_RESPONSE_MODEL]: 'gpt-3.5-turbo-0125',
      [`${P}0.role`]: 'user',
      [`${P}0.content`]: 'Weather in Paris?',
      [`${C}0.role`]: 'assistant',
      [`${C}0.finish_reason`]: 'tool_calls',
      [`${C}0.tool_calls.0.id`]: 'call_1',
      [`${C}0.tool_calls.0.name`]: 'get_weather',
      [`${C}0.tool_calls.0.arguments`]: '{"city":"Paris"}',
      [genAi.GEN_AI_USAGE_PROMPT_TOKENS]: 14,
      [genAi.GEN_AI_USAGE_COMPLETION_TOKENS]: 173,
      [genAi.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS_OLD]: 4,
      [openllmetry.LLM_USAGE_TOTAL_TOKENS]: 187,
    });
    expect(observation).toMatchObject({
      type: 'GENERATION',
      model: 'gpt-3.5-turbo-0125',
      input: [{ role: 'user', content: 'Weather in Paris?' }],
      output: [
        { role: 'assistant', finish_reason: 'tool_calls', tool_calls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      ],
      usage: { input: 10, cachedInput: 4, output: 173, total: 187 },
    });
    expect(Object.keys(observation.rawAttributes).some((key) => key.startsWith(P) || key.startsWith(C))).toBe(false);
  });

  itMapsToType(openllmetry.TRACELOOP_SPAN_KIND, [
    ['workflow', 'CHAIN'],
    ['task', 'SPAN'],
    ['agent', 'AGENT'],
    ['tool', 'TOOL'],
  ]);

  itMapsToType(openllmetry.LLM_REQUEST_TYPE, [
    ['embedding', 'EMBEDDING'],
    ['rerank', 'RETRIEVER'],
  ]);

  it('names a root workflow trace for its workflow and a tool for its entity', () => {
    const workflow = mapSpan(
      decodedSpan({ name: 'joke.workflow', attributes: { [openllmetry.TRACELOOP_SPAN_KIND]: 'workflow', [openllmetry.TRACELOOP_WORKFLOW_NAME]: 'joke' } }),
    );
    expect(workflow.trace!.implicit.name).toBe('joke');
    const tool = mapSpan(
      decodedSpan({ name: 'search.tool', attributes: { [openllmetry.TRACELOOP_SPAN_KIND]: 'tool', [openllmetry.TRACELOOP_ENTITY_NAME]: 'search' } }),
    );
    expect(tool.observation).toMatchObject({ type: 'TOOL', name: 'search' });
  });

  it('reads a decorated function entity input and output', () => {
    const observation = observationOf({
      [openllmetry.TRACELOOP_SPAN_KIND]: 'task',
      [openllmetry.TRACELOOP_ENTITY_INPUT]: '{"args":["Paris"],"kwargs":{}}',
      [openllmetry.TRACELOOP_ENTITY_OUTPUT]: '"sunny"',
    });
    expect(observation).toMatchObject({ input: { args: ['Paris'], kwargs: {} }, output: '"sunny"' });
  });

  it('reads user and session from association properties, and keeps them all as trace and observation metadata', () => {
    const attributes = {
      [openllmetry.TRACELOOP_ASSOCIATION_USER_ID]: 'u1',
      [openllmetry.TRACELOOP_ASSOCIATION_SESSION_ID]: 's1',
      [`${openllmetry.TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX}chat_id`]: 'c1',
    };
    const trace = traceOf(attributes, { parentSpanId: '1111111111111111' });
    expect(trace.explicit).toMatchObject({
      userId: 'u1',
      sessionId: 's1',
      metadata: { user_id: 'u1', session_id: 's1', chat_id: 'c1' },
    });
    expect(observationOf(attributes).metadata).toEqual({ user_id: 'u1', session_id: 's1', chat_id: 'c1' });
  });

  it('maps OpenLLMetry guardrail spans to GUARDRAIL', () => {
    const type = (operation: string) => observationOf({ [genAi.GEN_AI_OPERATION_NAME]: operation }).type;
    expect([type('guardrail.run'), type('guard')]).toEqual(['GUARDRAIL', 'GUARDRAIL']);
  });
});
