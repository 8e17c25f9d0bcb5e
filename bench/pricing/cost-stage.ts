/**
 * The cost stage's time per span on the ingest benchmark's payload, with the hand-written table
 * the model catalog replaced (hand-written-prices.json beside this file, a list of patterns tried
 * in order) and with the catalog (@pydantic/genai-prices, provider-aware). The payload is decoded
 * and mapped once; each pass prices every span of the batch, as the pipeline does. Used by
 * `bench:pricing` (its own report) and `bench:ingest` (one line beside the collector's CPU).
 *
 * Per index, the median of the rounds, in nanoseconds per span:
 * - warm: the models already looked up (the memo answers), the steady state of a collector;
 * - cold: a new index pricing the batch once (the first lookup of each model scans the table);
 * - misses: every span a model name never seen (fine-tuned or unknown ids), the worst case.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stampBatch, stampEntropyBytes, type BatchTemplate } from '../ingest/payload.js';
import { median } from '../ingest/stats.js';
import { decodeProtobufTraces } from '../../collector/decode/traces.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import type { Observation } from '../../collector/model.js';
import { applyCost } from '../../collector/pricing/cost.js';
import { createCatalogMatcher } from '../../collector/pricing/catalog-match.js';
import { describeCatalogVersion, type ModelCatalog } from '../../collector/pricing/model-catalog.js';
import { createPriceIndex, type PriceIndex } from '../../collector/pricing/price-index.js';
import { loadPricingFile, type ModelPrice } from '../../config/pricing.js';

/** Distinct unknown names priced per round in the misses case (each one a full table scan). */
const MISSES_PER_ROUND = 2_000;

/** From the compiled dist/bench/pricing/, and from the source folder. */
const TABLE_CANDIDATES = ['../../../bench/pricing/hand-written-prices.json', './hand-written-prices.json'];

export interface PriceIndexContender {
  name: string;
  /** A new index, its memo empty. */
  build(): PriceIndex;
}

export interface CostStageRounds {
  rounds: number;
  /** Spans priced per warm round (the batch, as many passes as that takes). */
  spansPerRound: number;
}

/** Nanoseconds per span, medians of the rounds. */
export interface CostStageTimes {
  warm: number;
  cold: number;
  misses: number;
}

/** The hand-written table (the baseline), then the catalog. */
export function costStageContenders(catalog: ModelCatalog): { table: PriceIndexContender; catalog: PriceIndexContender } {
  const table = handWrittenTable();
  return {
    table: { name: `hand-written table (${table.length} patterns)`, build: () => createPriceIndex(table) },
    catalog: { name: `catalog ${describeCatalogVersion(catalog.version)}`, build: () => createPriceIndex([], createCatalogMatcher(catalog)) },
  };
}

function handWrittenTable(): ModelPrice[] {
  const file = TABLE_CANDIDATES.map((candidate) => fileURLToPath(new URL(candidate, import.meta.url))).find((path) => existsSync(path));
  if (file === undefined) throw new Error(`hand-written-prices.json: not found beside ${fileURLToPath(import.meta.url)}`);
  return loadPricingFile(file);
}

/** The batch's observations as the cost stage receives them: stamped, decoded and mapped. */
export function payloadObservations(template: BatchTemplate): Observation[] {
  stampBatch(template, randomBytes(stampEntropyBytes(template)), BigInt(Date.now()) * 1_000_000n);
  const mapped = decodeProtobufTraces(template.body).spans.map(mapSpan);
  return mapped.flatMap((span) => (span.observation === null ? [] : [span.observation]));
}

/** Nanoseconds per span to price `observations` `passes` times with `index`. */
function timePricing(index: PriceIndex, observations: readonly Observation[], passes: number): number {
  const started = process.hrtime.bigint();
  for (let pass = 0; pass < passes; pass++) {
    for (const observation of observations) applyCost(observation, index);
  }
  return Number(process.hrtime.bigint() - started) / (passes * observations.length);
}

export function measureCostStage(contender: PriceIndexContender, observations: readonly Observation[], settings: CostStageRounds): CostStageTimes {
  const passes = Math.max(1, Math.round(settings.spansPerRound / observations.length));
  const warm: number[] = [];
  const cold: number[] = [];
  const misses: number[] = [];
  const template = observations.find((observation) => observation.model !== null)!;
  for (let round = 0; round < settings.rounds; round++) {
    cold.push(timePricing(contender.build(), observations, 1));
    const index = contender.build();
    timePricing(index, observations, 1);
    warm.push(timePricing(index, observations, passes));
    const unknown = Array.from({ length: MISSES_PER_ROUND }, (_, i) => ({ ...template, model: `ft:acme-${round}-${i}`, reportedCost: null }));
    misses.push(timePricing(index, unknown, 1));
  }
  return { warm: median(warm), cold: median(cold), misses: median(misses) };
}
