/**
 * JSON schemas of the query API's responses and shared parameters, in the shapes of
 * routes/views.ts. Fastify validates requests and serialises responses with them, and the OpenAPI
 * document (/api/public/openapi.json) is generated from them: one source for all three.
 */

type Schema = Record<string, unknown>;

const string = { type: 'string' } as const;
const nullableString = { type: ['string', 'null'] } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const number = { type: 'number' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const integer = { type: 'integer' } as const;
const boolean = { type: 'boolean' } as const;
/** Any JSON value (input, output, metadata values). */
const anyJson = {} as const;
const jsonObject = { type: 'object', additionalProperties: true } as const;
const alwaysNull = { type: 'null', description: 'Langfuse field spanlite has no source for.' } as const;

/** An object schema whose every property is required. */
export function objectSchema(properties: Schema, description?: string): Schema {
  return {
    type: 'object',
    ...(description === undefined ? {} : { description }),
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

export const errorSchema = objectSchema(
  {
    error: { type: 'string', description: 'Stable error code, e.g. invalid_parameter, not_found.' },
    message: { type: 'string', description: 'What is wrong, naming the parameter: `limit: expected an integer 1-1000 (got "abc")`.' },
  },
  'An error.',
);

export const metaSchema = objectSchema({
  page: integer,
  limit: integer,
  totalItems: integer,
  totalPages: integer,
});

export function pageSchema(item: Schema, meta: Schema = metaSchema): Schema {
  return objectSchema({ data: { type: 'array', items: item }, meta });
}

const traceProperties = {
  id: string,
  timestamp: dateTime,
  name: nullableString,
  userId: nullableString,
  sessionId: nullableString,
  release: nullableString,
  version: nullableString,
  environment: string,
  tags: { type: 'array', items: string },
  metadata: jsonObject,
  input: anyJson,
  output: anyJson,
  public: boolean,
  latency: { type: 'number', description: 'Seconds.' },
  totalCost: { type: ['number', 'null'], description: 'USD; null when no observation could be priced.' },
  htmlPath: string,
  endTimestamp: dateTime,
  latencyMs: number,
  inputTokens: integer,
  outputTokens: integer,
  totalTokens: integer,
  createdAt: dateTime,
  updatedAt: dateTime,
};

export const traceSchema = objectSchema(traceProperties, "Langfuse's Trace, with spanlite's extensions.");

export const traceListItemSchema = objectSchema(
  {
    ...traceProperties,
    observations: { type: 'array', items: string, description: 'Observation ids.' },
    scores: { type: 'array', items: string, description: 'Score ids.' },
    level: {
      type: 'string',
      enum: ['DEFAULT', 'WARNING', 'ERROR'],
      description: 'Extension: ERROR when an observation of the trace is at ERROR, else WARNING when one is at WARNING, else DEFAULT.',
    },
    scoreValues: {
      type: 'array',
      description: "Extension: the trace's scores (its own and its observations'), in the order of `scores`.",
      items: objectSchema({
        id: string,
        name: string,
        value: nullableNumber,
        stringValue: nullableString,
        dataType: { type: 'string', enum: ['NUMERIC', 'CATEGORICAL', 'BOOLEAN'] },
        source: { type: 'string', enum: ['API', 'EVAL', 'ANNOTATION'] },
        observationId: nullableString,
      }),
    },
  },
  "Langfuse's TraceWithDetails, with spanlite's extensions.",
);

const scoreProperties = {
  id: string,
  traceId: string,
  observationId: nullableString,
  name: string,
  value: nullableNumber,
  stringValue: nullableString,
  dataType: { type: 'string', enum: ['NUMERIC', 'CATEGORICAL', 'BOOLEAN'] },
  comment: nullableString,
  source: { type: 'string', enum: ['API', 'EVAL', 'ANNOTATION'] },
  timestamp: dateTime,
  createdAt: dateTime,
  updatedAt: dateTime,
  metadata: jsonObject,
  environment: string,
  authorUserId: alwaysNull,
  configId: alwaysNull,
  queueId: alwaysNull,
};

export const scoreSchema = objectSchema(scoreProperties, "Langfuse's Score.");

export const scoreListItemSchema = objectSchema(
  {
    ...scoreProperties,
    trace: {
      anyOf: [objectSchema({ userId: nullableString, tags: { type: 'array', items: string }, environment: string }), { type: 'null' }],
    },
  },
  "Langfuse's GetScoresResponseData: a score with its trace's user, tags and environment.",
);

export const observationSchema = objectSchema(
  {
    id: string,
    traceId: string,
    parentObservationId: nullableString,
    type: string,
    name: string,
    startTime: dateTime,
    endTime: nullableDateTime,
    completionStartTime: nullableDateTime,
    level: { type: 'string', enum: ['DEBUG', 'DEFAULT', 'WARNING', 'ERROR'] },
    statusMessage: nullableString,
    version: nullableString,
    model: nullableString,
    modelParameters: { anyOf: [jsonObject, { type: 'null' }] },
    input: anyJson,
    output: anyJson,
    metadata: jsonObject,
    usageDetails: { type: 'object', additionalProperties: number, description: 'Tokens in exclusive buckets.' },
    usage: objectSchema({ input: number, output: number, total: number, unit: string }),
    costDetails: { type: 'object', additionalProperties: number, description: 'USD per bucket, and total.' },
    calculatedInputCost: nullableNumber,
    calculatedOutputCost: nullableNumber,
    calculatedTotalCost: nullableNumber,
    totalCost: nullableNumber,
    costMissingReason: { type: ['string', 'null'], enum: ['no_model', 'no_usage', 'no_price_match', null] },
    countsInTraceTotals: boolean,
    latency: { type: ['number', 'null'], description: 'Seconds.' },
    timeToFirstToken: { type: ['number', 'null'], description: 'Seconds.' },
    environment: string,
    promptId: alwaysNull,
    promptName: alwaysNull,
    promptVersion: alwaysNull,
    modelId: alwaysNull,
    inputPrice: alwaysNull,
    outputPrice: alwaysNull,
    totalPrice: alwaysNull,
    attributes: jsonObject,
    resourceAttributes: jsonObject,
    scope: objectSchema({ name: string, version: string }),
  },
  "Langfuse's ObservationsView, with spanlite's extensions.",
);

export const traceDetailSchema = objectSchema(
  {
    ...traceProperties,
    observations: { type: 'array', items: observationSchema },
    scores: { type: 'array', items: scoreSchema },
  },
  "Langfuse's TraceWithFullDetails.",
);

const aggregateProperties = {
  countTraces: integer,
  firstTraceAt: dateTime,
  lastTraceAt: dateTime,
  inputTokens: integer,
  outputTokens: integer,
  totalTokens: integer,
  totalCost: { type: 'number', description: 'USD.' },
};

const sessionProperties = {
  id: string,
  createdAt: { ...dateTime, description: "The first trace's start." },
  projectId: string,
  environment: string,
  ...aggregateProperties,
};

export const sessionSchema = objectSchema(sessionProperties, "Langfuse's Session, with trace count, first/last time, tokens and cost.");

export const sessionDetailSchema = objectSchema(
  { ...sessionProperties, traces: { type: 'array', items: traceSchema, description: 'In start order.' } },
  "Langfuse's SessionWithTraces.",
);

export const userSchema = objectSchema({ userId: string, ...aggregateProperties }, "One user's traces in aggregate.");

export const dailyMetricsSchema = objectSchema(
  {
    date: { type: 'string', format: 'date', description: 'UTC day.' },
    countTraces: integer,
    countObservations: integer,
    countErrorTraces: { type: 'integer', description: 'Extension: traces starting this day that have an ERROR observation.' },
    countErrorObservations: { type: 'integer', description: 'Extension: observations at level ERROR starting this day.' },
    totalCost: number,
    usage: {
      type: 'array',
      items: objectSchema({
        model: nullableString,
        inputUsage: integer,
        outputUsage: integer,
        totalUsage: integer,
        countTraces: integer,
        countObservations: integer,
        totalCost: number,
      }),
    },
  },
  "Langfuse's DailyMetricsDetails, with spanlite's error counts.",
);

export const modelSchema = objectSchema(
  {
    id: string,
    modelName: string,
    matchPattern: string,
    startDate: { type: ['string', 'null'], format: 'date-time', description: 'The price applies to spans that started on or after it; null: of any date.' },
    unit: { type: 'string', enum: ['TOKENS'] },
    inputPrice: nullableNumber,
    outputPrice: nullableNumber,
    totalPrice: alwaysNull,
    tokenizerId: alwaysNull,
    tokenizerConfig: alwaysNull,
    isLangfuseManaged: { type: 'boolean', description: 'True for the model catalog and the pricing file.' },
    createdAt: dateTime,
    prices: { type: 'object', additionalProperties: objectSchema({ price: number }) },
    pricingTiers: {
      type: 'array',
      items: objectSchema({
        id: string,
        name: string,
        isDefault: boolean,
        priority: integer,
        conditions: {
          type: 'array',
          items: objectSchema({
            usageDetailPattern: string,
            operator: { type: 'string', enum: ['gt'] },
            value: number,
            caseSensitive: boolean,
          }),
        },
        prices: { type: 'object', additionalProperties: number },
      }),
    },
    source: { type: 'string', enum: ['custom', 'file', 'default'], description: '`default`: from the model catalog.' },
    provider: { type: ['string', 'null'], description: "The model catalog's provider of a default price." },
    dailyWindowUtc: {
      anyOf: [{ type: 'null' }, objectSchema({ start: string, end: string })],
      description: 'The part of each UTC day a catalog price applies in; null: all day.',
    },
  },
  "Langfuse's Model: USD per token, by usage bucket.",
);

/** What a repricing changed. */
export const repriceResultSchema = objectSchema(
  {
    observations: { type: 'integer', description: 'Observations whose cost changed.' },
    traces: { type: 'integer', description: 'Traces with an observation whose cost changed.' },
    examined: { type: 'integer', description: 'Observations with a model or usage looked at in the range.' },
  },
  'What a repricing changed.',
);

/** The model catalog package whose prices are the defaults. */
export const modelCatalogSchema = objectSchema(
  { package: string, version: string, providers: { type: 'array', items: string, description: 'Its provider ids: the values of the provider filter.' } },
  'The model catalog package, its version and its providers.',
);

/** Responses every route may give besides its own. */
export function withErrors(success: Record<string, Schema>, ...statuses: Array<400 | 404 | 409>): Record<string, Schema> {
  const errors = Object.fromEntries(statuses.map((status) => [String(status), errorSchema]));
  return { ...success, ...errors };
}

/** The route schema of a paged list: its filters besides page and limit, its item, or 400. */
export function listSchema(
  tag: string,
  summary: string,
  description: string,
  filters: Record<string, Schema>,
  item: Schema,
): Schema {
  return {
    summary,
    description,
    tags: [tag],
    querystring: { type: 'object', properties: { ...pageParams, ...filters } },
    response: withErrors({ 200: pageSchema(item) }, 400),
  };
}

/** The route schema of a POST: its body, its responses, or 400. */
export function postSchema(
  tag: string,
  summary: string,
  description: string,
  body: Schema,
  success: Record<string, Schema>,
): Schema {
  return { summary, description, tags: [tag], body, response: withErrors(success, 400) };
}

/** The route schema of one record by id: its id parameter, its responses, or 404. */
export function byIdSchema(
  tag: string,
  summary: string,
  params: Schema,
  success: Record<string, Schema>,
  description?: string,
): Schema {
  return { summary, ...(description === undefined ? {} : { description }), tags: [tag], params, response: withErrors(success, 404) };
}

// ---- Shared parameters -------------------------------------------------------------------------

export const pageParams = {
  page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1, description: 'Page number, from 1.' },
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50, description: 'Items per page.' },
} as const;

export function timeParam(description: string): Schema {
  return { type: 'string', format: 'date-time', description: `${description} ISO 8601, e.g. 2025-01-31T00:00:00Z.` };
}

/** A parameter that may repeat (`tags=a&tags=b`) or list values comma-separated (`tags=a,b`). */
export function listParam(description: string): Schema {
  return { type: 'array', items: { type: 'string' }, description: `${description} Repeat the parameter or separate values with commas.` };
}

export function idParams(name: string, description: string): Schema {
  return objectSchema({ [name]: { type: 'string', minLength: 1, maxLength: 512, description } });
}
