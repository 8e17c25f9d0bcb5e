/**
 * Tables derived from observations, written with each batch (the batch writer's
 * AfterObservations hook) rather than by triggers: even an empty trigger on `observations`
 * costs each insert of its wide rows about a third more, measured; a batch needs a handful of
 * statements instead of several per row.
 *
 * - `daily_usage`: per (project, UTC day, model) observation count, tokens and cost as trace
 *   totals count them, and how many traces used the model (counted once, when a trace's first
 *   observation on the model is stored).
 * - the full-text index: one document per trace per batch holding the distinct strings of the
 *   batch's observations of that trace (names, input and output values), so text repeated
 *   across a trace's spans (the user's question, a system prompt) is indexed once.
 */
import type { Database } from 'better-sqlite3';
import type { Observation } from '../model.js';
import type { AfterObservations } from './sqlite-write.js';
import { collectStrings, documentText, NO_SPACE_SCRIPT } from './search-text.js';

export const NS_PER_DAY = 86_400_000_000_000n;

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

export function createObservationDerived(db: Database): AfterObservations {
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
  const countOnModel = db
    .prepare(`SELECT count(*) FROM observations WHERE project_id = ? AND model = ? AND trace_id = ?`)
    .pluck();
  const insertDocument = db.prepare(`INSERT INTO search_docs (project_id, trace_id, is_trace) VALUES (?, ?, 0)`);
  const insertWords = db.prepare(`INSERT INTO search_words (rowid, text) VALUES (?, ?)`);
  const insertNoSpace = db.prepare(`INSERT INTO search_cjk (rowid, text) VALUES (?, ?)`);

  function writeUsage(projectId: string, observations: readonly Observation[]): void {
    const usage = new Map<string, DayModelUsage>();
    const onModel = new Map<string, { traceId: string; model: string; key: string; count: number }>();
    for (const observation of observations) {
      const day = observation.startTimeUnixNano / NS_PER_DAY;
      const model = observation.model ?? '';
      const key = `${day}\u0000${model}`;
      let row = usage.get(key);
      if (!row) {
        row = { day, model, traceCount: 0, observationCount: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0 };
        usage.set(key, row);
      }
      row.observationCount++;
      if (observation.countsInTraceTotals) {
        const { usage: tokens } = observation;
        row.inputTokens += (tokens.input ?? 0) + (tokens.cachedInput ?? 0) + (tokens.cacheWrite ?? 0);
        row.outputTokens += (tokens.output ?? 0) + (tokens.reasoning ?? 0);
        row.totalTokens += tokens.total ?? 0;
        row.costUsd += observation.cost?.total ?? 0;
      }
      if (observation.model !== null) {
        const pairKey = `${observation.traceId}\u0000${model}`;
        const pair = onModel.get(pairKey);
        if (pair) pair.count++;
        else onModel.set(pairKey, { traceId: observation.traceId, model, key, count: 1 });
      }
    }
    // A trace counts for a model the first time one of its observations on it is stored: when
    // every stored observation of the pair is from this batch.
    for (const pair of onModel.values()) {
      if (Number(countOnModel.get(projectId, pair.model, pair.traceId)) === pair.count) usage.get(pair.key)!.traceCount++;
    }
    for (const row of usage.values()) upsertUsage.run({ projectId, ...row });
  }

  function writeSearchDocuments(projectId: string, observations: readonly Observation[]): void {
    const stringsByTrace = new Map<string, Set<string>>();
    for (const observation of observations) {
      let strings = stringsByTrace.get(observation.traceId);
      if (!strings) {
        strings = new Set();
        stringsByTrace.set(observation.traceId, strings);
      }
      strings.add(observation.name);
      collectStrings(observation.input, strings);
      collectStrings(observation.output, strings);
    }
    for (const [traceId, strings] of stringsByTrace) {
      const text = documentText(strings);
      const docId = insertDocument.run(projectId, traceId).lastInsertRowid;
      insertWords.run(docId, text);
      if (NO_SPACE_SCRIPT.test(text)) insertNoSpace.run(docId, text);
    }
  }

  return (projectId, observations) => {
    if (observations.length === 0) return;
    writeUsage(projectId, observations);
    writeSearchDocuments(projectId, observations);
  };
}
