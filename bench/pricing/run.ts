/**
 * `npm run bench:pricing`: the cost stage's time per span (cost-stage.ts: warm, cold and
 * unknown-model cases), with the hand-written table the model catalog replaced and with the
 * catalog. The spans are the ingest benchmark's payload (bench/ingest/payload.ts: 8 spans per
 * agent run, 4 of them priced). Beside it, decode + map of the same batch, the rest of the
 * in-process ingest path, for scale.
 *
 * Settings: PRICING_BENCH_ROUNDS (default 15), PRICING_BENCH_SPANS (spans per round, default 200000).
 */
import type { Buffer } from 'node:buffer';
import { buildBatchTemplate } from '../ingest/payload.js';
import { median } from '../ingest/stats.js';
import { decodeProtobufTraces } from '../../collector/decode/traces.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { loadModelCatalog } from '../../collector/pricing/genai-prices.js';
import { costStageContenders, measureCostStage, payloadObservations } from './cost-stage.js';

const ROUNDS = Number(process.env.PRICING_BENCH_ROUNDS ?? 15);
const SPANS_PER_ROUND = Number(process.env.PRICING_BENCH_SPANS ?? 200_000);
const TRACES_PER_BATCH = 64;

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

async function main(): Promise<void> {
  const { table, catalog } = costStageContenders(await loadModelCatalog());
  const template = buildBatchTemplate({ traceCount: TRACES_PER_BATCH, variant: 1 });
  const observations = payloadObservations(template);
  const decodeAndMapNs = timeDecodeAndMap(template.body);
  const priced = observations.filter((observation) => observation.model !== null).length;
  console.log(
    `cost stage per span: ingest payload, ${observations.length} spans per batch (${priced} with a model), ` +
      `${SPANS_PER_ROUND.toLocaleString()} spans per round, median of ${ROUNDS} rounds`,
  );
  console.log(`decode + map, for scale: ${decodeAndMapNs.toFixed(0)} ns/span`);
  for (const contender of [table, catalog]) {
    const { warm, cold, misses } = measureCostStage(contender, observations, { rounds: ROUNDS, spansPerRound: SPANS_PER_ROUND });
    const share = (100 * warm) / (warm + decodeAndMapNs);
    console.log(
      `${contender.name}: warm ${warm.toFixed(0)} ns/span (${share.toFixed(1)}% of decode + map + cost), ` +
        `cold batch ${cold.toFixed(0)} ns/span, unknown model ${misses.toFixed(0)} ns/span`,
    );
  }
}

await main();
