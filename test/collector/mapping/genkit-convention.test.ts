import { describe, expect, it } from 'vitest';
import * as genkit from '../../../semconv/genkit.js';
import { observationOf, traceOf } from '../../helpers/mapped-span.js';

const GENKIT_SCOPE = { name: 'genkit-tracer', version: '1.20.0', attributes: {} };

function modelAction(usage: Record<string, number>): Record<string, string> {
  return {
    [genkit.GENKIT_NAME]: 'googleai/gemini-2.5-flash',
    [genkit.GENKIT_METADATA_SUBTYPE]: 'model',
    [genkit.GENKIT_INPUT]: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }], config: {} }),
    [genkit.GENKIT_OUTPUT]: JSON.stringify({ message: { role: 'model', content: [{ text: 'Hello' }] }, finishReason: 'stop', usage }),
  };
}

describe('mapSpan with Genkit attributes', () => {
  it('reads a model action as a generation named for its model, with its input, output and usage', () => {
    const observation = observationOf(
      modelAction({ inputTokens: 1618, outputTokens: 337, thoughtsTokens: 320, totalTokens: 1955 }),
      { scope: GENKIT_SCOPE },
    );
    expect(observation).toMatchObject({
      type: 'GENERATION',
      model: 'googleai/gemini-2.5-flash',
      input: { messages: [{ role: 'user', content: [{ text: 'Hi' }] }], config: {} },
      output: { message: { role: 'model', content: [{ text: 'Hello' }] }, finishReason: 'stop' },
      usage: { input: 1618, output: 17, reasoning: 320, total: 1955 },
    });
    expect(observation.rawAttributes).not.toHaveProperty(genkit.GENKIT_OUTPUT);
  });

  it('keeps output whole when the total shows the thoughts were counted apart, and takes cached content out of input', () => {
    const observation = observationOf(
      modelAction({ inputTokens: 1000, cachedContentTokens: 600, outputTokens: 40, thoughtsTokens: 100, totalTokens: 1140 }),
    );
    expect(observation.usage).toEqual({ input: 400, cachedInput: 600, output: 40, reasoning: 100, total: 1140 });
  });

  it.each([
    ['embedder', 'EMBEDDING'],
    ['retriever', 'RETRIEVER'],
    ['tool', 'TOOL'],
    ['tool.v2', 'TOOL'],
    ['flow', 'CHAIN'],
    ['evaluator', 'EVALUATOR'],
    ['util', 'SPAN'],
  ] as const)('types a %s action as %s', (subtype, type) => {
    expect(observationOf({ [genkit.GENKIT_METADATA_SUBTYPE]: subtype, [genkit.GENKIT_NAME]: 'x' }).type).toBe(type);
  });

  it("reads no usage from a flow's output, which may embed a model response its model span already reports", () => {
    const flow = { ...modelAction({ inputTokens: 10, outputTokens: 5, totalTokens: 15 }), [genkit.GENKIT_METADATA_SUBTYPE]: 'flow' };
    const observation = observationOf(flow);
    expect(observation).toMatchObject({ type: 'CHAIN', model: null, usage: {} });
  });

  it("takes a chat session's genkit:sessionId as the trace's session", () => {
    expect(traceOf({ [genkit.GENKIT_SESSION_ID]: 'chat-7' }).explicit.sessionId).toBe('chat-7');
  });
});
