/**
 * The SDKs people already run, unchanged, pointed at a real collector on an ephemeral port, with a
 * local OpenAI-compatible server (mock-openai) as the provider; everything read back over REST.
 *
 * Packages (devDependencies; newest majors that run on Node 20): @langfuse/tracing and
 * @langfuse/otel 5, ai 6 with @ai-sdk/openai 3, openai 6 under
 * @arizeai/openinference-instrumentation-openai 4, @traceloop/instrumentation-openai 0.27 and
 * @opentelemetry/instrumentation-openai 0.21. The three instrumentations patch `openai` through
 * require hooks, so their app runs as a child process (scenarios/openai-instrumented.cjs), as
 * does an app on the whole Traceloop SDK (@traceloop/node-server-sdk 0.27, scenarios/traceloop-sdk.cjs).
 *
 * The mock reports 120 prompt tokens (100 cached) and 40 completion tokens (10 reasoning) per chat
 * call. Where an SDK sends those details, they must land in the exclusive buckets and be priced:
 * input 20, cachedInput 100, output 30, reasoning 10. What each SDK cannot send is said per test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { computeCost } from '../../collector/pricing/cost.js';
import { loadDefaultPriceIndex } from '../../collector/pricing/default-price-index.js';
import type { UsageDetails } from '../../collector/model.js';
import {
  ANSWER,
  CHAT_USAGE,
  EMBEDDING_PROMPT_TOKENS,
  OBJECT_ANSWER,
  RESPONSE_MODEL_SUFFIX,
  TOOL_NAME,
  TOOL_RESULT,
  startMockOpenAi,
  type MockOpenAi,
} from './mock-openai.js';
import { LANGFUSE, VERCEL, runLangfuseScenario, runVercelScenario, type VercelScenarioIds } from './in-process-scenarios.js';
import { runScenario } from './run-scenario.js';

const CHAT_MODEL = `gpt-4o-mini${RESPONSE_MODEL_SUFFIX}`;
/** The mock's usage in exclusive buckets. */
const EXCLUSIVE_CHAT_USAGE = {
  input: CHAT_USAGE.promptTokens - CHAT_USAGE.cachedTokens,
  cachedInput: CHAT_USAGE.cachedTokens,
  output: CHAT_USAGE.completionTokens - CHAT_USAGE.reasoningTokens,
  reasoning: CHAT_USAGE.reasoningTokens,
  total: CHAT_USAGE.promptTokens + CHAT_USAGE.completionTokens,
};
/** The same usage from an SDK that sends only prompt and completion counts. */
const PLAIN_CHAT_USAGE = {
  input: CHAT_USAGE.promptTokens,
  output: CHAT_USAGE.completionTokens,
  total: CHAT_USAGE.promptTokens + CHAT_USAGE.completionTokens,
};

const prices = await loadDefaultPriceIndex();
function costOf(model: string, usage: UsageDetails): number {
  return computeCost(usage, prices.find(model)!).total!;
}

let collector: TestCollector;
let mock: MockOpenAi;
/** Registers the async context manager the SDKs rely on, as an app's OTel setup does. */
const contextProvider = new NodeTracerProvider();

beforeAll(async () => {
  contextProvider.register();
  [collector, mock] = await Promise.all([startTestCollector(), startMockOpenAi()]);
});

afterAll(async () => {
  await Promise.all([mock?.close(), collector?.close(), contextProvider.shutdown()]);
});

async function storedTrace(traceId: string): Promise<any> {
  return collector.getJson(`/api/public/traces/${traceId}`);
}

function byName(trace: any, name: string): any[] {
  return trace.observations.filter((o: any) => o.name === name);
}

describe('Langfuse JS SDK (@langfuse/tracing + @langfuse/otel LangfuseSpanProcessor)', () => {
  let trace: any;
  beforeAll(async () => {
    // Sends OTLP/HTTP JSON to <baseUrl>/api/public/otel/v1/traces with
    // `Authorization: Basic base64(publicKey:secretKey)` and x-langfuse-* headers, as to Langfuse.
    trace = await storedTrace(await runLangfuseScenario(collector.url, mock.baseUrl));
  });

  it('stores the trace with the name, user, session, tags, environment, release and I/O the SDK set', () => {
    expect(trace).toMatchObject({
      name: LANGFUSE.traceName,
      userId: LANGFUSE.userId,
      sessionId: LANGFUSE.sessionId,
      tags: [...LANGFUSE.tags].sort(),
      environment: LANGFUSE.environment,
      release: LANGFUSE.release,
      input: { question: 'What is the capital of France?' },
      output: { answer: ANSWER },
    });
  });

  it('prices the generation from the OpenAI usage object it was given, cached and reasoning apart', () => {
    const [root] = byName(trace, 'handle-request');
    const [generation] = byName(trace, 'llm-call');
    expect(generation).toMatchObject({
      type: 'GENERATION',
      parentObservationId: root.id,
      model: 'gpt-4o-mini',
      modelParameters: { temperature: 0.2 },
      input: [{ role: 'user', content: 'What is the capital of France?' }],
      output: { role: 'assistant', content: ANSWER },
      usageDetails: EXCLUSIVE_CHAT_USAGE,
    });
    expect(generation.totalCost).toBeCloseTo(costOf('gpt-4o-mini', EXCLUSIVE_CHAT_USAGE), 12);
    expect(trace.totalCost).toBeCloseTo(generation.totalCost, 12);
  });

  it('keeps the tool and event observation types, with the event as a point in time', () => {
    const [root] = byName(trace, 'handle-request');
    expect(root).toMatchObject({ type: 'SPAN', parentObservationId: null });
    expect(byName(trace, TOOL_NAME)[0]).toMatchObject({
      type: 'TOOL',
      parentObservationId: root.id,
      input: { city: 'Paris' },
      output: TOOL_RESULT,
    });
    expect(byName(trace, 'cache-lookup')[0]).toMatchObject({
      type: 'EVENT',
      parentObservationId: root.id,
      endTime: null,
      level: 'DEBUG',
      input: { key: 'capital:FR' },
    });
  });
});

describe('Vercel AI SDK (ai 6 + @ai-sdk/openai 3, experimental_telemetry)', () => {
  let ids: VercelScenarioIds;
  let toolTrace: any;
  let streamTrace: any;
  beforeAll(async () => {
    ids = await runVercelScenario(collector.tracesEndpoint, mock.baseUrl);
    [toolTrace, streamTrace] = await Promise.all([storedTrace(ids.toolTraceId), storedTrace(ids.streamTraceId)]);
  });

  it('names the trace by functionId and reads user, session, tags and trace metadata from the telemetry metadata', () => {
    expect(toolTrace).toMatchObject({
      name: VERCEL.functionId,
      userId: VERCEL.userId,
      sessionId: VERCEL.sessionId,
      tags: [...VERCEL.tags].sort(),
      metadata: VERCEL.metadata,
    });
    expect(streamTrace).toMatchObject({ name: 'handle-stream', userId: VERCEL.userId, sessionId: VERCEL.sessionId, metadata: VERCEL.metadata });
    expect(toolTrace.metadata).not.toHaveProperty('userId');
    expect(byName(toolTrace, 'ai.generateText.doGenerate')[0].metadata).toMatchObject(VERCEL.metadata);
  });

  it('finds both traces with a metadata filter on the telemetry metadata', async () => {
    const [key, value] = Object.entries(VERCEL.metadata)[0]!;
    const { data } = await collector.getJson(`/api/public/traces?metadata=${encodeURIComponent(`${key}=${value}`)}`);
    expect(data.map((t: any) => t.id).sort()).toEqual([ids.toolTraceId, ids.streamTraceId].sort());
  });

  it('prices each doGenerate step (ai.usage cached and reasoning tokens); the outer call is a SPAN outside totals', () => {
    const [wrapper] = byName(toolTrace, 'ai.generateText');
    const steps = byName(toolTrace, 'ai.generateText.doGenerate');
    expect(wrapper).toMatchObject({ type: 'SPAN', parentObservationId: null, model: null, usageDetails: {}, countsInTraceTotals: false });
    expect(wrapper.attributes).toMatchObject({ 'ai.model.id': 'gpt-4o-mini', 'ai.usage.inputTokens': 2 * CHAT_USAGE.promptTokens });
    expect(steps).toHaveLength(2);
    const stepCost = costOf(CHAT_MODEL, EXCLUSIVE_CHAT_USAGE);
    for (const step of steps) {
      expect(step).toMatchObject({
        type: 'GENERATION',
        parentObservationId: wrapper.id,
        model: CHAT_MODEL,
        usageDetails: EXCLUSIVE_CHAT_USAGE,
        countsInTraceTotals: true,
      });
      expect(step.input).toEqual(expect.arrayContaining([{ role: 'system', content: 'Answer in one sentence.' }]));
      expect(step.output).not.toBeNull();
      expect(step.totalCost).toBeCloseTo(stepCost, 12);
    }
    expect(toolTrace.totalCost).toBeCloseTo(2 * stepCost, 12);
    expect(toolTrace).toMatchObject({ inputTokens: 2 * CHAT_USAGE.promptTokens, outputTokens: 2 * CHAT_USAGE.completionTokens });
  });

  it('stores the tool call as a TOOL named for the tool, with its arguments and result', () => {
    const [wrapper] = byName(toolTrace, 'ai.generateText');
    expect(byName(toolTrace, TOOL_NAME)[0]).toMatchObject({
      type: 'TOOL',
      parentObservationId: wrapper.id,
      input: { city: 'Paris' },
      output: TOOL_RESULT,
    });
  });

  it('reads a streamed call with its time to first chunk, and an embedding with its tokens', () => {
    const [root] = byName(streamTrace, 'handle-stream');
    const [wrapper] = byName(streamTrace, 'ai.streamText');
    const [stream] = byName(streamTrace, 'ai.streamText.doStream');
    expect(wrapper).toMatchObject({ type: 'SPAN', parentObservationId: root.id, output: ANSWER });
    expect(stream).toMatchObject({
      type: 'GENERATION',
      parentObservationId: wrapper.id,
      model: CHAT_MODEL,
      usageDetails: EXCLUSIVE_CHAT_USAGE,
      output: ANSWER,
    });
    expect(stream.totalCost).toBeCloseTo(costOf(CHAT_MODEL, EXCLUSIVE_CHAT_USAGE), 12);
    const firstChunk = Date.parse(stream.completionStartTime);
    expect(firstChunk).toBeGreaterThanOrEqual(Date.parse(stream.startTime));
    expect(firstChunk).toBeLessThanOrEqual(Date.parse(stream.endTime));

    const [embedding] = byName(streamTrace, 'ai.embed.doEmbed');
    const embeddingUsage = { input: EMBEDDING_PROMPT_TOKENS, total: EMBEDDING_PROMPT_TOKENS };
    expect(embedding).toMatchObject({
      type: 'EMBEDDING',
      model: 'text-embedding-3-small',
      input: ['Paris'],
      output: [[0.1, 0.2, 0.3]],
      usageDetails: embeddingUsage,
    });
    expect(embedding.totalCost).toBeCloseTo(costOf('text-embedding-3-small', embeddingUsage), 15);
  });

  it('types every outer call a SPAN and its provider call the GENERATION or EMBEDDING under it', () => {
    const calls = [
      ['ai.streamText', 'ai.streamText.doStream', 'GENERATION'],
      ['ai.embed', 'ai.embed.doEmbed', 'EMBEDDING'],
      ['ai.embedMany', 'ai.embedMany.doEmbed', 'EMBEDDING'],
      ['ai.generateObject', 'ai.generateObject.doGenerate', 'GENERATION'],
      ['ai.streamObject', 'ai.streamObject.doStream', 'GENERATION'],
    ] as const;
    for (const [outerName, innerName, type] of calls) {
      const [outer] = byName(streamTrace, outerName);
      const [inner] = byName(streamTrace, innerName);
      expect(outer, outerName).toMatchObject({ type: 'SPAN', model: null, usageDetails: {} });
      expect(inner, innerName).toMatchObject({ type, parentObservationId: outer.id, countsInTraceTotals: true });
      expect(inner.model, innerName).not.toBeNull();
    }
    expect(byName(streamTrace, 'ai.generateObject')[0].output).toEqual(OBJECT_ANSWER);
    expect(byName(streamTrace, 'ai.embedMany.doEmbed')[0]).toMatchObject({ input: ['Paris', 'Rome'], output: [[0.1, 0.2, 0.3], [0.1, 0.2, 0.3]] });
  });

  it('lists each model call once among the generations and in the per-model counts', async () => {
    const listed = await Promise.all(
      [ids.toolTraceId, ids.streamTraceId].map((traceId) => collector.getJson(`/api/public/observations?traceId=${traceId}&type=GENERATION`)),
    );
    expect(listed.flatMap(({ data }) => data.map((o: any) => o.name)).sort()).toEqual([
      'ai.generateObject.doGenerate',
      'ai.generateText.doGenerate',
      'ai.generateText.doGenerate',
      'ai.streamObject.doStream',
      'ai.streamText.doStream',
    ]);
    const { data: days } = await collector.getJson(`/api/public/metrics/daily?userId=${VERCEL.userId}`);
    const perModel: Record<string, number> = {};
    for (const row of days.flatMap((day: any) => day.usage)) {
      if (row.model) perModel[row.model] = (perModel[row.model] ?? 0) + row.countObservations;
    }
    expect(perModel).toEqual({ [CHAT_MODEL]: 5, 'text-embedding-3-small': 2 });
  });
});

describe('openai under OpenAI instrumentations (child processes)', () => {
  const runs: Record<string, { trace: any }> = {};
  beforeAll(async () => {
    const env = {
      SCENARIO_TRACES_URL: collector.tracesEndpoint,
      SCENARIO_LOGS_URL: `${collector.url}/v1/logs`,
      SCENARIO_OPENAI_BASE_URL: mock.baseUrl,
    };
    await Promise.all(
      ['openinference', 'traceloop', 'otel'].map(async (which) => {
        const { traceId } = await runScenario('openai-instrumented.cjs', { ...env, SCENARIO_INSTRUMENTATION: which });
        runs[which] = { trace: await storedTrace(traceId) };
      }),
    );
  });

  /** The app's root span and the instrumentation's chat generations under it, in call order. */
  function parts(which: string): { trace: any; root: any; chats: any[]; embeddings: any[] } {
    const { trace } = runs[which]!;
    const root = byName(trace, 'handle-request')[0];
    const chats = trace.observations.filter((o: any) => o.type === 'GENERATION');
    const embeddings = trace.observations.filter((o: any) => o.type === 'EMBEDDING');
    for (const child of [...chats, ...embeddings]) expect(child.parentObservationId).toBe(root.id);
    return { trace, root, chats, embeddings };
  }

  describe('@arizeai/openinference-instrumentation-openai (OpenInference)', () => {
    it('prices the chat call from llm.token_count.* with cached and reasoning tokens apart', () => {
      const { chats } = parts('openinference');
      expect(chats[0]).toMatchObject({
        model: CHAT_MODEL,
        modelParameters: { temperature: 0.2 },
        input: [
          { role: 'system', content: 'Answer in one sentence.' },
          { role: 'user', content: 'What is the capital of France?' },
        ],
        output: [{ role: 'assistant', content: ANSWER }],
        usageDetails: EXCLUSIVE_CHAT_USAGE,
      });
      expect(chats[0].totalCost).toBeCloseTo(costOf(CHAT_MODEL, EXCLUSIVE_CHAT_USAGE), 12);
    });

    it('keeps the streamed call and the embedding with their content (it records no usage for either)', () => {
      const { chats, embeddings } = parts('openinference');
      expect(chats[1]).toMatchObject({ input: [{ role: 'user', content: 'And again, streamed?' }], output: [{ role: 'assistant', content: ANSWER }] });
      expect(chats[1].usageDetails).toEqual({});
      expect(embeddings[0]).toMatchObject({ model: 'text-embedding-3-small', input: ['Paris'] });
    });

    it('takes user, session, tags and trace metadata from the OpenInference context attributes', async () => {
      const { trace, chats } = parts('openinference');
      expect(trace).toMatchObject({
        userId: 'user-openinference',
        sessionId: 'session-openinference',
        tags: ['interop', 'openinference'],
        metadata: { plan: 'pro-openinference' },
      });
      expect(chats[0].metadata).toMatchObject({ plan: 'pro-openinference' });
      const { data } = await collector.getJson(`/api/public/traces?metadata=${encodeURIComponent('plan=pro-openinference')}`);
      expect(data.map((t: any) => t.id)).toEqual([trace.id]);
    });
  });

  describe('@traceloop/instrumentation-openai (OpenLLMetry)', () => {
    it('prices the chat call; it sends prompt and completion counts only, so nothing is split out', () => {
      const { chats } = parts('traceloop');
      expect(chats[0]).toMatchObject({ model: CHAT_MODEL, modelParameters: { temperature: 0.2 }, usageDetails: PLAIN_CHAT_USAGE });
      expect(chats[0].input).toHaveLength(2);
      expect(chats[0].output).toEqual([expect.objectContaining({ role: 'assistant' })]);
      expect(chats[0].totalCost).toBeCloseTo(costOf(CHAT_MODEL, PLAIN_CHAT_USAGE), 12);
    });

    it('keeps the streamed call with its content (no usage without its token estimation) and user and session', () => {
      const { trace, chats, embeddings } = parts('traceloop');
      expect(chats).toHaveLength(2);
      expect(chats[1].input).toEqual([expect.objectContaining({ role: 'user' })]);
      expect(chats[1].output).toEqual([expect.objectContaining({ role: 'assistant' })]);
      expect(embeddings).toHaveLength(0); // it does not instrument embeddings
      expect(trace).toMatchObject({ userId: 'user-traceloop', sessionId: 'session-traceloop' });
    });
  });

  describe('@opentelemetry/instrumentation-openai (OTel GenAI semconv)', () => {
    it('prices chat, streamed chat (include_usage) and embeddings from gen_ai.usage.*', () => {
      const { trace, chats, embeddings } = parts('otel');
      expect(chats.map((c: any) => [c.model, c.usageDetails])).toEqual([
        [CHAT_MODEL, PLAIN_CHAT_USAGE],
        [CHAT_MODEL, PLAIN_CHAT_USAGE],
      ]);
      for (const chat of chats) expect(chat.totalCost).toBeCloseTo(costOf(CHAT_MODEL, PLAIN_CHAT_USAGE), 12);
      const embeddingUsage = { input: EMBEDDING_PROMPT_TOKENS, total: EMBEDDING_PROMPT_TOKENS };
      expect(embeddings[0]).toMatchObject({ model: 'text-embedding-3-small', usageDetails: embeddingUsage });
      expect(trace).toMatchObject({ userId: 'user-otel', sessionId: 'session-otel' });
    });

    // Message content travels as OTLP log records joined to the span (OTLP logs).
    it('fills input and output from its gen_ai.* log records (captureMessageContent)', () => {
      const { chats } = parts('otel');
      expect(chats[0].input).toEqual([
        { role: 'system', content: 'Answer in one sentence.' },
        { role: 'user', content: 'What is the capital of France?' },
      ]);
      expect(chats[1].input).toEqual([{ role: 'user', content: 'And again, streamed?' }]);
      for (const chat of chats) {
        expect(chat.output).toEqual([expect.objectContaining({ role: 'assistant', content: ANSWER, finish_reason: 'stop' })]);
      }
    });
  });
});

describe('@traceloop/node-server-sdk (withAssociationProperties, child process)', () => {
  const properties = { user_id: 'user-traceloop-sdk', session_id: 'session-traceloop-sdk', plan: 'pro-traceloop-sdk' };
  let trace: any;
  beforeAll(async () => {
    const { traceId } = await runScenario('traceloop-sdk.cjs', {
      SCENARIO_TRACES_URL: collector.tracesEndpoint,
      SCENARIO_OPENAI_BASE_URL: mock.baseUrl,
      SCENARIO_ASSOCIATION_PROPERTIES: JSON.stringify(properties),
    });
    trace = await storedTrace(traceId);
  });

  it('reads user and session from the association properties and keeps them all as trace metadata', () => {
    expect(trace).toMatchObject({ name: 'answer-question', userId: properties.user_id, sessionId: properties.session_id, metadata: properties });
  });

  it('keeps the association properties on each observation, and a metadata filter finds the trace', async () => {
    expect(trace.observations.length).toBeGreaterThan(1);
    for (const observation of trace.observations) expect(observation.metadata).toMatchObject(properties);
    const { data } = await collector.getJson(`/api/public/traces?metadata=${encodeURIComponent(`plan=${properties.plan}`)}`);
    expect(data.map((t: any) => t.id)).toEqual([trace.id]);
  });
});
