/**
 * One event of Langfuse's batch ingestion (`POST /api/public/ingestion`, what its pre-OTel SDKs
 * send: `langfuse` JS v3, Python v2, and the integrations built on them) -> what it says about
 * the model: an observation patch (the fields the event names, nothing else), a trace
 * contribution, or nothing (`sdk-log`). Pure. Field names follow Langfuse's public API
 * (`IngestionEvent` in its OpenAPI document); a body that does not fit throws an
 * IngestionEventError naming the field.
 */
import type { CostDetails, JsonValue, Level, Observation, ObservationType, TraceContribution, TraceFacts, UsageDetails } from '../model.js';
import { isSafeKey, LEVELS } from '../model.js';
import * as langfuse from '../../semconv/langfuse.js';
import { readUsage } from '../mapping/usage.js';
import { ANY_KEY } from '../mapping/attribute-readers.js';
import { readReportedCost } from '../mapping/observation-fields.js';
import { parseTimeToUnixNano } from '../mapping/times.js';
import { normaliseClientId } from '../mapping/client-id.js';
import type { Attributes } from '../decode/span.js';
import type { ValueLimiter } from '../decode/value-limits.js';

export interface IngestionEvent {
  id: string;
  type: string;
  /** ISO time the client made the event; orders a create and its updates. */
  timestamp?: string;
  body: Record<string, unknown>;
}

export class IngestionEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IngestionEventError';
  }
}

/** Observation event types: whether each creates or updates, and the type it gives (null: the body's `type`). */
export const OBSERVATION_EVENTS: Readonly<Record<string, { kind: PatchKind; type: ObservationType | null }>> = {
  'span-create': { kind: 'create', type: 'SPAN' },
  'span-update': { kind: 'update', type: 'SPAN' },
  'generation-create': { kind: 'create', type: 'GENERATION' },
  'generation-update': { kind: 'update', type: 'GENERATION' },
  'event-create': { kind: 'create', type: 'EVENT' },
  // The v2 API's generic events, typed in the body.
  'observation-create': { kind: 'create', type: null },
  'observation-update': { kind: 'update', type: null },
};

export type PatchKind = 'create' | 'update';

/** Observation fields an event may name: all but its key, its type and what the pipeline and store settle. */
export type PatchFields = Partial<
  Omit<Observation, 'id' | 'traceId' | 'type' | 'modelProvider' | 'cost' | 'costMissingReason' | 'countsInTraceTotals' | 'resourceAttributes' | 'scope'>
>;

/** What one observation event says. */
export interface ObservationPatch {
  eventId: string;
  kind: PatchKind;
  /** Orders the events of one observation: see eventRank. */
  rank: string;
  id: string;
  /** Null when the event does not say (an update may leave it to the create). */
  traceId: string | null;
  type: ObservationType;
  fields: PatchFields;
  /** The client's environment, a trace fact. */
  environment: string | undefined;
  eventTimeUnixNano: bigint;
}

/**
 * Zero-padded event time, then the event's place in its batch: the string order is the order
 * the client made the events in (the same width as OTLP spans' ranks, see spanRank).
 */
export function eventRank(eventTimeUnixNano: bigint, position: number): string {
  return eventTimeUnixNano.toString().padStart(20, '0') + position.toString(16).padStart(16, '0');
}

export function eventTime(event: IngestionEvent, nowUnixNano: bigint): bigint {
  if (event.timestamp === undefined) return nowUnixNano;
  return parseTimeToUnixNano(event.timestamp) ?? fail('timestamp', 'an ISO 8601 time', event.timestamp);
}

export function observationPatch(event: IngestionEvent, position: number, nowUnixNano: bigint, limiter: ValueLimiter): ObservationPatch {
  const rule = OBSERVATION_EVENTS[event.type];
  if (rule === undefined) throw new IngestionEventError(`event type ${event.type} is not an observation event`);
  const { body, truncated } = limitedBody(event.body, limiter);
  const attributes = { ...promptAttributes(body), ...truncated };
  const id = requiredId(body, 'the observation id');
  const time = eventTime(event, nowUnixNano);
  const parent = text(body, 'parentObservationId');
  const traceId = text(body, 'traceId');
  const { usage, reportedCost } = usageAndCost(body);
  return {
    eventId: event.id,
    kind: rule.kind,
    rank: eventRank(time, position),
    id,
    traceId: traceId === undefined ? null : normaliseClientId(traceId),
    type: rule.type ?? bodyType(body),
    fields: definedOnly<PatchFields>({
      parentObservationId: parent === undefined ? undefined : normaliseClientId(parent),
      name: text(body, 'name'),
      startTimeUnixNano: time_(body, 'startTime'),
      endTimeUnixNano: time_(body, 'endTime'),
      completionStartTimeUnixNano: time_(body, 'completionStartTime'),
      level: level(body),
      statusMessage: text(body, 'statusMessage'),
      version: text(body, 'version'),
      model: text(body, 'model'),
      modelParameters: jsonObject(body, 'modelParameters'),
      input: json(body, 'input'),
      output: json(body, 'output'),
      metadata: metadata(body),
      usage,
      reportedCost,
      rawAttributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    }),
    environment: text(body, 'environment'),
    eventTimeUnixNano: time,
  };
}

/** A `trace-create` (also sent again to update the trace): explicit trace facts, ranked by the event's time. */
export function traceEventContribution(event: IngestionEvent, position: number, nowUnixNano: bigint, limiter: ValueLimiter): TraceContribution {
  // A cut value carries its marker; a trace has no attribute set to record it in.
  const { body } = limitedBody(event.body, limiter);
  const traceId = requiredId(body, 'the trace id');
  const time = eventTime(event, nowUnixNano);
  const at = time_(body, 'timestamp') ?? time;
  if (body.public !== undefined && body.public !== null && typeof body.public !== 'boolean') fail('body.public', 'true or false', body.public);
  const explicit = definedOnly<TraceFacts>({
    name: text(body, 'name'),
    userId: text(body, 'userId'),
    sessionId: text(body, 'sessionId'),
    release: text(body, 'release'),
    version: text(body, 'version'),
    environment: text(body, 'environment'),
    input: json(body, 'input'),
    output: json(body, 'output'),
    metadata: metadata(body),
    tags: tags(body),
    public: typeof body.public === 'boolean' ? body.public : undefined,
  });
  return { traceId, rank: eventRank(time, position), explicit, implicit: {}, startTimeUnixNano: at, endTimeUnixNano: at };
}

/**
 * The body with every string over the value limit cut, as the OTLP decoders cut attribute
 * values (decode/value-limits.ts), and the cuts under SPANLITE_TRUNCATED by top-level field.
 */
function limitedBody(body: Record<string, unknown>, limiter: ValueLimiter): { body: Record<string, unknown>; truncated: Attributes } {
  const limited: Record<string, unknown> = {};
  const truncated: Attributes = {};
  for (const [field, value] of Object.entries(body)) {
    limited[field] = limitStrings(value, limiter);
    limiter.record(truncated, field);
  }
  return { body: limited, truncated };
}

function limitStrings(value: unknown, limiter: ValueLimiter): unknown {
  if (typeof value === 'string') return limiter.string(value);
  if (Array.isArray(value)) return value.map((item) => limitStrings(item, limiter));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, limitStrings(item, limiter)]));
  return value;
}

/** The fields that are set: an event changes only what it names. */
function definedOnly<T extends object>(fields: { [K in keyof T]: T[K] | undefined }): T {
  const defined: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) defined[key] = value;
  return defined as T;
}

function requiredId(body: Record<string, unknown>, what: string): string {
  const id = text(body, 'id');
  return id === undefined ? fail('body.id', what, 'nothing') : normaliseClientId(id);
}

function bodyType(body: Record<string, unknown>): ObservationType {
  const type = text(body, 'type');
  if (type === 'SPAN' || type === 'GENERATION' || type === 'EVENT') return type;
  return fail('body.type', 'SPAN, GENERATION or EVENT', type ?? 'nothing');
}

function text(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return fail(`body.${field}`, 'a string', value);
  return value;
}

function time_(body: Record<string, unknown>, field: string): bigint | undefined {
  const value = text(body, field);
  if (value === undefined) return undefined;
  return parseTimeToUnixNano(value) ?? fail(`body.${field}`, 'an ISO 8601 time', value);
}

function level(body: Record<string, unknown>): Level | undefined {
  const value = text(body, 'level');
  if (value === undefined) return undefined;
  if (!(LEVELS as readonly string[]).includes(value)) return fail('body.level', LEVELS.join(', '), value);
  return value as Level;
}

/** Bodies arrive as parsed JSON, so any value is a JSON value. */
function json(body: Record<string, unknown>, field: string): JsonValue | undefined {
  const value = body[field];
  return value === undefined || value === null ? undefined : (value as JsonValue);
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonObject(body: Record<string, unknown>, field: string): Record<string, JsonValue> | undefined {
  const value = json(body, field);
  if (value === undefined) return undefined;
  if (!isObject(value)) return fail(`body.${field}`, 'an object', value);
  return safeCopy(value);
}

/** Langfuse takes any JSON as metadata; a value that is not an object is kept under `metadata`. */
function metadata(body: Record<string, unknown>): Record<string, JsonValue> | undefined {
  const value = json(body, 'metadata');
  if (value === undefined) return undefined;
  return isObject(value) ? safeCopy(value) : { metadata: value };
}

function safeCopy(object: Record<string, JsonValue>): Record<string, JsonValue> {
  const copy: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(object)) if (isSafeKey(key)) copy[key] = value;
  return copy;
}

function tags(body: Record<string, unknown>): string[] | undefined {
  const value = body.tags;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((tag) => typeof tag !== 'string')) return fail('body.tags', 'an array of strings', value);
  return value as string[];
}

/**
 * `usageDetails` (Langfuse's usage types, or an OpenAI usage object as is) wins over the
 * deprecated `usage` ({input, output, total, unit, *Cost} or {promptTokens, completionTokens,
 * totalTokens}). Cost: `costDetails`, else the deprecated `usage`'s costs; none: the price table.
 */
function usageAndCost(body: Record<string, unknown>): { usage?: UsageDetails; reportedCost?: CostDetails } {
  const result: { usage?: UsageDetails; reportedCost?: CostDetails } = {};
  const details = json(body, 'usageDetails');
  const legacy = json(body, 'usage');
  if (details !== undefined && !isObject(details)) fail('body.usageDetails', 'an object of counts', details);
  if (legacy !== undefined && !isObject(legacy)) fail('body.usage', 'an object of counts', legacy);
  const counts = details ?? (legacy && legacyUsageCounts(legacy));
  if (counts !== undefined) {
    const usage = readUsage({ [langfuse.LANGFUSE_OBSERVATION_USAGE_DETAILS]: counts }, ANY_KEY, []);
    if (usage.total !== undefined) result.usage = usage;
  }
  const costDetails = json(body, 'costDetails');
  if (costDetails !== undefined && !isObject(costDetails)) fail('body.costDetails', 'an object of USD amounts', costDetails);
  const costs = costDetails ?? (legacy && legacyCosts(legacy));
  if (costs !== undefined) {
    const cost = readReportedCost({ [langfuse.LANGFUSE_OBSERVATION_COST_DETAILS]: costs }, ANY_KEY);
    if (cost !== null) result.reportedCost = cost;
  }
  return result;
}

function legacyUsageCounts(usage: Record<string, JsonValue>): Record<string, JsonValue> | undefined {
  const counts: Record<string, JsonValue> = {};
  const copy = (from: string, to: string) => {
    if (typeof usage[from] === 'number') counts[to] = usage[from];
  };
  copy('input', 'input');
  copy('output', 'output');
  copy('total', 'total');
  copy('promptTokens', 'input');
  copy('completionTokens', 'output');
  copy('totalTokens', 'total');
  return Object.keys(counts).length > 0 ? counts : undefined;
}

function legacyCosts(usage: Record<string, JsonValue>): Record<string, JsonValue> | undefined {
  const costs: Record<string, JsonValue> = {};
  for (const [from, to] of [['inputCost', 'input'], ['outputCost', 'output'], ['totalCost', 'total']] as const) {
    if (typeof usage[from] === 'number') costs[to] = usage[from];
  }
  return Object.keys(costs).length > 0 ? costs : undefined;
}

/** The prompt a generation names, under the attribute names Langfuse's OTel SDKs use for it. */
function promptAttributes(body: Record<string, unknown>): Attributes {
  const name = text(body, 'promptName');
  if (name === undefined) return {};
  const attributes: Attributes = { [langfuse.LANGFUSE_OBSERVATION_PROMPT_NAME]: name };
  if (typeof body.promptVersion === 'number') attributes[langfuse.LANGFUSE_OBSERVATION_PROMPT_VERSION] = body.promptVersion;
  return attributes;
}

function fail(field: string, expected: string, got: unknown): never {
  throw new IngestionEventError(`${field}: expected ${expected} (got ${JSON.stringify(got) ?? String(got)})`);
}
