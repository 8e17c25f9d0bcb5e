/** The instrumentation scope spanlite's own spans are created under. */
import { trace, type Tracer } from '@opentelemetry/api';

export const SPANLITE_SCOPE_NAME = 'spanlite';

/** Looked up per use (a map hit in the SDK), so a provider registered later is picked up. */
export function getTracer(): Tracer {
  return trace.getTracer(SPANLITE_SCOPE_NAME);
}
