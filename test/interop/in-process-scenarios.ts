/**
 * SDK scenarios that need no module patching, run inside the test process: the Langfuse JS SDK
 * (manual tracing) and the Vercel AI SDK (telemetry through a tracer it is given). Each sends to
 * a real collector the way an app would, and returns the ids to read back. Both rely on an
 * async context manager being registered (the test registers one, as an app's OTel setup does).
 */
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { propagateAttributes, setLangfuseTracerProvider, startActiveObservation } from '@langfuse/tracing';
import { embed, embedMany, generateObject, generateText, stepCountIs, streamObject, streamText, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';
import { TOOL_NAME, TOOL_RESULT } from './mock-openai.js';

export const LANGFUSE = {
  publicKey: 'pk-lf-interop',
  secretKey: 'sk-lf-interop',
  userId: 'user-langfuse',
  sessionId: 'session-langfuse',
  tags: ['interop', 'langfuse'],
  traceName: 'langfuse-interop',
  environment: 'interop',
  release: 'v9.9.9',
} as const;

/**
 * A Langfuse-instrumented request: root span (input, output), a generation calling the mock
 * provider with the raw OpenAI usage object as usageDetails, a tool, and an event; user,
 * session, tags and trace name propagated the SDK's way. Exported by LangfuseSpanProcessor to
 * `<baseUrl>/api/public/otel/v1/traces` with its Basic auth header, as against Langfuse.
 */
export async function runLangfuseScenario(collectorUrl: string, openAiBaseUrl: string): Promise<string> {
  const processor = new LangfuseSpanProcessor({
    publicKey: LANGFUSE.publicKey,
    secretKey: LANGFUSE.secretKey,
    baseUrl: collectorUrl,
    environment: LANGFUSE.environment,
    release: LANGFUSE.release,
    exportMode: 'immediate',
  });
  const provider = new NodeTracerProvider({ spanProcessors: [processor] });
  setLangfuseTracerProvider(provider);
  let traceId = '';
  try {
    await propagateAttributes(
      { userId: LANGFUSE.userId, sessionId: LANGFUSE.sessionId, tags: [...LANGFUSE.tags], traceName: LANGFUSE.traceName },
      () =>
        startActiveObservation('handle-request', async (root) => {
          traceId = root.traceId;
          root.update({ input: { question: 'What is the capital of France?' } });
          const messages = [{ role: 'user', content: 'What is the capital of France?' }];
          const generation = root.startObservation(
            'llm-call',
            { model: 'gpt-4o-mini', input: messages, modelParameters: { temperature: 0.2 } },
            { asType: 'generation' },
          );
          const response = await fetch(`${openAiBaseUrl}/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
            body: JSON.stringify({ model: 'gpt-4o-mini', messages, temperature: 0.2 }),
          });
          const completion = (await response.json()) as any;
          generation.update({ output: completion.choices[0].message, usageDetails: completion.usage }).end();

          const weather = root.startObservation(TOOL_NAME, { input: { city: 'Paris' } }, { asType: 'tool' });
          weather.update({ output: TOOL_RESULT }).end();
          root.startObservation('cache-lookup', { input: { key: 'capital:FR' }, level: 'DEBUG' }, { asType: 'event' });
          root.update({ output: { answer: completion.choices[0].message.content } });
        }),
    );
    await processor.forceFlush();
  } finally {
    await provider.shutdown();
  }
  return traceId;
}

export const VERCEL = {
  functionId: 'weather-chat',
  userId: 'user-vercel',
  sessionId: 'session-vercel',
  tags: ['interop', 'vercel'],
  /** Telemetry metadata that is neither user, session nor tags. */
  metadata: { plan: 'pro-vercel' },
} as const;

export interface VercelScenarioIds {
  /** generateText with a tool, as the root of its own trace. */
  toolTraceId: string;
  /** streamText, embed, embedMany, generateObject and streamObject under the app's own root span. */
  streamTraceId: string;
}

/**
 * The AI SDK with `experimental_telemetry`: generateText that calls a tool (two model steps),
 * then streamText, embed, embedMany, generateObject and streamObject inside an app span. Spans
 * go out through the OTel SDK's OTLP exporter, as in a Next.js app with `@vercel/otel`.
 */
export async function runVercelScenario(tracesEndpoint: string, openAiBaseUrl: string): Promise<VercelScenarioIds> {
  const memory = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'interop-vercel' }),
    spanProcessors: [
      new SimpleSpanProcessor(new OTLPTraceExporter({ url: tracesEndpoint })),
      new SimpleSpanProcessor(memory),
    ],
  });
  const tracer = provider.getTracer('interop-app');
  const openai = createOpenAI({ baseURL: openAiBaseUrl, apiKey: 'sk-test' });
  const telemetry = {
    isEnabled: true,
    tracer,
    functionId: VERCEL.functionId,
    metadata: { userId: VERCEL.userId, sessionId: VERCEL.sessionId, tags: [...VERCEL.tags], ...VERCEL.metadata },
  };
  try {
    await generateText({
      model: openai.chat('gpt-4o-mini'),
      system: 'Answer in one sentence.',
      prompt: 'What is the weather in Paris?',
      tools: {
        [TOOL_NAME]: tool({
          description: 'Current weather for a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async () => TOOL_RESULT,
        }),
      },
      stopWhen: stepCountIs(3),
      experimental_telemetry: telemetry,
    });

    const root = tracer.startSpan('handle-stream');
    await context.with(trace.setSpan(context.active(), root), async () => {
      const stream = streamText({
        model: openai.chat('gpt-4o-mini'),
        prompt: 'What is the capital of France?',
        experimental_telemetry: telemetry,
      });
      await stream.consumeStream();
      await stream.text;
      const embeddingModel = openai.embedding('text-embedding-3-small');
      await embed({ model: embeddingModel, value: 'Paris', experimental_telemetry: telemetry });
      await embedMany({ model: embeddingModel, values: ['Paris', 'Rome'], experimental_telemetry: telemetry });
      const schema = z.object({ capital: z.string() });
      await generateObject({ model: openai.chat('gpt-4o-mini'), schema, prompt: 'Capital of France?', experimental_telemetry: telemetry });
      const objectStream = streamObject({ model: openai.chat('gpt-4o-mini'), schema, prompt: 'Capital of France?', experimental_telemetry: telemetry });
      for await (const _partial of objectStream.partialObjectStream) {
        // drain: the object resolves once the stream is read
      }
      await objectStream.object;
    });
    root.end();
    await provider.forceFlush();
    const spans = memory.getFinishedSpans();
    const toolRoot = spans.find((span) => span.name === 'ai.generateText')!;
    return { toolTraceId: toolRoot.spanContext().traceId, streamTraceId: root.spanContext().traceId };
  } finally {
    await provider.shutdown();
  }
}
