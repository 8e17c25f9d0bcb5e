/**
 * The engine-neutral part of the reads `spanlite copy` makes (contract.ts, CopyableStore): the
 * statements both engines run alike, and their rows -> records. Each engine's read/export.ts
 * finds the rows under a page of trace ids its own way (SQLite by trace key, PostgreSQL by id).
 */
import type { JsonValue } from '../model.js';
import {
  DEFAULT_ENVIRONMENT,
  type ObservationRecord,
  type ScoreRecord,
  type StoredCounts,
  type StoredGenAiMessage,
  type TraceCopyState,
  type TraceExport,
  type TraceRecord,
} from './contract.js';
import type { ObservationRow, ScoreRow, StoredColumns, TraceRow } from './record-rows.js';

/** Tables with rows of a project: each has an index that starts with project_id. */
const PROJECT_TABLES = ['traces', 'observations', 'scores', 'gen_ai_log_messages', 'custom_models'] as const;

/**
 * Every project id in the tables, each found by two seeks of an index (a loose index scan: the
 * least id, then the least after it...) rather than a read of every row.
 */
export function projectIdsSql(): string {
  const walks = PROJECT_TABLES.map(
    (table) => `${table}_ids (id) AS (
      SELECT min(project_id) FROM ${table}
      UNION ALL
      SELECT (SELECT min(project_id) FROM ${table} WHERE project_id > ${table}_ids.id) FROM ${table}_ids WHERE ${table}_ids.id IS NOT NULL)`,
  );
  const found = PROJECT_TABLES.map((table) => `SELECT id FROM ${table}_ids WHERE id IS NOT NULL`);
  return `WITH RECURSIVE ${walks.join(',\n')}\n${found.join('\nUNION\n')}`;
}

/** `project` is the SQL of the project id parameter. */
export function countStoredSql(project: string): string {
  const count = (table: string) => `(SELECT count(*) FROM ${table} WHERE project_id = ${project})`;
  return `SELECT ${count('traces')} AS traces, ${count('observations')} AS observations, ${count('scores')} AS scores,
    ${count('gen_ai_log_messages')} AS messages, ${count('custom_models')} AS custom_models`;
}

export interface CountsRow<C extends StoredColumns> {
  traces: C['integer'];
  observations: C['integer'];
  scores: C['integer'];
  messages: C['integer'];
  custom_models: C['integer'];
}

export function toStoredCounts(row: CountsRow<StoredColumns>): StoredCounts {
  return {
    traces: Number(row.traces),
    observations: Number(row.observations),
    scores: Number(row.scores),
    messages: Number(row.messages),
    customModels: Number(row.custom_models),
  };
}

/** How an engine names the rows under one trace id in a copy-state statement. */
export interface CopyStateSqlParts {
  /** FROM item giving one row per trace id asked for, its id as `k.id`. */
  ids: string;
  /** SQL of the project id parameter. */
  project: string;
  /** The condition that a row of `alias` (observations, scores) belongs to trace `k.id`. */
  underTrace(alias: string): string;
  /** The condition that a message (alias m) is waiting. */
  waiting: string;
}

export function copyStateSql(parts: CopyStateSqlParts): string {
  const { ids, project, underTrace } = parts;
  const messages = `FROM gen_ai_log_messages m WHERE m.project_id = ${project} AND m.trace_id = k.id`;
  return `
    SELECT k.id AS trace_id,
      (SELECT t.updated_at_ms FROM traces t WHERE t.project_id = ${project} AND t.id = k.id) AS trace_updated_at_ms,
      (SELECT count(*) FROM observations o WHERE o.project_id = ${project} AND ${underTrace('o')}) AS observations,
      (SELECT count(*) FROM scores s WHERE s.project_id = ${project} AND ${underTrace('s')}) AS scores,
      (SELECT max(s.updated_at_ms) FROM scores s WHERE s.project_id = ${project} AND ${underTrace('s')}) AS scores_updated_at_ms,
      (SELECT count(*) ${messages}) AS messages,
      (SELECT count(*) ${messages} AND ${parts.waiting}) AS waiting_messages
    FROM ${ids}`;
}

export interface CopyStateRow<C extends StoredColumns> {
  trace_id: string;
  trace_updated_at_ms: C['integer'] | null;
  observations: C['integer'];
  scores: C['integer'];
  scores_updated_at_ms: C['integer'] | null;
  messages: C['integer'];
  waiting_messages: C['integer'];
}

export function toCopyStates(rows: ReadonlyArray<CopyStateRow<StoredColumns>>): Map<string, TraceCopyState> {
  const optional = (value: bigint | string | null) => (value === null ? null : Number(value));
  return new Map(
    rows.map((row) => [
      row.trace_id,
      {
        traceUpdatedAtMs: optional(row.trace_updated_at_ms),
        observations: Number(row.observations),
        scores: Number(row.scores),
        scoresUpdatedAtMs: optional(row.scores_updated_at_ms),
        messages: Number(row.messages),
        waitingMessages: Number(row.waiting_messages),
      },
    ]),
  );
}

export const MESSAGE_COLUMNS = 'm.trace_id, m.span_id, m.id, m.direction, m.time_ns, m.message, m.waiting';

export interface MessageRow<C extends StoredColumns> {
  trace_id: string;
  span_id: string;
  id: string;
  direction: string;
  time_ns: C['integer'];
  /** JSON text in both engines. */
  message: string;
  waiting: C['integer'] | C['flag'];
}

function toStoredMessage(row: MessageRow<StoredColumns>): StoredGenAiMessage {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    id: row.id,
    direction: row.direction === 'output' ? 'output' : 'input',
    timeUnixNano: BigInt(row.time_ns),
    message: JSON.parse(row.message) as JsonValue,
    waiting: row.waiting === true || row.waiting === 1n || row.waiting === '1',
  };
}

/** An engine's rows -> records converters (record-rows.ts's recordConverters). */
export interface RecordConverters<C extends StoredColumns> {
  toTraceRecord(row: TraceRow<C>): TraceRecord;
  toObservationRecord(row: ObservationRow<C>, environment: string): ObservationRecord;
  toScoreRecord(row: ScoreRow<C>, environment: string): ScoreRecord;
}

/** The rows found under a page's trace ids. */
export interface PageRows<C extends StoredColumns> {
  /** With fact_ranks as the engine gives them: JSON text (SQLite) or parsed JSONB (PostgreSQL). */
  traces: ReadonlyArray<TraceRow<C> & { fact_ranks: unknown }>;
  observations: ReadonlyArray<ObservationRow<C>>;
  scores: ReadonlyArray<ScoreRow<C>>;
  messages: ReadonlyArray<MessageRow<C>>;
}

/** The rows grouped by trace in the page's order, as records; an id with no row is left out. */
export function groupTraceExports<C extends StoredColumns>(
  traceIds: readonly string[],
  rows: PageRows<C>,
  converters: RecordConverters<C>,
): TraceExport[] {
  const exports = new Map<string, TraceExport>(
    traceIds.map((traceId) => [traceId, { traceId, trace: null, observations: [], scores: [], messages: [] }]),
  );
  for (const row of rows.traces) {
    const ranks = typeof row.fact_ranks === 'string' ? JSON.parse(row.fact_ranks) : row.fact_ranks;
    exports.get(row.id)!.trace = { ...converters.toTraceRecord(row), factRanks: ranks as Record<string, string> };
  }
  const environmentOf = (traceId: string) => exports.get(traceId)?.trace?.environment ?? DEFAULT_ENVIRONMENT;
  for (const row of rows.observations) {
    exports.get(row.trace_id)?.observations.push(converters.toObservationRecord(row, environmentOf(row.trace_id)));
  }
  for (const row of rows.scores) exports.get(row.trace_id)?.scores.push(converters.toScoreRecord(row, environmentOf(row.trace_id)));
  for (const row of rows.messages) exports.get(row.trace_id)?.messages.push(toStoredMessage(row));
  return [...exports.values()].filter(
    (e) => e.trace !== null || e.observations.length > 0 || e.scores.length > 0 || e.messages.length > 0,
  );
}
