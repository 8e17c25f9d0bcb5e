import { describe, expect, it } from 'vitest';
import {
  GEN_AI_EVALUATION_NAME,
  GEN_AI_EVALUATION_RESULT_EVENT,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
} from '../../semconv/gen-ai.js';
import {
  SPANLITE_OBSERVATION_METADATA_PREFIX,
  SPANLITE_OBSERVATION_OUTPUT,
  SPANLITE_SCORE_TARGET,
  SPANLITE_TRACE_INPUT,
  SPANLITE_TRACE_USER_ID,
} from '../../semconv/spanlite.js';
import {
  getCurrentObservationId,
  getCurrentTraceId,
  scoreCurrentObservation,
  scoreCurrentTrace,
  updateCurrentObservation,
  updateCurrentTrace,
} from '../../instrumentation/context-helpers.js';
import { observe } from '../../instrumentation/observe.js';
import { spanId, tracingPerTest } from './tracing-harness.js';

const harness = tracingPerTest();

describe('context helpers', () => {
  it('updates the active observation with usage, model, metadata and output', async () => {
    await observe(async function generate() {
      updateCurrentObservation({
        model: 'gpt-4o-mini',
        usage: { input: 12, output: 5, reasoning: 2 },
        metadata: { attempt: 1, tools: ['search'] },
        output: 'done',
      });
      return undefined;
    }, { type: 'GENERATION' })();
    expect((await harness.span('generate')).attributes).toMatchObject({
      [GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
      [GEN_AI_USAGE_INPUT_TOKENS]: 12,
      [GEN_AI_USAGE_OUTPUT_TOKENS]: 5,
      [GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: 2,
      [`${SPANLITE_OBSERVATION_METADATA_PREFIX}attempt`]: 1,
      [`${SPANLITE_OBSERVATION_METADATA_PREFIX}tools`]: ['search'],
      [SPANLITE_OBSERVATION_OUTPUT]: '"done"',
    });
  });

  it('scores the active observation and the active trace as evaluation events', async () => {
    await observe(async function judged() {
      scoreCurrentObservation({ name: 'relevance', value: 0.7 });
      scoreCurrentTrace({ name: 'satisfaction', value: 'high' });
    })();
    const events = (await harness.span('judged')).events.filter((event) => event.name === GEN_AI_EVALUATION_RESULT_EVENT);
    expect(events.map((event) => [event.attributes?.[GEN_AI_EVALUATION_NAME], event.attributes?.[SPANLITE_SCORE_TARGET]])).toEqual([
      ['relevance', undefined],
      ['satisfaction', 'trace'],
    ]);
  });

  it('gives the active trace and observation ids, and undefined outside any observation', async () => {
    expect(getCurrentTraceId()).toBeUndefined();
    expect(getCurrentObservationId()).toBeUndefined();
    const ids = await observe(async function current() {
      return { traceId: getCurrentTraceId(), observationId: getCurrentObservationId() };
    })();
    const span = await harness.span('current');
    expect(ids).toEqual({ traceId: span.spanContext().traceId, observationId: spanId(span) });
  });

  it('keeps trace input on the current span only, while user id reaches later spans', async () => {
    await observe(async function handler() {
      updateCurrentTrace({ userId: 'u-9', input: { big: 'payload' } });
      await observe(async function child() {})();
    })();
    const handler = await harness.span('handler');
    const child = await harness.span('child');
    expect(handler.attributes[SPANLITE_TRACE_INPUT]).toBe('{"big":"payload"}');
    expect(child.attributes[SPANLITE_TRACE_INPUT]).toBeUndefined();
    expect(child.attributes[SPANLITE_TRACE_USER_ID]).toBe('u-9');
  });

  it('does nothing, and throws nothing, outside any observation', async () => {
    expect(() => {
      updateCurrentObservation({ output: 'x' });
      updateCurrentTrace({ userId: 'nobody' });
      scoreCurrentObservation({ name: 'a', value: 1 });
      scoreCurrentTrace({ name: 'b', value: 1 });
    }).not.toThrow();
    expect(await harness.spans()).toEqual([]);
  });
});
