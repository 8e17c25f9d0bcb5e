/**
 * Traces described as data, and the span attributes that carry them: the trace facts on the root
 * span, a GenAI chat call per generation, an evaluation-result event per score. The OTLP query
 * tests record these with the OTel SDK; the store contract suite decodes them directly.
 */
import * as ours from '../../semconv/spanlite.js';
import * as genAi from '../../semconv/gen-ai.js';

export interface GenerationSpec {
  name?: string;
  model: string;
  /** gen_ai.provider.name: who serves the model. */
  provider?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** USD, reported by the span (wins over the price table). */
  costUsd?: number;
  input?: unknown;
  output?: unknown;
  level?: 'DEBUG' | 'WARNING' | 'ERROR';
  /** From the trace's start; default 10 ms times (index + 1). */
  startOffsetMs?: number;
}

export interface ScoreSpec {
  name: string;
  value?: number;
  label?: string;
  dataType?: 'NUMERIC' | 'CATEGORICAL' | 'BOOLEAN';
  /** Default `<span id>-s<n>`, as the mapper names scores. */
  id?: string;
  comment?: string;
  source?: 'API' | 'EVAL' | 'ANNOTATION';
}

export interface TraceFactsSpec {
  /** The trace name, given explicitly; the root span is named so too. */
  name?: string;
  /** Unix ms of the root span's start. */
  startMs: number;
  /** Root span (and trace) duration; default 1000. */
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
  /** The root span ends with status ERROR and this message. */
  error?: string;
}

export function rootAttributes(spec: TraceFactsSpec): Record<string, string | number | boolean | string[]> {
  const attributes: Record<string, string | number | boolean | string[]> = {};
  const set = (key: string, value: string | string[] | undefined) => {
    if (value !== undefined) attributes[key] = value;
  };
  set(ours.SPANLITE_TRACE_NAME, spec.name);
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

export function generationAttributes(generation: GenerationSpec): Record<string, string | number> {
  const attributes: Record<string, string | number> = {
    [genAi.GEN_AI_OPERATION_NAME]: 'chat',
    [genAi.GEN_AI_REQUEST_MODEL]: generation.model,
  };
  if (generation.provider !== undefined) attributes[genAi.GEN_AI_PROVIDER_NAME] = generation.provider;
  if (generation.inputTokens !== undefined) attributes[genAi.GEN_AI_USAGE_INPUT_TOKENS] = generation.inputTokens;
  if (generation.outputTokens !== undefined) attributes[genAi.GEN_AI_USAGE_OUTPUT_TOKENS] = generation.outputTokens;
  if (generation.costUsd !== undefined) attributes[genAi.GEN_AI_USAGE_COST] = generation.costUsd;
  if (generation.input !== undefined) attributes[ours.SPANLITE_OBSERVATION_INPUT] = attributeText(generation.input);
  if (generation.output !== undefined) attributes[ours.SPANLITE_OBSERVATION_OUTPUT] = attributeText(generation.output);
  if (generation.level !== undefined) attributes[ours.SPANLITE_OBSERVATION_LEVEL] = generation.level;
  return attributes;
}

/** The attributes of a score's evaluation-result event; `onTrace` scores the trace rather than the span. */
export function scoreAttributes(score: ScoreSpec, onTrace: boolean): Record<string, string | number> {
  const attributes: Record<string, string | number> = { [genAi.GEN_AI_EVALUATION_NAME]: score.name };
  if (onTrace) attributes[ours.SPANLITE_SCORE_TARGET] = 'trace';
  if (score.value !== undefined) attributes[genAi.GEN_AI_EVALUATION_SCORE_VALUE] = score.value;
  if (score.label !== undefined) attributes[genAi.GEN_AI_EVALUATION_SCORE_LABEL] = score.label;
  if (score.dataType !== undefined) attributes[ours.SPANLITE_SCORE_DATA_TYPE] = score.dataType;
  if (score.id !== undefined) attributes[ours.SPANLITE_SCORE_ID] = score.id;
  if (score.comment !== undefined) attributes[genAi.GEN_AI_EVALUATION_EXPLANATION] = score.comment;
  if (score.source !== undefined) attributes[ours.SPANLITE_SCORE_SOURCE] = score.source;
  return attributes;
}

/** Text as an instrumentation sends it: strings as they are, anything else as JSON. */
function attributeText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A trace with a name, generations and scores: what both suites' fixtures describe. */
export interface NamedTraceSpec extends TraceFactsSpec {
  name: string;
  generations?: GenerationSpec[];
  scores?: ScoreSpec[];
}
