/**
 * The span processor: trace-level attributes onto every span a trace starts, optional scope
 * filter and masking, then batching to an exporter. onStart/onEnd are the SDK's hot path: when
 * no trace attributes, filter or mask are in play they cost a size check and a delegate call.
 */
import { diag, type Context } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import {
  BatchSpanProcessor,
  type BufferConfig,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { maskSpan, type MaskFunction } from './mask.js';
import { SPANLITE_SCOPE_NAME } from './scope.js';
import { attachStore, DEFAULT_MAX_TRACES, detachStore, TraceAttributeStore } from './trace-attributes.js';

/**
 * Decides whether spans of an instrumentation scope are exported. Spans of spanlite's own
 * scope always are. A child whose parent was filtered out arrives with a parent id the
 * collector never sees.
 */
export type ScopeFilter = (scope: InstrumentationScope) => boolean;

export interface SpanliteSpanProcessorOptions {
  /** Receives finished spans in batches. */
  exporter: SpanExporter;
  /** Redacts attribute values before export; see {@link MaskFunction}. */
  mask?: MaskFunction;
  /** Keep only spans of the scopes it accepts (e.g. only LLM instrumentations). */
  scopeFilter?: ScopeFilter;
  /** Traces whose attributes are remembered at once. Default 10 000; the oldest goes first. */
  maxTraces?: number;
  /** Batching: queue bound, batch size, delay and export timeout (BatchSpanProcessor's options). */
  batch?: BufferConfig;
}

export class SpanliteSpanProcessor implements SpanProcessor {
  private readonly batch: BatchSpanProcessor;
  private readonly traces: TraceAttributeStore;
  private readonly mask: MaskFunction | undefined;
  private readonly scopeFilter: ScopeFilter | undefined;
  private readonly scopeVerdicts = new WeakMap<InstrumentationScope, boolean>();

  constructor(options: SpanliteSpanProcessorOptions) {
    this.batch = new BatchSpanProcessor(options.exporter, options.batch);
    this.traces = new TraceAttributeStore(options.maxTraces ?? DEFAULT_MAX_TRACES);
    this.mask = options.mask;
    this.scopeFilter = options.scopeFilter;
    attachStore(this.traces);
  }

  onStart(span: Span, _parentContext: Context): void {
    if (this.traces.size === 0) return;
    const attributes = this.traces.get(span.spanContext().traceId);
    if (attributes !== undefined) span.setAttributes(attributes);
  }

  onEnd(span: ReadableSpan): void {
    if (this.traces.size !== 0 && isLocalRoot(span)) this.traces.delete(span.spanContext().traceId);
    if (this.scopeFilter !== undefined && !this.keepsScope(span.instrumentationScope)) return;
    this.batch.onEnd(this.mask === undefined ? span : maskSpan(span, this.mask));
  }

  forceFlush(): Promise<void> {
    return this.batch.forceFlush();
  }

  /** Idempotent: flushes what is queued, then shuts the exporter down. */
  shutdown(): Promise<void> {
    detachStore(this.traces);
    this.traces.clear();
    return this.batch.shutdown();
  }

  private keepsScope(scope: InstrumentationScope): boolean {
    let verdict = this.scopeVerdicts.get(scope);
    if (verdict === undefined) {
      verdict = scope.name === SPANLITE_SCOPE_NAME || callFilter(this.scopeFilter!, scope);
      this.scopeVerdicts.set(scope, verdict);
    }
    return verdict;
  }
}

/** The first span of the trace in this process: no parent, or a parent from another process. */
function isLocalRoot(span: ReadableSpan): boolean {
  return span.parentSpanContext === undefined || span.parentSpanContext.isRemote === true;
}

/** A filter that throws keeps the scope: losing spans silently is worse than exporting extra. */
function callFilter(filter: ScopeFilter, scope: InstrumentationScope): boolean {
  try {
    return filter(scope);
  } catch (error) {
    diag.warn(`spanlite: scopeFilter threw for scope "${scope.name}"; its spans are kept`, error);
    return true;
  }
}
