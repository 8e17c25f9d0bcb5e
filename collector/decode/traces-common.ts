/**
 * What the protobuf and JSON trace decoders share beyond the OTLP readers: the envelope's names,
 * the span they fill in, the checks that refuse a span, and the times every kept span ends up with.
 */
import type { DecodedSpan, DecodedTraces, SpanStatusCodeValue } from './span.js';
import { MAX_UNIX_NANO, SpanStatusCode } from './span.js';
import { SPANLITE_ORIGINAL_END_TIME } from '../../semconv/spanlite.js';
import { emptyAttributes, expectedTime, type ItemContext, type OtlpEnvelopeNames } from './otlp-values.js';

/** opentelemetry/proto/collector/trace/v1 ExportTraceServiceRequest and trace/v1. */
export const TRACE_ENVELOPE_NAMES: OtlpEnvelopeNames = Object.freeze({
  request: 'ExportTraceServiceRequest',
  resources: 'resourceSpans',
  resourcesProto: 'resource_spans',
  scopes: 'scopeSpans',
  scopesProto: 'scope_spans',
  items: 'spans',
});

/**
 * A span with every field at its OTLP default, for a decoder to fill in as it reads the span's
 * fields and then hand to keepOrRefuse.
 */
export function emptySpan(context: ItemContext): DecodedSpan {
  return {
    traceId: '',
    spanId: '',
    parentSpanId: null,
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: emptyAttributes(),
    events: [],
    status: { code: SpanStatusCode.UNSET, message: '' },
    resource: context.resource,
    scope: context.scope,
  };
}

/**
 * Keeps a span read in full, or refuses it when the decoder found `problems` with its ids, when
 * the status code it was sent with is unknown, or when a time is past 2262 (it would not fit the
 * store: SQLite's int64). A refused span is named by its id, or by its position when the decoder
 * left `span.spanId` empty because the id is unusable.
 */
export function keepOrRefuse(
  out: DecodedTraces,
  span: DecodedSpan,
  statusCode: number,
  problems: string[],
  context: ItemContext,
  spanIndex: number,
): void {
  if (!isStatusCode(statusCode)) problems.push(`status.code: expected 0, 1 or 2 (got ${statusCode})`);
  addTimeProblems(span, problems);
  // The status test repeats only to narrow `statusCode`.
  if (problems.length > 0 || !isStatusCode(statusCode)) {
    const name = span.spanId !== '' ? span.spanId : `${context.scopePosition}.${TRACE_ENVELOPE_NAMES.items}[${spanIndex}]`;
    out.refused.push({ span: name, reason: problems.join('; ') });
    return;
  }
  span.status.code = statusCode;
  out.spans.push(span);
}

function isStatusCode(code: number): code is SpanStatusCodeValue {
  return code === 0 || code === 1 || code === 2;
}

function addTimeProblems(span: DecodedSpan, problems: string[]): void {
  const { startTimeUnixNano, endTimeUnixNano } = span;
  if (startTimeUnixNano > MAX_UNIX_NANO) problems.push(`startTimeUnixNano: ${expectedTime()} (got ${startTimeUnixNano})`);
  if (endTimeUnixNano > MAX_UNIX_NANO) problems.push(`endTimeUnixNano: ${expectedTime()} (got ${endTimeUnixNano})`);
  span.events.forEach((event, index) => {
    if (event.timeUnixNano > MAX_UNIX_NANO) {
      problems.push(`events[${index}].timeUnixNano: ${expectedTime()} (got ${event.timeUnixNano})`);
    }
  });
}

/**
 * One export's spans as an encoding's reader keeps or refuses them (`read` fills `out`), with the
 * kept spans' times normalised (normaliseTimes).
 */
export function decodeTraces(read: (out: DecodedTraces) => void, receivedAtUnixNano: bigint | undefined): DecodedTraces {
  const out: DecodedTraces = { spans: [], refused: [] };
  read(out);
  normaliseTimes(out.spans, receivedAtUnixNano);
  return out;
}

/**
 * Times every span keeps, whatever it was sent with (after keepOrRefuse refused those past 2262):
 * - no start (0): its end, or when it has none either the time the export was received, as
 *   Langfuse does (test/interop: missing timestamps are never a reason to refuse a span);
 * - no end (0): its start;
 * - an end before the start (a clock stepped back): its start, as the OTel SDKs themselves do,
 *   with the end it was sent with recorded in SPANLITE_ORIGINAL_END_TIME. Its content and usage
 *   are worth more than its duration.
 */
function normaliseTimes(spans: readonly DecodedSpan[], receivedAtUnixNano: bigint | undefined): void {
  for (const span of spans) {
    if (span.startTimeUnixNano === 0n) {
      span.startTimeUnixNano = span.endTimeUnixNano !== 0n ? span.endTimeUnixNano : (receivedAtUnixNano ?? nowUnixNano());
    }
    if (span.endTimeUnixNano >= span.startTimeUnixNano) continue;
    if (span.endTimeUnixNano !== 0n) span.attributes[SPANLITE_ORIGINAL_END_TIME] = span.endTimeUnixNano.toString();
    span.endTimeUnixNano = span.startTimeUnixNano;
  }
}

function nowUnixNano(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
