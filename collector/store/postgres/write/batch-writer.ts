/**
 * The PostgreSQL write path: a group of batches in one transaction (one commit for every
 * request that arrived together), each batch in a savepoint, all or nothing.
 *
 * Several collectors may write spans of one trace at the same moment. Each transaction first
 * takes the advisory locks of every trace its batches touch, in key order (trace-locks.ts), then
 * merges those traces' rows: no update is lost and no two transactions wait for each other in a
 * cycle. GenAI log messages join their span's observation under the same locks (log-join.ts).
 * Observations, scores and tags are written with INSERT ... ON CONFLICT, so a batch sent
 * again (an exporter's retry, or the same spans sent to two collectors) changes nothing. The
 * rollups follow at the end of the transaction (rollups.ts).
 */
import type { Pool, PoolClient } from 'pg';
import type { MappedSpan, Observation } from '../../../model.js';
import type { BatchWriteOutcome, SpanBatch } from '../../contract.js';
import { isTransientPostgresError } from './errors.js';
import { inTransaction } from '../upkeep/transaction.js';
import { addBatchToRollups, emptyRollupChanges, firstObservationsOnModel, writeRollups, type RollupInput } from './rollups.js';
import { withWaitingMessages, writeMessages } from './log-join.js';
import { foldOntoStored, insertObservations, observationKey } from './observations.js';
import { upsertScores } from './scores.js';
import { recordScoreTraces } from './score-traces.js';
import { writeSearchDocuments } from '../search/documents.js';
import { lockTraces } from './trace-locks.js';
import { writeNewTags, writeTraces, type PendingTrace } from './traces.js';

export type WriteBatches = (batches: readonly SpanBatch[]) => Promise<BatchWriteOutcome[]>;

/**
 * Traces locked by one transaction at most: a larger group is written in several, split between
 * batches (a batch naming more traces is still written whole, in one). Advisory locks live in
 * PostgreSQL's shared lock table, about 12,000 entries on a default server for every session
 * together (max_locks_per_transaction 64 x max_connections 100, plus slack); past it every
 * transaction taking a lock fails with "out of shared memory". At this bound ten collectors
 * writing full groups at once fit in it.
 */
export const MAX_TRACES_PER_TRANSACTION = 1_024;

export function createBatchWriter(
  pool: Pool,
  { now = Date.now, maxTracesPerTransaction = MAX_TRACES_PER_TRANSACTION }: { now?: () => number; maxTracesPerTransaction?: number } = {},
): WriteBatches {
  return async (batches) => {
    const outcomes: BatchWriteOutcome[] = [];
    for (const part of partsByTraceCount(batches, maxTracesPerTransaction)) {
      outcomes.push(...(await writeInTransaction(pool, part, now)));
    }
    return outcomes;
  };
}

/** Batches written in one transaction, and every trace they touch (each once, keyed by project and id). */
interface Part {
  batches: SpanBatch[];
  traces: Map<string, TraceRef>;
}

type TraceRef = { projectId: string; traceId: string };

function writeInTransaction(pool: Pool, { batches, traces }: Part, now: () => number): Promise<BatchWriteOutcome[]> {
  return inTransaction(pool, async (client) => {
    await lockTraces(client, traces.values());
    const outcomes: BatchWriteOutcome[] = [];
    const rollups = emptyRollupChanges();
    for (const batch of batches) {
      const outcome = await writeInSavepoint(client, batch, now());
      if (outcome.ok) addBatchToRollups(rollups, outcome.stored);
      outcomes.push(outcome.ok ? { ok: true } : outcome);
    }
    await writeRollups(client, rollups);
    return outcomes;
  });
}

/** The batches in order, cut into runs touching at most `maxTraces` traces each (a bigger batch alone). */
function partsByTraceCount(batches: readonly SpanBatch[], maxTraces: number): Part[] {
  const parts: Part[] = [];
  let part: Part = { batches: [], traces: new Map() };
  for (const batch of batches) {
    const touched = tracesTouched(batch);
    const added = touched.filter((trace) => !part.traces.has(traceRefKey(trace))).length;
    if (part.batches.length > 0 && part.traces.size + added > maxTraces) {
      parts.push(part);
      part = { batches: [], traces: new Map() };
    }
    part.batches.push(batch);
    for (const trace of touched) part.traces.set(traceRefKey(trace), trace);
  }
  if (part.batches.length > 0) parts.push(part);
  return parts;
}

function traceRefKey({ projectId, traceId }: TraceRef): string {
  return `${projectId}\u0000${traceId}`;
}

/**
 * One batch, all or nothing. A failure of the batch's data (a value the database refuses) rolls
 * back to the savepoint and is reported for that batch alone; a failure of the database (the
 * connection lost, shutdown) throws, failing the whole transaction.
 */
async function writeInSavepoint(
  client: PoolClient,
  batch: SpanBatch,
  nowMs: number,
): Promise<{ ok: true; stored: RollupInput } | Extract<BatchWriteOutcome, { ok: false }>> {
  await client.query('SAVEPOINT batch');
  try {
    const stored = await writeBatch(client, batch, nowMs);
    await client.query('RELEASE SAVEPOINT batch');
    return { ok: true, stored };
  } catch (error) {
    if (isTransientPostgresError(error)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT batch');
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)), retryable: false };
  }
}

async function writeBatch(client: PoolClient, batch: SpanBatch, nowMs: number): Promise<RollupInput> {
  const { projectId } = batch;
  // Log records' EVENT observations are stored as span events are.
  const logEvents: MappedSpan = { trace: null, observation: null, events: batch.logs?.events ?? [], scores: [] };
  const { spans, replaced } = await foldOntoStored(client, projectId, [...(await withWaitingMessages(client, projectId, batch.spans)), logEvents]);
  const observations = spans.flatMap((span) => (span.observation ? [span.observation, ...span.events] : span.events));
  const storedKeys = await insertObservations(client, projectId, observations);
  const scores = spans.flatMap((span) => span.scores);
  await upsertScores(client, projectId, scores, nowMs);

  const pending = new Map<string, PendingTrace>();
  const pendingFor = (traceId: string): PendingTrace => {
    let trace = pending.get(traceId);
    if (!trace) {
      trace = { contributions: [], delta: { costUsd: null, inputTokens: 0, outputTokens: 0, totalTokens: 0 } };
      pending.set(traceId, trace);
    }
    return trace;
  };
  const stored: Observation[] = [];
  const claimed = new Set<string>();
  for (const span of spans) {
    if (span.trace) pendingFor(span.trace.traceId).contributions.push(span.trace);
    for (const [index, observation] of [span.observation, ...span.events].entries()) {
      if (observation === null) continue;
      // Of two observations with one key, the first in the batch is the one stored.
      const key = observationKey(observation.traceId, observation.id);
      if (!storedKeys.has(key) || claimed.has(key)) continue;
      claimed.add(key);
      stored.push(observation);
      // Events are shown under their span but do not add to trace totals.
      if (index === 0 && observation.countsInTraceTotals) addToTotals(pendingFor(observation.traceId), observation, 1);
    }
  }
  for (const { before } of replaced) if (before.countsInTraceTotals) addToTotals(pendingFor(before.traceId), before, -1);
  for (const contribution of await writeMessages(client, projectId, batch.logs?.messages ?? [])) {
    pendingFor(contribution.traceId).contributions.push(contribution);
  }
  const traces = await writeTraces(client, projectId, pending, nowMs);
  await recordScoreTraces(client, projectId, scores, traces.flatMap(({ before, after }) => (before === null ? [after.id] : [])));
  await writeSearchDocuments(client, projectId, spans, stored);
  const newTraceTags = await writeNewTags(client, projectId, traces);
  const firstOnModel = await firstObservationsOnModel(client, projectId, stored, replaced);
  return { projectId, observations: stored, replaced, traces, newTraceTags, firstOnModel };
}

/** `sign` -1 takes a replaced observation out. */
function addToTotals({ delta }: PendingTrace, { usage, cost }: Observation, sign: 1 | -1): void {
  if (cost?.total !== undefined) delta.costUsd = (delta.costUsd ?? 0) + sign * cost.total;
  delta.inputTokens += sign * ((usage.input ?? 0) + (usage.cachedInput ?? 0) + (usage.cacheWrite ?? 0));
  delta.outputTokens += sign * ((usage.output ?? 0) + (usage.reasoning ?? 0));
  delta.totalTokens += sign * (usage.total ?? 0);
}

/** Every trace a batch writes under: of its spans, observations, events and scores, and of its log records. */
function tracesTouched(batch: SpanBatch): TraceRef[] {
  const traceIds = new Set<string>();
  const add = (span: MappedSpan) => {
    if (span.trace) traceIds.add(span.trace.traceId);
    if (span.observation) traceIds.add(span.observation.traceId);
    for (const event of span.events) traceIds.add(event.traceId);
    for (const score of span.scores) traceIds.add(score.traceId);
  };
  batch.spans.forEach(add);
  for (const record of [...(batch.logs?.events ?? []), ...(batch.logs?.messages ?? [])]) traceIds.add(record.traceId);
  return [...traceIds].map((traceId) => ({ projectId: batch.projectId, traceId }));
}
