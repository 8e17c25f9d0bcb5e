/**
 * mapSpan: one decoded span -> its observation, its events, its scores and its part of the
 * trace. Pure: no clock, no database, no logger. Cost is filled later by the cost stage.
 *
 * Every field is read through an ordered rule table (see observation-fields, content, usage,
 * observation-type, trace-facts); the README's "Supported SDKs and conventions" sums them up.
 * Hot path: the attributes are walked once (attribute-scan); everything else is key lookups.
 */
import type { Attributes, DecodedSpan } from '../decode/span.js';
import type { MappedSpan, Observation } from '../model.js';
import { PYDANTIC_AI_AGENT_NAME, PYDANTIC_AI_SCOPE } from '../../semconv/pydantic-ai.js';
import { AI_WRAPPER_OPERATIONS } from '../../semconv/vercel-ai.js';
import { firstBoolean, firstString } from './attribute-readers.js';
import { scanAttributes } from './attribute-scan.js';
import { INPUT_SOURCES, OUTPUT_SOURCES, readContent, type FoundContent } from './content.js';
import {
  OBSERVATION_FIELD_KEYS,
  OBSERVATION_METADATA_SOURCES,
  observationName,
  readCompletionStartTime,
  readLevel,
  readMetadata,
  readModel,
  readModelParameters,
  readReportedCost,
} from './observation-fields.js';
import { inferObservationType } from './observation-type.js';
import { readUsage } from './usage.js';
import { mapSpanEvents } from './span-events.js';
import { readEventContent } from './span-message-events.js';
import { readTraceContribution } from './trace-facts.js';
import { vercelOperationId } from './vercel-operation.js';

const NO_EVENTS: ReadonlySet<number> = new Set();

export function mapSpan(span: DecodedSpan): MappedSpan {
  const { attributes } = span;

  if (firstBoolean(attributes, OBSERVATION_FIELD_KEYS.scoreCarrier) === true) {
    const { scores } = mapSpanEvents(span, span.parentSpanId);
    return { observation: null, events: [], scores, trace: null };
  }

  const scan = scanAttributes(attributes);
  const { keyMask } = scan;
  const eventContent = readEventContent(span.events);
  const context = { attributes, scan, events: eventContent, scopeName: span.scope.name };
  const input = readContent(INPUT_SOURCES, context);
  const output = readContent(OUTPUT_SOURCES, context);

  // A wrapper repeats its model calls' model and usage: they stay in `attributes`.
  const wrapper = isUsageWrapper(attributes, keyMask, span.scope.name);
  const model = wrapper ? null : (readModel(attributes, keyMask) ?? null);
  const usage = wrapper ? {} : readUsage(attributes, keyMask);
  const type = inferObservationType({
    attributes,
    keyMask,
    hasModel: model !== null,
    spanName: span.name,
    scopeName: span.scope.name,
  });
  const { level, statusMessage } = readLevel(span, keyMask);

  const observation: Observation = {
    id: span.spanId,
    traceId: span.traceId,
    parentObservationId: span.parentSpanId,
    type,
    name: observationName(span, type, keyMask),
    startTimeUnixNano: span.startTimeUnixNano,
    // An EVENT is a point in time (the Langfuse SDKs send events as zero-length spans).
    endTimeUnixNano: type === 'EVENT' ? null : span.endTimeUnixNano,
    completionStartTimeUnixNano: readCompletionStartTime(span, keyMask),
    level,
    statusMessage,
    version: firstString(attributes, OBSERVATION_FIELD_KEYS.version, keyMask) ?? null,
    model,
    modelProvider: firstString(attributes, OBSERVATION_FIELD_KEYS.modelProvider, keyMask) ?? null,
    modelParameters: readModelParameters(attributes, scan),
    input: input?.value ?? null,
    output: output?.value ?? null,
    metadata: readMetadata(attributes, scan, OBSERVATION_METADATA_SOURCES) ?? {},
    usage,
    reportedCost: readReportedCost(attributes, keyMask),
    cost: null,
    costMissingReason: null,
    countsInTraceTotals: !wrapper,
    rawAttributes: withoutContentKeys(attributes, input, output),
    resourceAttributes: span.resource,
    scope: { name: span.scope.name, version: span.scope.version },
  };

  const { events, scores } = mapSpanEvents(span, observation.id, consumedEvents(input, output));
  const trace = readTraceContribution(span, scan, { input: observation.input, output: observation.output });
  return { observation, events, scores, trace };
}

/**
 * The attributes minus the ones whose value became the observation's input and output: those are
 * the largest values a span carries, and storing them twice would double what each span costs.
 */
function withoutContentKeys(
  attributes: Attributes,
  input: FoundContent | undefined,
  output: FoundContent | undefined,
): Attributes {
  const inputKeys = input?.keys ?? [];
  const outputKeys = output?.keys ?? [];
  if (inputKeys.length === 0 && outputKeys.length === 0) return attributes;
  const contentKeys = new Set([...inputKeys, ...outputKeys]);
  const rest: Attributes = {};
  for (const key in attributes) if (!contentKeys.has(key)) rest[key] = attributes[key] as Attributes[string];
  return rest;
}

/** Span events whose content became the input or output: not kept twice as EVENT observations. */
function consumedEvents(input: FoundContent | undefined, output: FoundContent | undefined): ReadonlySet<number> {
  if ((input?.events.length ?? 0) === 0 && (output?.events.length ?? 0) === 0) return NO_EVENTS;
  return new Set([...(input?.events ?? []), ...(output?.events ?? [])]);
}

const PYDANTIC_AI_AGENT_RUN_KEYS: readonly string[] = [PYDANTIC_AI_AGENT_NAME];

/**
 * A Vercel AI SDK outer call (its `.do*` children are the provider calls), or a Pydantic AI
 * agent run (its usage is the sum of its model request spans').
 */
function isUsageWrapper(attributes: Attributes, keyMask: number, scopeName: string): boolean {
  const operation = vercelOperationId(attributes, keyMask);
  if (operation !== undefined) return AI_WRAPPER_OPERATIONS.has(operation);
  return scopeName === PYDANTIC_AI_SCOPE && firstString(attributes, PYDANTIC_AI_AGENT_RUN_KEYS, keyMask) !== undefined;
}
