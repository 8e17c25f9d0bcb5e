/**
 * The trace-level facts one span carries. Explicit facts are ones the sender named as trace
 * facts; implicit ones are what a root span stands for when nothing explicit says otherwise.
 */
import type { DecodedSpan } from '../span.js';
import type { JsonValue, TraceContribution, TraceFacts } from '../model.js';
import * as ours from '../../semconv/spanlite.js';
import * as otel from '../../semconv/otel.js';
import { GEN_AI_CONVERSATION_ID } from '../../semconv/gen-ai.js';
import {
  firstBoolean,
  firstJson,
  firstString,
  firstStringList,
  prefixedObject,
} from './attribute-readers.js';

/** Ordered keys per trace field: the first present wins. Span attributes, then resource. */
export const TRACE_FIELD_KEYS = {
  name: [ours.SPANLITE_TRACE_NAME],
  userId: [ours.SPANLITE_TRACE_USER_ID, otel.USER_ID],
  sessionId: [ours.SPANLITE_TRACE_SESSION_ID, otel.SESSION_ID, GEN_AI_CONVERSATION_ID],
  release: [ours.SPANLITE_TRACE_RELEASE],
  version: [ours.SPANLITE_TRACE_VERSION],
  environment: [ours.SPANLITE_TRACE_ENVIRONMENT],
  input: [ours.SPANLITE_TRACE_INPUT],
  output: [ours.SPANLITE_TRACE_OUTPUT],
  public: [ours.SPANLITE_TRACE_PUBLIC],
  tags: [ours.SPANLITE_TRACE_TAGS],
} as const;

export const TRACE_RESOURCE_KEYS = {
  version: [otel.SERVICE_VERSION],
  environment: [otel.DEPLOYMENT_ENVIRONMENT_NAME, otel.DEPLOYMENT_ENVIRONMENT],
} as const;

/** Rank strings compare as (start time, span id): fixed-width time, then the fixed-width id. */
export function spanRank(span: DecodedSpan): string {
  return span.startTimeUnixNano.toString().padStart(20, '0') + span.spanId;
}

export function readTraceContribution(
  span: DecodedSpan,
  rootDefaults: { input: JsonValue | null; output: JsonValue | null },
): TraceContribution {
  const { attributes, resource } = span;
  const explicit: TraceFacts = {};
  const set = <K extends keyof TraceFacts>(key: K, value: TraceFacts[K] | undefined): void => {
    if (value !== undefined) explicit[key] = value;
  };
  set('name', firstString(attributes, TRACE_FIELD_KEYS.name));
  set('userId', firstString(attributes, TRACE_FIELD_KEYS.userId));
  set('sessionId', firstString(attributes, TRACE_FIELD_KEYS.sessionId));
  set('release', firstString(attributes, TRACE_FIELD_KEYS.release));
  set(
    'version',
    firstString(attributes, TRACE_FIELD_KEYS.version) ?? firstString(resource, TRACE_RESOURCE_KEYS.version),
  );
  set(
    'environment',
    firstString(attributes, TRACE_FIELD_KEYS.environment) ??
      firstString(resource, TRACE_RESOURCE_KEYS.environment),
  );
  set('input', firstJson(attributes, TRACE_FIELD_KEYS.input));
  set('output', firstJson(attributes, TRACE_FIELD_KEYS.output));
  set('public', firstBoolean(attributes, TRACE_FIELD_KEYS.public));
  set('tags', firstStringList(attributes, TRACE_FIELD_KEYS.tags));
  set('metadata', prefixedObject(attributes, ours.SPANLITE_TRACE_METADATA_PREFIX));

  const implicit: TraceFacts = {};
  if (span.parentSpanId === null) {
    implicit.name = span.name;
    if (rootDefaults.input !== null) implicit.input = rootDefaults.input;
    if (rootDefaults.output !== null) implicit.output = rootDefaults.output;
  }

  return {
    traceId: span.traceId,
    rank: spanRank(span),
    explicit,
    implicit,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
  };
}
