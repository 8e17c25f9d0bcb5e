/**
 * What the protobuf and JSON trace decoders share beyond the OTLP readers: the envelope's names,
 * the checks that refuse a span, and the times every kept span ends up with.
 */
import type { DecodedEvent, DecodedSpan, SpanStatusCodeValue } from './span.js';
import { MAX_UNIX_NANO } from './span.js';
import { SPANLITE_ORIGINAL_END_TIME } from '../../semconv/spanlite.js';
import { expectedTime, type OtlpEnvelopeNames } from './otlp-values.js';

/** opentelemetry/proto/collector/trace/v1 ExportTraceServiceRequest and trace/v1. */
export const TRACE_ENVELOPE_NAMES: OtlpEnvelopeNames = Object.freeze({
  request: 'ExportTraceServiceRequest',
  resources: 'resourceSpans',
  resourcesProto: 'resource_spans',
  scopes: 'scopeSpans',
  scopesProto: 'scope_spans',
  items: 'spans',
});

export function isStatusCode(code: number): code is SpanStatusCodeValue {
  return code === 0 || code === 1 || code === 2;
}

/** Names a refused span by position when its own id is unusable. */
export function spanPosition(scopePosition: string, spanIndex: number): string {
  return `${scopePosition}.spans[${spanIndex}]`;
}

/** Times a span is refused for: past 2262, they would not fit the store (SQLite's int64). */
export function addTimeProblems(
  startTimeUnixNano: bigint,
  endTimeUnixNano: bigint,
  events: readonly DecodedEvent[],
  problems: string[],
): void {
  if (startTimeUnixNano > MAX_UNIX_NANO) problems.push(`startTimeUnixNano: ${expectedTime()} (got ${startTimeUnixNano})`);
  if (endTimeUnixNano > MAX_UNIX_NANO) problems.push(`endTimeUnixNano: ${expectedTime()} (got ${endTimeUnixNano})`);
  events.forEach((event, index) => {
    if (event.timeUnixNano > MAX_UNIX_NANO) {
      problems.push(`events[${index}].timeUnixNano: ${expectedTime()} (got ${event.timeUnixNano})`);
    }
  });
}

/**
 * Times every span keeps, whatever it was sent with (after addTimeProblems refused those past 2262):
 * - no start (0): its end, or when it has none either the time the export was received, as
 *   Langfuse does (test/interop: missing timestamps are never a reason to refuse a span);
 * - no end (0): its start;
 * - an end before the start (a clock stepped back): its start, as the OTel SDKs themselves do,
 *   with the end it was sent with recorded in SPANLITE_ORIGINAL_END_TIME. Its content and usage
 *   are worth more than its duration.
 */
export function normaliseTimes(spans: readonly DecodedSpan[], receivedAtUnixNano: bigint | undefined): void {
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
