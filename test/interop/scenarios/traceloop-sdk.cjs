// An app on the Traceloop SDK (@traceloop/node-server-sdk), run as a child process by
// sdk-interop.test.ts: the SDK sets up OpenTelemetry globally and instruments `openai`. A workflow
// runs one chat call inside withAssociationProperties, whose properties the SDK copies onto every
// span within as `traceloop.association.properties.*`.
//
// Env: SCENARIO_TRACES_URL, SCENARIO_OPENAI_BASE_URL, SCENARIO_ASSOCIATION_PROPERTIES (JSON object).
// Prints `{"traceId": "..."}` when everything is exported.
'use strict';

const { trace, context } = require('@opentelemetry/api');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const traceloop = require('@traceloop/node-server-sdk');
const { OpenAI } = require('openai');

traceloop.initialize({
  appName: 'interop-traceloop-sdk',
  exporter: new OTLPTraceExporter({ url: process.env.SCENARIO_TRACES_URL }),
  disableBatch: true,
  instrumentModules: { openAI: OpenAI },
  silenceInitializationMessage: true,
  traceloopSyncEnabled: false,
});

async function main() {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: process.env.SCENARIO_OPENAI_BASE_URL, maxRetries: 0 });
  const properties = JSON.parse(process.env.SCENARIO_ASSOCIATION_PROPERTIES);
  const traceId = await traceloop.withAssociationProperties(properties, () =>
    traceloop.withWorkflow({ name: 'answer-question' }, async () => {
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'What is the capital of France?' }],
      });
      return trace.getSpan(context.active()).spanContext().traceId;
    }),
  );
  await traceloop.forceFlush();
  process.stdout.write(JSON.stringify({ traceId }) + '\n');
}

main().then(
  // Exit at once: everything is flushed, and idle exporter sockets must not keep the child alive.
  () => process.exit(0),
  (error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
    process.exit(1);
  },
);
