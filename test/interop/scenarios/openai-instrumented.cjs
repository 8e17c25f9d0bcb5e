// An app using the official `openai` client under one OpenAI instrumentation, run as a child
// process by sdk-interop.test.ts: the instrumentations patch `openai` through require hooks,
// which only work when they are registered before the module is first loaded (as in a real
// app's --require setup), not inside vitest's module graph.
//
// Env: SCENARIO_INSTRUMENTATION (openinference | traceloop | otel), SCENARIO_TRACES_URL,
// SCENARIO_LOGS_URL, SCENARIO_OPENAI_BASE_URL. Prints `{"traceId": "..."}` when everything is
// exported. Does: one chat call, one streamed chat call (include_usage), one embeddings call,
// all under one root span.
'use strict';

const { context, metrics, trace } = require('@opentelemetry/api');
const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');

const which = process.env.SCENARIO_INSTRUMENTATION;
const USER_ID = `user-${which}`;
const SESSION_ID = `session-${which}`;
const TAGS = ['interop', which];

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': `interop-${which}` }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: process.env.SCENARIO_TRACES_URL }))],
});
provider.register();

let loggerProvider;
let withAppContext = (fn) => fn();

if (which === 'openinference') {
  const { OpenAIInstrumentation } = require('@arizeai/openinference-instrumentation-openai');
  const instrumentation = new OpenAIInstrumentation();
  instrumentation.setTracerProvider(provider);
  // The SDK's own way to set user, session, tags and metadata: context attributes copied onto its spans.
  const { setMetadata, setSession, setTags, setUser } = require('@arizeai/openinference-core');
  const withIdentity = (ctx) => setTags(setUser(setSession(ctx, { sessionId: SESSION_ID }), { userId: USER_ID }), TAGS);
  withAppContext = (fn) => context.with(setMetadata(withIdentity(context.active()), { plan: `pro-${which}` }), fn);
} else if (which === 'traceloop') {
  const { OpenAIInstrumentation } = require('@traceloop/instrumentation-openai');
  const instrumentation = new OpenAIInstrumentation({ traceContent: true, enrichTokens: false });
  instrumentation.setTracerProvider(provider);
} else if (which === 'otel') {
  const { OpenAIInstrumentation } = require('@opentelemetry/instrumentation-openai');
  const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
  const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');
  loggerProvider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': `interop-${which}` }),
    // sdk-logs 0.2xx processors take an options object.
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: process.env.SCENARIO_LOGS_URL }) })],
  });
  const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
  instrumentation.setTracerProvider(provider);
  instrumentation.setLoggerProvider(loggerProvider);
  // It records token metrics too; its histograms exist only once a meter provider is set.
  instrumentation.setMeterProvider(metrics.getMeterProvider());
} else {
  throw new Error(`unknown SCENARIO_INSTRUMENTATION ${which}`);
}

// Loaded only now, so the instrumentation's require hook patches it.
const { OpenAI } = require('openai');

async function main() {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: process.env.SCENARIO_OPENAI_BASE_URL, maxRetries: 0 });
  const tracer = provider.getTracer('interop-app');
  const root = tracer.startSpan('handle-request', {
    // Where the instrumentation cannot carry user and session, the app's own span does (plain OTel).
    attributes: which === 'openinference' ? {} : { 'user.id': USER_ID, 'session.id': SESSION_ID },
  });
  await context.with(trace.setSpan(context.active(), root), () =>
    withAppContext(async () => {
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Answer in one sentence.' },
          { role: 'user', content: 'What is the capital of France?' },
        ],
        temperature: 0.2,
      });
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'And again, streamed?' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _chunk of stream) {
        // drain
      }
      await client.embeddings.create({ model: 'text-embedding-3-small', input: 'Paris' });
    }),
  );
  root.end();
  await provider.forceFlush();
  if (loggerProvider) await loggerProvider.forceFlush();
  process.stdout.write(JSON.stringify({ traceId: root.spanContext().traceId }) + '\n');
  await provider.shutdown();
  if (loggerProvider) await loggerProvider.shutdown();
}

main().then(
  // Exit at once: everything is flushed, and idle exporter sockets must not keep the child alive.
  () => process.exit(0),
  (error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
    process.exit(1);
  },
);
