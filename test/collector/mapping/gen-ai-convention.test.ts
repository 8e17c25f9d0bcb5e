import { describe, expect, it } from 'vitest';
import { mapSpan } from '../../../collector/mapping/map-span.js';
import { decodedSpan } from '../../helpers/decoded-span.js';
import { itMapsToType, observationOf } from '../../helpers/mapped-span.js';
import * as genAi from '../../../semconv/gen-ai.js';
import * as events from '../../../semconv/gen-ai-events.js';
import type { Attributes } from '../../../collector/decode/span.js';

const at = 1_700_000_000_100_000_000n;
const event = (name: string, attributes: Attributes) => ({ name, timeUnixNano: at, attributes });

describe('mapSpan with OTel GenAI semantic conventions', () => {
  it('reads per-message span events as input and output, and keeps them out of the EVENT observations', () => {
    const mapped = mapSpan(
      decodedSpan({
        attributes: { [genAi.GEN_AI_RESPONSE_MODEL]: 'gpt-4-0613' },
        events: [
          event(events.GEN_AI_SYSTEM_MESSAGE_EVENT, { content: 'You are helpful.' }),
          event(events.GEN_AI_USER_MESSAGE_EVENT, { content: 'Capital of France?' }),
          event(events.GEN_AI_TOOL_MESSAGE_EVENT, { content: 'sunny', id: 'call_1' }),
          event(events.GEN_AI_CHOICE_EVENT, { index: 0, finish_reason: 'stop', message: '{"role":"assistant","content":"Paris."}' }),
          event('cache-miss', { key: 'k' }),
        ],
      }),
    );
    expect(mapped.observation).toMatchObject({
      type: 'GENERATION',
      input: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: 'Capital of France?' },
        { role: 'tool', content: 'sunny', id: 'call_1' },
      ],
      output: [{ role: 'assistant', content: 'Paris.', index: 0, finish_reason: 'stop' }],
    });
    expect(mapped.events.map((e) => e.name)).toEqual(['cache-miss']);
    // positions stay those of the span's events, so ids do not shift when messages are consumed
    expect(mapped.events[0]!.id).toBe('b7ad6b7169203331-e4');
  });

  it('reads the operation-details event (1.37+) with its system instructions first', () => {
    const { observation, events: eventObservations } = mapSpan(
      decodedSpan({
        attributes: { [genAi.GEN_AI_OPERATION_NAME]: 'chat', [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini' },
        events: [
          event(events.GEN_AI_CLIENT_INFERENCE_OPERATION_DETAILS_EVENT, {
            [genAi.GEN_AI_SYSTEM_INSTRUCTIONS]: '[{"type":"text","content":"Be brief."}]',
            [genAi.GEN_AI_INPUT_MESSAGES]: '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
            [genAi.GEN_AI_OUTPUT_MESSAGES]: '[{"role":"assistant","parts":[{"type":"text","content":"Hello"}]}]',
          }),
        ],
      }),
    );
    expect(observation).toMatchObject({
      input: [
        { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
      ],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: 'Hello' }] }],
    });
    expect(eventObservations).toEqual([]);
  });

  it('reads the deprecated gen_ai.content.prompt / completion events (OpenLit)', () => {
    const { observation } = mapSpan(
      decodedSpan({
        events: [
          event(genAi.GEN_AI_CONTENT_PROMPT_EVENT, { [genAi.GEN_AI_PROMPT]: 'user: What is LLM observability?' }),
          event(genAi.GEN_AI_CONTENT_COMPLETION_EVENT, { [genAi.GEN_AI_COMPLETION]: 'assistant: Watching LLMs.' }),
        ],
      }),
    );
    expect(observation).toMatchObject({ input: 'user: What is LLM observability?', output: 'assistant: Watching LLMs.' });
  });

  it('prefers span attributes over content in events, and keeps unused message events as events', () => {
    const mapped = mapSpan(
      decodedSpan({
        attributes: { [genAi.GEN_AI_INPUT_MESSAGES]: '[{"role":"user","parts":[]}]' },
        events: [event(events.GEN_AI_USER_MESSAGE_EVENT, { content: 'from event' })],
      }),
    );
    expect(mapped.observation!.input).toEqual([{ role: 'user', parts: [] }]);
    expect(mapped.events.map((e) => e.name)).toEqual([events.GEN_AI_USER_MESSAGE_EVENT]);
  });

  it('reads a tool execution span: named for its tool, arguments in, result out', () => {
    const observation = observationOf(
      {
        [genAi.GEN_AI_OPERATION_NAME]: 'execute_tool',
        [genAi.GEN_AI_TOOL_NAME]: 'get_weather',
        [genAi.GEN_AI_TOOL_CALL_ARGUMENTS]: '{"location":"Berlin"}',
        [genAi.GEN_AI_TOOL_CALL_RESULT]: '{"temperature":21}',
      },
      { name: 'execute_tool get_weather' },
    );
    expect(observation).toMatchObject({ type: 'TOOL', name: 'get_weather', input: { location: 'Berlin' }, output: { temperature: 21 } });
  });

  // Operation names as the GenAI semantic conventions list them; memory operations have no type of their own.
  itMapsToType(genAi.GEN_AI_OPERATION_NAME, [
    ['chat', 'GENERATION'],
    ['generate_content', 'GENERATION'],
    ['text_completion', 'GENERATION'],
    ['embeddings', 'EMBEDDING'],
    ['retrieval', 'RETRIEVER'],
    ['execute_tool', 'TOOL'],
    ['create_agent', 'AGENT'],
    ['invoke_agent', 'AGENT'],
    ['invoke_workflow', 'CHAIN'],
    ['plan', 'SPAN'],
    ['create_memory_store', 'SPAN'],
    ['delete_memory_store', 'SPAN'],
    ['create_memory', 'SPAN'],
    ['update_memory', 'SPAN'],
    ['upsert_memory', 'SPAN'],
    ['search_memory', 'SPAN'],
    ['delete_memory', 'SPAN'],
  ]);

  it('reads a retrieval span: the query in, the documents out, the data source kept', () => {
    const documents = [{ id: 'doc_123', score: 0.95, content: 'Paris is the capital of France.' }];
    const observation = observationOf(
      {
        [genAi.GEN_AI_OPERATION_NAME]: 'retrieval',
        [genAi.GEN_AI_DATA_SOURCE_ID]: 'H7STPQYOND',
        [genAi.GEN_AI_REQUEST_MODEL]: 'text-embedding-3-small',
        [genAi.GEN_AI_RETRIEVAL_QUERY_TEXT]: 'capital of France',
        [genAi.GEN_AI_RETRIEVAL_DOCUMENTS]: JSON.stringify(documents),
      },
      { name: 'retrieval H7STPQYOND' },
    );
    expect(observation).toMatchObject({ type: 'RETRIEVER', input: 'capital of France', output: documents });
    expect(observation.rawAttributes).toMatchObject({ [genAi.GEN_AI_DATA_SOURCE_ID]: 'H7STPQYOND' });
    expect(observation.rawAttributes).not.toHaveProperty(genAi.GEN_AI_RETRIEVAL_DOCUMENTS);
  });

  it('keeps a memory operation a SPAN even when it names a model, with its query, records and operation', () => {
    const records = [{ id: 'mem_123', content: 'User prefers dark mode', score: 0.95 }];
    const observation = observationOf({
      [genAi.GEN_AI_OPERATION_NAME]: 'search_memory',
      [genAi.GEN_AI_REQUEST_MODEL]: 'text-embedding-3-small',
      [genAi.GEN_AI_MEMORY_QUERY_TEXT]: 'display preferences',
      [genAi.GEN_AI_MEMORY_RECORDS]: JSON.stringify(records),
    });
    expect(observation).toMatchObject({ type: 'SPAN', input: 'display preferences', output: records });
    expect(observation.rawAttributes).toMatchObject({ [genAi.GEN_AI_OPERATION_NAME]: 'search_memory' });
  });

  it('reads a span with only gen_ai.tool.name as a tool (Pydantic AI < 1.0) and an agent span as AGENT', () => {
    expect(observationOf({ [genAi.GEN_AI_TOOL_NAME]: 'roulette' }).type).toBe('TOOL');
    expect(
      observationOf({ [genAi.GEN_AI_OPERATION_NAME]: 'invoke_agent', [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4o' }).type,
    ).toBe('AGENT');
  });

  it('types a span that names a model as a generation, with or without token counts', () => {
    expect(observationOf({ [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4' }).type).toBe('GENERATION');
    expect(observationOf({ [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 5 }).type).toBe('SPAN');
  });

  it('keeps a plain HTTP span a SPAN with nothing read into input or output', () => {
    const { observation } = mapSpan(
      decodedSpan({ name: 'GET /users', kind: 2, attributes: { 'http.request.method': 'GET', 'url.path': '/users', 'http.response.status_code': 200 } }),
    );
    expect(observation).toMatchObject({ type: 'SPAN', input: null, output: null, model: null, usage: {} });
  });

  it('reads Anthropic-style and dotted cache counts once, and a reasoning count alone', () => {
    const both = mapSpan(
      decodedSpan({
        attributes: {
          [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 100,
          [genAi.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 20,
          [genAi.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS_OLD]: 20,
          [genAi.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS_OLD]: 10,
        },
      }),
    );
    expect(both.observation!.usage).toEqual({ input: 70, cachedInput: 20, cacheWrite: 10, total: 100 });
    const reasoningOnly = mapSpan(decodedSpan({ attributes: { [genAi.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: 25 } }));
    expect(reasoningOnly.observation!.usage).toEqual({ reasoning: 25, total: 25 });
  });

  it('takes the session from gen_ai.conversation.id only when nothing more specific names one', () => {
    const session = (attributes: Attributes) => mapSpan(decodedSpan({ attributes })).trace!.explicit.sessionId;
    expect(session({ [genAi.GEN_AI_CONVERSATION_ID]: 'conv' })).toBe('conv');
    expect(session({ [genAi.GEN_AI_CONVERSATION_ID]: 'conv', 'session.id': 'sess' })).toBe('sess');
  });
});
