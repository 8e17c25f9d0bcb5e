/**
 * The manual API in the shapes a Langfuse user knows: start a trace, nest spans and
 * generations to any depth, add events and scores, update and end. Each object wraps one OTel
 * span; nothing here is stored outside the spans except the set of open traces (bounded), which
 * shutdown() ends so no trace is lost for want of an `end()`.
 */
import { context, diag, trace, type Span } from '@opentelemetry/api';
import { traceAttributes, typeAttributes } from './attributes.js';
import { addObservationEvent, applyObservationUpdate } from './observation-span.js';
import { getTracer } from './scope.js';
import { recordScore } from './scores.js';
import { rememberTraceAttributes } from './trace-attributes.js';
import type {
  EventParams,
  ObservationEnd,
  ObservationParams,
  ObservationType,
  ObservationUpdate,
  ScoreParams,
  TraceEnd,
  TraceParams,
  TraceUpdate,
} from './types.js';

/** Open manual traces remembered for shutdown; past this the oldest is ended (abandoned). */
const MAX_OPEN_TRACES = 10_000;

const openTraces = new Set<SpanliteTrace>();
let warnedTooManyOpen = false;

/** Receives the end time of each observation of a trace, so an unended trace can end at its last child. */
interface EndListener {
  noteEnd(at: Date): void;
}

export class SpanliteObservation {
  /** Span id (hex): the observation's id in spanlite. */
  readonly id: string;
  readonly traceId: string;
  private ended = false;

  constructor(
    /** The OTel span behind the observation, for anything this API does not cover. */
    readonly otelSpan: Span,
    readonly type: ObservationType,
    private readonly owner: EndListener | undefined,
  ) {
    this.id = otelSpan.spanContext().spanId;
    this.traceId = otelSpan.spanContext().traceId;
  }

  /** A child observation; `params.type` picks TOOL, RETRIEVER, AGENT, ... (default SPAN). */
  span(params: ObservationParams): SpanliteObservation {
    return startChild(this.otelSpan, params, params.type ?? 'SPAN', this.owner);
  }

  generation(params: Omit<ObservationParams, 'type'>): SpanliteObservation {
    return startChild(this.otelSpan, params, 'GENERATION', this.owner);
  }

  event(params: EventParams): void {
    addObservationEvent(this.otelSpan, params);
  }

  score(params: ScoreParams): void {
    recordScore(this.otelSpan, params, 'observation');
  }

  update(update: ObservationUpdate): this {
    applyObservationUpdate(this.otelSpan, update);
    return this;
  }

  /** Ends the observation; a second call is ignored. */
  end(params: ObservationEnd = {}): void {
    if (this.ended) {
      diag.debug(`spanlite: observation ${this.id} ended twice; the second end() is ignored`);
      return;
    }
    this.ended = true;
    applyObservationUpdate(this.otelSpan, params);
    const at = params.endTime ?? new Date();
    this.otelSpan.end(at);
    this.owner?.noteEnd(at);
  }

  /** Runs `fn` with this observation active: observe()d calls and other OTel spans nest under it. */
  run<R>(fn: () => R): R {
    return context.with(trace.setSpan(context.active(), this.otelSpan), fn);
  }
}

export class SpanliteTrace implements EndListener {
  /** Trace id (hex). */
  readonly id: string;
  /** The trace's root span (an observation of type SPAN named like the trace). */
  readonly otelSpan: Span;
  private lastEnd: Date | undefined;
  private ended = false;

  constructor(params: TraceParams) {
    const { propagated, local } = traceAttributes(params);
    this.otelSpan = getTracer().startSpan(
      params.name,
      {
        root: true,
        startTime: params.startTime,
        attributes: { ...typeAttributes('SPAN', params.name), ...propagated, ...local },
      },
      context.active(),
    );
    this.id = this.otelSpan.spanContext().traceId;
    rememberTraceAttributes(this.id, propagated);
    trackOpen(this);
  }

  span(params: ObservationParams): SpanliteObservation {
    return startChild(this.otelSpan, params, params.type ?? 'SPAN', this);
  }

  generation(params: Omit<ObservationParams, 'type'>): SpanliteObservation {
    return startChild(this.otelSpan, params, 'GENERATION', this);
  }

  event(params: EventParams): void {
    addObservationEvent(this.otelSpan, params);
  }

  /** Scores the whole trace. */
  score(params: ScoreParams): void {
    recordScore(this.otelSpan, params, 'trace');
  }

  /**
   * Trace facts; all but input, output and public also reach spans the trace starts later.
   * After end(), only those later spans carry them: give the output to end() instead.
   */
  update(update: TraceUpdate): this {
    const { propagated, local } = traceAttributes(update);
    const merged = rememberTraceAttributes(this.id, propagated);
    if (this.otelSpan.isRecording()) this.otelSpan.setAttributes({ ...merged, ...local });
    return this;
  }

  /** Ends the root span; a second call is ignored. */
  end(params: TraceEnd = {}): void {
    if (this.ended) return;
    if (params.output !== undefined) this.update({ output: params.output });
    this.close(params.endTime ?? new Date());
  }

  run<R>(fn: () => R): R {
    return context.with(trace.setSpan(context.active(), this.otelSpan), fn);
  }

  noteEnd(at: Date): void {
    if (this.lastEnd === undefined || at > this.lastEnd) this.lastEnd = at;
  }

  /** For traces never ended: ends the root where its last observation ended (or now). */
  endAbandoned(): void {
    if (!this.ended) this.close(this.lastEnd ?? new Date());
  }

  private close(at: Date): void {
    this.ended = true;
    openTraces.delete(this);
    this.otelSpan.end(at);
  }
}

/** Starts a new trace (always a new trace id, whatever is active). */
export function startTrace(params: TraceParams): SpanliteTrace {
  return new SpanliteTrace(params);
}

/** Starts an observation under the active one (e.g. inside an observe()d function). */
export function startObservation(params: ObservationParams): SpanliteObservation {
  const type = params.type ?? 'SPAN';
  const span = getTracer().startSpan(
    params.name,
    { startTime: params.startTime, attributes: typeAttributes(type, params.name) },
    context.active(),
  );
  applyObservationUpdate(span, params);
  return new SpanliteObservation(span, type, undefined);
}

/** Ends every manual trace still open; called by shutdown() before the last flush. */
export function endOpenTraces(): void {
  for (const open of [...openTraces]) open.endAbandoned();
}

function startChild(
  parent: Span,
  params: ObservationParams,
  type: ObservationType,
  owner: EndListener | undefined,
): SpanliteObservation {
  const span = getTracer().startSpan(
    params.name,
    { startTime: params.startTime, attributes: typeAttributes(type, params.name) },
    trace.setSpan(context.active(), parent),
  );
  applyObservationUpdate(span, params);
  return new SpanliteObservation(span, type, owner);
}

function trackOpen(opened: SpanliteTrace): void {
  if (openTraces.size >= MAX_OPEN_TRACES) {
    const oldest = openTraces.values().next();
    if (oldest.done !== true) {
      if (!warnedTooManyOpen) {
        warnedTooManyOpen = true;
        diag.warn(`spanlite: more than ${MAX_OPEN_TRACES} manual traces open; ending the oldest (call trace.end())`);
      }
      oldest.value.endAbandoned();
    }
  }
  openTraces.add(opened);
}
