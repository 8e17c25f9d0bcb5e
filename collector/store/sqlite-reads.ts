/** The SQLite read path: stored rows -> the API's views. */
import type { Database } from 'better-sqlite3';
import type { TraceListQuery } from './trace-store.js';
import type { ObservationView, Page, ScoreView, TraceDetail, TraceListItem, TraceView } from './views.js';
import type { CostMissingReason, Level, ObservationType, ScoreDataType } from '../model.js';
import { fromJson } from './json-columns.js';

interface TraceRow {
  id: string;
  name: string | null;
  user_id: string | null;
  session_id: string | null;
  release: string | null;
  version: string | null;
  environment: string;
  tags: string;
  metadata: string;
  input: string | null;
  output: string | null;
  public: bigint;
  start_time_ns: bigint;
  end_time_ns: bigint;
  total_cost: number | null;
  input_tokens: bigint;
  output_tokens: bigint;
  total_tokens: bigint;
  created_at_ms: bigint;
  updated_at_ms: bigint;
}

interface ObservationRow {
  id: string;
  trace_id: string;
  parent_observation_id: string | null;
  type: string;
  name: string;
  start_time_ns: bigint;
  end_time_ns: bigint | null;
  completion_start_time_ns: bigint | null;
  level: string;
  status_message: string | null;
  version: string | null;
  model: string | null;
  model_parameters: string | null;
  input: string | null;
  output: string | null;
  metadata: string;
  input_tokens: bigint | null;
  output_tokens: bigint | null;
  total_tokens: bigint | null;
  cached_input_tokens: bigint | null;
  cache_write_tokens: bigint | null;
  reasoning_tokens: bigint | null;
  cost_details: string | null;
  total_cost: number | null;
  cost_missing_reason: string | null;
  counts_in_trace_totals: bigint;
  attributes: string;
  resource_attributes: string;
  scope_name: string;
  scope_version: string;
}

interface ScoreRow {
  id: string;
  trace_id: string;
  observation_id: string | null;
  name: string;
  value: number | null;
  string_value: string | null;
  data_type: string;
  comment: string | null;
  source: string;
  time_ns: bigint;
  metadata: string;
  created_at_ms: bigint;
  updated_at_ms: bigint;
}

const TRACE_COLUMNS = `id, name, user_id, session_id, release, version, environment, tags, metadata, input, output,
  public, start_time_ns, end_time_ns, total_cost, input_tokens, output_tokens, total_tokens, created_at_ms, updated_at_ms`;

export function createTraceReads(db: Database) {
  const selectTrace = db.prepare(`SELECT ${TRACE_COLUMNS} FROM traces WHERE project_id = ? AND id = ?`).safeIntegers(true);
  const selectObservations = db
    .prepare(`SELECT * FROM observations WHERE project_id = ? AND trace_id = ? ORDER BY start_time_ns, id`)
    .safeIntegers(true);
  const selectScores = db
    .prepare(`SELECT * FROM scores WHERE project_id = ? AND trace_id = ? ORDER BY time_ns, id`)
    .safeIntegers(true);

  function getTrace(projectId: string, traceId: string): TraceDetail | null {
    const row = selectTrace.get(projectId, traceId) as TraceRow | undefined;
    if (!row) return null;
    const trace = toTraceView(row);
    const observations = (selectObservations.all(projectId, traceId) as ObservationRow[]).map((o) =>
      toObservationView(o, trace.environment),
    );
    const scores = (selectScores.all(projectId, traceId) as ScoreRow[]).map((s) => toScoreView(s, trace.environment));
    return { ...trace, observations, scores };
  }

  function listTraces(projectId: string, query: TraceListQuery): Page<TraceListItem> {
    const where: string[] = ['t.project_id = @projectId'];
    const params: Record<string, unknown> = { projectId };
    if (query.userId !== undefined) {
      where.push('t.user_id = @userId');
      params.userId = query.userId;
    }
    if (query.sessionId !== undefined) {
      where.push('t.session_id = @sessionId');
      params.sessionId = query.sessionId;
    }
    if (query.name !== undefined) {
      where.push('t.name = @name');
      params.name = query.name;
    }
    (query.tags ?? []).forEach((tag, index) => {
      where.push(
        `EXISTS (SELECT 1 FROM trace_tags g WHERE g.project_id = t.project_id AND g.tag = @tag${index} AND g.trace_id = t.id)`,
      );
      params[`tag${index}`] = tag;
    });
    const whereSql = where.join(' AND ');
    const totalItems = Number(
      (db.prepare(`SELECT count(*) AS n FROM traces t WHERE ${whereSql}`).safeIntegers(true).get(params) as { n: bigint }).n,
    );
    const rows = db
      .prepare(
        `SELECT ${TRACE_COLUMNS} FROM traces t WHERE ${whereSql}
         ORDER BY t.start_time_ns DESC, t.id DESC LIMIT @limit OFFSET @offset`,
      )
      .safeIntegers(true)
      .all({ ...params, limit: query.limit, offset: (query.page - 1) * query.limit }) as TraceRow[];

    const ids = rows.map((row) => row.id);
    const observationIds = idsByTrace(db, 'observations', projectId, ids);
    const scoreIds = idsByTrace(db, 'scores', projectId, ids);
    const data = rows.map((row) => ({
      ...toTraceView(row),
      observations: observationIds.get(row.id) ?? [],
      scores: scoreIds.get(row.id) ?? [],
    }));
    return {
      data,
      meta: { page: query.page, limit: query.limit, totalItems, totalPages: Math.ceil(totalItems / query.limit) },
    };
  }

  return { getTrace, listTraces };
}

function idsByTrace(
  db: Database,
  table: 'observations' | 'scores',
  projectId: string,
  traceIds: readonly string[],
): Map<string, string[]> {
  const result = new Map<string, string[]>();
  if (traceIds.length === 0) return result;
  const rows = db
    .prepare(
      `SELECT trace_id, id FROM ${table} WHERE project_id = ? AND trace_id IN (${traceIds.map(() => '?').join(', ')})
       ORDER BY trace_id, id`,
    )
    .all(projectId, ...traceIds) as Array<{ trace_id: string; id: string }>;
  for (const { trace_id: traceId, id } of rows) {
    const list = result.get(traceId);
    if (list) list.push(id);
    else result.set(traceId, [id]);
  }
  return result;
}

export function isoFromUnixNano(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}

function toTraceView(row: TraceRow): TraceView {
  const latencyMs = Number(row.end_time_ns - row.start_time_ns) / 1e6;
  return {
    id: row.id,
    timestamp: isoFromUnixNano(row.start_time_ns),
    name: row.name,
    userId: row.user_id,
    sessionId: row.session_id,
    release: row.release,
    version: row.version,
    environment: row.environment,
    tags: JSON.parse(row.tags) as string[],
    metadata: JSON.parse(row.metadata) as TraceView['metadata'],
    input: fromJson(row.input),
    output: fromJson(row.output),
    public: row.public === 1n,
    latency: latencyMs / 1000,
    totalCost: row.total_cost,
    htmlPath: `/traces/${row.id}`,
    endTimestamp: isoFromUnixNano(row.end_time_ns),
    latencyMs,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    createdAt: new Date(Number(row.created_at_ms)).toISOString(),
    updatedAt: new Date(Number(row.updated_at_ms)).toISOString(),
  };
}

const USAGE_COLUMNS = [
  ['input', 'input_tokens'],
  ['output', 'output_tokens'],
  ['total', 'total_tokens'],
  ['cachedInput', 'cached_input_tokens'],
  ['cacheWrite', 'cache_write_tokens'],
  ['reasoning', 'reasoning_tokens'],
] as const;

function toObservationView(row: ObservationRow, environment: string): ObservationView {
  const usageDetails: Record<string, number> = {};
  for (const [key, column] of USAGE_COLUMNS) {
    const value = row[column];
    if (value !== null) usageDetails[key] = Number(value);
  }
  const input = (usageDetails.input ?? 0) + (usageDetails.cachedInput ?? 0) + (usageDetails.cacheWrite ?? 0);
  const output = (usageDetails.output ?? 0) + (usageDetails.reasoning ?? 0);
  return {
    id: row.id,
    traceId: row.trace_id,
    parentObservationId: row.parent_observation_id,
    type: row.type as ObservationType,
    name: row.name,
    startTime: isoFromUnixNano(row.start_time_ns),
    endTime: row.end_time_ns === null ? null : isoFromUnixNano(row.end_time_ns),
    completionStartTime: row.completion_start_time_ns === null ? null : isoFromUnixNano(row.completion_start_time_ns),
    level: row.level as Level,
    statusMessage: row.status_message,
    version: row.version,
    model: row.model,
    modelParameters: fromJson(row.model_parameters) as ObservationView['modelParameters'],
    input: fromJson(row.input),
    output: fromJson(row.output),
    metadata: JSON.parse(row.metadata) as ObservationView['metadata'],
    usageDetails,
    usage: { input, output, total: usageDetails.total ?? 0, unit: 'TOKENS' },
    costDetails: (fromJson(row.cost_details) ?? {}) as Record<string, number>,
    calculatedTotalCost: row.total_cost,
    totalCost: row.total_cost,
    costMissingReason: row.cost_missing_reason as CostMissingReason | null,
    countsInTraceTotals: row.counts_in_trace_totals === 1n,
    latency: row.end_time_ns === null ? null : Number(row.end_time_ns - row.start_time_ns) / 1e9,
    environment,
    attributes: JSON.parse(row.attributes) as ObservationView['attributes'],
    resourceAttributes: JSON.parse(row.resource_attributes) as ObservationView['resourceAttributes'],
    scope: { name: row.scope_name, version: row.scope_version },
  };
}

function toScoreView(row: ScoreRow, environment: string): ScoreView {
  return {
    id: row.id,
    traceId: row.trace_id,
    observationId: row.observation_id,
    name: row.name,
    value: row.value,
    stringValue: row.string_value,
    dataType: row.data_type as ScoreDataType,
    comment: row.comment,
    source: row.source,
    timestamp: isoFromUnixNano(row.time_ns),
    createdAt: new Date(Number(row.created_at_ms)).toISOString(),
    updatedAt: new Date(Number(row.updated_at_ms)).toISOString(),
    metadata: JSON.parse(row.metadata) as ScoreView['metadata'],
    environment,
  };
}
