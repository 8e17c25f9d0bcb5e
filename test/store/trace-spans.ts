/**
 * Traces for the store contract, described as data and turned into what the pipeline hands the
 * store: decoded spans mapped by the collector's own mapSpan, then priced as the cost stage
 * prices them (a reported cost wins; otherwise the test price table below). Ids are derived
 * from the trace id, so the same spec always gives the same spans.
 */
import type { DecodedEvent, DecodedSpan } from '../../collector/decode/span.js';
import type { MappedSpan } from '../../collector/model.js';
import type { BatchWriteOutcome, SpanBatch, TraceStore } from '../../collector/store/contract.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { applyCost } from '../../collector/pricing/cost.js';
import { createPriceIndex } from '../../collector/pricing/price-index.js';
import type { ModelPrice } from '../../config/pricing.js';
import * as genAi from '../../semconv/gen-ai.js';
import { decodedSpan } from '../helpers/decoded-span.js';
import {
  generationAttributes,
  rootAttributes,
  scoreAttributes,
  type GenerationSpec as SpanGenerationSpec,
  type ScoreSpec as SpanScoreSpec,
  type TraceFactsSpec,
} from '../helpers/trace-attributes.js';

const NS_PER_MS = 1_000_000n;

/** USD per token for the models the suite uses without a reported cost. */
const TEST_PRICES: ModelPrice[] = [
  {
    id: 'test-mini',
    modelName: 'test-mini',
    matchPattern: 'test-mini',
    pattern: /^(?:test-mini)$/i,
    prices: { input: 0.000001, output: 0.000002 },
    tiers: [],
    startDateMs: null,
    dailyWindow: null,
    provider: null,
    source: 'user',
  },
];
const PRICE_INDEX = createPriceIndex(TEST_PRICES);

export interface GenerationSpec extends SpanGenerationSpec {
  durationMs?: number;
}

export interface ScoreSpec extends SpanScoreSpec {
  /** The generation (by index) the score is on; default the trace itself. */
  generation?: number;
  /** From the trace's start; default its end. */
  offsetMs?: number;
}

export interface TraceSpec extends TraceFactsSpec {
  id: string;
  generations?: GenerationSpec[];
  scores?: ScoreSpec[];
  /** Leave the root span out: the generations' parent never arrives, so the trace has no name. */
  withoutRoot?: boolean;
}

/** A 32-hex-digit trace id from a number. */
export function traceIdOf(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** The id of the n-th span of a trace (1 the root, 2.. its generations). */
export function spanIdOf(traceId: string, n: number): string {
  return `${traceId.slice(-12)}${n.toString(16).padStart(4, '0')}`;
}

export const msToNs = (ms: number): bigint => BigInt(ms) * NS_PER_MS;

/** A decoded span of the collector's decoder, mapped and priced as the pipeline does it. */
export function mapped(span: Partial<DecodedSpan>): MappedSpan {
  const result = mapSpan(decodedSpan(span));
  if (result.observation) applyCost(result.observation, PRICE_INDEX);
  return result;
}

/** The trace's spans, root first, mapped and priced. */
export function traceSpans(spec: TraceSpec): MappedSpan[] {
  return decodedTraceSpans(spec).map(mapped);
}

/** The trace's spans as the decoder gives them, root first. */
function decodedTraceSpans(spec: TraceSpec): Array<Partial<DecodedSpan>> {
  const rootId = spanIdOf(spec.id, 1);
  const startNs = msToNs(spec.startMs);
  const endNs = startNs + msToNs(spec.durationMs ?? 1000);
  const generations = (spec.generations ?? []).map((generation, index) => {
    const start = startNs + msToNs(generation.startOffsetMs ?? 10 * (index + 1));
    const end = start + msToNs(generation.durationMs ?? 100);
    return {
      traceId: spec.id,
      spanId: spanIdOf(spec.id, index + 2),
      parentSpanId: rootId,
      name: generation.name ?? `generation-${index}`,
      startTimeUnixNano: start,
      endTimeUnixNano: end < endNs ? end : endNs,
      attributes: generationAttributes(generation),
      events: [] as DecodedEvent[],
    };
  });
  const rootEvents: DecodedEvent[] = [];
  (spec.scores ?? []).forEach((score) => {
    const event = scoreEvent(score, score.offsetMs === undefined ? endNs : startNs + msToNs(score.offsetMs));
    if (score.generation === undefined) rootEvents.push(event);
    else generations[score.generation]!.events.push(event);
  });
  const root: Partial<DecodedSpan> = {
    traceId: spec.id,
    spanId: rootId,
    parentSpanId: null,
    name: spec.name ?? 'root',
    startTimeUnixNano: startNs,
    endTimeUnixNano: endNs,
    attributes: rootAttributes(spec),
    events: rootEvents,
    status: spec.error === undefined ? { code: 0, message: '' } : { code: 2, message: spec.error },
  };
  return spec.withoutRoot ? generations : [root, ...generations];
}

/** One batch of the given traces' spans. */
export function batchOf(projectId: string, specs: readonly TraceSpec[]): SpanBatch {
  return { projectId, spans: specs.flatMap(traceSpans) };
}

/** Writes the traces, one batch, and checks that the store took it. */
export async function writeTraces(store: TraceStore, projectId: string, specs: readonly TraceSpec[]): Promise<void> {
  expectStored(await store.writeBatches([batchOf(projectId, specs)]));
}

/** Writes the spans, one batch, and checks that the store took it. */
export async function writeSpans(store: TraceStore, projectId: string, spans: readonly MappedSpan[]): Promise<void> {
  expectStored(await store.writeBatches([{ projectId, spans }]));
}

function expectStored(outcomes: BatchWriteOutcome[]): void {
  const failed = outcomes.find((outcome) => !outcome.ok);
  if (failed && !failed.ok) throw new Error(`the store refused a batch: ${failed.error.message}`, { cause: failed.error });
}

function scoreEvent(score: ScoreSpec, timeUnixNano: bigint): DecodedEvent {
  const attributes = scoreAttributes(score, score.generation === undefined);
  return { name: genAi.GEN_AI_EVALUATION_RESULT_EVENT, timeUnixNano, attributes };
}
