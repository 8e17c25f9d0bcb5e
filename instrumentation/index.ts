/**
 * `spanlite`: what an application imports to be traced. Loads OpenTelemetry and nothing of the
 * collector (no Fastify, no SQLite).
 */
export { register } from './tracing-setup.js';
export type { RegisterOptions, SpanliteHandle } from './tracing-setup.js';
export { SpanliteSpanProcessor } from './span-processor.js';
export type { ScopeFilter, SpanliteSpanProcessorOptions } from './span-processor.js';
export { MASK_FAILED } from './mask.js';
export type { MaskFunction } from './mask.js';
export { observe, observeMethod } from './observe.js';
export type { ObserveOptions } from './observe.js';
export { startTrace, startObservation, SpanliteTrace, SpanliteObservation } from './manual.js';
export {
  updateCurrentObservation,
  updateCurrentTrace,
  scoreCurrentObservation,
  scoreCurrentTrace,
  getCurrentTraceId,
  getCurrentObservationId,
} from './context-helpers.js';
export { serialize, DEFAULT_MAX_CHARS, TRUNCATION_MARKER } from './serialize.js';
export { SPANLITE_SCOPE_NAME } from './scope.js';
export { SCORE_CARRIER_SPAN_NAME } from './scores.js';
export type {
  CostUsd,
  EventParams,
  ObservationEnd,
  ObservationLevel,
  ObservationParams,
  ObservationType,
  ObservationUpdate,
  ScoreDataType,
  ScoreParams,
  TraceEnd,
  TraceParams,
  TraceUpdate,
  Usage,
} from './types.js';
