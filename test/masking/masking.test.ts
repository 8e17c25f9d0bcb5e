/**
 * Server-side masking end to end: a collector started with SPANLITE_MASK detectors and a
 * SPANLITE_MASK_FILE rule receives spans (real OTel SDK and exporter), GenAI log records and
 * scores carrying secrets; the REST API returns them masked everywhere they were stored, the
 * full-text search cannot find them, and a rule's fields limit where it applies. A bad rule file
 * stops the start naming the rule.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { collectorPerSuite, startTestCollector } from '../helpers/collector.js';
import { exportSpans, otlpExporter, recordingProvider } from '../helpers/otel-sdk.js';
import { parsePrometheusText } from '../helpers/prometheus-text.js';
import { exportLogRecords, otlpLogExporter, recordingLoggerProvider } from '../helpers/otel-logs.js';

const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';
const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';
const CUSTOMER = 'CUST-480213';

const dir = mkdtempSync(join(tmpdir(), 'spanlite-mask-'));
const ruleFile = join(dir, 'mask-rules.json');
// Customer ids are masked in inputs only: outputs keep them.
writeFileSync(ruleFile, JSON.stringify({ rules: [{ name: 'customer_id', pattern: 'CUST-\\d{6}', replacement: '[customer]', fields: ['input'] }] }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('server-side masking', () => {
  const collector = collectorPerSuite({ maskDetectors: ['email', 'credit_card', 'api_key'], maskFile: ruleFile });

  /** A chat span with a child step; resolves with the child's context, for log records. */
  async function sendTrace(): Promise<{ traceId: string; spanId: string }> {
    const provider = recordingProvider('masking', { 'deployment.environment.name': 'test', 'host.owner': EMAIL });
    const root = provider.tracer.startSpan('support chat', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `I am ${EMAIL}, card ${CARD}, customer ${CUSTOMER}` }] }]),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: `Noted for ${CUSTOMER}, mail sent to ${EMAIL}` }] }]),
        'user.id': 'user-7',
        'spanlite.trace.metadata.contact': EMAIL,
        'http.request.header.authorization': `Bearer ${KEY}`,
      },
    });
    root.addEvent('lookup', { 'lookup.query': `find ${EMAIL}` });
    root.setStatus({ code: SpanStatusCode.ERROR, message: `refused for ${EMAIL}` });
    const step = provider.tracer.startSpan('follow-up', {}, trace.setSpan(context.active(), root));
    step.end();
    root.end();
    await exportSpans(otlpExporter('protobuf', collector.tracesEndpoint), provider.finishedSpans());
    await provider.shutdown();
    return { traceId: step.spanContext().traceId, spanId: step.spanContext().spanId };
  }

  it('replaces what the detectors and rules find in every stored field, saying what was masked', async () => {
    const { traceId, spanId } = await sendTrace();
    const logs = recordingLoggerProvider('masking');
    const inSpan = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: 1 });
    logs.logger.emit({ eventName: 'gen_ai.user.message', body: { content: `again: ${EMAIL} ${KEY}` }, context: inSpan });
    logs.logger.emit({ body: `payment with ${CARD} by ${EMAIL}`, context: inSpan });
    await exportLogRecords(otlpLogExporter('protobuf', collector.logsEndpoint), logs.emittedRecords());
    await logs.shutdown();
    const scored = await fetch(`${collector.url}/api/public/scores`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ traceId, name: 'review', value: 0, comment: `complaint from ${EMAIL}` }),
    });
    expect(scored.status).toBe(200);

    const stored = JSON.stringify(await collector.getJson(`/api/public/traces/${traceId}`));

    for (const secret of [EMAIL, CARD, KEY, 'jane.doe', '4111']) expect(stored).not.toContain(secret);
    for (const marker of ['[email]', '[credit_card]', '[api_key]', '[customer]']) expect(stored).toContain(marker);
    const detail = await collector.getJson(`/api/public/traces/${traceId}`);
    expect(detail.metadata).toMatchObject({ contact: '[email]' });
    expect(detail.userId).toBe('user-7');
    const chat = detail.observations.find((observation: { name: string }) => observation.name === 'support chat');
    expect(chat.statusMessage).toBe('refused for [email]');
    expect(chat.attributes['http.request.header.authorization']).toBe('Bearer [api_key]');
    expect(chat.resourceAttributes['host.owner']).toBe('[email]');
    // The rule covers inputs only: the output keeps the customer id, the input does not.
    expect(JSON.stringify(chat.input)).toContain('[customer]');
    const followUp = detail.observations.find((observation: { name: string }) => observation.name === 'follow-up');
    expect(JSON.stringify(followUp.input)).toContain('again: [email] [api_key]');
    expect(JSON.stringify(chat.output)).toContain(CUSTOMER);
    const lookup = detail.observations.find((observation: { name: string }) => observation.name === 'lookup');
    expect(JSON.stringify(lookup)).toContain('find [email]');
    const logLine = detail.observations.find((observation: { type: string; input: unknown }) =>
      observation.type === 'EVENT' && JSON.stringify(observation.input).includes('payment'));
    expect(logLine.input).toBe('payment with [credit_card] by [email]');
    expect(detail.scores[0].comment).toBe('complaint from [email]');

    const metrics = parsePrometheusText(await (await fetch(`${collector.url}/metrics`)).text());
    expect(metrics.types.get('spanlite_masked_values_total')).toBe('counter');
    expect(metrics.value('spanlite_masked_values_total', { rule: 'credit_card' })).toBe(2);
    expect(metrics.value('spanlite_masked_values_total', { rule: 'api_key' })).toBe(2);
    expect(metrics.value('spanlite_masked_values_total', { rule: 'customer_id' })).toBe(1);
    expect(metrics.value('spanlite_masked_values_total', { rule: 'email' })).toBeGreaterThanOrEqual(8);
  });

  it('leaves nothing masked to be found by the full-text search', async () => {
    await sendTrace();
    const search = (q: string) => collector.getJson(`/api/public/traces?q=${encodeURIComponent(q)}`);

    expect((await search('jane.doe')).data).toEqual([]);
    expect((await search(`"${EMAIL}"`)).data).toEqual([]);
    expect((await search('support')).data.length).toBeGreaterThan(0);
  });
});

describe('a bad masking rule file', () => {
  it('stops the start, naming the rule and what is wrong with it', async () => {
    const badFile = join(dir, 'bad-rules.json');
    writeFileSync(badFile, JSON.stringify({ rules: [{ name: 'ok', pattern: 'x+', replacement: '[x]' }, { name: 'broken', pattern: '(unclosed', replacement: '[y]' }] }));
    await expect(startTestCollector({ maskFile: badFile })).rejects.toThrow(
      new RegExp(`^SPANLITE_MASK_FILE ${badFile}: rule 2 \\("broken"\\): pattern: Invalid regular expression`),
    );
  });
});
