/**
 * spanlite's own attribute names, for what no OTel convention covers. The instrumentation emits
 * them and the collector reads them; this file is the one place they are spelled.
 */

/** Every name below starts with this. */
export const SPANLITE_NAMESPACE = 'spanlite.';
export const SPANLITE_OBSERVATION_TYPE = 'spanlite.observation.type';
export const SPANLITE_OBSERVATION_LEVEL = 'spanlite.observation.level';
export const SPANLITE_OBSERVATION_STATUS_MESSAGE = 'spanlite.observation.status_message';
export const SPANLITE_OBSERVATION_VERSION = 'spanlite.observation.version';
/** JSON string (or any value) recorded as the observation's input / output. */
export const SPANLITE_OBSERVATION_INPUT = 'spanlite.observation.input';
export const SPANLITE_OBSERVATION_OUTPUT = 'spanlite.observation.output';
/** Prefix: `spanlite.observation.metadata.<key>` becomes metadata key `<key>`. */
export const SPANLITE_OBSERVATION_METADATA_PREFIX = 'spanlite.observation.metadata.';
/** JSON object of model parameters. */
export const SPANLITE_OBSERVATION_MODEL_PARAMETERS = 'spanlite.observation.model_parameters';
/** JSON object of cost in USD per usage bucket (`input`, `output`, ..., `total`). */
export const SPANLITE_OBSERVATION_COST = 'spanlite.observation.cost';
/** ISO time or unix nanoseconds of the first streamed token. */
export const SPANLITE_OBSERVATION_COMPLETION_START_TIME = 'spanlite.observation.completion_start_time';

export const SPANLITE_TRACE_NAME = 'spanlite.trace.name';
export const SPANLITE_TRACE_USER_ID = 'spanlite.trace.user_id';
export const SPANLITE_TRACE_SESSION_ID = 'spanlite.trace.session_id';
/** String array (or JSON array string) of tags. */
export const SPANLITE_TRACE_TAGS = 'spanlite.trace.tags';
export const SPANLITE_TRACE_RELEASE = 'spanlite.trace.release';
export const SPANLITE_TRACE_VERSION = 'spanlite.trace.version';
export const SPANLITE_TRACE_ENVIRONMENT = 'spanlite.trace.environment';
export const SPANLITE_TRACE_INPUT = 'spanlite.trace.input';
export const SPANLITE_TRACE_OUTPUT = 'spanlite.trace.output';
export const SPANLITE_TRACE_PUBLIC = 'spanlite.trace.public';
/** Prefix: `spanlite.trace.metadata.<key>` becomes trace metadata key `<key>`. */
export const SPANLITE_TRACE_METADATA_PREFIX = 'spanlite.trace.metadata.';

/** On a `gen_ai.evaluation.result` event: NUMERIC, CATEGORICAL or BOOLEAN. */
export const SPANLITE_SCORE_DATA_TYPE = 'spanlite.score.data_type';
/** On a `gen_ai.evaluation.result` event: `trace` scores the trace rather than the span. */
export const SPANLITE_SCORE_TARGET = 'spanlite.score.target';
/** On a `gen_ai.evaluation.result` event: a client-chosen id, making the score idempotent. */
export const SPANLITE_SCORE_ID = 'spanlite.score.id';
/** On any span event: DEBUG, DEFAULT, WARNING or ERROR. */
export const SPANLITE_EVENT_LEVEL = 'spanlite.event.level';
/**
 * On a `gen_ai.evaluation.result` event: the span id (hex) of the observation scored, when it is
 * not the span carrying the event (a score given after that span ended).
 */
export const SPANLITE_SCORE_OBSERVATION_ID = 'spanlite.score.observation_id';
/**
 * On a span: `true` marks a zero-duration span that only carries score events for spans that
 * had already ended. The collector stores its scores and no observation for it.
 */
export const SPANLITE_SCORE_CARRIER = 'spanlite.score_carrier';
/** On a `gen_ai.evaluation.result` event: API, EVAL (the default) or ANNOTATION. */
export const SPANLITE_SCORE_SOURCE = 'spanlite.score.source';
/**
 * Set by the collector on an attribute set (span, event, resource, scope, log record) in which it
 * truncated values over SPANLITE_MAX_ATTRIBUTE_BYTES: a list of `{ key, originalBytes }`.
 */
export const SPANLITE_TRUNCATED = 'spanlite.truncated';
/**
 * Set by the collector on a span that ended before it started: the end time it was sent with
 * (unix nanoseconds, decimal string). The span is stored with its end equal to its start.
 */
export const SPANLITE_ORIGINAL_END_TIME = 'spanlite.original_end_time_unix_nano';
/**
 * Set by the collector on an observation made from Langfuse ingestion events: a JSON object,
 * field -> the rank of the event that set it, so that events folded in any order (an update
 * before its create, two updates out of order, a batch sent again) give the same observation
 * (collector/ingestion/observation-fold.ts).
 */
export const SPANLITE_INGESTION_FIELD_RANKS = 'spanlite.ingestion.field_ranks';
