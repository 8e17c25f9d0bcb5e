/**
 * The trace-level facts one span carries. Explicit facts are ones the sender named as trace
 * facts; implicit ones are what a root span stands for (its name, input, output) and what a span's
 * resource implies (version, release, environment), used when nothing explicit says otherwise.
 *
 * Within one span each field is an ordered key list, first present wins: spanlite's names, then
 * Langfuse's (current, then compat spellings), the generic OTel names (`user.id`, `session.id`,
 * also what OpenInference and the Langfuse JS SDK send), the SDK conventions (Vercel AI SDK
 * telemetry metadata, Traceloop association properties, Genkit's session id), and last the ones that are only
 * hints (`gen_ai.conversation.id`, Langfuse integrations' `langfuse_*` metadata keys).
 * Tags are the union of every source. Between spans, trace-merge decides.
 */
import type { Attributes, DecodedSpan } from '../decode/span.js';
import type { JsonValue, TraceContribution, TraceFacts } from '../model.js';
import * as ours from '../../semconv/spanlite.js';
import * as otel from '../../semconv/otel.js';
import * as langfuse from '../../semconv/langfuse.js';
import * as oi from '../../semconv/openinference.js';
import * as openllmetry from '../../semconv/openllmetry.js';
import * as vercel from '../../semconv/vercel-ai.js';
import { GEN_AI_CONVERSATION_ID } from '../../semconv/gen-ai.js';
import { GENKIT_SESSION_ID } from '../../semconv/genkit.js';
import type { AttributeScan } from './attribute-scan.js';
import { firstBoolean, firstDecodedString, firstJson, firstString, firstStringList, keyBit } from './attribute-readers.js';
import { readMetadata, type MetadataSource } from './observation-fields.js';

/** Ordered keys per trace field: the first present wins. Span attributes, then resource. */
export const TRACE_FIELD_KEYS = {
  name: [ours.SPANLITE_TRACE_NAME, langfuse.LANGFUSE_TRACE_NAME],
  userId: [
    ours.SPANLITE_TRACE_USER_ID,
    langfuse.LANGFUSE_USER_ID,
    otel.USER_ID,
    vercel.AI_TELEMETRY_METADATA_USER_ID,
    openllmetry.TRACELOOP_ASSOCIATION_USER_ID,
    langfuse.LANGFUSE_TRACE_METADATA_USER_ID,
    langfuse.LANGFUSE_OBSERVATION_METADATA_USER_ID,
  ],
  sessionId: [
    ours.SPANLITE_TRACE_SESSION_ID,
    langfuse.LANGFUSE_SESSION_ID,
    otel.SESSION_ID,
    vercel.AI_TELEMETRY_METADATA_SESSION_ID,
    openllmetry.TRACELOOP_ASSOCIATION_SESSION_ID,
    GENKIT_SESSION_ID,
    langfuse.LANGFUSE_TRACE_METADATA_SESSION_ID,
    langfuse.LANGFUSE_OBSERVATION_METADATA_SESSION_ID,
    GEN_AI_CONVERSATION_ID,
  ],
  release: [ours.SPANLITE_TRACE_RELEASE, langfuse.LANGFUSE_RELEASE],
  version: [ours.SPANLITE_TRACE_VERSION, langfuse.LANGFUSE_VERSION],
  environment: [ours.SPANLITE_TRACE_ENVIRONMENT, langfuse.LANGFUSE_ENVIRONMENT],
  input: [ours.SPANLITE_TRACE_INPUT, langfuse.LANGFUSE_TRACE_INPUT],
  output: [ours.SPANLITE_TRACE_OUTPUT, langfuse.LANGFUSE_TRACE_OUTPUT],
  public: [ours.SPANLITE_TRACE_PUBLIC, langfuse.LANGFUSE_TRACE_PUBLIC, langfuse.LANGFUSE_PUBLIC],
  /** All of these are read and united (tags are a set). */
  tags: [
    ours.SPANLITE_TRACE_TAGS,
    langfuse.LANGFUSE_TRACE_TAGS,
    langfuse.LANGFUSE_TAGS,
    oi.TAG_TAGS,
    vercel.AI_TELEMETRY_METADATA_TAGS,
    langfuse.LANGFUSE_TRACE_METADATA_TAGS,
    langfuse.LANGFUSE_OBSERVATION_METADATA_TAGS,
  ],
  /** `true` makes a span with an OTel parent the trace's root for implicit facts (Langfuse SDKs). */
  asRoot: [langfuse.LANGFUSE_INTERNAL_AS_ROOT],
} as const;

/** Resource attributes: implicit trace facts, beaten by a fact named on any span of the trace. */
export const TRACE_RESOURCE_KEYS = {
  version: [otel.SERVICE_VERSION],
  release: [langfuse.LANGFUSE_RELEASE],
  environment: [langfuse.LANGFUSE_ENVIRONMENT, otel.DEPLOYMENT_ENVIRONMENT_NAME, otel.DEPLOYMENT_ENVIRONMENT],
} as const;

/**
 * A root span's name stands for the trace unless one of these names the call: the Vercel AI SDK's
 * functionId, Traceloop's workflow name (its root span is named `<workflow>.workflow`).
 */
export const IMPLICIT_TRACE_NAME_KEYS: readonly string[] = [vercel.AI_TELEMETRY_FUNCTION_ID, openllmetry.TRACELOOP_WORKFLOW_NAME];

/** `ai.telemetry.metadata.<name>` names read as user, session and tags, not as metadata. */
const VERCEL_TRACE_FIELD_NAMES: ReadonlySet<string> = new Set(
  [vercel.AI_TELEMETRY_METADATA_USER_ID, vercel.AI_TELEMETRY_METADATA_SESSION_ID, vercel.AI_TELEMETRY_METADATA_TAGS].map((key) =>
    key.slice(vercel.AI_TELEMETRY_METADATA_PREFIX.length),
  ),
);

/**
 * Trace metadata, merged key by key (earlier wins): spanlite, Langfuse (prefix form, then the
 * JSON object), then what an SDK copies onto every span of a call, which is metadata of the
 * whole trace as user, session and tags are: Traceloop association properties, the Vercel AI
 * SDK's telemetry metadata (minus the keys read as user, session and tags), OpenInference
 * `metadata` (`setMetadata` in context). All three stay on the observations too (observation-fields).
 */
export const TRACE_METADATA_SOURCES: readonly MetadataSource[] = [
  { prefix: ours.SPANLITE_TRACE_METADATA_PREFIX, decode: 'loose' },
  { prefix: langfuse.LANGFUSE_TRACE_METADATA_PREFIX, object: langfuse.LANGFUSE_TRACE_METADATA, decode: 'json' },
  { prefix: openllmetry.TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX, decode: 'loose' },
  { prefix: vercel.AI_TELEMETRY_METADATA_PREFIX, decode: 'loose', except: VERCEL_TRACE_FIELD_NAMES },
  { object: oi.METADATA, decode: 'loose' },
];

/** Rank strings compare as (start time, span id): fixed-width time, then the fixed-width id. */
export function spanRank(span: DecodedSpan): string {
  return span.startTimeUnixNano.toString().padStart(20, '0') + span.spanId;
}

export function readTraceContribution(
  span: DecodedSpan,
  scan: AttributeScan,
  rootDefaults: { input: JsonValue | null; output: JsonValue | null },
): TraceContribution {
  const { attributes, resource } = span;
  const mask = scan.keyMask;
  const explicit: TraceFacts = {};
  const set = <K extends keyof TraceFacts>(key: K, value: TraceFacts[K] | undefined): void => {
    if (value !== undefined) explicit[key] = value;
  };
  set('name', firstString(attributes, TRACE_FIELD_KEYS.name, mask));
  set('userId', firstDecodedString(attributes, TRACE_FIELD_KEYS.userId, mask));
  set('sessionId', firstDecodedString(attributes, TRACE_FIELD_KEYS.sessionId, mask));
  set('release', firstString(attributes, TRACE_FIELD_KEYS.release, mask));
  set('version', firstString(attributes, TRACE_FIELD_KEYS.version, mask));
  set('environment', firstString(attributes, TRACE_FIELD_KEYS.environment, mask));
  set('input', firstJson(attributes, TRACE_FIELD_KEYS.input, mask));
  set('output', firstJson(attributes, TRACE_FIELD_KEYS.output, mask));
  set('public', firstBoolean(attributes, TRACE_FIELD_KEYS.public, mask));
  set('tags', allTags(attributes, mask));
  set('metadata', readMetadata(attributes, scan, TRACE_METADATA_SOURCES));

  const implicit: TraceFacts = resourceFacts(resource);
  if (span.parentSpanId === null || firstBoolean(attributes, TRACE_FIELD_KEYS.asRoot, mask) === true) {
    implicit.name = firstString(attributes, IMPLICIT_TRACE_NAME_KEYS, mask) ?? span.name;
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

/**
 * What the span's resource implies about the trace: implicit, so a fact named on any span wins
 * over it whichever arrives first (a child service's `service.version` is not the trace's version).
 */
function resourceFacts(resource: Attributes): TraceFacts {
  const facts: TraceFacts = {};
  for (const field of ['release', 'version', 'environment'] as const) {
    const value = firstString(resource, TRACE_RESOURCE_KEYS[field]);
    if (value !== undefined) facts[field] = value;
  }
  return facts;
}

function allTags(attributes: Attributes, mask: number): string[] | undefined {
  let tags: string[] | undefined;
  for (const key of TRACE_FIELD_KEYS.tags) {
    if ((mask & keyBit(key)) === 0 || attributes[key] === undefined) continue;
    const list = firstStringList(attributes, [key]);
    if (list === undefined || list.length === 0) continue;
    tags = tags === undefined ? list : [...new Set([...tags, ...list])];
  }
  return tags;
}
