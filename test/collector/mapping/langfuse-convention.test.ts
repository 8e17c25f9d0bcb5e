import { describe, expect, it } from 'vitest';
import { mapSpan } from '../../../collector/mapping/map-span.js';
import { decodedSpan } from '../../helpers/decoded-span.js';
import { observationOf, traceOf } from '../../helpers/mapped-span.js';
import * as langfuse from '../../../semconv/langfuse.js';
import * as oi from '../../../semconv/openinference.js';
import * as genAi from '../../../semconv/gen-ai.js';
import * as ours from '../../../semconv/spanlite.js';

describe('mapSpan with Langfuse SDK attributes', () => {
  it('reads a Langfuse generation: type, level, status, model, parameters, I/O, start of completion', () => {
    const observation = observationOf({
      [langfuse.LANGFUSE_OBSERVATION_TYPE]: 'generation',
      [langfuse.LANGFUSE_OBSERVATION_LEVEL]: 'WARNING',
      [langfuse.LANGFUSE_OBSERVATION_STATUS_MESSAGE]: 'slow',
      [langfuse.LANGFUSE_OBSERVATION_MODEL]: 'gpt-4o',
      [langfuse.LANGFUSE_OBSERVATION_MODEL_PARAMETERS]: '{"temperature":1,"top_p":"0.2"}',
      [langfuse.LANGFUSE_OBSERVATION_INPUT]: '[{"role":"user","content":"hello"}]',
      [langfuse.LANGFUSE_OBSERVATION_OUTPUT]: '{"role":"assistant","content":"hi"}',
      // The Python SDK double-encodes it.
      [langfuse.LANGFUSE_OBSERVATION_COMPLETION_START_TIME]: '"2025-04-30T15:28:50.686Z"',
      [langfuse.LANGFUSE_VERSION]: 'v2',
    });
    expect(observation).toMatchObject({
      type: 'GENERATION',
      level: 'WARNING',
      statusMessage: 'slow',
      model: 'gpt-4o',
      modelParameters: { temperature: 1, top_p: '0.2' },
      input: [{ role: 'user', content: 'hello' }],
      output: { role: 'assistant', content: 'hi' },
      completionStartTimeUnixNano: BigInt(Date.parse('2025-04-30T15:28:50.686Z')) * 1_000_000n,
      version: 'v2',
    });
    expect(observation.rawAttributes).not.toHaveProperty(langfuse.LANGFUSE_OBSERVATION_INPUT);
  });

  it.each([
    ['Langfuse usage types (exclusive)', { input: 20, input_cached_tokens: 100, output: 30, output_reasoning_tokens: 10 }, 160],
    [
      'an OpenAI chat usage object (inclusive)',
      { prompt_tokens: 120, completion_tokens: 40, total_tokens: 160, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 10 } },
      160,
    ],
    [
      'an OpenAI Responses usage object (inclusive)',
      { input_tokens: 120, output_tokens: 40, total_tokens: 160, input_tokens_details: { cached_tokens: 100 }, output_tokens_details: { reasoning_tokens: 10 } },
      160,
    ],
  ])('reads usage_details given as %s into exclusive buckets', (_name, details, total) => {
    const observation = observationOf({ [langfuse.LANGFUSE_OBSERVATION_USAGE_DETAILS]: JSON.stringify(details) });
    expect(observation.usage).toEqual({ input: 20, cachedInput: 100, output: 30, reasoning: 10, total });
  });

  it('reads an Anthropic usage object as exclusive of its cache counts', () => {
    const details = { input_tokens: 7, output_tokens: 40, cache_read_input_tokens: 100, cache_creation_input_tokens: 50 };
    const observation = observationOf({ [langfuse.LANGFUSE_OBSERVATION_USAGE_DETAILS]: JSON.stringify(details) });
    expect(observation.usage).toEqual({ input: 7, output: 40, cachedInput: 100, cacheWrite: 50, total: 197 });
  });

  it('takes cost_details as the reported cost, whatever usage-type names it uses', () => {
    const observation = observationOf({ [langfuse.LANGFUSE_OBSERVATION_COST_DETAILS]: '{"input_tokens":0.0001,"output_tokens":0.002}' });
    expect(observation.reportedCost).toEqual({ input: 0.0001, output: 0.002, total: 0.0021 });
  });

  it('lets langfuse.observation.type win over an OpenInference kind, and spanlite over both', () => {
    const type = (attributes: Record<string, string>) => observationOf(attributes).type;
    expect(type({ [langfuse.LANGFUSE_OBSERVATION_TYPE]: 'span', [oi.OPENINFERENCE_SPAN_KIND]: 'AGENT', [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4' })).toBe('SPAN');
    expect(type({ [langfuse.LANGFUSE_OBSERVATION_TYPE]: 'tool', [ours.SPANLITE_OBSERVATION_TYPE]: 'agent' })).toBe('AGENT');
  });

  it('reads type span with a Langfuse model name as a generation (Python SDK <= 3.3.0)', () => {
    const observation = observationOf({ [langfuse.LANGFUSE_OBSERVATION_TYPE]: 'span', [langfuse.LANGFUSE_OBSERVATION_MODEL]: 'gpt-4o' });
    expect(observation.type).toBe('GENERATION');
  });

  it('stores a Langfuse event as an EVENT observation at a point in time', () => {
    const observation = observationOf({ [langfuse.LANGFUSE_OBSERVATION_TYPE]: 'event' });
    expect(observation).toMatchObject({ type: 'EVENT', endTimeUnixNano: null });
  });

  it('decodes metadata values the Python SDK JSON-encodes one by one', () => {
    const { observation, trace } = mapSpan(
      decodedSpan({
        attributes: {
          [`${langfuse.LANGFUSE_OBSERVATION_METADATA_PREFIX}key1`]: '"value1"',
          [`${langfuse.LANGFUSE_OBSERVATION_METADATA_PREFIX}nested`]: '{"a":1}',
          [`${langfuse.LANGFUSE_TRACE_METADATA_PREFIX}plan`]: 'pro',
          [`${langfuse.LANGFUSE_TRACE_METADATA_PREFIX}__proto__`]: 'polluted',
        },
      }),
    );
    expect(observation!.metadata).toEqual({ key1: 'value1', nested: { a: 1 } });
    expect(trace!.explicit.metadata).toEqual({ plan: 'pro' });
  });

  it('reads the trace facts the SDKs send, on any span, in their order of precedence', () => {
    const trace = traceOf(
      {
        [langfuse.LANGFUSE_TRACE_NAME]: 'checkout',
        'user.id': 'user-1',
        [langfuse.LANGFUSE_SESSION_ID]: 'langfuse-session',
        'session.id': 'otel-session',
        [genAi.GEN_AI_CONVERSATION_ID]: 'conversation',
        [langfuse.LANGFUSE_TRACE_TAGS]: ['a', 'b'],
        [langfuse.LANGFUSE_TAGS]: 'b,c',
        [langfuse.LANGFUSE_TRACE_PUBLIC]: true,
        [langfuse.LANGFUSE_TRACE_INPUT]: '{"q":1}',
        [langfuse.LANGFUSE_VERSION]: '1.0',
      },
      {
        parentSpanId: '1111111111111111',
        resource: { [langfuse.LANGFUSE_ENVIRONMENT]: 'production', [langfuse.LANGFUSE_RELEASE]: 'r42' },
      },
    );
    expect(trace.explicit).toMatchObject({
      name: 'checkout',
      userId: 'user-1',
      sessionId: 'langfuse-session',
      tags: ['a', 'b', 'c'],
      public: true,
      input: { q: 1 },
      version: '1.0',
    });
    // the SDK puts environment and release on the resource: implied, so a span naming them wins
    expect(trace.implicit).toEqual({ environment: 'production', release: 'r42' });
  });

  it('promotes the langfuse_user_id / _session_id / _tags metadata keys of its integrations', () => {
    const trace = traceOf({
      [langfuse.LANGFUSE_TRACE_METADATA_USER_ID]: 'user-123',
      [langfuse.LANGFUSE_OBSERVATION_METADATA_SESSION_ID]: 'session-456',
      [langfuse.LANGFUSE_TRACE_METADATA_TAGS]: 'tag1,tag2',
    });
    expect(trace.explicit).toMatchObject({ userId: 'user-123', sessionId: 'session-456', tags: ['tag1', 'tag2'] });
  });

  it('treats a span marked langfuse.internal.as_root as the root for the trace name', () => {
    const trace = traceOf({ [langfuse.LANGFUSE_INTERNAL_AS_ROOT]: true }, { name: 'my-root', parentSpanId: '1111111111111111' });
    expect(trace.implicit).toEqual({ name: 'my-root' });
  });
});
