/**
 * Tables derived from each written batch (the batch writer's DerivedWrites hooks) rather than by
 * triggers: even an empty trigger on `observations` costs each insert of its wide rows about a
 * third more, measured; a batch needs a handful of statements instead of several per row.
 *
 * - `tag_counts`: traces per tag, from the tags traces gained in the batch.
 * - `daily_usage`: per (project, UTC day, model) observation count, tokens and cost as trace
 *   totals count them, and how many traces used the model (counted once, when a trace's first
 *   observation on the model is stored).
 * - the full-text index: one document per trace per group of batches (one transaction) holding
 *   the distinct strings of what the group says about the trace: its observations' names, input
 *   and output values, and the trace facts the spans carry (name, explicit input and output).
 *   Text repeated across a trace's spans (the user's question, a system prompt, the root's input
 *   that is also the trace's) is indexed once. Documents only accumulate: text a later span
 *   replaces stays searchable under its trace.
 * - `score_name_repeats`: the score names the batch repeats within a trace (store/sqlite/write/score-repeats.ts).
 * - the observation id index: the ids of each trace's observations, under the trace's document
 *   (store/sqlite/search/observation-ids.ts).
 */
import { traceKeyOf } from './trace-keys.js';
import type { Database } from 'better-sqlite3';
import type { MappedSpan, Observation } from '../../../model.js';
import type { DerivedWrites } from './batch-writer.js';
import type { ReplacedObservation } from '../../replaced-observation.js';
import { addToDocuments } from '../../search-text.js';
import { createSearchDocumentWriter } from '../search/documents.js';
import type { ScoreRepeats } from './score-repeats.js';
import type { ObservationIdIndex } from '../search/observation-ids.js';

export const NS_PER_DAY = 86_400_000_000_000n;

/** What a group's batches say about one trace, to be indexed as one document. */
interface PendingDocument {
  projectId: string;
  traceId: string;
  strings: Set<string>;
  observationIds: string[];
  /** The earliest start seen, for a trace with no row (only scores or log records arrived with it). */
  earliestStartNs: bigint;
}

interface DayModelUsage {
  day: bigint;
  model: string;
  traceCount: number;
  observationCount: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
}

export function createBatchDerived(db: Database, scoreRepeats: ScoreRepeats, observationIds: ObservationIdIndex): DerivedWrites {
  const upsertUsage = db.prepare(`
    INSERT INTO daily_usage (project_id, day, model, trace_count, observation_count, input_tokens, output_tokens, total_tokens, total_cost)
    VALUES (@projectId, @day, @model, @traceCount, @observationCount, @inputTokens, @outputTokens, @totalTokens, @costUsd)
    ON CONFLICT (project_id, day, model) DO UPDATE SET
      trace_count = trace_count + excluded.trace_count,
      observation_count = observation_count + excluded.observation_count,
      input_tokens = input_tokens + excluded.input_tokens,
      output_tokens = output_tokens + excluded.output_tokens,
      total_tokens = total_tokens + excluded.total_tokens,
      total_cost = total_cost + excluded.total_cost`);
  const countTag = db.prepare(`
    INSERT INTO tag_counts (project_id, tag, trace_count) VALUES (?, ?, ?)
    ON CONFLICT (project_id, tag) DO UPDATE SET trace_count = trace_count + excluded.trace_count`);
  const countOnModel = db
    .prepare(`SELECT count(*) FROM observations WHERE project_id = @projectId AND model = @model AND trace_key = ${traceKeyOf('@projectId', '@traceId')}`)
    .pluck();
  const traceStart = db.prepare(`SELECT start_time_ns FROM traces WHERE project_id = ? AND id = ?`).pluck().safeIntegers(true);
  const writeDocument = createSearchDocumentWriter(db);

  function writeUsage(projectId: string, observations: readonly Observation[], replaced: readonly ReplacedObservation[]): void {
    const usage = new Map<string, DayModelUsage>();
    const onModel = new Map<string, { traceId: string; model: string; key: string; count: number }>();
    const rowOf = (observation: Observation): DayModelUsage => {
      const day = observation.startTimeUnixNano / NS_PER_DAY;
      const model = observation.model ?? '';
      const key = `${day}\u0000${model}`;
      let row = usage.get(key);
      if (!row) {
        row = { day, model, traceCount: 0, observationCount: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0 };
        usage.set(key, row);
      }
      return row;
    };
    const count = (observation: Observation, sign: 1 | -1) => {
      const row = rowOf(observation);
      row.observationCount += sign;
      if (observation.countsInTraceTotals) {
        const { usage: tokens } = observation;
        row.inputTokens += sign * ((tokens.input ?? 0) + (tokens.cachedInput ?? 0) + (tokens.cacheWrite ?? 0));
        row.outputTokens += sign * ((tokens.output ?? 0) + (tokens.reasoning ?? 0));
        row.totalTokens += sign * (tokens.total ?? 0);
        row.costUsd += sign * (observation.cost?.total ?? 0);
      }
    };
    // A replaced observation's trace stays counted on its model when the replacement keeps it.
    const keptModel = new Set(replaced.filter(({ before, after }) => before.model !== null && before.model === after.model).map(({ after }) => after));
    for (const { before } of replaced) count(before, -1);
    for (const observation of observations) {
      count(observation, 1);
      const model = observation.model ?? '';
      const key = `${observation.startTimeUnixNano / NS_PER_DAY}\u0000${model}`;
      if (observation.model !== null && !keptModel.has(observation)) {
        const pairKey = `${observation.traceId}\u0000${model}`;
        const pair = onModel.get(pairKey);
        if (pair) pair.count++;
        else onModel.set(pairKey, { traceId: observation.traceId, model, key, count: 1 });
      }
    }
    // A trace counts for a model the first time one of its observations on it is stored: when
    // every stored observation of the pair is from this batch.
    for (const pair of onModel.values()) {
      if (Number(countOnModel.get({ projectId, model: pair.model, traceId: pair.traceId })) === pair.count) usage.get(pair.key)!.traceCount++;
    }
    // A trace whose last observation on a model was replaced by one on another model leaves it.
    for (const { before, after } of replaced) {
      if (before.model === null || before.model === after.model) continue;
      if (Number(countOnModel.get({ projectId, model: before.model, traceId: before.traceId })) === 0) rowOf(before).traceCount--;
    }
    for (const row of usage.values()) upsertUsage.run({ projectId, ...row });
  }

  /** A group's full-text documents, one per trace: written at the end of the group (finishGroup). */
  let pendingDocuments = new Map<string, PendingDocument>();

  function collectSearchDocuments(projectId: string, spans: readonly MappedSpan[], observations: readonly Observation[]): void {
    const documentOf = (traceId: string, startNs: bigint): PendingDocument => {
      const key = `${projectId}\u0000${traceId}`;
      let document = pendingDocuments.get(key);
      if (!document) {
        document = { projectId, traceId, strings: new Set(), observationIds: [], earliestStartNs: startNs };
        pendingDocuments.set(key, document);
      } else if (startNs < document.earliestStartNs) {
        document.earliestStartNs = startNs;
      }
      return document;
    };
    addToDocuments(spans, observations, documentOf);
  }

  /**
   * One ascending run of document ids for the whole group: FTS5 buffers a transaction's rows
   * while their ids ascend and writes a new segment each time one goes back, and every segment
   * must later be merged. Batches of a group overlap in time, so written batch by batch they cost
   * a segment each.
   */
  function writePendingDocuments(): void {
    const documents = [...pendingDocuments.values()].map((document) => ({
      ...document,
      // The trace row's start when there is one (a trace with only scores or log records has none).
      traceStartNs: (traceStart.get(document.projectId, document.traceId) as bigint | undefined) ?? document.earliestStartNs,
    }));
    pendingDocuments = new Map();
    documents.sort((a, b) => (a.traceStartNs < b.traceStartNs ? -1 : a.traceStartNs > b.traceStartNs ? 1 : 0));
    for (const document of documents) observationIds.add(writeDocument(document), document.observationIds);
  }

  return {
    startGroup() {
      pendingDocuments = new Map();
    },
    afterBatch(batch, { observations, replaced, newTraceTags }) {
      for (const [tag, traces] of newTraceTags) countTag.run(batch.projectId, tag, traces);
      if (observations.length > 0) writeUsage(batch.projectId, observations, replaced);
      collectSearchDocuments(batch.projectId, batch.spans, observations);
      scoreRepeats.noteWritten(batch.projectId, batch.spans.flatMap((span) => span.scores));
    },
    finishGroup: writePendingDocuments,
  };
}
