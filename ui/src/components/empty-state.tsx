/** What to do when there is nothing to show yet: how to send the first trace, to this collector. */
import type { ComponentChildren } from 'preact';

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <section class="empty-state">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function FirstTraceHelp() {
  const origin = location.origin;
  return (
    <EmptyState title="No traces yet">
      <p>Point your app's OpenTelemetry exporter at this collector, run it, and traces show up here:</p>
      <pre class="code-block">
        <code>export OTEL_EXPORTER_OTLP_ENDPOINT={origin}</code>
      </pre>
      <p>
        Any OTLP/HTTP exporter works (protobuf or JSON): the OpenTelemetry SDKs, OpenInference, OpenLLMetry, the Vercel AI
        SDK, or the Langfuse SDKs with their host set to <code>{origin}</code>. To try it now:
      </p>
      <pre class="code-block">
        <code>{`curl -s ${origin}/v1/traces -H 'content-type: application/json' -d '{"resourceSpans":[{"scopeSpans":[{"spans":[{
  "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"hello",
  "startTimeUnixNano":"${Date.now()}000000","endTimeUnixNano":"${Date.now() + 1200}000000",
  "attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},
    {"key":"gen_ai.usage.input_tokens","value":{"intValue":"120"}},
    {"key":"gen_ai.usage.output_tokens","value":{"intValue":"40"}}]}]}]}]}'`}</code>
      </pre>
    </EmptyState>
  );
}
