/**
 * bench:ingest's cost-stage line: the cost stage's median time per span on this run's payload
 * (bench/pricing/cost-stage.ts, as `bench:pricing` measures it), the model catalog against the
 * hand-written table it replaced, and the catalog's share of the collector's CPU per span
 * measured by the same run's phases. Measured in this process once the phases are over, when no
 * server or sender runs; the figure is wall time, so a busy machine inflates it.
 */
import { buildBatchTemplate } from './payload.js';
import { costStageContenders, measureCostStage, payloadObservations, type CostStageRounds } from '../pricing/cost-stage.js';
import { loadModelCatalog } from '../../collector/pricing/genai-prices.js';

/** Fewer than bench:pricing's 15 x 200,000: a few seconds at the end of the run. */
const ROUNDS: CostStageRounds = { rounds: 7, spansPerRound: 100_000 };

export interface CostStageShare {
  catalogName: string;
  tableName: string;
  /** Warm: the models already looked up, the steady state of a collector. */
  catalogNsPerSpan: number;
  tableNsPerSpan: number;
  /** The collector's CPU per span on an empty database, this run's median. */
  collectorCpuNsPerSpan: number;
}

export async function measureCostStageShare(tracesPerBatch: number, collectorCpuMsPer1kSpans: number): Promise<CostStageShare> {
  const contenders = costStageContenders(await loadModelCatalog());
  const observations = payloadObservations(buildBatchTemplate({ traceCount: tracesPerBatch, variant: 0 }));
  return {
    catalogName: contenders.catalog.name,
    tableName: contenders.table.name,
    tableNsPerSpan: measureCostStage(contenders.table, observations, ROUNDS).warm,
    catalogNsPerSpan: measureCostStage(contenders.catalog, observations, ROUNDS).warm,
    // ms per 1,000 spans is µs per span.
    collectorCpuNsPerSpan: collectorCpuMsPer1kSpans * 1_000,
  };
}

export function formatCostStageLine(share: CostStageShare): string {
  const percent = (100 * share.catalogNsPerSpan) / share.collectorCpuNsPerSpan;
  return (
    `cost stage per span (ingest payload, warm, median of ${ROUNDS.rounds} rounds): ` +
    `${share.catalogNsPerSpan.toFixed(0)} ns with the ${share.catalogName}, ${share.tableNsPerSpan.toFixed(0)} ns with the baseline ${share.tableName}; ` +
    `${percent.toFixed(2)}% of the collector's CPU per span (${(share.collectorCpuNsPerSpan / 1_000).toFixed(0)} µs, empty database, this run)`
  );
}
