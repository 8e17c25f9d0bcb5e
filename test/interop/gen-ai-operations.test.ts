/**
 * The GenAI operations of today's semantic conventions, sent by the real OTel SDK and exporter to a
 * collector on an ephemeral port and read back over REST. The attribute names and operation
 * values come from the official `@opentelemetry/semantic-conventions/incubating` package (test
 * only: spanlite never loads it), so a rename there shows up here. The memory operations are
 * newer than the package (semantic-conventions-genai): their names are spanlite's constants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, trace as otelTrace, type Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_DATA_SOURCE_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RETRIEVAL_DOCUMENTS,
  ATTR_GEN_AI_RETRIEVAL_QUERY_TEXT,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_WORKFLOW_NAME,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
  GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL,
} from '@opentelemetry/semantic-conventions/incubating';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { exportSpans, otlpExporter, recordingProvider, type RecordingProvider } from '../helpers/otel-sdk.js';
import { GEN_AI_MEMORY_QUERY_TEXT, GEN_AI_MEMORY_RECORDS, GenAiOperation } from '../../semconv/gen-ai.js';

const DOCUMENTS = [
  { id: 'doc_123', score: 0.95, content: 'Paris is the capital of France.' },
  { id: 'doc_456', score: 0.87, content: 'France is in Europe.' },
];
const TOOL_ARGUMENTS = { location: 'Paris' };
const TOOL_RESULT = { temperature: 21 };
const MEMORY_RECORDS = [{ id: 'mem_1', content: 'User prefers metric units', score: 0.9 }];

let collector: TestCollector;
let provider: RecordingProvider;
let stored: any;

beforeAll(async () => {
  [collector, provider] = [await startTestCollector(), recordingProvider('gen-ai-operations')];
  const { tracer } = provider;
  const workflow = tracer.startSpan('invoke_workflow support-pipeline', {
    attributes: {
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW,
      [ATTR_GEN_AI_WORKFLOW_NAME]: 'support-pipeline',
    },
  });
  const inWorkflow = otelTrace.setSpan(context.active(), workflow);
  const step = (name: string, attributes: Attributes) => tracer.startSpan(name, { attributes }, inWorkflow).end();
  step('retrieval H7STPQYOND', {
    [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_RETRIEVAL,
    [ATTR_GEN_AI_DATA_SOURCE_ID]: 'H7STPQYOND',
    [ATTR_GEN_AI_REQUEST_MODEL]: 'text-embedding-3-small',
    [ATTR_GEN_AI_RETRIEVAL_QUERY_TEXT]: 'capital of France',
    [ATTR_GEN_AI_RETRIEVAL_DOCUMENTS]: JSON.stringify(DOCUMENTS),
  });
  step('execute_tool get_weather', {
    [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
    [ATTR_GEN_AI_TOOL_NAME]: 'get_weather',
    [ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: JSON.stringify(TOOL_ARGUMENTS),
    [ATTR_GEN_AI_TOOL_CALL_RESULT]: JSON.stringify(TOOL_RESULT),
  });
  step(GenAiOperation.SEARCH_MEMORY, {
    [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperation.SEARCH_MEMORY,
    [ATTR_GEN_AI_REQUEST_MODEL]: 'text-embedding-3-small',
    [GEN_AI_MEMORY_QUERY_TEXT]: 'unit preferences',
    [GEN_AI_MEMORY_RECORDS]: JSON.stringify(MEMORY_RECORDS),
  });
  step(GenAiOperation.UPSERT_MEMORY, { [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperation.UPSERT_MEMORY });
  workflow.end();
  await exportSpans(otlpExporter('protobuf', collector.tracesEndpoint), provider.finishedSpans());
  stored = await collector.getJson(`/api/public/traces/${workflow.spanContext().traceId}`);
});

afterAll(async () => {
  await Promise.all([provider?.shutdown(), collector?.close()]);
});

function byName(name: string): any {
  return stored.observations.find((o: any) => o.name === name);
}

describe('GenAI operations of the current semantic conventions, through a collector', () => {
  it('stores an invoke_workflow span as a CHAIN, the parent of the operations it ran', () => {
    const workflow = byName('invoke_workflow support-pipeline');
    expect(workflow).toMatchObject({ type: 'CHAIN', parentObservationId: null });
    for (const child of stored.observations.filter((o: any) => o.id !== workflow.id)) {
      expect(child.parentObservationId).toBe(workflow.id);
    }
  });

  it('stores a retrieval as a RETRIEVER: query text in, documents out, data source in attributes', () => {
    expect(byName('retrieval H7STPQYOND')).toMatchObject({
      type: 'RETRIEVER',
      input: 'capital of France',
      output: DOCUMENTS,
      attributes: { [ATTR_GEN_AI_DATA_SOURCE_ID]: 'H7STPQYOND' },
    });
  });

  it('stores execute_tool as a TOOL named for its tool, with its call arguments and result', () => {
    expect(byName('get_weather')).toMatchObject({ type: 'TOOL', input: TOOL_ARGUMENTS, output: TOOL_RESULT });
  });

  it('stores memory operations as SPANs that keep their operation, even one naming a model', () => {
    expect(byName(GenAiOperation.SEARCH_MEMORY)).toMatchObject({
      type: 'SPAN',
      input: 'unit preferences',
      output: MEMORY_RECORDS,
      attributes: { [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperation.SEARCH_MEMORY },
    });
    expect(byName(GenAiOperation.UPSERT_MEMORY)).toMatchObject({
      type: 'SPAN',
      attributes: { [ATTR_GEN_AI_OPERATION_NAME]: GenAiOperation.UPSERT_MEMORY },
    });
  });
});
