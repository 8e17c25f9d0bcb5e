/**
 * Helpers acting on the active observation (the active OTel span) and its trace: what code deep
 * inside an observe()d call uses to add usage, a user id or a score without holding the span.
 * With no active span they do nothing (and say so at diag debug level).
 */
import { diag, isSpanContextValid, trace, type Span } from '@opentelemetry/api';
import { traceAttributes } from './attributes.js';
import { applyObservationUpdate } from './observation-span.js';
import { recordScore } from './scores.js';
import { rememberTraceAttributes } from './trace-attributes.js';
import type { ObservationUpdate, ScoreParams, TraceUpdate } from './types.js';

/** Usage, model, output, metadata, level... on the active observation. */
export function updateCurrentObservation(update: ObservationUpdate): void {
  const span = activeSpan('updateCurrentObservation');
  if (span !== undefined) applyObservationUpdate(span, update);
}

/**
 * Trace facts from anywhere in the trace. Set on the active span and, except input, output
 * and public, on every span the trace starts from now on.
 */
export function updateCurrentTrace(update: TraceUpdate): void {
  const span = activeSpan('updateCurrentTrace');
  if (span === undefined) return;
  const { propagated, local } = traceAttributes(update);
  const merged = rememberTraceAttributes(span.spanContext().traceId, propagated);
  if (span.isRecording()) span.setAttributes({ ...merged, ...local });
}

export function scoreCurrentObservation(score: ScoreParams): void {
  const span = activeSpan('scoreCurrentObservation');
  if (span !== undefined) recordScore(span, score, 'observation');
}

export function scoreCurrentTrace(score: ScoreParams): void {
  const span = activeSpan('scoreCurrentTrace');
  if (span !== undefined) recordScore(span, score, 'trace');
}

/** The active trace's id (hex), or undefined outside any trace. */
export function getCurrentTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** The active observation's id (span id, hex), or undefined outside any observation. */
export function getCurrentObservationId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext.spanId : undefined;
}

function activeSpan(caller: string): Span | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined || !isSpanContextValid(span.spanContext())) {
    diag.debug(`spanlite: ${caller}() called with no active observation; ignored`);
    return undefined;
  }
  return span;
}
