/**
 * Traces for query tests, described as data and recorded with the real OTel SDK, then sent by
 * the real OTLP exporter: each spec becomes a root span carrying the trace facts, with a child
 * generation per `generations` entry and score events per `scores` entry.
 */
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as ours from '../../semconv/spanlite.js';
import * as genAi from '../../semconv/gen-ai.js';
import { recordingProvider, exportSpans, otlpExporter } from '../helpers/otel-sdk.js';

export interface GenerationSpec {
  name?: string;
  model: string;
  inputTokens?: number;
  outputTokens?: number;
  /** USD, reported by the span (wins over the price table). */
  costUsd?: number;
  input?: unknown;
  output?: unknown;
  level?: 'WARNING' | 'ERROR';
  startOffsetMs?: number;
}

export interface ScoreSpec {
  name: string;
  value?: number;
  label?: string;
  dataType?: 'NUMERIC' | 'CATEGORICAL' | 'BOOLEAN';
}

export interface TraceSpec {
  name: string;
  /** Unix ms of the root span's start. */
  startMs: number;
  durationMs?: number;
  userId?: string;
  sessionId?: string;
  tags?: string[];
  environment?: string;
  release?: string;
  version?: string;
  metadata?: Record<string, string | number | boolean>;
  input?: unknown;
  output?: unknown;
  generations?: GenerationSpec[];
  scores?: ScoreSpec[];
  /** The root span ends with status ERROR and this message. */
  error?: string;
}

/** Records the traces; returns their spans and trace ids in spec order. */
export async function recordTraces(specs: readonly TraceSpec[]): Promise<{ spans: ReadableSpan[]; traceIds: string[] }> {
  const provider = recordingProvider('query-tests');
  const { tracer } = provider;
  const traceIds: string[] = [];
  for (const spec of specs) {
    const endMs = spec.startMs + (spec.durationMs ?? 1000);
    const root = tracer.startSpan(spec.name, { startTime: spec.startMs, attributes: rootAttributes(spec) });
    traceIds.push(root.spanContext().traceId);
    const inRoot = trace.setSpan(context.active(), root);
    (spec.generations ?? []).forEach((generation, index) => {
      const startMs = spec.startMs + (generation.startOffsetMs ?? 10 * (index + 1));
      const span = tracer.startSpan(
        generation.name ?? `generation-${index}`,
        { startTime: startMs, attributes: generationAttributes(generation) },
        inRoot,
      );
      span.end(Math.min(endMs, startMs + 100));
    });
    for (const score of spec.scores ?? []) {
      root.addEvent(genAi.GEN_AI_EVALUATION_RESULT_EVENT, scoreAttributes(score), endMs);
    }
    if (spec.error !== undefined) root.setStatus({ code: SpanStatusCode.ERROR, message: spec.error });
    root.end(endMs);
  }
  const spans = provider.finishedSpans();
  await provider.shutdown();
  return { spans, traceIds };
}

/** Records the traces and sends them over OTLP/protobuf; resolves once the collector stored them. */
export async function sendTraces(tracesEndpoint: string, specs: readonly TraceSpec[]): Promise<string[]> {
  const { spans, traceIds } = await recordTraces(specs);
  await exportSpans(otlpExporter('protobuf', tracesEndpoint), spans);
  return traceIds;
}

function rootAttributes(spec: TraceSpec): Record<string, string | number | boolean | string[]> {
  const attributes: Record<string, string | number | boolean | string[]> = { [ours.SPANLITE_TRACE_NAME]: spec.name };
  const set = (key: string, value: string | string[] | undefined) => {
    if (value !== undefined) attributes[key] = value;
  };
  set(ours.SPANLITE_TRACE_USER_ID, spec.userId);
  set(ours.SPANLITE_TRACE_SESSION_ID, spec.sessionId);
  set(ours.SPANLITE_TRACE_TAGS, spec.tags);
  set(ours.SPANLITE_TRACE_ENVIRONMENT, spec.environment);
  set(ours.SPANLITE_TRACE_RELEASE, spec.release);
  set(ours.SPANLITE_TRACE_VERSION, spec.version);
  if (spec.input !== undefined) attributes[ours.SPANLITE_OBSERVATION_INPUT] = attributeText(spec.input);
  if (spec.output !== undefined) attributes[ours.SPANLITE_OBSERVATION_OUTPUT] = attributeText(spec.output);
  for (const [key, value] of Object.entries(spec.metadata ?? {})) {
    attributes[`${ours.SPANLITE_TRACE_METADATA_PREFIX}${key}`] = value;
  }
  return attributes;
}

function generationAttributes(generation: GenerationSpec): Record<string, string | number> {
  const attributes: Record<string, string | number> = {
    [genAi.GEN_AI_OPERATION_NAME]: 'chat',
    [genAi.GEN_AI_REQUEST_MODEL]: generation.model,
  };
  if (generation.inputTokens !== undefined) attributes[genAi.GEN_AI_USAGE_INPUT_TOKENS] = generation.inputTokens;
  if (generation.outputTokens !== undefined) attributes[genAi.GEN_AI_USAGE_OUTPUT_TOKENS] = generation.outputTokens;
  if (generation.costUsd !== undefined) attributes[genAi.GEN_AI_USAGE_COST] = generation.costUsd;
  if (generation.input !== undefined) attributes[ours.SPANLITE_OBSERVATION_INPUT] = attributeText(generation.input);
  if (generation.output !== undefined) attributes[ours.SPANLITE_OBSERVATION_OUTPUT] = attributeText(generation.output);
  if (generation.level !== undefined) attributes[ours.SPANLITE_OBSERVATION_LEVEL] = generation.level;
  return attributes;
}

function scoreAttributes(score: ScoreSpec): Record<string, string | number> {
  const attributes: Record<string, string | number> = {
    [genAi.GEN_AI_EVALUATION_NAME]: score.name,
    [ours.SPANLITE_SCORE_TARGET]: 'trace',
  };
  if (score.value !== undefined) attributes[genAi.GEN_AI_EVALUATION_SCORE_VALUE] = score.value;
  if (score.label !== undefined) attributes[genAi.GEN_AI_EVALUATION_SCORE_LABEL] = score.label;
  if (score.dataType !== undefined) attributes[ours.SPANLITE_SCORE_DATA_TYPE] = score.dataType;
  return attributes;
}

/** Text as an instrumentation sends it: strings as they are, anything else as JSON. */
function attributeText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
