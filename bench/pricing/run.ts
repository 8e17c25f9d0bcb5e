/**
 * `npm run bench:pricing`: the cost stage's time per span, with the hand-written table the
 * model catalog replaced (hand-written-prices.json beside this file, a list of patterns tried in
 * order) and with the catalog (@pydantic/genai-prices, provider-aware). The spans are the ingest
 * benchmark's payload (bench/ingest/payload.ts: 8 spans per agent run, 4 of them priced),
 * decoded and mapped once; each round prices every span of the batch, as the pipeline does.
 * Beside it, decode + map of the same batch, the rest of the in-process ingest path, for scale.
 *
 * Printed per index, the median of the rounds:
 * - warm: the models already looked up (the memo answers), the steady state of a collector;
 * - cold: a new index pricing the batch once (the first lookup of each model scans the table);
 * - misses: every span a model name never seen (fine-tuned or unknown ids), the worst case.
 *
 * Settings: PRICING_BENCH_ROUNDS (default 15), PRICING_BENCH_SPANS (spans per round, default 200000).
 */
import type { Buffer } from 'node:buffer';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { buildBatchTemplate, stampBatch, stampEntropyBytes } from '../ingest/payload.js';
import { decodeProtobufTraces } from '../../collector/decode/traces.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import type { Observation } from '../../collector/model.js';
import { applyCost } from '../../collector/pricing/cost.js';
import { createCatalogMatcher } from '../../collector/pricing/catalog-match.js';
import { loadModelCatalog } from '../../collector/pricing/genai-prices.js';
import { describeCatalogVersion, type ModelCatalog } from '../../collector/pricing/model-catalog.js';
import { createPriceIndex, type PriceIndex } from '../../collector/pricing/price-index.js';
import { loadPricingFile, type ModelPrice } from '../../config/pricing.js';

const ROUNDS = Number(process.env.PRICING_BENCH_ROUNDS ?? 15);
const SPANS_PER_ROUND = Number(process.env.PRICING_BENCH_SPANS ?? 200_000);
const TRACES_PER_BATCH = 64;
/** Distinct unknown names priced per round in the misses case (each one a full table scan). */
const MISSES_PER_ROUND = 2_000;

/** From the compiled dist/bench/pricing/run.js, and from the source beside it. */
const TABLE_CANDIDATES = ['../../../bench/pricing/hand-written-prices.json', './hand-written-prices.json'];

interface Contender {
  name: string;
  /** A new index, its memo empty. */
  build(): PriceIndex;
}

function handWrittenTable(): ModelPrice[] {
  const file = TABLE_CANDIDATES.map((candidate) => fileURLToPath(new URL(candidate, import.meta.url))).find((path) => existsSync(path));
  if (file === undefined) throw new Error(`hand-written-prices.json: not found beside ${fileURLToPath(import.meta.url)}`);
  return loadPricingFile(file);
}

function batchSpans(): { body: Buffer; observations: Observation[] } {
  const template = buildBatchTemplate({ traceCount: TRACES_PER_BATCH, variant: 1 });
  stampBatch(template, randomBytes(stampEntropyBytes(template)), BigInt(Date.now()) * 1_000_000n);
  const mapped = decodeProtobufTraces(template.body).spans.map(mapSpan);
  return { body: template.body, observations: mapped.flatMap((span) => (span.observation === null ? [] : [span.observation])) };
}

/** Nanoseconds per span to decode and map `body`: the median of the rounds, each a few passes. */
function timeDecodeAndMap(body: Buffer): number {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    let spans = 0;
    for (let pass = 0; pass < 10; pass++) spans += decodeProtobufTraces(body).spans.map(mapSpan).length;
    rounds.push(Number(process.hrtime.bigint() - started) / spans);
  }
  return median(rounds);
}

/** Nanoseconds per span to price `observations` `passes` times with `index`. */
function timePricing(index: PriceIndex, observations: readonly Observation[], passes: number): number {
  const started = process.hrtime.bigint();
  for (let pass = 0; pass < passes; pass++) {
    for (const observation of observations) applyCost(observation, index);
  }
  return Number(process.hrtime.bigint() - started) / (passes * observations.length);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(contender: Contender, observations: readonly Observation[]): { warm: number; cold: number; misses: number } {
  const passes = Math.max(1, Math.round(SPANS_PER_ROUND / observations.length));
  const warm: number[] = [];
  const cold: number[] = [];
  const misses: number[] = [];
  const template = observations.find((observation) => observation.model !== null)!;
  for (let round = 0; round < ROUNDS; round++) {
    cold.push(timePricing(contender.build(), observations, 1));
    const index = contender.build();
    timePricing(index, observations, 1);
    warm.push(timePricing(index, observations, passes));
    const unknown = Array.from({ length: MISSES_PER_ROUND }, (_, i) => ({ ...template, model: `ft:acme-${round}-${i}`, reportedCost: null }));
    misses.push(timePricing(index, unknown, 1));
  }
  return { warm: median(warm), cold: median(cold), misses: median(misses) };
}

async function main(): Promise<void> {
  const catalog: ModelCatalog = await loadModelCatalog();
  const table = handWrittenTable();
  const contenders: Contender[] = [
    { name: `hand-written table (${table.length} patterns)`, build: () => createPriceIndex(table) },
    { name: `catalog ${describeCatalogVersion(catalog.version)}`, build: () => createPriceIndex([], createCatalogMatcher(catalog)) },
  ];
  const { body, observations } = batchSpans();
  const decodeAndMapNs = timeDecodeAndMap(body);
  const priced = observations.filter((observation) => observation.model !== null).length;
  console.log(
    `cost stage per span: ingest payload, ${observations.length} spans per batch (${priced} with a model), ` +
      `${SPANS_PER_ROUND.toLocaleString()} spans per round, median of ${ROUNDS} rounds`,
  );
  console.log(`decode + map, for scale: ${decodeAndMapNs.toFixed(0)} ns/span`);
  for (const contender of contenders) {
    const { warm, cold, misses } = measure(contender, observations);
    const share = (100 * warm) / (warm + decodeAndMapNs);
    console.log(
      `${contender.name}: warm ${warm.toFixed(0)} ns/span (${share.toFixed(1)}% of decode + map + cost), ` +
        `cold batch ${cold.toFixed(0)} ns/span, unknown model ${misses.toFixed(0)} ns/span`,
    );
  }
}

await main();
