/**
 * The public API's shapes as span attributes. GenAI conventions where they name the fact
 * (model, usage, operation, evaluation), spanlite names for the rest. Pure functions: no span,
 * no clock.
 */
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import {
  GEN_AI_AGENT_NAME,
  GEN_AI_EVALUATION_EXPLANATION,
  GEN_AI_EVALUATION_NAME,
  GEN_AI_EVALUATION_SCORE_LABEL,
  GEN_AI_EVALUATION_SCORE_VALUE,
  GEN_AI_OPERATION_NAME,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_TOOL_NAME,
  GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  GEN_AI_USAGE_TOTAL_TOKENS,
  GenAiOperation,
} from '../semconv/gen-ai.js';
import { SESSION_ID, USER_ID } from '../semconv/otel.js';
import {
  SPANLITE_EVENT_LEVEL,
  SPANLITE_OBSERVATION_COMPLETION_START_TIME,
  SPANLITE_OBSERVATION_COST,
  SPANLITE_OBSERVATION_INPUT,
  SPANLITE_OBSERVATION_LEVEL,
  SPANLITE_OBSERVATION_METADATA_PREFIX,
  SPANLITE_OBSERVATION_MODEL_PARAMETERS,
  SPANLITE_OBSERVATION_OUTPUT,
  SPANLITE_OBSERVATION_STATUS_MESSAGE,
  SPANLITE_OBSERVATION_TYPE,
  SPANLITE_OBSERVATION_VERSION,
  SPANLITE_SCORE_DATA_TYPE,
  SPANLITE_SCORE_ID,
  SPANLITE_SCORE_OBSERVATION_ID,
  SPANLITE_SCORE_SOURCE,
  SPANLITE_SCORE_TARGET,
  SPANLITE_TRACE_ENVIRONMENT,
  SPANLITE_TRACE_INPUT,
  SPANLITE_TRACE_METADATA_PREFIX,
  SPANLITE_TRACE_NAME,
  SPANLITE_TRACE_OUTPUT,
  SPANLITE_TRACE_PUBLIC,
  SPANLITE_TRACE_RELEASE,
  SPANLITE_TRACE_SESSION_ID,
  SPANLITE_TRACE_TAGS,
  SPANLITE_TRACE_USER_ID,
  SPANLITE_TRACE_VERSION,
} from '../semconv/spanlite.js';
import { DEFAULT_MAX_CHARS, TRUNCATION_MARKER, serialize } from './serialize.js';
import type { EventParams, ObservationType, ObservationUpdate, ScoreParams, TraceUpdate, Usage } from './types.js';

/** Usage buckets and the GenAI attribute each is sent as. */
const USAGE_ATTRIBUTES: ReadonlyArray<readonly [keyof Usage, string]> = [
  ['input', GEN_AI_USAGE_INPUT_TOKENS],
  ['output', GEN_AI_USAGE_OUTPUT_TOKENS],
  ['total', GEN_AI_USAGE_TOTAL_TOKENS],
  ['cachedInput', GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS],
  ['cacheWrite', GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS],
  ['reasoning', GEN_AI_USAGE_REASONING_OUTPUT_TOKENS],
];

/**
 * GenAI facts implied by an observation type, so other OTel backends see what spanlite sees:
 * the operation, and which attribute carries the observation's name.
 */
const GEN_AI_BY_TYPE: Partial<Record<ObservationType, { operation: string; nameAttribute?: string }>> = {
  GENERATION: { operation: GenAiOperation.CHAT },
  EMBEDDING: { operation: GenAiOperation.EMBEDDINGS },
  TOOL: { operation: GenAiOperation.EXECUTE_TOOL, nameAttribute: GEN_AI_TOOL_NAME },
  AGENT: { operation: GenAiOperation.INVOKE_AGENT, nameAttribute: GEN_AI_AGENT_NAME },
};

/** Attributes a span of `type` named `name` starts with. */
export function typeAttributes(type: ObservationType, name: string): Attributes {
  const attributes: Attributes = { [SPANLITE_OBSERVATION_TYPE]: type };
  const genAi = GEN_AI_BY_TYPE[type];
  if (genAi !== undefined) {
    attributes[GEN_AI_OPERATION_NAME] = genAi.operation;
    if (genAi.nameAttribute !== undefined) attributes[genAi.nameAttribute] = name;
  }
  return attributes;
}

export function observationAttributes(update: ObservationUpdate, maxChars: number = DEFAULT_MAX_CHARS): Attributes {
  const attributes: Attributes = {};
  if (update.input !== undefined) attributes[SPANLITE_OBSERVATION_INPUT] = serialize(update.input, maxChars);
  if (update.output !== undefined) attributes[SPANLITE_OBSERVATION_OUTPUT] = serialize(update.output, maxChars);
  if (update.metadata !== undefined) {
    addPrefixed(attributes, SPANLITE_OBSERVATION_METADATA_PREFIX, update.metadata, maxChars);
  }
  if (update.level !== undefined) attributes[SPANLITE_OBSERVATION_LEVEL] = update.level;
  if (update.statusMessage !== undefined) attributes[SPANLITE_OBSERVATION_STATUS_MESSAGE] = update.statusMessage;
  if (update.version !== undefined) attributes[SPANLITE_OBSERVATION_VERSION] = update.version;
  if (update.model !== undefined) attributes[GEN_AI_REQUEST_MODEL] = update.model;
  if (update.modelParameters !== undefined) {
    attributes[SPANLITE_OBSERVATION_MODEL_PARAMETERS] = serialize(update.modelParameters, maxChars);
  }
  if (update.usage !== undefined) {
    for (const [bucket, key] of USAGE_ATTRIBUTES) {
      const count = update.usage[bucket];
      if (typeof count === 'number' && Number.isFinite(count)) attributes[key] = count;
    }
  }
  if (update.costUsd !== undefined) attributes[SPANLITE_OBSERVATION_COST] = serialize(update.costUsd, maxChars);
  if (update.completionStartTime !== undefined) {
    attributes[SPANLITE_OBSERVATION_COMPLETION_START_TIME] = update.completionStartTime.toISOString();
  }
  return attributes;
}

/**
 * Trace facts split by reach: `propagated` goes on every span started in the trace afterwards
 * (so a collector that only sees one child still knows its user), `local` only on the span
 * current when they were set (input and output can be large).
 */
export function traceAttributes(
  update: TraceUpdate,
  maxChars: number = DEFAULT_MAX_CHARS,
): { propagated: Attributes; local: Attributes } {
  const propagated: Attributes = {};
  if (update.name !== undefined) propagated[SPANLITE_TRACE_NAME] = update.name;
  if (update.userId !== undefined) {
    propagated[SPANLITE_TRACE_USER_ID] = update.userId;
    propagated[USER_ID] = update.userId;
  }
  if (update.sessionId !== undefined) {
    propagated[SPANLITE_TRACE_SESSION_ID] = update.sessionId;
    propagated[SESSION_ID] = update.sessionId;
  }
  if (update.tags !== undefined) propagated[SPANLITE_TRACE_TAGS] = update.tags.map(String);
  if (update.release !== undefined) propagated[SPANLITE_TRACE_RELEASE] = update.release;
  if (update.version !== undefined) propagated[SPANLITE_TRACE_VERSION] = update.version;
  if (update.environment !== undefined) propagated[SPANLITE_TRACE_ENVIRONMENT] = update.environment;
  if (update.metadata !== undefined) addPrefixed(propagated, SPANLITE_TRACE_METADATA_PREFIX, update.metadata, maxChars);

  const local: Attributes = {};
  if (update.input !== undefined) local[SPANLITE_TRACE_INPUT] = serialize(update.input, maxChars);
  if (update.output !== undefined) local[SPANLITE_TRACE_OUTPUT] = serialize(update.output, maxChars);
  if (update.public !== undefined) local[SPANLITE_TRACE_PUBLIC] = update.public;
  return { propagated, local };
}

/** Attributes of a span event that becomes an EVENT observation. */
export function eventAttributes(event: EventParams, maxChars: number = DEFAULT_MAX_CHARS): Attributes {
  const attributes: Attributes = {};
  if (event.data !== undefined) {
    for (const key of Object.keys(event.data)) {
      const value = toAttributeValue(event.data[key], maxChars);
      if (value !== undefined) attributes[key] = value;
    }
  }
  if (event.level !== undefined) attributes[SPANLITE_EVENT_LEVEL] = event.level;
  return attributes;
}

/** Where a score points: the span carrying it, another span (by id) or the whole trace. */
export type ScoreTarget = { kind: 'trace' } | { kind: 'observation'; observationId?: string };

/** Attributes of a `gen_ai.evaluation.result` event; undefined for a value no score can hold. */
export function scoreAttributes(score: ScoreParams, target: ScoreTarget): Attributes | undefined {
  const attributes: Attributes = { [GEN_AI_EVALUATION_NAME]: score.name };
  const { value } = score;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    attributes[GEN_AI_EVALUATION_SCORE_VALUE] = value;
  } else if (typeof value === 'boolean') {
    attributes[GEN_AI_EVALUATION_SCORE_VALUE] = value ? 1 : 0;
  } else if (typeof value === 'string') {
    attributes[GEN_AI_EVALUATION_SCORE_LABEL] = value;
  } else {
    return undefined;
  }
  attributes[SPANLITE_SCORE_DATA_TYPE] = score.dataType ?? inferDataType(value);
  if (score.comment !== undefined) attributes[GEN_AI_EVALUATION_EXPLANATION] = score.comment;
  if (score.id !== undefined) attributes[SPANLITE_SCORE_ID] = score.id;
  if (score.source !== undefined) attributes[SPANLITE_SCORE_SOURCE] = score.source;
  if (target.kind === 'trace') attributes[SPANLITE_SCORE_TARGET] = 'trace';
  else if (target.observationId !== undefined) attributes[SPANLITE_SCORE_OBSERVATION_ID] = target.observationId;
  return attributes;
}

function inferDataType(value: number | string | boolean): string {
  if (typeof value === 'number') return 'NUMERIC';
  return typeof value === 'boolean' ? 'BOOLEAN' : 'CATEGORICAL';
}

/** Primitives and homogeneous primitive arrays as they are; anything else as capped JSON. */
export function toAttributeValue(value: unknown, maxChars: number = DEFAULT_MAX_CHARS): AttributeValue | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string':
      return value.length > maxChars ? value.slice(0, maxChars) + TRUNCATION_MARKER : value;
    case 'number':
    case 'boolean':
      return value;
    default:
      if (value === null) return undefined;
      if (isPrimitiveArray(value)) return value;
      return serialize(value, maxChars);
  }
}

function isPrimitiveArray(value: unknown): value is string[] | number[] | boolean[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const kind = typeof value[0];
  if (kind !== 'string' && kind !== 'number' && kind !== 'boolean') return false;
  return value.every((item) => typeof item === kind);
}

function addPrefixed(target: Attributes, prefix: string, values: Record<string, unknown>, maxChars: number): void {
  for (const key of Object.keys(values)) {
    const value = toAttributeValue(values[key], maxChars);
    if (value !== undefined) target[prefix + key] = value;
  }
}
