import { describe, expect, it } from 'vitest';
import { mapSpan } from '../../../collector/mapping/map-span.js';
import { decodedSpan } from '../../helpers/decoded-span.js';
import { itMapsToType, observationOf } from '../../helpers/mapped-span.js';
import * as oi from '../../../semconv/openinference.js';
import * as genAi from '../../../semconv/gen-ai.js';

const message = (list: string, index: number, path: string) => `${list}${index}.message.${path}`;

describe('mapSpan with OpenInference attributes', () => {
  itMapsToType(oi.OPENINFERENCE_SPAN_KIND, [
    ['LLM', 'GENERATION'],
    ['EMBEDDING', 'EMBEDDING'],
    ['CHAIN', 'CHAIN'],
    ['RETRIEVER', 'RETRIEVER'],
    ['RERANKER', 'RETRIEVER'],
    ['TOOL', 'TOOL'],
    ['AGENT', 'AGENT'],
    ['GUARDRAIL', 'GUARDRAIL'],
    ['EVALUATOR', 'EVALUATOR'],
    ['PROMPT', 'SPAN'],
    ['UNKNOWN', 'SPAN'],
  ]);

  it('lets the OpenInference kind win over gen_ai.operation.name and a model', () => {
    const observation = observationOf({ [oi.OPENINFERENCE_SPAN_KIND]: 'TOOL', [genAi.GEN_AI_OPERATION_NAME]: 'chat', [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4' });
    expect(observation).toMatchObject({ type: 'TOOL', model: 'gpt-4' });
  });

  it('rebuilds flattened messages, multi-part content and tool calls in OpenAI chat format', () => {
    const I = oi.LLM_INPUT_MESSAGES_PREFIX;
    const O = oi.LLM_OUTPUT_MESSAGES_PREFIX;
    const observation = observationOf({
      [oi.OPENINFERENCE_SPAN_KIND]: 'LLM',
      [message(I, 0, 'role')]: 'system',
      [message(I, 0, 'content')]: 'Be brief.',
      [message(I, 1, 'role')]: 'user',
      [message(I, 1, 'contents.0.message_content.type')]: 'text',
      [message(I, 1, 'contents.0.message_content.text')]: 'Weather?',
      [message(I, 1, 'contents.1.message_content.type')]: 'image',
      [message(I, 1, 'contents.1.message_content.image.image.url')]: 'https://x/y.png',
      [message(O, 0, 'role')]: 'assistant',
      [message(O, 0, 'tool_calls.0.tool_call.id')]: 'call_1',
      [message(O, 0, 'tool_calls.0.tool_call.function.name')]: 'get_weather',
      [message(O, 0, 'tool_calls.0.tool_call.function.arguments')]: '{"city":"Paris"}',
      [message(I, 10_001, 'content')]: 'out of range, ignored',
      'custom.attribute': 'kept',
    });
    expect(observation.input).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image', image: { image: { url: 'https://x/y.png' } } }] },
    ]);
    expect(observation.output).toEqual([
      { role: 'assistant', tool_calls: [{ id: 'call_1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    ]);
    expect(Object.keys(observation.rawAttributes).sort()).toEqual(['custom.attribute', oi.OPENINFERENCE_SPAN_KIND]);
  });

  it('takes cached reads and writes out of the prompt count and reasoning out of the completion count', () => {
    const observation = observationOf({
      [oi.LLM_MODEL_NAME]: 'claude-sonnet-4',
      [oi.LLM_TOKEN_COUNT_PROMPT]: 50_000,
      [oi.LLM_TOKEN_COUNT_PROMPT_CACHE_READ]: 40_000,
      [oi.LLM_TOKEN_COUNT_PROMPT_CACHE_WRITE]: 5_000,
      [oi.LLM_TOKEN_COUNT_COMPLETION]: 200,
      [oi.LLM_TOKEN_COUNT_COMPLETION_REASONING]: 50,
      [oi.LLM_TOKEN_COUNT_TOTAL]: 50_200,
    });
    expect(observation).toMatchObject({
      type: 'GENERATION',
      model: 'claude-sonnet-4',
      usage: { input: 5_000, cachedInput: 40_000, cacheWrite: 5_000, output: 150, reasoning: 50, total: 50_200 },
    });
  });

  it('reads invocation parameters as an object or flattened, without the model', () => {
    const object = mapSpan(decodedSpan({ attributes: { [oi.LLM_INVOCATION_PARAMETERS]: '{"model":"gpt-4o","max_tokens":4096}' } }));
    expect(object.observation!.modelParameters).toEqual({ max_tokens: 4096 });
    const flat = mapSpan(
      decodedSpan({
        attributes: {
          [`${oi.LLM_INVOCATION_PARAMETERS_PREFIX}temperature`]: 0.1,
          [`${oi.LLM_INVOCATION_PARAMETERS_PREFIX}reasoning_effort`]: 'high',
        },
      }),
    );
    expect(flat.observation!.modelParameters).toEqual({ temperature: 0.1, reasoning_effort: 'high' });
  });

  it('keeps plain-text input.value as text, parses JSON input.value, and lists retrieved documents', () => {
    const observation = observationOf({
      [oi.OPENINFERENCE_SPAN_KIND]: 'RETRIEVER',
      [oi.INPUT_VALUE]: '{"not": "parsed"}',
      [oi.INPUT_MIME_TYPE]: 'text/plain',
      [`${oi.RETRIEVAL_DOCUMENTS_PREFIX}0.document.id`]: 'doc-1',
      [`${oi.RETRIEVAL_DOCUMENTS_PREFIX}0.document.content`]: 'Paris is the capital.',
      [`${oi.RETRIEVAL_DOCUMENTS_PREFIX}0.document.score`]: 0.9,
      [`${oi.RETRIEVAL_DOCUMENTS_PREFIX}1.document.id`]: 'doc-2',
    });
    expect(observation).toMatchObject({
      type: 'RETRIEVER',
      input: '{"not": "parsed"}',
      output: [{ id: 'doc-1', content: 'Paris is the capital.', score: 0.9 }, { id: 'doc-2' }],
    });
  });

  it('reads embedded texts as input and vectors as output, and an empty (hidden) vector as none', () => {
    const E = oi.EMBEDDING_EMBEDDINGS_PREFIX;
    const span = (vector: number[]) =>
      mapSpan(
        decodedSpan({
          attributes: {
            [oi.OPENINFERENCE_SPAN_KIND]: 'EMBEDDING',
            [oi.EMBEDDING_MODEL_NAME]: 'text-embedding-3-small',
            [`${E}0.embedding.text`]: 'Paris',
            [`${E}0.embedding.vector`]: vector,
          },
        }),
      ).observation!;
    expect(span([0.1, 0.2])).toMatchObject({ type: 'EMBEDDING', model: 'text-embedding-3-small', input: ['Paris'], output: [[0.1, 0.2]] });
    expect(span([]).output).toBeNull();
  });

  it('reads session, user, tags and metadata (trace metadata, kept on the observation too), and a reported total cost', () => {
    const { observation, trace } = mapSpan(
      decodedSpan({
        attributes: {
          'session.id': 's1',
          'user.id': 'u1',
          [oi.TAG_TAGS]: ['rag', 'llamaindex'],
          [oi.METADATA]: '{"experiment":"a"}',
          [oi.LLM_COST_TOTAL]: 0.000151,
        },
      }),
    );
    expect(trace!.explicit).toMatchObject({ sessionId: 's1', userId: 'u1', tags: ['rag', 'llamaindex'], metadata: { experiment: 'a' } });
    expect(observation!.metadata).toEqual({ experiment: 'a' });
    expect(observation!.reportedCost).toEqual({ total: 0.000151 });
  });
});
