/**
 * The seed scenario, recorded with the real OTel SDK: trace `support-query` for user_123 in
 * session_abc (plan=pro; tags support, production) with a `retrieval` span, an `llm-answer`
 * generation on gpt-4o-mini (120 in / 40 out), a `rerank` event and a `helpfulness` score.
 */
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as ours from '../../semconv/spanlite.js';
import * as genAi from '../../semconv/gen-ai.js';
import { USER_ID, SESSION_ID } from '../../semconv/otel.js';
import { recordingProvider } from './otel-sdk.js';

export const SEED = {
  traceName: 'support-query',
  userId: 'user_123',
  sessionId: 'session_abc',
  query: 'How do I reset my password?',
  documents: [
    { id: 'doc-1', text: 'Open settings, then Security, then Reset password.' },
    { id: 'doc-2', text: 'Password resets send an email link valid for 1 hour.' },
  ],
  model: 'gpt-4o-mini',
  inputTokens: 120,
  outputTokens: 40,
  answer: 'Go to Settings > Security > Reset password; you will get an email link.',
} as const;

/** What the seed scenario's trace is stored with, as GET /api/public/traces/:id answers it. */
export const SEED_TRACE_FIELDS = {
  name: SEED.traceName,
  userId: SEED.userId,
  sessionId: SEED.sessionId,
  metadata: { plan: 'pro' },
  tags: ['production', 'support'],
  input: { query: SEED.query },
  output: { answer: SEED.answer },
} as const;

export interface SeedOptions {
  /** Adds an ERROR child span `escalate` with this status message. */
  failingChild?: string;
  /** Model name of the generation (default gpt-4o-mini). */
  model?: string;
}

export async function recordSeedScenario(options: SeedOptions = {}): Promise<ReadableSpan[]> {
  const provider = recordingProvider('support-bot');
  const tracer = provider.tracer;
  const root = tracer.startSpan('handle-request', {
    attributes: {
      [ours.SPANLITE_TRACE_NAME]: SEED.traceName,
      [USER_ID]: SEED.userId,
      [SESSION_ID]: SEED.sessionId,
      [`${ours.SPANLITE_TRACE_METADATA_PREFIX}plan`]: 'pro',
      [ours.SPANLITE_TRACE_TAGS]: ['support', 'production'],
      [ours.SPANLITE_OBSERVATION_INPUT]: JSON.stringify({ query: SEED.query }),
    },
  });
  const inRoot = trace.setSpan(context.active(), root);

  const retrieval = tracer.startSpan(
    'retrieval',
    {
      attributes: {
        [ours.SPANLITE_OBSERVATION_TYPE]: 'RETRIEVER',
        [ours.SPANLITE_OBSERVATION_INPUT]: JSON.stringify({ query: SEED.query }),
        [ours.SPANLITE_OBSERVATION_OUTPUT]: JSON.stringify(SEED.documents),
      },
    },
    inRoot,
  );
  retrieval.addEvent('rerank', { 'rerank.top_k': 2, 'rerank.model': 'bge-reranker' });
  retrieval.end();
  // OTel JS stamps a span's start with Date.now(): the generation starts after retrieval, but
  // in the same millisecond the two would tie, and the trace would list them by random span id.
  await nextMillisecond();

  const generation = tracer.startSpan(
    'llm-answer',
    {
      attributes: {
        [genAi.GEN_AI_OPERATION_NAME]: 'chat',
        [genAi.GEN_AI_REQUEST_MODEL]: options.model ?? SEED.model,
        [genAi.GEN_AI_REQUEST_TEMPERATURE]: 0.2,
        [genAi.GEN_AI_USAGE_INPUT_TOKENS]: SEED.inputTokens,
        [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: SEED.outputTokens,
        [genAi.GEN_AI_INPUT_MESSAGES]: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: SEED.query }] }]),
        [genAi.GEN_AI_OUTPUT_MESSAGES]: JSON.stringify([
          { role: 'assistant', parts: [{ type: 'text', content: SEED.answer }], finish_reason: 'stop' },
        ]),
      },
    },
    inRoot,
  );
  generation.end();

  if (options.failingChild !== undefined) {
    const escalate = tracer.startSpan('escalate', {}, inRoot);
    escalate.recordException(new Error(options.failingChild));
    escalate.setStatus({ code: SpanStatusCode.ERROR, message: options.failingChild });
    escalate.end();
  }

  root.addEvent(genAi.GEN_AI_EVALUATION_RESULT_EVENT, {
    [genAi.GEN_AI_EVALUATION_NAME]: 'helpfulness',
    [genAi.GEN_AI_EVALUATION_SCORE_VALUE]: 0.92,
    [genAi.GEN_AI_EVALUATION_EXPLANATION]: 'answered with the exact steps',
    [ours.SPANLITE_SCORE_TARGET]: 'trace',
  });
  root.setAttribute(ours.SPANLITE_OBSERVATION_OUTPUT, JSON.stringify({ answer: SEED.answer }));
  root.end();

  const spans = provider.finishedSpans();
  await provider.shutdown();
  return spans;
}

async function nextMillisecond(): Promise<void> {
  const now = Date.now();
  while (Date.now() === now) await new Promise((resolve) => setImmediate(resolve));
}
