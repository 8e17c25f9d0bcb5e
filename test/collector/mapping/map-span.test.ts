import { describe, expect, it } from 'vitest';
import { mapSpan } from '../../../collector/mapping/map-span.js';
import { decodedSpan } from '../../helpers/decoded-span.js';
import { itMapsToType, observationOf } from '../../helpers/mapped-span.js';
import * as genAi from '../../../semconv/gen-ai.js';
import * as ours from '../../../semconv/spanlite.js';
import * as oi from '../../../semconv/openinference.js';
import * as vercel from '../../../semconv/vercel-ai.js';

describe('mapSpan', () => {
  it('reads a GenAI chat span as a GENERATION with model, parameters and messages', () => {
    const observation = observationOf({
      [genAi.GEN_AI_OPERATION_NAME]: 'chat',
      [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4o',
      [genAi.GEN_AI_RESPONSE_MODEL]: 'gpt-4o-2024-08-06',
      [genAi.GEN_AI_REQUEST_TEMPERATURE]: 0.5,
      [genAi.GEN_AI_REQUEST_MAX_TOKENS]: 256,
      [genAi.GEN_AI_SYSTEM_INSTRUCTIONS]: '[{"type":"text","content":"be brief"}]',
      [genAi.GEN_AI_INPUT_MESSAGES]: '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
      [genAi.GEN_AI_OUTPUT_MESSAGES]: '[{"role":"assistant","parts":[{"type":"text","content":"hello"}]}]',
      'custom.flag': true,
    });
    expect(observation).toMatchObject({
      type: 'GENERATION',
      model: 'gpt-4o-2024-08-06',
      modelParameters: { temperature: 0.5, max_tokens: 256 },
      input: [
        { role: 'system', parts: [{ type: 'text', content: 'be brief' }] },
        { role: 'user', parts: [{ type: 'text', content: 'hi' }] },
      ],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: 'hello' }] }],
    });
    // the messages are stored once, as input/output; everything else is kept raw
    expect(observation.rawAttributes).not.toHaveProperty(genAi.GEN_AI_INPUT_MESSAGES);
    expect(observation.rawAttributes).toMatchObject({ 'custom.flag': true, [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4o' });
    expect(observation.resourceAttributes).toEqual({ 'service.name': 'test-service' });
  });

  it('reads who serves the model: gen_ai.provider.name, then gen_ai.system, llm.provider, llm.system, ai.model.provider', () => {
    const all: Record<string, string> = {
      [genAi.GEN_AI_PROVIDER_NAME]: 'aws.bedrock',
      [genAi.GEN_AI_SYSTEM]: 'anthropic',
      [oi.LLM_PROVIDER]: 'azure',
      [oi.LLM_SYSTEM]: 'openai',
      [vercel.AI_MODEL_PROVIDER]: 'openai.chat',
    };
    const order = [genAi.GEN_AI_PROVIDER_NAME, genAi.GEN_AI_SYSTEM, oi.LLM_PROVIDER, oi.LLM_SYSTEM, vercel.AI_MODEL_PROVIDER];
    order.forEach((key, index) => {
      const present = Object.fromEntries(order.slice(index).map((name) => [name, all[name]!]));
      expect(observationOf(present).modelProvider).toBe(all[key]);
    });
    expect(observationOf({ [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4o' }).modelProvider).toBeNull();
  });

  it("reads spanlite's own input and output as whole JSON documents", () => {
    const observation = observationOf({ [ours.SPANLITE_OBSERVATION_INPUT]: '"plain text"', [ours.SPANLITE_OBSERVATION_OUTPUT]: '42' });
    expect(observation).toMatchObject({ input: 'plain text', output: 42 });
  });

  it('takes cached and cache-write tokens out of input, and reasoning out of output', () => {
    const observation = observationOf({
      [genAi.GEN_AI_REQUEST_MODEL]: 'o3',
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 1000,
      [genAi.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 600,
      [genAi.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]: 100,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 500,
      [genAi.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: 300,
    });
    expect(observation.usage).toEqual({ input: 300, cachedInput: 600, cacheWrite: 100, output: 200, reasoning: 300, total: 1500 });
    expect(observation.type).toBe('GENERATION');
  });

  it('reads the deprecated prompt_tokens / completion_tokens names', () => {
    const observation = observationOf({ [genAi.GEN_AI_USAGE_PROMPT_TOKENS]: '12', [genAi.GEN_AI_USAGE_COMPLETION_TOKENS]: 3 });
    expect(observation.usage).toEqual({ input: 12, output: 3, total: 15 });
  });

  itMapsToType(genAi.GEN_AI_OPERATION_NAME, [
    ['embeddings', 'EMBEDDING'],
    ['execute_tool', 'TOOL'],
    ['invoke_agent', 'AGENT'],
    ['text_completion', 'GENERATION'],
  ]);

  it('lets spanlite.observation.type win over the operation name, in any letter case', () => {
    const observation = observationOf({ [ours.SPANLITE_OBSERVATION_TYPE]: 'guardrail', [genAi.GEN_AI_OPERATION_NAME]: 'chat' });
    expect(observation.type).toBe('GUARDRAIL');
  });

  it('is a plain SPAN when nothing says otherwise', () => {
    expect(observationOf({ 'http.method': 'GET' }).type).toBe('SPAN');
  });

  it('turns an ERROR status into level ERROR with its message, unless a level is named', () => {
    const failed = mapSpan(decodedSpan({ status: { code: 2, message: 'boom' } })).observation!;
    expect(failed).toMatchObject({ level: 'ERROR', statusMessage: 'boom' });
    const warned = mapSpan(
      decodedSpan({ status: { code: 2, message: 'boom' }, attributes: { [ours.SPANLITE_OBSERVATION_LEVEL]: 'warn' } }),
    ).observation!;
    expect(warned.level).toBe('WARNING');
  });

  it('takes a cost the span reports over any computed one', () => {
    const observation = observationOf({ [ours.SPANLITE_OBSERVATION_COST]: '{"input":0.01,"output":0.02}' });
    expect(observation.reportedCost).toEqual({ input: 0.01, output: 0.02, total: 0.03 });
  });

  it('keeps a Vercel AI SDK wrapper out of trace totals, since its children repeat its usage', () => {
    const wrapper = observationOf({ 'ai.operationId': 'ai.generateText' });
    const inner = observationOf({ 'ai.operationId': 'ai.generateText.doGenerate' });
    expect(wrapper.countsInTraceTotals).toBe(false);
    expect(inner.countsInTraceTotals).toBe(true);
  });

  it('reads scores from gen_ai.evaluation.result events, numeric, categorical and boolean', () => {
    const at = 1_700_000_000_500_000_000n;
    const { scores, events } = mapSpan(
      decodedSpan({
        events: [
          { name: 'gen_ai.evaluation.result', timeUnixNano: at, attributes: { 'gen_ai.evaluation.name': 'relevance', 'gen_ai.evaluation.score.value': 0.5 } },
          { name: 'gen_ai.evaluation.result', timeUnixNano: at, attributes: { 'gen_ai.evaluation.name': 'tone', 'gen_ai.evaluation.score.label': 'friendly' } },
          {
            name: 'gen_ai.evaluation.result',
            timeUnixNano: at,
            attributes: { 'gen_ai.evaluation.name': 'correct', 'gen_ai.evaluation.score.value': 1, [ours.SPANLITE_SCORE_DATA_TYPE]: 'BOOLEAN' },
          },
          { name: 'gen_ai.evaluation.result', timeUnixNano: at, attributes: { 'gen_ai.evaluation.score.value': 1 } },
        ],
      }),
    );
    expect(scores.map((s) => [s.name, s.dataType, s.value, s.stringValue])).toEqual([
      ['relevance', 'NUMERIC', 0.5, null],
      ['tone', 'CATEGORICAL', null, 'friendly'],
      ['correct', 'BOOLEAN', 1, 'true'],
    ]);
    expect(scores.every((s) => s.observationId === 'b7ad6b7169203331')).toBe(true);
    // a nameless evaluation is not thrown away: it stays an event
    expect(events.map((e) => e.name)).toEqual(['gen_ai.evaluation.result']);
  });

  it('stores only the scores of a score-carrier span, for the observation it names', () => {
    const mapped = mapSpan(
      decodedSpan({
        parentSpanId: '1111111111111111',
        attributes: { [ours.SPANLITE_SCORE_CARRIER]: true },
        events: [
          {
            name: 'gen_ai.evaluation.result',
            timeUnixNano: 1n,
            attributes: {
              'gen_ai.evaluation.name': 'late',
              'gen_ai.evaluation.score.value': 3,
              [ours.SPANLITE_SCORE_OBSERVATION_ID]: '2222222222222222',
            },
          },
        ],
      }),
    );
    expect(mapped.observation).toBeNull();
    expect(mapped.trace).toBeNull();
    expect(mapped.scores[0]).toMatchObject({ name: 'late', observationId: '2222222222222222' });
  });

  it('gives events ids derived from the span, so a re-sent span maps to the same rows', () => {
    const span = decodedSpan({ events: [{ name: 'cache-miss', timeUnixNano: 5n, attributes: { key: 'k' } }] });
    expect(mapSpan(span).events[0]!.id).toBe(mapSpan(span).events[0]!.id);
  });

  it('reads trace facts explicitly named on any span, and defaults from a root span and the resource', () => {
    const child = mapSpan(
      decodedSpan({
        parentSpanId: '1111111111111111',
        attributes: {
          'user.id': 'u1',
          'session.id': 's1',
          [ours.SPANLITE_TRACE_TAGS]: ['a', 'b'],
          [`${ours.SPANLITE_TRACE_METADATA_PREFIX}plan`]: 'pro',
          [`${ours.SPANLITE_TRACE_METADATA_PREFIX}__proto__`]: 'polluted',
        },
        resource: { 'deployment.environment.name': 'staging', 'service.version': '2.0.0' },
      }),
    ).trace!;
    expect(child.explicit).toEqual({
      userId: 'u1',
      sessionId: 's1',
      tags: ['a', 'b'],
      metadata: { plan: 'pro' },
    });
    expect(child.implicit).toEqual({ environment: 'staging', version: '2.0.0' });
    const root = mapSpan(decodedSpan({ name: 'handle', attributes: { [ours.SPANLITE_OBSERVATION_INPUT]: '{"q":1}' } })).trace!;
    expect(root.implicit).toEqual({ name: 'handle', input: { q: 1 } });
  });
});

describe('mapSpan on the hot path', () => {
  function countingWalks(attributes: Record<string, unknown>): { proxy: any; walks: () => number } {
    let walks = 0;
    const proxy = new Proxy(attributes, {
      ownKeys(target) {
        walks++;
        return Reflect.ownKeys(target);
      },
    });
    return { proxy, walks: () => walks };
  }

  it('walks the attributes once, plus once to drop the content keys when it found content', () => {
    const plain = countingWalks({ 'http.request.method': 'GET', 'url.path': '/a', 'gen_ai.request.temperature': 0.2 });
    mapSpan(decodedSpan({ attributes: plain.proxy }));
    expect(plain.walks()).toBe(1);

    const indexed: Record<string, unknown> = { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o' };
    for (let i = 0; i < 50; i++) {
      indexed[`llm.input_messages.${i}.message.role`] = 'user';
      indexed[`llm.input_messages.${i}.message.content`] = `message ${i}`;
    }
    const withContent = countingWalks(indexed);
    const observation = observationOf(withContent.proxy);
    expect((observation.input as unknown[]).length).toBe(50);
    expect(withContent.walks()).toBe(2);
  });
});
