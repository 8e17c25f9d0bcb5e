/**
 * What the browser tests look at, recorded with the real OTel SDK and sent with the real OTLP
 * exporter: the seed scenario, an agent trace with a tool call, a three-turn chat session, a
 * Chinese translation, an ERROR trace, and a few weeks' worth of background traces on several
 * models (so the list, the dashboard and the screenshots look like a real app's).
 */
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as ours from '../../semconv/spanlite.js';
import * as genAi from '../../semconv/gen-ai.js';
import { exportSpans, otlpExporter, recordingProvider } from '../helpers/otel-sdk.js';
import { recordSeedScenario } from '../helpers/seed-scenario.js';
import { recordTraces, type TraceSpec } from '../query/trace-builder.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const CHAT = {
  sessionId: 'chat-42',
  userId: 'alice',
  turns: [
    { question: 'Hi! Can you recommend a book about Rome?', answer: 'Try "SPQR" by Mary Beard: a readable history of ancient Rome.' },
    { question: 'Is it long?', answer: 'About 600 pages, but the chapters stand alone.' },
    { question: 'Thanks, anything shorter?', answer: '"Rome: A History in Seven Sackings" is shorter and lively.' },
  ],
} as const;

export const CHINESE = {
  name: 'translate',
  userId: 'bob',
  phrase: '今天天气很好',
  input: '请把这句话翻译成英文：今天天气很好，我们去公园散步吧。',
  output: 'The weather is nice today, let us take a walk in the park.',
} as const;

export const FAILING = { name: 'summarize', userId: 'carol', error: 'upstream model timeout after 30 s' } as const;

export const AGENT = { name: 'weather-agent', userId: 'dave', tool: 'get_weather', model: 'gpt-4.1' } as const;

export interface UiScenario {
  seedTraceId: string;
  agentTraceId: string;
  chatTraceIds: string[];
  chineseTraceId: string;
  failingTraceId: string;
  backgroundCount: number;
}

/** Sends everything to the collector; resolves once it is stored. */
export async function sendUiScenario(tracesEndpoint: string, nowMs = Date.now()): Promise<UiScenario> {
  const exporter = otlpExporter('protobuf', tracesEndpoint);
  const seed = await recordSeedScenario();
  const agent = await recordAgentTrace(nowMs - 3 * MINUTE);
  const chat = await recordTraces(chatTurns(nowMs - 20 * MINUTE));
  const singles = await recordTraces([
    {
      name: CHINESE.name,
      startMs: nowMs - 40 * MINUTE,
      durationMs: 900,
      userId: CHINESE.userId,
      tags: ['batch', 'zh'],
      environment: 'staging',
      input: CHINESE.input,
      output: CHINESE.output,
      generations: [{ name: 'translate-llm', model: 'gpt-4o-mini', inputTokens: 60, outputTokens: 18, input: CHINESE.input, output: CHINESE.output }],
      scores: [{ name: 'helpfulness', value: 0.4 }],
    },
    {
      name: FAILING.name,
      startMs: nowMs - 55 * MINUTE,
      durationMs: 30_400,
      userId: FAILING.userId,
      tags: ['batch'],
      metadata: { plan: 'free' },
      input: { document: 'Quarterly report, 40 pages' },
      generations: [{ name: 'summarize-llm', model: 'claude-sonnet-4', inputTokens: 5200, level: 'ERROR' }],
      error: FAILING.error,
    },
  ]);
  const background = await recordTraces(backgroundTraces(nowMs));
  await exportSpans(exporter, [...seed, ...agent.spans, ...chat.spans, ...singles.spans, ...background.spans]);
  await exporter.shutdown();
  return {
    seedTraceId: seed[0]!.spanContext().traceId,
    agentTraceId: agent.traceId,
    chatTraceIds: chat.traceIds,
    chineseTraceId: singles.traceIds[0]!,
    failingTraceId: singles.traceIds[1]!,
    backgroundCount: background.traceIds.length,
  };
}

function chatTurns(startMs: number): TraceSpec[] {
  const history: Array<{ role: string; content: string }> = [{ role: 'system', content: 'You are a friendly librarian.' }];
  return CHAT.turns.map((turn, index) => {
    history.push({ role: 'user', content: turn.question });
    const input = [...history];
    history.push({ role: 'assistant', content: turn.answer });
    return {
      name: 'chat-turn',
      startMs: startMs + index * 2 * MINUTE,
      durationMs: 1200 + index * 300,
      userId: CHAT.userId,
      sessionId: CHAT.sessionId,
      tags: ['chat'],
      metadata: { plan: 'pro' },
      input: turn.question,
      output: turn.answer,
      generations: [
        {
          name: 'chat-llm',
          model: 'gpt-4o-mini',
          inputTokens: 40 + index * 30,
          outputTokens: 25,
          input,
          output: [{ role: 'assistant', content: turn.answer }],
        },
      ],
      scores: index === 0 ? [{ name: 'sentiment', label: 'positive', dataType: 'CATEGORICAL' }] : [],
    };
  });
}

/** An agent: a generation asking for a tool, the tool, and a final generation using its result. */
async function recordAgentTrace(startMs: number): Promise<{ spans: ReadableSpan[]; traceId: string }> {
  const provider = recordingProvider('weather-bot');
  const { tracer } = provider;
  const question = 'What should I wear in Paris today?';
  const toolCall = { id: 'call_1', type: 'function', function: { name: AGENT.tool, arguments: '{"city":"Paris"}' } };
  const toolResult = '{"temperature_c":14,"sky":"light rain"}';
  const answer = 'It is 14 °C with light rain in Paris: take a light jacket and an umbrella.';
  const root = tracer.startSpan('invoke_agent weather', {
    startTime: startMs,
    attributes: {
      [genAi.GEN_AI_OPERATION_NAME]: 'invoke_agent',
      [ours.SPANLITE_TRACE_NAME]: AGENT.name,
      [ours.SPANLITE_TRACE_USER_ID]: AGENT.userId,
      [ours.SPANLITE_TRACE_TAGS]: ['agent', 'production'],
      [ours.SPANLITE_TRACE_RELEASE]: 'v2.3.0',
      [ours.SPANLITE_OBSERVATION_INPUT]: question,
    },
  });
  const inRoot = trace.setSpan(context.active(), root);
  const system = { role: 'system', content: 'You help people dress for the weather. Use the tools.' };
  /** A chat call on AGENT.model, from `fromMs` to `toMs` after the start. */
  const chat = (fromMs: number, toMs: number, tokens: [number, number], input: unknown[], output: unknown[]) =>
    tracer
      .startSpan(
        'chat gpt-4.1',
        {
          startTime: startMs + fromMs,
          attributes: {
            [genAi.GEN_AI_OPERATION_NAME]: 'chat',
            [genAi.GEN_AI_REQUEST_MODEL]: AGENT.model,
            [genAi.GEN_AI_REQUEST_TEMPERATURE]: 0,
            [genAi.GEN_AI_USAGE_INPUT_TOKENS]: tokens[0],
            [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: tokens[1],
            [ours.SPANLITE_OBSERVATION_INPUT]: JSON.stringify(input),
            [ours.SPANLITE_OBSERVATION_OUTPUT]: JSON.stringify(output),
          },
        },
        inRoot,
      )
      .end(startMs + toMs);
  chat(20, 820, [310, 22], [system, { role: 'user', content: question }], [{ role: 'assistant', content: null, tool_calls: [toolCall] }]);
  const tool = tracer.startSpan(
    `execute_tool ${AGENT.tool}`,
    {
      startTime: startMs + 830,
      attributes: {
        [genAi.GEN_AI_OPERATION_NAME]: 'execute_tool',
        [genAi.GEN_AI_TOOL_NAME]: AGENT.tool,
        [genAi.GEN_AI_TOOL_CALL_ARGUMENTS]: '{"city":"Paris"}',
        [genAi.GEN_AI_TOOL_CALL_RESULT]: toolResult,
      },
    },
    inRoot,
  );
  tool.end(startMs + 1130);
  chat(
    1140,
    2040,
    [365, 31],
    [
      system,
      { role: 'user', content: question },
      { role: 'assistant', content: null, tool_calls: [toolCall] },
      { role: 'tool', tool_call_id: 'call_1', content: toolResult },
    ],
    [{ role: 'assistant', content: answer }],
  );
  root.addEvent(genAi.GEN_AI_EVALUATION_RESULT_EVENT, {
    [genAi.GEN_AI_EVALUATION_NAME]: 'helpfulness',
    [genAi.GEN_AI_EVALUATION_SCORE_VALUE]: 0.85,
    [ours.SPANLITE_SCORE_TARGET]: 'trace',
  }, startMs + 2050);
  root.setAttribute(ours.SPANLITE_OBSERVATION_OUTPUT, answer);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end(startMs + 2060);
  const traceId = root.spanContext().traceId;
  const spans = provider.finishedSpans();
  await provider.shutdown();
  return { spans, traceId };
}

const BACKGROUND_MODELS = ['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4', 'gemini-2.5-flash'] as const;
const BACKGROUND_NAMES = ['rag-answer', 'classify-ticket', 'extract-invoice'] as const;

/** Two to four traces a day over the last 10 days, on varied models, users and latencies. */
function backgroundTraces(nowMs: number): TraceSpec[] {
  const specs: TraceSpec[] = [];
  for (let day = 10; day >= 1; day--) {
    const perDay = 2 + (day % 3);
    for (let i = 0; i < perDay; i++) {
      const n = day * 7 + i;
      const model = BACKGROUND_MODELS[n % BACKGROUND_MODELS.length]!;
      specs.push({
        name: BACKGROUND_NAMES[n % BACKGROUND_NAMES.length]!,
        startMs: nowMs - day * DAY + i * 47 * MINUTE,
        durationMs: 400 + ((n * 373) % 2600),
        userId: `user_${(n % 6) + 1}`,
        tags: [n % 2 === 0 ? 'production' : 'staging-canary'],
        input: `Request ${n}`,
        output: `Answer ${n}`,
        generations: [{ model, inputTokens: 200 + ((n * 97) % 1800), outputTokens: 30 + ((n * 31) % 400) }],
        error: n % 11 === 0 ? 'rate limited by the provider' : undefined,
      });
    }
  }
  return specs;
}
