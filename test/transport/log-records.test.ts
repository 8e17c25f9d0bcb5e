/**
 * The logs decoder and mapLogRecords on plain data: what each kind of record becomes, and what
 * is refused and why.
 */
import { describe, expect, it } from 'vitest';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { context, trace } from '@opentelemetry/api';
import { decodeJsonLogs, decodeProtobufLogs } from '../../collector/decode/logs.js';
import { mapLogRecords } from '../../collector/mapping/log-records.js';
import type { DecodedLogRecord } from '../../collector/decode/log-record.js';
import { recordingLoggerProvider } from '../helpers/otel-logs.js';
import { recordingProvider } from '../helpers/otel-sdk.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

function record(overrides: Partial<DecodedLogRecord> = {}): DecodedLogRecord {
  return {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    timeUnixNano: 1_732_000_000_000_000_000n,
    severityNumber: 0,
    severityText: '',
    eventName: '',
    body: null,
    attributes: {},
    resource: { 'service.name': 'svc' },
    scope: { name: 'scope', version: '1', attributes: {} },
    position: 'resourceLogs[0].scopeLogs[0].logRecords[0]',
    ...overrides,
  };
}

describe('decoding OTLP logs', () => {
  it('reads a real protobuf export: ids, times, severity, event name, body and attributes', async () => {
    const tracing = recordingProvider();
    const logs = recordingLoggerProvider('decode-test');
    const span = tracing.tracer.startSpan('s');
    logs.logger.emit({
      eventName: 'gen_ai.user.message',
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: { content: 'hi', nested: [1, true] },
      attributes: { 'gen_ai.system': 'openai' },
      context: trace.setSpan(context.active(), span),
    });
    const [emitted] = logs.emittedRecords();
    await Promise.all([tracing.shutdown(), logs.shutdown()]);

    const decoded = decodeProtobufLogs(ProtobufLogsSerializer.serializeRequest([emitted!])!);
    expect(decoded.refused).toEqual([]);
    expect(decoded.records).toEqual([
      expect.objectContaining({
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        eventName: 'gen_ai.user.message',
        severityNumber: SeverityNumber.INFO,
        severityText: 'INFO',
        body: { content: 'hi', nested: [1, true] },
        attributes: { 'gen_ai.system': 'openai' },
        resource: expect.objectContaining({ 'service.name': 'decode-test' }),
        scope: { name: 'spanlite-test-logs', version: '0.0.1', attributes: {} },
      }),
    ]);
    expect(decoded.records[0]!.timeUnixNano).toBeGreaterThan(0n);
  });

  it('accepts proto field names and enum names in JSON, and reads absent or all-zero ids as none', () => {
    const decoded = decodeJsonLogs({
      resource_logs: [{
        scope_logs: [{
          log_records: [
            { time_unix_nano: '5', severity_number: 'SEVERITY_NUMBER_WARN', event_name: 'x', trace_id: TRACE_ID },
            { observedTimeUnixNano: '7', traceId: '0'.repeat(32), spanId: '' },
          ],
        }],
      }],
    });
    expect(decoded.records.map(({ traceId, spanId, timeUnixNano, severityNumber, eventName }) => ({
      traceId, spanId, timeUnixNano, severityNumber, eventName,
    }))).toEqual([
      { traceId: TRACE_ID, spanId: null, timeUnixNano: 5n, severityNumber: 13, eventName: 'x' },
      { traceId: null, spanId: null, timeUnixNano: 7n, severityNumber: 0, eventName: '' },
    ]);
  });

  it('refuses a record whose ids have the wrong length, naming its position, and keeps the others', () => {
    const decoded = decodeJsonLogs({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: 'abc' }, { traceId: TRACE_ID }] }] }],
    });
    expect(decoded.records).toHaveLength(1);
    expect(decoded.refused).toEqual([
      {
        record: 'resourceLogs[0].scopeLogs[0].logRecords[0]',
        reason: 'traceId: expected 32 hex characters or none (got "abc")',
      },
    ]);
  });
});

describe('mapLogRecords', () => {
  it('turns GenAI message events into input and output messages of their span, roles from the event name', () => {
    const { logs } = mapLogRecords({
      records: [
        record({ eventName: 'gen_ai.system.message', body: { content: 'be brief' } }),
        record({ attributes: { 'event.name': 'gen_ai.tool.message' }, body: { content: '42', id: 'call_1' } }),
        record({ eventName: 'gen_ai.assistant.message', body: { tool_calls: [{ id: 'call_1' }] } }),
        record({
          eventName: 'gen_ai.choice',
          body: { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } },
        }),
      ],
      refused: [],
    });
    expect(logs.events).toEqual([]);
    expect(logs.messages.map(({ direction, message }) => ({ direction, message }))).toEqual([
      { direction: 'input', message: { role: 'system', content: 'be brief' } },
      { direction: 'input', message: { role: 'tool', content: '42', id: 'call_1' } },
      { direction: 'input', message: { role: 'assistant', tool_calls: [{ id: 'call_1' }] } },
      { direction: 'output', message: { role: 'assistant', content: 'ok', index: 0, finish_reason: 'stop' } },
    ]);
  });

  it('splits a semconv 1.37 operation-details event into the system instructions, input and output messages', () => {
    const { logs } = mapLogRecords({
      records: [
        record({
          eventName: 'gen_ai.client.inference.operation.details',
          attributes: {
            'gen_ai.system_instructions': 'be brief',
            'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
            'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"hello"}]}]',
          },
        }),
      ],
      refused: [],
    });
    expect(logs.messages.map(({ direction, message }) => [direction, (message as any).role])).toEqual([
      ['input', 'system'],
      ['input', 'user'],
      ['output', 'assistant'],
    ]);
    expect(new Set(logs.messages.map((m) => m.id)).size).toBe(3);
  });

  it('keeps a message event without a span id as an EVENT at the top of its trace', () => {
    const { logs } = mapLogRecords({ records: [record({ spanId: null, eventName: 'gen_ai.user.message' })], refused: [] });
    expect(logs.messages).toEqual([]);
    expect(logs.events).toEqual([
      expect.objectContaining({ type: 'EVENT', traceId: TRACE_ID, parentObservationId: null, name: 'gen_ai.user.message' }),
    ]);
  });

  it('maps severity to level, and exception attributes to the status message', () => {
    const { logs } = mapLogRecords({
      records: [
        record({ severityNumber: 17, attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'slow' } }),
        record({ severityNumber: 5, body: 'debug' }),
        record({ severityText: 'warning', body: 'text only' }),
      ],
      refused: [],
    });
    expect(logs.events.map((e) => [e.level, e.statusMessage])).toEqual([
      ['ERROR', 'TimeoutError: slow'],
      ['DEBUG', null],
      ['WARNING', null],
    ]);
  });

  it('gives identical records in one export distinct ids, and the same ids when the export is sent again', () => {
    const twice = { records: [record({ body: 'same' }), record({ body: 'same' })], refused: [] };
    const first = mapLogRecords(twice).logs.events.map((e) => e.id);
    expect(new Set(first).size).toBe(2);
    expect(mapLogRecords(twice).logs.events.map((e) => e.id)).toEqual(first);
  });

  it('refuses a record without trace context, and counts only the others as accepted', () => {
    const result = mapLogRecords({ records: [record({ traceId: null, spanId: null }), record()], refused: [] });
    expect(result.accepted).toBe(1);
    expect(result.refused).toEqual([
      {
        record: 'resourceLogs[0].scopeLogs[0].logRecords[0]',
        reason: 'no trace context (traceId empty): spanlite keeps log records only as part of a trace',
      },
    ]);
  });
});
