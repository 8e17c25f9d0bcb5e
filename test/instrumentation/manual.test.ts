import { SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import {
  GEN_AI_EVALUATION_EXPLANATION,
  GEN_AI_EVALUATION_NAME,
  GEN_AI_EVALUATION_RESULT_EVENT,
  GEN_AI_EVALUATION_SCORE_LABEL,
  GEN_AI_EVALUATION_SCORE_VALUE,
  GEN_AI_OPERATION_NAME,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_TOOL_NAME,
  GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_USAGE_TOTAL_TOKENS,
} from '../../semconv/gen-ai.js';
import { SESSION_ID, USER_ID } from '../../semconv/otel.js';
import * as ours from '../../semconv/spanlite.js';
import { getCurrentTraceId } from '../../instrumentation/context-helpers.js';
import { endOpenTraces, startObservation, startTrace } from '../../instrumentation/manual.js';
import { observe } from '../../instrumentation/observe.js';
import { SCORE_CARRIER_SPAN_NAME } from '../../instrumentation/scores.js';
import { parentId, spanId, tracingPerTest } from './tracing-harness.js';

const harness = tracingPerTest();

const scoreEvents = (span: ReadableSpan): TimedEvent[] => span.events.filter((event) => event.name === GEN_AI_EVALUATION_RESULT_EVENT);

describe('manual traces', () => {
  it('records the support-query trace in Langfuse shapes as OTel GenAI and spanlite attributes', async () => {
    const trace = startTrace({
      name: 'support-query',
      userId: 'user_123',
      sessionId: 'session_abc',
      metadata: { plan: 'pro' },
      tags: ['support', 'production'],
      input: { question: 'How do I reset my password?' },
      release: 'v1.2.0',
      version: '3',
      environment: 'production',
    });
    const retrieval = trace.span({ name: 'retrieval', input: { query: 'reset password' } });
    retrieval.end({ output: { documents: ['doc-1', 'doc-2'] } });
    const generation = trace.generation({ name: 'llm-answer', model: 'gpt-4o-mini', modelParameters: { temperature: 0.2 } });
    generation.end({
      output: 'Use the reset link.',
      usage: { input: 120, output: 40, total: 160, cachedInput: 20 },
      costUsd: { input: 0.000018, output: 0.000024, total: 0.000042 },
    });
    trace.event({ name: 'rerank', level: 'DEBUG', data: { kept: 2, ids: ['doc-1', 'doc-2'] } });
    trace.score({ name: 'helpfulness', value: 0.92, comment: 'clear and correct' });
    trace.end({ output: { answer: 'Use the reset link.' } });

    const root = await harness.span('support-query');
    expect(root.attributes).toMatchObject({
      [ours.SPANLITE_OBSERVATION_TYPE]: 'SPAN',
      [ours.SPANLITE_TRACE_NAME]: 'support-query',
      [ours.SPANLITE_TRACE_USER_ID]: 'user_123',
      [USER_ID]: 'user_123',
      [ours.SPANLITE_TRACE_SESSION_ID]: 'session_abc',
      [SESSION_ID]: 'session_abc',
      [`${ours.SPANLITE_TRACE_METADATA_PREFIX}plan`]: 'pro',
      [ours.SPANLITE_TRACE_TAGS]: ['support', 'production'],
      [ours.SPANLITE_TRACE_RELEASE]: 'v1.2.0',
      [ours.SPANLITE_TRACE_VERSION]: '3',
      [ours.SPANLITE_TRACE_ENVIRONMENT]: 'production',
      [ours.SPANLITE_TRACE_INPUT]: '{"question":"How do I reset my password?"}',
      [ours.SPANLITE_TRACE_OUTPUT]: '{"answer":"Use the reset link."}',
    });
    expect(parentId(root)).toBeUndefined();

    const retrievalSpan = await harness.span('retrieval');
    expect(parentId(retrievalSpan)).toBe(spanId(root));
    expect(retrievalSpan.attributes).toMatchObject({
      [ours.SPANLITE_OBSERVATION_TYPE]: 'SPAN',
      [ours.SPANLITE_OBSERVATION_INPUT]: '{"query":"reset password"}',
      [ours.SPANLITE_OBSERVATION_OUTPUT]: '{"documents":["doc-1","doc-2"]}',
      [ours.SPANLITE_TRACE_USER_ID]: 'user_123',
      [ours.SPANLITE_TRACE_TAGS]: ['support', 'production'],
    });

    const generationSpan = await harness.span('llm-answer');
    expect(generationSpan.attributes).toMatchObject({
      [ours.SPANLITE_OBSERVATION_TYPE]: 'GENERATION',
      [GEN_AI_OPERATION_NAME]: 'chat',
      [GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
      [GEN_AI_USAGE_INPUT_TOKENS]: 120,
      [GEN_AI_USAGE_OUTPUT_TOKENS]: 40,
      [GEN_AI_USAGE_TOTAL_TOKENS]: 160,
      [GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 20,
      [ours.SPANLITE_OBSERVATION_MODEL_PARAMETERS]: '{"temperature":0.2}',
      [ours.SPANLITE_OBSERVATION_COST]: '{"input":0.000018,"output":0.000024,"total":0.000042}',
      [ours.SPANLITE_OBSERVATION_OUTPUT]: '"Use the reset link."',
      [ours.SPANLITE_TRACE_SESSION_ID]: 'session_abc',
    });

    const rerank = root.events.find((event) => event.name === 'rerank');
    expect(rerank?.attributes).toEqual({ kept: 2, ids: ['doc-1', 'doc-2'], [ours.SPANLITE_EVENT_LEVEL]: 'DEBUG' });
    expect(scoreEvents(root).map((event) => event.attributes)).toEqual([
      {
        [GEN_AI_EVALUATION_NAME]: 'helpfulness',
        [GEN_AI_EVALUATION_SCORE_VALUE]: 0.92,
        [ours.SPANLITE_SCORE_DATA_TYPE]: 'NUMERIC',
        [GEN_AI_EVALUATION_EXPLANATION]: 'clear and correct',
        [ours.SPANLITE_SCORE_TARGET]: 'trace',
      },
    ]);
  });

  it('nests observations to any depth and gives each the type asked for', async () => {
    const trace = startTrace({ name: 'agent-run' });
    const agent = trace.span({ name: 'planner', type: 'AGENT' });
    const tool = agent.span({ name: 'web-search', type: 'TOOL', input: { q: 'otel' } });
    const llm = tool.generation({ name: 'summarise' });
    llm.end();
    tool.end();
    agent.end();
    trace.end();
    const spans = await harness.spans();
    const byName = new Map(spans.map((span) => [span.name, span]));
    expect(parentId(byName.get('summarise')!)).toBe(spanId(byName.get('web-search')!));
    expect(parentId(byName.get('web-search')!)).toBe(spanId(byName.get('planner')!));
    expect(parentId(byName.get('planner')!)).toBe(spanId(byName.get('agent-run')!));
    expect(byName.get('web-search')!.attributes).toMatchObject({ [ours.SPANLITE_OBSERVATION_TYPE]: 'TOOL', [GEN_AI_TOOL_NAME]: 'web-search' });
    expect(byName.get('planner')!.attributes[ours.SPANLITE_OBSERVATION_TYPE]).toBe('AGENT');
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([trace.id]));
  });

  it('records level ERROR with its status message as an OTel error status too', async () => {
    const trace = startTrace({ name: 't' });
    trace.span({ name: 'failing' }).end({ level: 'ERROR', statusMessage: 'upstream 500', metadata: { attempt: 3 } });
    trace.end();
    const span = await harness.span('failing');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream 500' });
    expect(span.attributes).toMatchObject({
      [ours.SPANLITE_OBSERVATION_LEVEL]: 'ERROR',
      [ours.SPANLITE_OBSERVATION_STATUS_MESSAGE]: 'upstream 500',
      [`${ours.SPANLITE_OBSERVATION_METADATA_PREFIX}attempt`]: 3,
    });
  });

  it('carries trace.update() facts to the spans started after it', async () => {
    const trace = startTrace({ name: 'anon' });
    trace.span({ name: 'before' }).end();
    trace.update({ userId: 'late-user' });
    trace.span({ name: 'after' }).end();
    trace.end();
    expect((await harness.span('before')).attributes[ours.SPANLITE_TRACE_USER_ID]).toBeUndefined();
    expect((await harness.span('after')).attributes[ours.SPANLITE_TRACE_USER_ID]).toBe('late-user');
    expect((await harness.span('anon')).attributes[ours.SPANLITE_TRACE_USER_ID]).toBe('late-user');
  });

  it('runs code with an observation active, so observe()d calls nest under it', async () => {
    const trace = startTrace({ name: 'rooted' });
    const step = trace.span({ name: 'step' });
    const seen = await step.run(() => observe(async function inner() {
      return getCurrentTraceId();
    })());
    step.end();
    trace.end();
    expect(seen).toBe(trace.id);
    expect(parentId(await harness.span('inner'))).toBe(step.id);
  });

  it('starts an observation under the active one with startObservation()', async () => {
    await observe(async function handler() {
      startObservation({ name: 'manual-child', type: 'EVALUATOR' }).end();
    })();
    expect(parentId(await harness.span('manual-child'))).toBe(spanId(await harness.span('handler')));
  });

  it('ignores a second end()', async () => {
    const trace = startTrace({ name: 'once' });
    const span = trace.span({ name: 'twice' });
    span.end({ output: 'first' });
    span.end({ output: 'second' });
    trace.end();
    expect((await harness.span('twice')).attributes[ours.SPANLITE_OBSERVATION_OUTPUT]).toBe('"first"');
  });

  it('ends traces never ended at shutdown, where their last observation ended', async () => {
    const trace = startTrace({ name: 'forgotten', startTime: new Date(Date.now() - 100) });
    trace.span({ name: 'work', startTime: new Date(Date.now() - 50) }).end({ endTime: new Date(Date.now() - 10) });
    endOpenTraces();
    const root = await harness.span('forgotten');
    const work = await harness.span('work');
    expect(hrTimeToMilliseconds(root.endTime)).toBe(hrTimeToMilliseconds(work.endTime));
  });
});

describe('scores', () => {
  it('sends string and boolean scores as labels and 0/1 values, with an id when given', async () => {
    const trace = startTrace({ name: 'scored' });
    const span = trace.span({ name: 'answer' });
    span.score({ name: 'tone', value: 'friendly', id: 'score-1', source: 'ANNOTATION' });
    span.score({ name: 'grounded', value: true });
    span.score({ name: 'broken', value: Number.NaN });
    span.end();
    trace.end();
    expect(scoreEvents(await harness.span('answer')).map((event) => event.attributes)).toEqual([
      {
        [GEN_AI_EVALUATION_NAME]: 'tone',
        [GEN_AI_EVALUATION_SCORE_LABEL]: 'friendly',
        [ours.SPANLITE_SCORE_DATA_TYPE]: 'CATEGORICAL',
        [ours.SPANLITE_SCORE_ID]: 'score-1',
        [ours.SPANLITE_SCORE_SOURCE]: 'ANNOTATION',
      },
      { [GEN_AI_EVALUATION_NAME]: 'grounded', [GEN_AI_EVALUATION_SCORE_VALUE]: 1, [ours.SPANLITE_SCORE_DATA_TYPE]: 'BOOLEAN' },
    ]);
  });

  it('puts a score given after its observation ended on a zero-duration carrier child naming the scored span', async () => {
    const trace = startTrace({ name: 'late-scores' });
    const generation = trace.generation({ name: 'answer' });
    generation.end();
    generation.score({ name: 'accuracy', value: 0.5 });
    trace.end();
    trace.score({ name: 'overall', value: 1 });

    const carriers = (await harness.spans()).filter((span) => span.name === SCORE_CARRIER_SPAN_NAME);
    expect(carriers).toHaveLength(2);
    const [forGeneration, forTrace] = carriers;
    expect(forGeneration!.attributes[ours.SPANLITE_SCORE_CARRIER]).toBe(true);
    expect(parentId(forGeneration!)).toBe(generation.id);
    expect(forGeneration!.duration).toEqual([0, 0]);
    expect(scoreEvents(forGeneration!)[0]?.attributes).toMatchObject({
      [GEN_AI_EVALUATION_NAME]: 'accuracy',
      [ours.SPANLITE_SCORE_OBSERVATION_ID]: generation.id,
    });
    expect(parentId(forTrace!)).toBe(spanId(await harness.span('late-scores')));
    expect(scoreEvents(forTrace!)[0]?.attributes).toMatchObject({ [GEN_AI_EVALUATION_NAME]: 'overall', [ours.SPANLITE_SCORE_TARGET]: 'trace' });
    expect(scoreEvents(forTrace!)[0]?.attributes?.[ours.SPANLITE_SCORE_OBSERVATION_ID]).toBeUndefined();
  });

  it('records an event given after its span ended as a zero-duration EVENT child span', async () => {
    const trace = startTrace({ name: 'late-event' });
    const span = trace.span({ name: 'step' });
    span.end();
    span.event({ name: 'cache-evicted', level: 'WARNING', data: { key: 'k1' } });
    trace.end();
    const event = await harness.span('cache-evicted');
    expect(parentId(event)).toBe(span.id);
    expect(event.attributes).toMatchObject({
      [ours.SPANLITE_OBSERVATION_TYPE]: 'EVENT',
      [ours.SPANLITE_OBSERVATION_LEVEL]: 'WARNING',
      [ours.SPANLITE_OBSERVATION_INPUT]: '{"key":"k1"}',
    });
    expect(event.duration).toEqual([0, 0]);
  });
});
