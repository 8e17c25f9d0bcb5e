/**
 * Writing observation facts onto an OTel span: updates, errors and events. Shared by the
 * manual API, observe() and the context helpers so each fact is written one way.
 */
import { ROOT_CONTEXT, SpanStatusCode, trace, TraceFlags, type Exception, type Span } from '@opentelemetry/api';
import { SPANLITE_OBSERVATION_LEVEL, SPANLITE_OBSERVATION_STATUS_MESSAGE } from '../semconv/spanlite.js';
import { eventAttributes, observationAttributes, typeAttributes } from './attributes.js';
import { getTracer } from './scope.js';
import { DEFAULT_MAX_CHARS, serialize } from './serialize.js';
import type { EventParams, ObservationUpdate } from './types.js';

/** Level ERROR also sets the span status, so backends that only read OTel status see it. */
export function applyObservationUpdate(span: Span, update: ObservationUpdate, maxChars: number = DEFAULT_MAX_CHARS): void {
  if (!span.isRecording()) return;
  span.setAttributes(observationAttributes(update, maxChars));
  if (update.level === 'ERROR') {
    const message = update.statusMessage;
    span.setStatus(message === undefined ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message });
  }
}

/** Status ERROR with the message, level ERROR, and an `exception` event. */
export function recordError(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const message = errorMessage(error);
  span.recordException(toException(error, message));
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttributes({ [SPANLITE_OBSERVATION_LEVEL]: 'ERROR', [SPANLITE_OBSERVATION_STATUS_MESSAGE]: message });
}

/**
 * An EVENT observation under `span`: a span event while `span` records, else (the span has
 * ended) a zero-duration child span of type EVENT with the data as its input.
 */
export function addObservationEvent(span: Span, event: EventParams): void {
  const spanContext = span.spanContext();
  if ((spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return;
  const at = event.time ?? new Date();
  if (span.isRecording()) {
    span.addEvent(event.name, eventAttributes(event), at);
    return;
  }
  const attributes = {
    ...typeAttributes('EVENT', event.name),
    ...observationAttributes({ input: event.data, level: event.level }),
  };
  getTracer()
    .startSpan(event.name, { startTime: at, attributes }, trace.setSpanContext(ROOT_CONTEXT, spanContext))
    .end(at);
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return serialize(error, 1_000);
}

function toException(error: unknown, message: string): Exception {
  if (error instanceof Error) return error;
  return typeof error === 'string' ? error : { message };
}
