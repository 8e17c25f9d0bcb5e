import { describe, expect, it } from 'vitest';
import * as genAi from '../../../semconv/gen-ai.js';
import * as pydanticAi from '../../../semconv/pydantic-ai.js';
import { observationOf } from '../../helpers/mapped-span.js';

const PYDANTIC_AI = { scope: { name: pydanticAi.PYDANTIC_AI_SCOPE, version: '0.7.2', attributes: {} } };
const INSTRUCTIONS = '[{"type":"text","content":"Be brief."}]';

describe('mapSpan with Pydantic AI attributes', () => {
  it("reads an agent run's messages with the system instructions first, and its final result; its usage is its model requests'", () => {
    const observation = observationOf(
      {
        [pydanticAi.PYDANTIC_AI_AGENT_NAME]: 'instructions_agent',
        [pydanticAi.PYDANTIC_AI_ALL_MESSAGES]: '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
        [genAi.GEN_AI_SYSTEM_INSTRUCTIONS]: INSTRUCTIONS,
        [pydanticAi.PYDANTIC_AI_FINAL_RESULT]: 'Hello!',
        [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 37,
        [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 248,
      },
      PYDANTIC_AI,
    );
    expect(observation).toMatchObject({
      type: 'SPAN',
      input: [
        { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
      ],
      output: 'Hello!',
      usage: {},
      countsInTraceTotals: false,
    });
    expect(observation.rawAttributes).toMatchObject({ [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 37, [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 248 });
  });

  it('does not put the system instructions first twice when a system message already leads', () => {
    const messages = [{ role: 'system', parts: [{ type: 'text', content: 'Existing.' }] }];
    const observation = observationOf(
      { [pydanticAi.PYDANTIC_AI_ALL_MESSAGES]: JSON.stringify(messages), [genAi.GEN_AI_SYSTEM_INSTRUCTIONS]: INSTRUCTIONS },
      PYDANTIC_AI,
    );
    expect(observation.input).toEqual(messages);
    expect(observation.rawAttributes[genAi.GEN_AI_SYSTEM_INSTRUCTIONS]).toBe(INSTRUCTIONS);
  });

  it('reads a tool call named for its tool, arguments in and response out', () => {
    const attributes = {
      [genAi.GEN_AI_TOOL_NAME]: 'roulette_wheel',
      [pydanticAi.PYDANTIC_AI_TOOL_ARGUMENTS]: '{"square": 18}',
      [pydanticAi.PYDANTIC_AI_TOOL_RESPONSE]: 'winner',
    };
    expect(observationOf(attributes, PYDANTIC_AI)).toMatchObject({
      type: 'TOOL',
      name: 'roulette_wheel',
      input: { square: 18 },
      output: 'winner',
    });
  });

  it('leaves its un-namespaced names alone on spans of other instrumentations', () => {
    const observation = observationOf({ [pydanticAi.PYDANTIC_AI_TOOL_ARGUMENTS]: '{"a":1}', [pydanticAi.PYDANTIC_AI_FINAL_RESULT]: 'x' });
    expect(observation).toMatchObject({ input: null, output: null });
  });
});
