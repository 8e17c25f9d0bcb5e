/**
 * POST /api/public/ingestion: Langfuse's batch ingestion, what its pre-OTel SDKs (`langfuse` JS
 * v3, Python v2) and the integrations built on them send. Every event type is taken; each event
 * is answered on its own (207, `successes` and `errors`), as Langfuse does. The accepted events
 * become the stored model (collector/ingestion/) and go through the pipeline as OTLP spans do
 * (mask -> price -> write queue), in one write: a failed write fails the request (503,
 * retryable), and a batch sent again stores nothing twice. It is admitted as OTLP exports are
 * (receiver/admission.ts, before its body is read), and a full write queue refuses it as it
 * refuses them: 503 + Retry-After.
 */
import type { FastifyInstance } from 'fastify';
import type { QueryApiOptions } from './route-options.js';
import type { MappedSpan, Observation, Score } from '../model.js';
import type { QueryStore } from '../store/contract.js';
import { SpanliteError } from '../errors.js';
import { decodeLimits, ValueLimiter } from '../decode/value-limits.js';
import { scoreBodySchema, scoreFromBody, type ScoreBody } from './score-input.js';
import { validationMessage, type AjvError } from './schema-errors.js';
import { objectSchema, postSchema } from './schemas.js';
import {
  IngestionEventError,
  OBSERVATION_EVENTS,
  observationPatch,
  traceEventContribution,
  type IngestionEvent,
  type ObservationPatch,
} from '../ingestion/ingestion-event.js';
import { foldObservation, type IngestionScope } from '../ingestion/observation-fold.js';
import { admitOnArrival } from '../receiver/admission-hook.js';

interface IngestionRequest {
  batch: IngestionEvent[];
  /** The SDK's: `sdk_name`, `sdk_version`, ... */
  metadata?: Record<string, unknown> | null;
}

interface IngestionResult {
  successes: Array<{ id: string; status: number }>;
  errors: Array<{ id: string; status: number; message: string }>;
}

/** Score fields Langfuse's SDKs send that spanlite has no use for: a score's environment is its trace's. */
const IGNORED_SCORE_FIELDS = ['environment', 'configId'] as const;

/** One event: its body is checked by its type (collector/ingestion/ingestion-event.ts). */
const ingestionEventSchema = {
  ...objectSchema({
    id: { type: 'string', minLength: 1, maxLength: 512 },
    type: { type: 'string' },
    timestamp: { type: 'string' },
    body: { type: 'object', additionalProperties: true },
    metadata: {},
  }),
  required: ['id', 'type', 'body'],
  additionalProperties: true,
};

/** `metadata`: the SDK's name and version, and what it says of the batch. */
const ingestionRequestSchema = {
  ...objectSchema({
    batch: { type: 'array', maxItems: 1000, items: ingestionEventSchema },
    metadata: { type: ['object', 'null'], additionalProperties: true },
  }),
  required: ['batch'],
  additionalProperties: true,
};

const ingestionResponseSchema = objectSchema({
  successes: { type: 'array', items: objectSchema({ id: { type: 'string' }, status: { type: 'integer' } }) },
  errors: {
    type: 'array',
    items: objectSchema({ id: { type: 'string' }, status: { type: 'integer' }, message: { type: 'string' } }),
  },
});

export async function ingestionRoutes(
  app: FastifyInstance,
  { store, projectOf, pipeline, maxAttributeBytes, admission }: QueryApiOptions,
): Promise<void> {
  const limits = decodeLimits(maxAttributeBytes);
  app.post<{ Body: IngestionRequest }>(
    '/api/public/ingestion',
    {
      onRequest: admission === undefined ? [] : [admitOnArrival(admission)],
      schema: postSchema(
        'ingestion',
        "Langfuse's batch ingestion",
        "What Langfuse's pre-OTel SDKs send (langfuse JS v3, Python v2): trace-create, span-create/-update, " +
          'generation-create/-update, event-create, observation-create/-update, score-create, sdk-log. ' +
          'Each event is answered on its own; an update may come before its create, in another batch.',
        ingestionRequestSchema,
        { 207: ingestionResponseSchema },
      ),
    },
    async (request, reply) => {
      const projectId = projectOf(request);
      const nowUnixNano = BigInt(Date.now()) * 1_000_000n;
      const validateScore = request.compileValidationSchema(scoreBodySchema, 'body');
      const limiter = new ValueLimiter(limits);
      const result: IngestionResult = { successes: [], errors: [] };
      const accepted: string[] = [];
      const refuse = (eventId: string, status: number, message: string) => result.errors.push({ id: eventId, status, message });

      const spans: MappedSpan[] = [];
      const patches = new Map<string, ObservationPatch[]>();
      for (const [position, event] of request.body.batch.entries()) {
        try {
          if (event.type === 'sdk-log') {
            request.log.debug({ sdkLog: event.body.log }, 'Langfuse SDK log');
          } else if (event.type === 'trace-create') {
            spans.push({ observation: null, events: [], scores: [], trace: traceEventContribution(event, position, nowUnixNano, limiter) });
          } else if (event.type === 'score-create') {
            const body = { ...event.body };
            for (const field of IGNORED_SCORE_FIELDS) delete body[field];
            // Langfuse's SDKs send null (the v3 trace.score(): `observationId: null`) or "" for none.
            for (const [field, value] of Object.entries(body)) if (value === null || (field === 'observationId' && value === '')) delete body[field];
            if (!validateScore(body)) {
              refuse(event.id, 400, validationMessage(validateScore.errors as AjvError[] | undefined, scoreBodySchema, body));
              continue;
            }
            const score: Score = await scoreFromBody(body as unknown as ScoreBody, { projectId, store, nowUnixNano });
            spans.push({ observation: null, events: [], scores: [score], trace: null });
          } else if (Object.hasOwn(OBSERVATION_EVENTS, event.type)) {
            const patch = observationPatch(event, position, nowUnixNano, limiter);
            patches.set(patch.id, [...(patches.get(patch.id) ?? []), patch]);
            continue; // answered once its observation is folded
          } else {
            refuse(event.id, 400, `type: expected an ingestion event type (got "${event.type}")`);
            continue;
          }
          accepted.push(event.id);
        } catch (error) {
          if (error instanceof IngestionEventError) refuse(event.id, 400, error.message);
          else if (error instanceof SpanliteError && error.httpStatus < 500) refuse(event.id, error.httpStatus, error.message);
          else throw error;
        }
      }

      const folded = await foldingSpans(store, projectId, patches, scopeOf(request.body.metadata));
      for (const { eventId, message } of folded.refused) refuse(eventId, 400, message);
      accepted.push(...folded.accepted);
      await pipeline.ingestMapped(projectId, [...spans, ...folded.spans]);
      result.successes = accepted.map((id) => ({ id, status: 201 }));
      return reply.code(207).send(result);
    },
  );
}

/**
 * Each observation's events as one span that the store folds onto what it holds of the
 * observation, in its write transaction (MappedSpan.foldOntoStored): an update before its create,
 * in another batch or another collector, still meets it. Events that name no trace take the
 * trace of the stored observation with their id.
 */
async function foldingSpans(
  store: Pick<QueryStore, 'findObservationTraceId'>,
  projectId: string,
  patches: ReadonlyMap<string, ObservationPatch[]>,
  scope: IngestionScope,
): Promise<{ spans: MappedSpan[]; accepted: string[]; refused: Array<{ eventId: string; message: string }> }> {
  const spans: MappedSpan[] = [];
  const accepted: string[] = [];
  const refused: Array<{ eventId: string; message: string }> = [];
  for (const [id, events] of patches) {
    const traceId = events.find((patch) => patch.traceId !== null)?.traceId ?? (await store.findObservationTraceId(projectId, id));
    if (traceId === null) {
      const message = `body.traceId: expected the trace of observation ${id} (got nothing, and it is not stored)`;
      refused.push(...events.map((patch) => ({ eventId: patch.eventId, message })));
      continue;
    }
    const fold = (stored: Observation | null) => foldObservation(stored, events, traceId, scope);
    const observation = fold(null);
    const environment = [...events].reverse().find((patch) => patch.environment !== undefined)?.environment;
    spans.push({
      observation,
      events: [],
      scores: [],
      // What these events say of the trace's times: the fold onto nothing.
      trace: {
        traceId,
        rank: observation.startTimeUnixNano.toString().padStart(20, '0') + observation.id,
        explicit: environment === undefined ? {} : { environment },
        implicit: {},
        startTimeUnixNano: observation.startTimeUnixNano,
        endTimeUnixNano: observation.endTimeUnixNano ?? observation.startTimeUnixNano,
      },
      foldOntoStored: fold,
    });
    accepted.push(...events.map((patch) => patch.eventId));
  }
  return { spans, accepted, refused };
}

function scopeOf(metadata: IngestionRequest['metadata']): IngestionScope {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { name: text(metadata?.sdk_name) || 'langfuse-ingestion', version: text(metadata?.sdk_version) };
}
