/**
 * Scores travel as `gen_ai.evaluation.result` span events. A span that has ended takes no more
 * events, so a late score rides on a zero-duration child span marked as a score carrier: the
 * collector stores its scores and no observation for it.
 */
import { diag, ROOT_CONTEXT, trace, TraceFlags, type Span } from '@opentelemetry/api';
import { GEN_AI_EVALUATION_RESULT_EVENT } from '../semconv/gen-ai.js';
import { SPANLITE_SCORE_CARRIER } from '../semconv/spanlite.js';
import { scoreAttributes } from './attributes.js';
import { getTracer } from './scope.js';
import type { ScoreParams } from './types.js';

/** Name of the zero-duration span that carries scores given after their span ended. */
export const SCORE_CARRIER_SPAN_NAME = 'spanlite.score';

/** Scores `span`'s observation, or with `target` `trace` the whole trace `span` belongs to. */
export function recordScore(span: Span, score: ScoreParams, target: 'trace' | 'observation'): void {
  const spanContext = span.spanContext();
  if ((spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return;
  const late = !span.isRecording();
  const attributes = scoreAttributes(
    score,
    target === 'trace' ? { kind: 'trace' } : { kind: 'observation', observationId: late ? spanContext.spanId : undefined },
  );
  if (attributes === undefined) {
    diag.warn(
      `spanlite: score "${score.name}": expected a finite number, a string or a boolean (got ${String(score.value)})`,
    );
    return;
  }
  if (!late) {
    span.addEvent(GEN_AI_EVALUATION_RESULT_EVENT, attributes);
    return;
  }
  const at = new Date();
  const carrier = getTracer().startSpan(
    SCORE_CARRIER_SPAN_NAME,
    { startTime: at, attributes: { [SPANLITE_SCORE_CARRIER]: true } },
    trace.setSpanContext(ROOT_CONTEXT, spanContext),
  );
  carrier.addEvent(GEN_AI_EVALUATION_RESULT_EVENT, attributes, at);
  carrier.end(at);
}
