/**
 * A span's events: `gen_ai.evaluation.result` events become scores; every other event becomes an
 * EVENT observation under the span, as Langfuse shows them.
 */
import type { Attributes, DecodedEvent, DecodedSpan } from '../decode/span.js';
import type { Level, Observation, Score, ScoreDataType } from '../model.js';
import * as genAi from '../../semconv/gen-ai.js';
import * as ours from '../../semconv/spanlite.js';
import { EXCEPTION_EVENT, EXCEPTION_MESSAGE, EXCEPTION_TYPE } from '../../semconv/otel.js';
import { firstNumber, firstString } from './attribute-readers.js';
import { parseLevel } from './level.js';
import { eventObservation } from './event-observation.js';

const SCORE_DATA_TYPES: ReadonlySet<string> = new Set(['NUMERIC', 'CATEGORICAL', 'BOOLEAN']);
const SCORE_SOURCES: ReadonlySet<string> = new Set(['API', 'EVAL', 'ANNOTATION']);
const NO_EVENTS: ReadonlySet<number> = new Set();

export function mapSpanEvents(
  span: DecodedSpan,
  /** The observation events hang under; for a score carrier, the span it scores. */
  ownerObservationId: string | null,
  /** Positions of events already read as the observation's input/output (not kept twice). */
  consumed: ReadonlySet<number> = NO_EVENTS,
): { events: Observation[]; scores: Score[] } {
  const events: Observation[] = [];
  const scores: Score[] = [];
  span.events.forEach((event, index) => {
    if (consumed.has(index)) return;
    const score = event.name === genAi.GEN_AI_EVALUATION_RESULT_EVENT
      ? readScore(span, event, index, ownerObservationId)
      : undefined;
    if (score) scores.push(score);
    else if (ownerObservationId !== null) events.push(toEventObservation(span, event, index, ownerObservationId));
  });
  return { events, scores };
}

/** Deterministic ids, so a re-sent span yields the same rows (idempotent retries). */
function eventObservationId(spanId: string, index: number): string {
  return `${spanId}-e${index}`;
}

function toEventObservation(
  span: DecodedSpan,
  event: DecodedEvent,
  index: number,
  parentObservationId: string,
): Observation {
  const { level, statusMessage } = eventLevel(event);
  return eventObservation({
    id: eventObservationId(span.spanId, index),
    traceId: span.traceId,
    parentObservationId,
    name: event.name,
    startTimeUnixNano: event.timeUnixNano,
    level,
    statusMessage,
    input: Object.keys(event.attributes).length > 0 ? event.attributes : null,
    metadata: {},
    rawAttributes: event.attributes,
    resourceAttributes: {},
    scope: { name: span.scope.name, version: span.scope.version },
  });
}

function eventLevel(event: DecodedEvent): { level: Level; statusMessage: string | null } {
  const named = parseLevel(firstString(event.attributes, [ours.SPANLITE_EVENT_LEVEL]));
  if (event.name === EXCEPTION_EVENT) {
    const type = firstString(event.attributes, [EXCEPTION_TYPE]);
    const message = firstString(event.attributes, [EXCEPTION_MESSAGE]);
    const statusMessage = [type, message].filter(Boolean).join(': ') || null;
    return { level: named ?? 'ERROR', statusMessage };
  }
  return { level: named ?? 'DEFAULT', statusMessage: null };
}

/** A score, or undefined when the event lacks what makes one (it is then kept as an event). */
function readScore(
  span: DecodedSpan,
  event: DecodedEvent,
  index: number,
  ownerObservationId: string | null,
): Score | undefined {
  const attributes = event.attributes;
  const name = firstString(attributes, [genAi.GEN_AI_EVALUATION_NAME]);
  const numeric = firstNumber(attributes, [genAi.GEN_AI_EVALUATION_SCORE_VALUE]);
  const label = firstString(attributes, [genAi.GEN_AI_EVALUATION_SCORE_LABEL]);
  if (name === undefined || (numeric === undefined && label === undefined)) return undefined;

  const dataType = scoreDataType(attributes, numeric);
  const scoresTrace = firstString(attributes, [ours.SPANLITE_SCORE_TARGET]) === 'trace';
  const source = firstString(attributes, [ours.SPANLITE_SCORE_SOURCE])?.toUpperCase();
  return {
    id: firstString(attributes, [ours.SPANLITE_SCORE_ID]) ?? `${span.spanId}-s${index}`,
    traceId: span.traceId,
    observationId: scoresTrace
      ? null
      : (firstString(attributes, [ours.SPANLITE_SCORE_OBSERVATION_ID]) ?? ownerObservationId),
    name,
    value: numeric ?? booleanLabelValue(dataType, label),
    stringValue: label ?? (dataType === 'BOOLEAN' && numeric !== undefined ? String(numeric === 1) : null),
    dataType,
    comment: firstString(attributes, [genAi.GEN_AI_EVALUATION_EXPLANATION]) ?? null,
    source: source !== undefined && SCORE_SOURCES.has(source) ? (source as Score['source']) : 'EVAL',
    timeUnixNano: event.timeUnixNano,
    metadata: {},
  };
}

function scoreDataType(attributes: Attributes, numeric: number | undefined): ScoreDataType {
  const named = firstString(attributes, [ours.SPANLITE_SCORE_DATA_TYPE])?.toUpperCase();
  if (named !== undefined && SCORE_DATA_TYPES.has(named)) return named as ScoreDataType;
  return numeric !== undefined ? 'NUMERIC' : 'CATEGORICAL';
}

function booleanLabelValue(dataType: ScoreDataType, label: string | undefined): number | null {
  if (dataType !== 'BOOLEAN' || label === undefined) return null;
  const normalised = label.toLowerCase();
  return normalised === 'true' || normalised === '1' ? 1 : normalised === 'false' || normalised === '0' ? 0 : null;
}
