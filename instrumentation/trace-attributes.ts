/**
 * Trace-level attributes waiting for the spans a trace has yet to start. Each span processor
 * owns a bounded store; the manual API and `updateCurrentTrace` write to every attached store,
 * the processor reads it in `onStart` and forgets a trace when the trace's local root ends.
 */
import type { Attributes } from '@opentelemetry/api';
import { SPANLITE_TRACE_TAGS } from '../semconv/spanlite.js';

/** Default bound on traces remembered at once; the oldest is forgotten first. */
export const DEFAULT_MAX_TRACES = 10_000;

export class TraceAttributeStore {
  private readonly byTraceId = new Map<string, Attributes>();

  constructor(private readonly maxTraces: number = DEFAULT_MAX_TRACES) {}

  get size(): number {
    return this.byTraceId.size;
  }

  get(traceId: string): Attributes | undefined {
    return this.byTraceId.get(traceId);
  }

  /** Merges `update` into the trace's attributes (tags as a union) and returns the result. */
  merge(traceId: string, update: Attributes): Attributes {
    const current = this.byTraceId.get(traceId);
    const merged: Attributes = { ...current, ...update };
    const before = current?.[SPANLITE_TRACE_TAGS];
    const added = update[SPANLITE_TRACE_TAGS];
    if (Array.isArray(before) && Array.isArray(added)) {
      merged[SPANLITE_TRACE_TAGS] = [...new Set([...(before as string[]), ...(added as string[])])];
    }
    if (current === undefined && this.byTraceId.size >= this.maxTraces) {
      const oldest = this.byTraceId.keys().next();
      if (oldest.done !== true) this.byTraceId.delete(oldest.value);
    }
    this.byTraceId.set(traceId, merged);
    return merged;
  }

  delete(traceId: string): void {
    this.byTraceId.delete(traceId);
  }

  clear(): void {
    this.byTraceId.clear();
  }
}

const attached = new Set<TraceAttributeStore>();

export function attachStore(store: TraceAttributeStore): void {
  attached.add(store);
}

export function detachStore(store: TraceAttributeStore): void {
  attached.delete(store);
}

/**
 * Remembers trace attributes for the spans the trace starts from now on and returns the
 * trace's attributes so far (including `update`), to set on the current span too.
 * With no processor attached there is nothing to remember: returns `update`.
 */
export function rememberTraceAttributes(traceId: string, update: Attributes): Attributes {
  let merged = update;
  for (const store of attached) merged = store.merge(traceId, update);
  return merged;
}
