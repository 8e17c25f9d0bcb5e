/**
 * A score posted through the API (Langfuse's CreateScoreRequest) -> the stored Score. The
 * schema checks shapes; this checks what depends on more than one field: the data type against
 * the value, and which trace is scored.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue, Score, ScoreDataType } from '../model.js';
import type { QueryStore } from '../store/contract.js';
import { invalidParameter } from './query-params.js';
import { normaliseClientId } from '../mapping/client-id.js';

export interface ScoreBody {
  id?: string;
  traceId?: string;
  observationId?: string;
  sessionId?: string;
  name: string;
  /** Any JSON value as sent: checked against the data type in scoreFromBody. */
  value: unknown;
  dataType?: ScoreDataType;
  comment?: string | null;
  metadata?: Record<string, JsonValue> | null;
  source?: Score['source'];
}

const idField = { type: 'string', minLength: 1, maxLength: 512 } as const;

export const scoreBodySchema = {
  type: 'object',
  // `value` is required too, checked in scoreFromBody with the data type.
  required: ['name'],
  properties: {
    id: { ...idField, description: 'Your id for the score: posting it again replaces the score (idempotent). Default: a new UUID.' },
    traceId: { ...idField, description: 'The trace scored. Optional when observationId names a stored observation.' },
    observationId: { ...idField, description: 'The observation scored, in the trace.' },
    sessionId: { ...idField, description: 'Not supported: scores belong to a trace.' },
    name: { type: 'string', minLength: 1, maxLength: 256 },
    // No `type`: a union of types would be coerced (a categorical "0.5" into 0.5); checked in scoreFromBody.
    value: { description: 'NUMERIC: a number; BOOLEAN: 0 or 1 (or true/false); CATEGORICAL: a string.' },
    dataType: { type: 'string', enum: ['NUMERIC', 'CATEGORICAL', 'BOOLEAN'], description: 'Default: NUMERIC for a number, CATEGORICAL for a string.' },
    comment: { type: ['string', 'null'], maxLength: 10_000 },
    metadata: { type: ['object', 'null'], additionalProperties: true },
    source: { type: 'string', enum: ['API', 'EVAL', 'ANNOTATION'], description: 'Default: API.' },
  },
  additionalProperties: false,
} as const;

/** The score to store, or an invalid_parameter error naming the field at fault. */
export async function scoreFromBody(
  body: ScoreBody,
  context: { projectId: string; store: Pick<QueryStore, 'findObservationTraceId' | 'getScore'>; nowUnixNano: bigint },
): Promise<Score> {
  const observationId = body.observationId === undefined ? null : normaliseClientId(body.observationId);
  const traceId = await scoredTrace(body, observationId, context);
  const { value, stringValue, dataType } = typedValue(body);
  const id = body.id ?? randomUUID();
  // Posting the same id again changes nothing but what was sent: it keeps its first timestamp.
  const existing = body.id === undefined ? null : await context.store.getScore(context.projectId, id);
  return {
    id,
    traceId,
    observationId,
    name: body.name,
    value,
    stringValue,
    dataType,
    comment: body.comment ?? null,
    source: body.source ?? 'API',
    timeUnixNano: existing === null ? context.nowUnixNano : existing.timeUnixNano,
    metadata: body.metadata ?? {},
  };
}

async function scoredTrace(
  body: ScoreBody,
  observationId: string | null,
  context: { projectId: string; store: Pick<QueryStore, 'findObservationTraceId'> },
): Promise<string> {
  if (body.traceId !== undefined) return normaliseClientId(body.traceId);
  if (observationId !== null) {
    const traceId = await context.store.findObservationTraceId(context.projectId, observationId);
    if (traceId !== null) return traceId;
    throw invalidParameter(
      'observationId',
      'a stored observation, or a traceId with it (the trace of an observation not stored yet is unknown)',
      JSON.stringify(body.observationId),
    );
  }
  const expected = body.sessionId === undefined ? 'the id of the trace scored (or an observationId)' : 'a trace id: session scores are not supported';
  throw invalidParameter('traceId', expected, 'nothing');
}

function typedValue(body: ScoreBody): Pick<Score, 'value' | 'stringValue' | 'dataType'> {
  const got = JSON.stringify(body.value);
  if (typeof body.value === 'boolean' && body.dataType === 'BOOLEAN') body = { ...body, value: body.value ? 1 : 0 };
  if (typeof body.value !== 'number' && typeof body.value !== 'string') {
    throw invalidParameter('value', 'a number, or a string for a CATEGORICAL score', got ?? 'nothing');
  }
  const dataType: ScoreDataType = body.dataType ?? (typeof body.value === 'string' ? 'CATEGORICAL' : 'NUMERIC');
  switch (dataType) {
    case 'NUMERIC':
      if (typeof body.value !== 'number' || !Number.isFinite(body.value)) throw invalidParameter('value', 'a number for a NUMERIC score', got);
      return { value: body.value, stringValue: null, dataType };
    case 'BOOLEAN':
      if (body.value !== 0 && body.value !== 1) throw invalidParameter('value', '0 or 1 for a BOOLEAN score', got);
      return { value: body.value, stringValue: body.value === 1 ? 'true' : 'false', dataType };
    case 'CATEGORICAL':
      if (typeof body.value !== 'string' || body.value === '') throw invalidParameter('value', 'a non-empty string for a CATEGORICAL score', got);
      return { value: null, stringValue: body.value, dataType };
  }
}
