/**
 * OTLP logs end to end: records emitted with the real OTel logs SDK inside a span, sent by the
 * real OTLP log exporters (protobuf and JSON) before, after or around the span, read back over REST.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { collectorPerSuite, jsonBody } from '../helpers/collector.js';
import { exportSpans, otlpExporter, recordingProvider } from '../helpers/otel-sdk.js';
import { exportLogRecords, otlpLogExporter, recordingLoggerProvider } from '../helpers/otel-logs.js';
import * as genAi from '../../semconv/gen-ai.js';
import * as genAiEvents from '../../semconv/gen-ai-events.js';

const SYSTEM_PROMPT = 'You answer in one word.';
const QUESTION = 'What is the capital of France?';
const ANSWER = 'Paris.';

interface ChatScenario {
  traceId: string;
  spanId: string;
  spans: ReadableSpan[];
  /** The GenAI message records: system, user, then the choice. */
  messageRecords: ReadableLogRecord[];
  /** A plain warning log emitted inside the span. */
  warningRecord: ReadableLogRecord;
}

/**
 * A chat span as the official OTel GenAI instrumentations send it: model and tokens on the span,
 * the messages as `gen_ai.*` log records emitted in the span's context.
 */
async function recordChatScenario(): Promise<ChatScenario> {
  const tracing = recordingProvider('chat-app');
  const logs = recordingLoggerProvider('chat-app');
  const span = tracing.tracer.startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    attributes: {
      [genAi.GEN_AI_OPERATION_NAME]: 'chat',
      [genAi.GEN_AI_SYSTEM]: 'openai',
      [genAi.GEN_AI_REQUEST_MODEL]: 'gpt-4o-mini',
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 24,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 2,
    },
  });
  const inSpan = trace.setSpan(context.active(), span);
  const eventAttributes = { [genAi.GEN_AI_SYSTEM]: 'openai' };
  logs.logger.emit({
    eventName: genAiEvents.GEN_AI_SYSTEM_MESSAGE_EVENT,
    body: { content: SYSTEM_PROMPT },
    attributes: eventAttributes,
    context: inSpan,
  });
  logs.logger.emit({
    eventName: genAiEvents.GEN_AI_USER_MESSAGE_EVENT,
    body: { content: QUESTION },
    attributes: eventAttributes,
    context: inSpan,
  });
  logs.logger.emit({
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: 'rate limit nearly reached',
    attributes: { 'http.response.status_code': 200 },
    context: inSpan,
  });
  logs.logger.emit({
    eventName: genAiEvents.GEN_AI_CHOICE_EVENT,
    body: { index: 0, finish_reason: 'stop', message: { content: ANSWER } },
    attributes: eventAttributes,
    context: inSpan,
  });
  span.end();

  const spans = tracing.finishedSpans();
  const records = logs.emittedRecords();
  await Promise.all([tracing.shutdown(), logs.shutdown()]);
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    spans,
    messageRecords: records.filter((record) => record.eventName !== undefined),
    warningRecord: records.find((record) => record.eventName === undefined)!,
  };
}

const EXPECTED_INPUT = [
  { role: 'system', content: SYSTEM_PROMPT },
  { role: 'user', content: QUESTION },
];
const EXPECTED_OUTPUT = [{ role: 'assistant', content: ANSWER, index: 0, finish_reason: 'stop' }];

const collector = collectorPerSuite();

type Arrival = 'before' | 'after' | 'around';

describe.each<[Arrival, 'protobuf' | 'json']>([
  ['before', 'protobuf'],
  ['after', 'json'],
  ['around', 'protobuf'],
])('GenAI message records sent %s their span (OTLP %s)', (arrival, encoding) => {
  let scenario: ChatScenario;
  let stored: any;

  beforeAll(async () => {
    scenario = await recordChatScenario();
    const logExporter = otlpLogExporter(encoding, collector.logsEndpoint);
    const spanExporter = otlpExporter(encoding, collector.tracesEndpoint);
    const [system, user, choice] = scenario.messageRecords;
    if (arrival === 'before') {
      await exportLogRecords(logExporter, [...scenario.messageRecords, scenario.warningRecord]);
      await exportSpans(spanExporter, scenario.spans);
    } else if (arrival === 'after') {
      await exportSpans(spanExporter, scenario.spans);
      await exportLogRecords(logExporter, [...scenario.messageRecords, scenario.warningRecord]);
    } else {
      // the request messages first, the span, then the choice (each in its own export)
      await exportLogRecords(logExporter, [system!, user!]);
      await exportSpans(spanExporter, scenario.spans);
      await exportLogRecords(logExporter, [scenario.warningRecord]);
      await exportLogRecords(logExporter, [choice!]);
    }
    stored = await collector.getJson(`/api/public/traces/${scenario.traceId}`);
  });

  it('fills the generation input with the request messages in order and its output with the choice', () => {
    const generation = stored.observations.find((o: any) => o.id === scenario.spanId);
    expect(generation).toMatchObject({ type: 'GENERATION', model: 'gpt-4o-mini' });
    expect(generation.input).toEqual(EXPECTED_INPUT);
    expect(generation.output).toEqual(EXPECTED_OUTPUT);
  });

  it('gives the trace of a root chat span the same input and output', () => {
    expect(stored.input).toEqual(EXPECTED_INPUT);
    expect(stored.output).toEqual(EXPECTED_OUTPUT);
  });

  it('keeps the other log record as a WARNING EVENT observation under the span, and no message as an event', () => {
    const events = stored.observations.filter((o: any) => o.type === 'EVENT');
    expect(events).toEqual([
      expect.objectContaining({
        parentObservationId: scenario.spanId,
        name: 'log',
        level: 'WARNING',
        input: 'rate limit nearly reached',
        attributes: { 'http.response.status_code': 200 },
        metadata: { severityText: 'WARN', severityNumber: SeverityNumber.WARN },
      }),
    ]);
  });

  it('stores nothing twice when the records and the span are sent again', async () => {
    await exportLogRecords(otlpLogExporter(encoding, collector.logsEndpoint), [
      ...scenario.messageRecords,
      scenario.warningRecord,
    ]);
    await exportSpans(otlpExporter(encoding, collector.tracesEndpoint), scenario.spans);
    const again = await collector.getJson(`/api/public/traces/${scenario.traceId}`);
    expect(again.observations).toEqual(stored.observations);
    expect(again.input).toEqual(EXPECTED_INPUT);
  });
});

describe('OTLP/HTTP logs requests', () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const spanId = '00f067aa0ba902b7';

  function logsRequest(records: unknown[]): string {
    return JSON.stringify({
      resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ scope: { name: 'raw' }, logRecords: records }] }],
    });
  }

  it('refuses a record without trace context in the partial success, naming it and why, and keeps the rest', async () => {
    const response = await fetch(collector.logsEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: logsRequest([
        { timeUnixNano: '1732000000000000000', body: { stringValue: 'app started' } },
        { timeUnixNano: '1732000000000000001', traceId, spanId, body: { stringValue: 'inside a span' } },
      ]),
    });
    expect(response.status).toBe(200);
    const answer = await jsonBody(response);
    expect(answer.partialSuccess.rejectedLogRecords).toBe('1');
    expect(answer.partialSuccess.errorMessage).toBe(
      'log record resourceLogs[0].scopeLogs[0].logRecords[0]: no trace context (traceId empty): ' +
        'spanlite keeps log records only as part of a trace',
    );
  });

  it('accepts gzip-compressed JSON at the Langfuse-style path', async () => {
    const otherTrace = '5b8efff798038103d269b633813fc60c';
    const body = logsRequest([{ timeUnixNano: '1732000000000000000', traceId: otherTrace, body: { stringValue: 'hello' } }]);
    const response = await fetch(`${collector.url}/api/public/otel/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(body),
    });
    expect(response.status).toBe(200);
    expect(await jsonBody(response)).toEqual({});
  });

  it('answers 400 with a Status naming the field for a body that is not a logs export', async () => {
    const response = await fetch(collector.logsEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId, attributes: { a: 1 } }] }] }] }),
    });
    expect(response.status).toBe(400);
    expect(await jsonBody(response)).toEqual({
      code: 3,
      message:
        'invalid OTLP json body: resourceLogs[0].scopeLogs[0].logRecords[0].attributes: expected an array (got object)',
    });
  });

  it('answers 415 for a content type other than protobuf or JSON', async () => {
    const response = await fetch(collector.logsEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.status).toBe(415);
  });
});
