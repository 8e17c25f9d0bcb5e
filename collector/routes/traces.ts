/** /api/public/traces: the filtered list (pages or cursor), one trace with its tree, deletion. */
import type { FastifyInstance } from 'fastify';
import type { QueryApiOptions } from './route-options.js';
import { SpanliteError } from '../errors.js';
import { found } from './found.js';
import { TRACE_ORDER_FIELDS, type TraceListQuery } from '../store/contract.js';
import {
  decodeCursor,
  encodeCursor,
  invalidParameter,
  pageOf,
  parseMetadataConditions,
  parseOrderBy,
  parseScoreConditions,
  parseSearchTerms,
  splitList,
  timeRangeOf,
} from './query-params.js';
import {
  byIdSchema,
  idParams,
  listParam,
  metaSchema,
  objectSchema,
  pageParams,
  timeParam,
  traceDetailSchema,
  traceListItemSchema,
  withErrors,
} from './schemas.js';
import { toTraceDetail, toTraceListItem } from './wire.js';

interface TraceListQuerystring {
  page: number;
  limit: number;
  cursor?: string;
  userId?: string;
  sessionId?: string;
  name?: string;
  tags?: string[];
  environment?: string[];
  release?: string;
  version?: string;
  fromTimestamp?: string;
  toTimestamp?: string;
  orderBy?: string;
  level?: 'ERROR' | 'WARNING';
  minLatencyMs?: number;
  maxLatencyMs?: number;
  minCost?: number;
  maxCost?: number;
  score?: string[];
  metadata?: string[];
  model?: string;
  q?: string;
}

const text = (description: string) => ({ type: 'string', maxLength: 1000, description });
const nonNegative = (description: string) => ({ type: 'number', minimum: 0, description });

const traceListQuerystring = {
  type: 'object',
  properties: {
    ...pageParams,
    cursor: {
      type: 'string',
      maxLength: 2000,
      description:
        "Continue after the last trace of a previous page: its meta.nextCursor. Unlike pages, a cursor neither repeats nor skips traces stored meanwhile. Use the same orderBy and filters.",
    },
    userId: text('Traces of this user.'),
    sessionId: text('Traces of this session.'),
    name: text('Traces with this name.'),
    tags: listParam('Traces carrying all of these tags.'),
    environment: listParam('Traces in any of these environments.'),
    release: text('Traces of this release.'),
    version: text('Traces of this version.'),
    fromTimestamp: timeParam('Traces starting at or after this time.'),
    toTimestamp: timeParam('Traces starting before this time.'),
    orderBy: {
      type: 'string',
      description: `${TRACE_ORDER_FIELDS.join(', ')}; optionally .asc or .desc (default desc). Default timestamp.desc.`,
    },
    level: { type: 'string', enum: ['ERROR', 'WARNING'], description: 'Extension: traces with an observation at this level.' },
    minLatencyMs: nonNegative('Extension: traces lasting at least this long (ms).'),
    maxLatencyMs: nonNegative('Extension: traces lasting at most this long (ms).'),
    minCost: nonNegative('Extension: traces costing at least this much (USD).'),
    maxCost: nonNegative('Extension: traces costing at most this much (USD).'),
    score: {
      type: 'array',
      items: { type: 'string', maxLength: 1000 },
      description:
        'Extension: <name><op><value>, op one of = != < <= > >= (e.g. helpfulness<0.5). Repeat for more; all must hold. A text value (sentiment=positive) compares categorical scores.',
    },
    metadata: {
      type: 'array',
      items: { type: 'string', maxLength: 1000 },
      description: 'Extension: <key>=<value> on the trace metadata (e.g. plan=pro). Repeat for more; all must hold.',
    },
    model: text('Extension: traces with an observation on this model.'),
    q: {
      type: 'string',
      maxLength: 500,
      description:
        'Extension: full-text search in the name, input and output of the trace and its observations, in any script. Words (all must appear) or "quoted phrases"; case-insensitive substrings.',
    },
  },
} as const;

const traceListResponse = objectSchema({
  data: { type: 'array', items: traceListItemSchema },
  meta: objectSchema({
    ...(metaSchema.properties as Record<string, unknown>),
    nextCursor: { type: ['string', 'null'], description: 'Extension: pass as cursor for the next page; null on the last.' },
    totalItemsIsLowerBound: {
      type: 'boolean',
      description: 'Extension: true when a full-text search alone matches over 10,000 traces: totalItems then says 10,001.',
    },
  }),
});

const traceParams = idParams('traceId', 'Trace id (32 hex characters).');

export async function traceRoutes(app: FastifyInstance, { store, projectOf }: QueryApiOptions): Promise<void> {
  app.get<{ Querystring: TraceListQuerystring }>(
    '/api/public/traces',
    {
      schema: {
        summary: 'List traces',
        description: 'Newest first by default. Every filter given must hold.',
        tags: ['traces'],
        querystring: traceListQuerystring,
        response: withErrors({ 200: traceListResponse }, 400),
      },
    },
    async (request) => {
      const query = request.query;
      const after = decodeCursor(query.cursor);
      if (after !== undefined && query.page !== 1) {
        throw invalidParameter('page', 'no page with a cursor (the cursor says where to continue)', JSON.stringify(String(query.page)));
      }
      const listQuery: TraceListQuery = {
        ...pageOf(query),
        orderBy: parseOrderBy('orderBy', query.orderBy, TRACE_ORDER_FIELDS, { field: 'timestamp', direction: 'desc' }),
        userId: query.userId,
        sessionId: query.sessionId,
        name: query.name,
        tags: splitList(query.tags),
        environments: splitList(query.environment),
        release: query.release,
        version: query.version,
        ...timeRangeOf(query.fromTimestamp, query.toTimestamp),
        level: query.level,
        minLatencyMs: query.minLatencyMs,
        maxLatencyMs: query.maxLatencyMs,
        minCostUsd: query.minCost,
        maxCostUsd: query.maxCost,
        scores: parseScoreConditions(query.score),
        metadata: parseMetadataConditions(query.metadata),
        model: query.model,
        searchTerms: parseSearchTerms(query.q),
        after,
      };
      const page = await store.listTraces(projectOf(request), listQuery);
      const nextCursor = page.next === null ? null : encodeCursor(page.next);
      return {
        data: page.data.map(toTraceListItem),
        meta: { ...page.meta, nextCursor, totalItemsIsLowerBound: page.totalItemsIsLowerBound },
      };
    },
  );

  app.get<{ Params: { traceId: string } }>(
    '/api/public/traces/:traceId',
    { schema: byIdSchema('traces', 'Get a trace with its observations and scores', traceParams, { 200: traceDetailSchema }) },
    async (request) => {
      const { traceId } = request.params;
      const trace = await store.getTrace(projectOf(request), traceId.toLowerCase());
      return toTraceDetail(found(trace, 'trace', traceId));
    },
  );

  app.delete<{ Params: { traceId: string } }>(
    '/api/public/traces/:traceId',
    {
      schema: byIdSchema(
        'traces',
        'Delete a trace with its observations and scores',
        traceParams,
        { 200: objectSchema({ message: { type: 'string' } }) },
      ),
    },
    async (request) => {
      const { traceId } = request.params;
      const deleted = await store.deleteTrace(projectOf(request), traceId.toLowerCase());
      if (!deleted) throw new SpanliteError('notFound', `trace ${traceId} not found`);
      return { message: `trace ${traceId} deleted` };
    },
  );
}

