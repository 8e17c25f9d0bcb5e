/**
 * mapSpan: one decoded span -> its observation, its events, its scores and its part of the
 * trace. Pure: no clock, no database, no logger. Cost is filled later by the cost stage.
 */
import type { Attributes, DecodedSpan } from '../span.js';
import { SpanStatusCode } from '../span.js';
import type { JsonValue, Level, MappedSpan, Observation } from '../model.js';
import * as genAi from '../../semconv/gen-ai.js';
import * as ours from '../../semconv/spanlite.js';
import { AI_OPERATION_ID, AI_WRAPPER_OPERATIONS } from '../../semconv/vercel-ai.js';
import {
  firstBoolean,
  firstJson,
  firstNumber,
  firstObject,
  firstPresentKey,
  firstString,
  isSafeKey,
  parseJsonLoosely,
  prefixedObject,
} from './attribute-readers.js';
import { inferObservationType } from './observation-type.js';
import { hasUsage, readUsage } from './usage.js';
import { parseLevel } from './level.js';
import { mapSpanEvents } from './span-events.js';
import { readTraceContribution } from './trace-facts.js';
import { readCompletionStartTime } from './times.js';

/** Ordered keys: the first present wins. Most specific and most recent names first. */
export const OBSERVATION_FIELD_KEYS = {
  model: [genAi.GEN_AI_RESPONSE_MODEL, genAi.GEN_AI_REQUEST_MODEL],
  input: [ours.SPANLITE_OBSERVATION_INPUT, genAi.GEN_AI_INPUT_MESSAGES, genAi.GEN_AI_PROMPT, genAi.GEN_AI_TOOL_CALL_ARGUMENTS],
  output: [ours.SPANLITE_OBSERVATION_OUTPUT, genAi.GEN_AI_OUTPUT_MESSAGES, genAi.GEN_AI_COMPLETION, genAi.GEN_AI_TOOL_CALL_RESULT],
  systemInstructions: [genAi.GEN_AI_SYSTEM_INSTRUCTIONS],
  level: [ours.SPANLITE_OBSERVATION_LEVEL],
  statusMessage: [ours.SPANLITE_OBSERVATION_STATUS_MESSAGE],
  version: [ours.SPANLITE_OBSERVATION_VERSION],
  modelParameters: [ours.SPANLITE_OBSERVATION_MODEL_PARAMETERS],
  cost: [ours.SPANLITE_OBSERVATION_COST],
  totalCost: [genAi.GEN_AI_USAGE_COST],
  scoreCarrier: [ours.SPANLITE_SCORE_CARRIER],
} as const;

/** gen_ai.request.* keys that are not model parameters. */
const NON_PARAMETER_REQUEST_KEYS: ReadonlySet<string> = new Set([genAi.GEN_AI_REQUEST_MODEL]);

export function mapSpan(span: DecodedSpan): MappedSpan {
  const { attributes } = span;

  if (firstBoolean(attributes, OBSERVATION_FIELD_KEYS.scoreCarrier) === true) {
    const { scores } = mapSpanEvents(span, span.parentSpanId);
    return { observation: null, events: [], scores, trace: null };
  }

  const model = firstString(attributes, OBSERVATION_FIELD_KEYS.model) ?? null;
  const usage = readUsage(attributes);
  const type = inferObservationType({ attributes, hasModel: model !== null, hasUsage: hasUsage(usage) });
  const { level, statusMessage } = readLevel(span);
  const input = readInput(attributes);
  const output = firstJson(attributes, OBSERVATION_FIELD_KEYS.output) ?? null;

  const observation: Observation = {
    id: span.spanId,
    traceId: span.traceId,
    parentObservationId: span.parentSpanId,
    type,
    name: span.name,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    completionStartTimeUnixNano: readCompletionStartTime(attributes),
    level,
    statusMessage,
    version: firstString(attributes, OBSERVATION_FIELD_KEYS.version) ?? null,
    model,
    modelParameters: readModelParameters(attributes),
    input,
    output,
    metadata: prefixedObject(attributes, ours.SPANLITE_OBSERVATION_METADATA_PREFIX) ?? {},
    usage,
    reportedCost: readReportedCost(attributes),
    cost: null,
    costMissingReason: null,
    countsInTraceTotals: !isUsageWrapper(attributes),
    rawAttributes: withoutContentKeys(attributes),
    resourceAttributes: span.resource,
    scope: { name: span.scope.name, version: span.scope.version },
  };

  const { events, scores } = mapSpanEvents(span, observation.id);
  const trace = readTraceContribution(span, { input, output });
  return { observation, events, scores, trace };
}

function readLevel(span: DecodedSpan): { level: Level; statusMessage: string | null } {
  const named = parseLevel(firstString(span.attributes, OBSERVATION_FIELD_KEYS.level));
  const isError = span.status.code === SpanStatusCode.ERROR;
  const level = named ?? (isError ? 'ERROR' : 'DEFAULT');
  const statusMessage =
    firstString(span.attributes, OBSERVATION_FIELD_KEYS.statusMessage) ??
    (span.status.message !== '' ? span.status.message : null);
  return { level, statusMessage };
}

/** Input messages, with the system instructions (sent apart in semconv 1.37+) put first. */
function readInput(attributes: Attributes): JsonValue | null {
  const input = firstJson(attributes, OBSERVATION_FIELD_KEYS.input) ?? null;
  const instructions = firstJson(attributes, OBSERVATION_FIELD_KEYS.systemInstructions);
  if (instructions === undefined) return input;
  const systemMessage: JsonValue = { role: 'system', parts: instructions };
  if (Array.isArray(input)) return [systemMessage, ...input];
  return input === null ? [systemMessage] : { system: instructions, input };
}

function readModelParameters(attributes: Attributes): Record<string, JsonValue> | null {
  const explicit = firstObject(attributes, OBSERVATION_FIELD_KEYS.modelParameters);
  let parameters: Record<string, JsonValue> | null = explicit ? { ...explicit } : null;
  for (const key in attributes) {
    if (!key.startsWith(genAi.GEN_AI_REQUEST_PARAMETER_PREFIX) || NON_PARAMETER_REQUEST_KEYS.has(key)) continue;
    const name = key.slice(genAi.GEN_AI_REQUEST_PARAMETER_PREFIX.length);
    if (!isSafeKey(name) || (parameters !== null && Object.hasOwn(parameters, name))) continue;
    const value = attributes[key] as JsonValue;
    parameters ??= {};
    parameters[name] = typeof value === 'string' ? parseJsonLoosely(value) : value;
  }
  return parameters;
}

function readReportedCost(attributes: Attributes): Observation['reportedCost'] {
  const details = firstObject(attributes, OBSERVATION_FIELD_KEYS.cost);
  if (details) {
    const cost: NonNullable<Observation['reportedCost']> = {};
    for (const key of ['input', 'output', 'cachedInput', 'cacheWrite', 'reasoning', 'total'] as const) {
      const value = firstNumber(details, [key]);
      if (value !== undefined) cost[key] = value;
    }
    if (cost.total === undefined) cost.total = Object.values(cost).reduce((sum, value) => sum + value, 0);
    return cost;
  }
  const total = firstNumber(attributes, OBSERVATION_FIELD_KEYS.totalCost);
  return total === undefined ? null : { total };
}

/**
 * The attributes minus the ones whose value became the observation's input and output: those are
 * the largest values a span carries, and storing them twice would double what each span costs.
 */
function withoutContentKeys(attributes: Attributes): Attributes {
  const contentKeys = [
    firstPresentKey(attributes, OBSERVATION_FIELD_KEYS.input),
    firstPresentKey(attributes, OBSERVATION_FIELD_KEYS.output),
    firstPresentKey(attributes, OBSERVATION_FIELD_KEYS.systemInstructions),
  ].filter((key): key is string => key !== undefined);
  if (contentKeys.length === 0) return attributes;
  const rest: Attributes = {};
  for (const key in attributes) if (!contentKeys.includes(key)) rest[key] = attributes[key] as Attributes[string];
  return rest;
}

function isUsageWrapper(attributes: Attributes): boolean {
  const operation = firstString(attributes, [AI_OPERATION_ID]);
  return operation !== undefined && AI_WRAPPER_OPERATIONS.has(operation);
}
