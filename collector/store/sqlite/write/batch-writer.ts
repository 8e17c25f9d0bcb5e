/**
 * The SQLite write path: the whole group of batches in one transaction (group commit: one fsync
 * for every request that arrived together), each batch all or nothing.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { MappedSpan, Observation, Score, TraceContribution } from '../../../model.js';
import { DEFAULT_ENVIRONMENT, type BatchWriteOutcome, type SpanBatch } from '../../contract.js';
import { mergeTraceContribution, type TraceFactsState } from '../../trace-merge.js';
import { toJson, fromJson } from '../json-columns.js';
import type { MappedLogs } from '../../../decode/log-record.js';
import { createLogJoin, type LogJoin } from './log-join.js';
import { isTransientSqliteError } from './errors.js';
import type { TraceRow } from '../read/rows.js';
import type { Attributes } from '../../../decode/span.js';
import { createTraceKeys } from './trace-keys.js';
import { usageColumnValues } from '../../usage-columns.js';
import { observationOfRecord, type ReplacedObservation } from '../../replaced-observation.js';
import { OBSERVATION_COLUMNS, toObservationRecord, type ObservationRow } from '../read/rows.js';

/**
 * The decoder shares one resource object among all spans of a ResourceSpans (and never changes
 * it after decoding), so its JSON is computed once per resource rather than once per span.
 */
const resourceJsonCache = new WeakMap<Attributes, string>();
function resourceJson(resource: Attributes): string {
  let json = resourceJsonCache.get(resource);
  if (json === undefined) {
    json = JSON.stringify(resource);
    resourceJsonCache.set(resource, json);
  }
  return json;
}

/** What newly stored observations add to their trace's totals. */
interface TraceTotalsDelta {
  cost: number | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

interface PendingTrace {
  contributions: TraceContribution[];
  delta: TraceTotalsDelta;
}

export type WriteBatches = (batches: readonly SpanBatch[]) => BatchWriteOutcome[];

/** What a batch added: re-sent spans and tags a trace already had are left out. */
export interface StoredByBatch {
  /** Those it stored, replacing ones included. */
  observations: readonly Observation[];
  /** Stored observations it replaced, with what replaced them (also in `observations`). */
  replaced: readonly ReplacedObservation[];
  /** Per tag, how many traces gained it. */
  newTraceTags: ReadonlyMap<string, number>;
}

/**
 * Tables derived from what the batches stored (store/sqlite/write/batch-derived.ts): a batch at once
 * is far cheaper than a trigger per row (measured: a trigger on trace_tags alone cost a fifth of
 * the whole write). Inside one transaction or savepoint the writer calls `startGroup`, then
 * `afterBatch` for each batch, then `finishGroup`, which writes what is better written once per
 * group. A group that fails is rolled back before `finishGroup`; the next `startGroup` forgets it.
 */
export interface DerivedWrites {
  startGroup(): void;
  afterBatch(batch: SpanBatch, stored: StoredByBatch): void;
  finishGroup(): void;
}

export function createBatchWriter(
  db: Database,
  now: () => number = Date.now,
  derived?: DerivedWrites,
): WriteBatches {
  const statements = prepareStatements(db);
  const logJoin = createLogJoin(db);

  const writeBatch = (batch: SpanBatch): void => {
    // Per batch: a batch that fails is rolled back with the keys it gave.
    statements.traceKeys.forget();
    const pending = new Map<string, PendingTrace>();
    const written: Observation[] = [];
    const replaced: ReplacedObservation[] = [];
    for (const span of batch.spans) {
      writeSpan(statements, batch.projectId, logJoin.withWaitingMessages(batch.projectId, span), pending, written, replaced);
    }
    if (batch.logs) writeLogs(statements, logJoin, batch.projectId, batch.logs, pending, written);
    const nowMs = now();
    const newTraceTags = new Map<string, number>();
    for (const [traceId, trace] of pending) upsertTrace(statements, batch.projectId, traceId, trace, nowMs, newTraceTags);
    derived?.afterBatch(batch, { observations: written, replaced, newTraceTags });
  };

  const writeAllOrNothing = db.transaction((batches: readonly SpanBatch[]) => {
    derived?.startGroup();
    for (const batch of batches) writeBatch(batch);
    derived?.finishGroup();
  });

  // Nested db.transaction runs as a SAVEPOINT: a failing batch rolls back alone.
  const writeInSavepoint = db.transaction((batch: SpanBatch) => {
    derived?.startGroup();
    writeBatch(batch);
    derived?.finishGroup();
  });
  const writeEachAlone = db.transaction((batches: readonly SpanBatch[]): BatchWriteOutcome[] =>
    batches.map((batch) => {
      try {
        writeInSavepoint(batch);
        return { ok: true } as const;
      } catch (error) {
        logJoin.resync();
        return {
          ok: false,
          error: error instanceof Error ? error : new Error(String(error)),
          retryable: isTransientSqliteError(error),
        };
      }
    }),
  );

  /**
   * The group is first written as one transaction with no savepoint per batch (they cost about
   * a tenth of the write, measured); only when that fails is it written again batch by batch,
   * each in its own savepoint, so that one bad batch fails alone.
   */
  return (batches) => {
    try {
      writeAllOrNothing.immediate(batches);
      return batches.map(() => ({ ok: true }) as const);
    } catch {
      logJoin.resync();
    }
    try {
      return writeEachAlone.immediate(batches);
    } catch (error) {
      logJoin.resync();
      throw error;
    }
  };
}

/** Log records: EVENT observations as span events are; chat messages through the log join. */
function writeLogs(
  statements: Statements,
  logJoin: LogJoin,
  projectId: string,
  logs: MappedLogs,
  pending: Map<string, PendingTrace>,
  written: Observation[],
): void {
  for (const event of logs.events) insertObservation(statements, projectId, event, written);
  for (const contribution of logJoin.writeMessages(projectId, logs.messages)) {
    pendingFor(pending, contribution.traceId).contributions.push(contribution);
  }
}

function pendingFor(pending: Map<string, PendingTrace>, traceId: string): PendingTrace {
  let trace = pending.get(traceId);
  if (!trace) {
    trace = { contributions: [], delta: { cost: null, inputTokens: 0, outputTokens: 0, totalTokens: 0 } };
    pending.set(traceId, trace);
  }
  return trace;
}

function writeSpan(
  statements: Statements,
  projectId: string,
  span: MappedSpan,
  pending: Map<string, PendingTrace>,
  written: Observation[],
  replaced: ReplacedObservation[],
): void {
  if (span.trace) pendingFor(pending, span.trace.traceId).contributions.push(span.trace);
  if (span.observation) {
    const stored = span.foldOntoStored ? takeStoredObservation(statements, projectId, span.observation) : null;
    const observation = span.foldOntoStored ? span.foldOntoStored(stored) : span.observation;
    // A re-sent span (an exporter's retry) is ignored whole, so nothing is counted twice.
    const isNew = insertObservation(statements, projectId, observation, written);
    const { delta } = pendingFor(pending, observation.traceId);
    if (isNew && observation.countsInTraceTotals) addToTotals(delta, observation, 1);
    if (stored) {
      replaced.push({ before: stored, after: observation });
      if (stored.countsInTraceTotals) addToTotals(delta, stored, -1);
    }
  }
  for (const event of span.events) insertObservation(statements, projectId, event, written);
  for (const score of span.scores) upsertScore(statements, projectId, score);
}

/** `sign` -1 takes a replaced observation out. */
function addToTotals(delta: TraceTotalsDelta, observation: Observation, sign: 1 | -1): void {
  const { usage, cost } = observation;
  if (cost?.total !== undefined) delta.cost = (delta.cost ?? 0) + sign * cost.total;
  delta.inputTokens += sign * ((usage.input ?? 0) + (usage.cachedInput ?? 0) + (usage.cacheWrite ?? 0));
  delta.outputTokens += sign * ((usage.output ?? 0) + (usage.reasoning ?? 0));
  delta.totalTokens += sign * (usage.total ?? 0);
}

/** Deletes the observation stored under the key of `folded` and returns it, for the fold; null when none is stored. */
function takeStoredObservation(statements: Statements, projectId: string, folded: Observation): Observation | null {
  const traceKey = statements.traceKeys.knownKeyFor(projectId, folded.traceId);
  if (traceKey === undefined) return null;
  const row = statements.selectObservation.get(projectId, traceKey, folded.id) as ObservationRow | undefined;
  if (row === undefined) return null;
  statements.deleteObservation.run(projectId, traceKey, folded.id);
  return observationOfRecord(toObservationRecord(row, DEFAULT_ENVIRONMENT));
}

function insertObservation(statements: Statements, projectId: string, o: Observation, written: Observation[]): boolean {
  const result = statements.insertObservation.run(
    projectId,
    o.traceId,
    statements.traceKeys.keyFor(projectId, o.traceId),
    o.id,
    o.parentObservationId,
    o.type,
    o.name,
    o.startTimeUnixNano,
    o.endTimeUnixNano,
    o.completionStartTimeUnixNano,
    o.level,
    o.statusMessage,
    o.version,
    o.model,
    toJson(o.modelParameters),
    toJson(o.input),
    toJson(o.output),
    JSON.stringify(o.metadata),
    ...usageColumnValues(o.usage),
    toJson(o.cost),
    o.cost?.total ?? null,
    o.costMissingReason,
    o.countsInTraceTotals ? 1 : 0,
    JSON.stringify(o.rawAttributes),
    resourceJson(o.resourceAttributes),
    o.scope.name,
    o.scope.version,
  );
  const isNew = result.changes === 1;
  if (isNew) written.push(o);
  return isNew;
}

function upsertScore(statements: Statements, projectId: string, s: Score): void {
  const nowMs = Date.now();
  statements.upsertScore.run(
    projectId,
    s.id,
    s.traceId,
    statements.traceKeys.keyFor(projectId, s.traceId),
    s.observationId,
    s.name,
    s.value,
    s.stringValue,
    s.dataType,
    s.comment,
    s.source,
    s.timeUnixNano,
    JSON.stringify(s.metadata),
    nowMs,
    nowMs,
  );
}

/** The trace row as the merge reads it back: the read view's columns plus the fact ranks. */
type StoredTraceRow = Omit<TraceRow, 'id' | 'created_at_ms' | 'updated_at_ms'> & { fact_ranks: string };

function upsertTrace(
  statements: Statements,
  projectId: string,
  traceId: string,
  trace: PendingTrace,
  nowMs: number,
  newTags: Map<string, number>,
): void {
  const knownKey = statements.traceKeys.knownKeyFor(projectId, traceId);
  const stored = knownKey === undefined ? undefined : (statements.selectTrace.get(knownKey) as StoredTraceRow | undefined);
  let state: TraceFactsState | null = stored ? factsStateFromRow(traceId, stored) : null;
  // The merge replaces the tag list rather than changing it: this stays the stored one.
  const storedTags = state?.facts.tags ?? [];
  for (const contribution of trace.contributions) state = mergeTraceContribution(state, contribution);
  if (state === null) return; // only scores or events arrived for a trace we have not seen yet

  const { facts } = state;
  const traceKey = knownKey ?? statements.traceKeys.keyFor(projectId, traceId);
  const totalCost =
    trace.delta.cost === null ? (stored?.total_cost ?? null) : (stored?.total_cost ?? 0) + trace.delta.cost;
  const row = {
    traceKey,
    projectId,
    traceId,
    name: facts.name ?? null,
    userId: facts.userId ?? null,
    sessionId: facts.sessionId ?? null,
    release: facts.release ?? null,
    version: facts.version ?? null,
    environment: facts.environment ?? DEFAULT_ENVIRONMENT,
    tags: JSON.stringify(facts.tags),
    metadata: JSON.stringify(facts.metadata),
    input: toJson(facts.input),
    output: toJson(facts.output),
    public: facts.public ? 1 : 0,
    startTimeNs: state.startTimeUnixNano,
    endTimeNs: state.endTimeUnixNano,
    totalCost,
    inputTokens: Number(stored?.input_tokens ?? 0n) + trace.delta.inputTokens,
    outputTokens: Number(stored?.output_tokens ?? 0n) + trace.delta.outputTokens,
    totalTokens: Number(stored?.total_tokens ?? 0n) + trace.delta.totalTokens,
    factRanks: JSON.stringify(state.ranks),
    nowMs,
  };
  (stored ? statements.updateTrace : statements.insertTrace).run(row);
  for (const tag of facts.tags) {
    if (storedTags.includes(tag)) continue;
    if (statements.insertTag.run(projectId, traceId, traceKey, tag).changes === 1) newTags.set(tag, (newTags.get(tag) ?? 0) + 1);
  }
}

function factsStateFromRow(traceId: string, row: StoredTraceRow): TraceFactsState {
  const facts: TraceFactsState['facts'] = {
    tags: JSON.parse(row.tags) as string[],
    metadata: JSON.parse(row.metadata) as TraceFactsState['facts']['metadata'],
  };
  if (row.name !== null) facts.name = row.name;
  if (row.user_id !== null) facts.userId = row.user_id;
  if (row.session_id !== null) facts.sessionId = row.session_id;
  if (row.release !== null) facts.release = row.release;
  if (row.version !== null) facts.version = row.version;
  const ranks = JSON.parse(row.fact_ranks) as Record<string, string>;
  if (ranks.environment !== undefined) facts.environment = row.environment;
  if (row.input !== null) facts.input = fromJson(row.input);
  if (row.output !== null) facts.output = fromJson(row.output);
  if (ranks.public !== undefined) facts.public = row.public === 1n;
  return { traceId, facts, ranks, startTimeUnixNano: row.start_time_ns, endTimeUnixNano: row.end_time_ns };
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database) {
  const statement = (sql: string): Statement => db.prepare(sql);
  return {
    insertObservation: statement(`
      INSERT INTO observations (
        project_id, trace_id, trace_key, id, parent_observation_id, type, name, start_time_ns, end_time_ns,
        completion_start_time_ns, level, status_message, version, model, model_parameters, input, output,
        metadata, input_tokens, output_tokens, total_tokens, cached_input_tokens, cache_write_tokens,
        reasoning_tokens, cost_details, total_cost, cost_missing_reason, counts_in_trace_totals,
        attributes, resource_attributes, scope_name, scope_version
      ) VALUES (${placeholders(32)})
      ON CONFLICT DO NOTHING`),
    selectObservation: statement(`SELECT ${OBSERVATION_COLUMNS} FROM observations o WHERE o.project_id = ? AND o.trace_key = ? AND o.id = ?`).safeIntegers(true),
    deleteObservation: statement(`DELETE FROM observations WHERE project_id = ? AND trace_key = ? AND id = ?`),
    upsertScore: statement(`
      INSERT INTO scores (
        project_id, id, trace_id, trace_key, observation_id, name, value, string_value, data_type, comment, source,
        time_ns, metadata, created_at_ms, updated_at_ms
      ) VALUES (${placeholders(15)})
      ON CONFLICT (project_id, id) DO UPDATE SET
        trace_id = excluded.trace_id, trace_key = excluded.trace_key, observation_id = excluded.observation_id, name = excluded.name,
        value = excluded.value, string_value = excluded.string_value, data_type = excluded.data_type,
        comment = excluded.comment, source = excluded.source, time_ns = excluded.time_ns,
        metadata = excluded.metadata, updated_at_ms = excluded.updated_at_ms`),
    // By key (store/sqlite/write/trace-keys.ts), the traces table's rowid: the write never probes the index by trace id.
    selectTrace: statement(`
      SELECT name, user_id, session_id, release, version, environment, tags, metadata, input, output,
        public, start_time_ns, end_time_ns, total_cost, input_tokens, output_tokens, total_tokens, fact_ranks
      FROM traces WHERE trace_key = ?`).safeIntegers(true),
    insertTrace: statement(`
      INSERT INTO traces (
        trace_key, project_id, id, name, user_id, session_id, release, version, environment, tags, metadata,
        input, output, public, start_time_ns, end_time_ns, total_cost, input_tokens, output_tokens,
        total_tokens, fact_ranks, created_at_ms, updated_at_ms
      ) VALUES (
        @traceKey, @projectId, @traceId, @name, @userId, @sessionId, @release, @version, @environment, @tags, @metadata,
        @input, @output, @public, @startTimeNs, @endTimeNs, @totalCost, @inputTokens, @outputTokens,
        @totalTokens, @factRanks, @nowMs, @nowMs
      )`),
    updateTrace: statement(`
      UPDATE traces SET
        name = @name, user_id = @userId, session_id = @sessionId, release = @release, version = @version,
        environment = @environment, tags = @tags, metadata = @metadata, input = @input, output = @output,
        public = @public, start_time_ns = @startTimeNs, end_time_ns = @endTimeNs, total_cost = @totalCost,
        input_tokens = @inputTokens, output_tokens = @outputTokens, total_tokens = @totalTokens,
        fact_ranks = @factRanks, updated_at_ms = @nowMs
      WHERE trace_key = @traceKey AND project_id = @projectId AND id = @traceId`),
    insertTag: statement(`INSERT INTO trace_tags (project_id, trace_id, trace_key, tag) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    traceKeys: createTraceKeys(db),
  };
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
