/**
 * TraceFilter -> WHERE conditions on `traces t`. A condition on another table (tags, level,
 * model, score) takes one of two forms, each over a covering index:
 * - `probe`: EXISTS per trace. Best when other conditions or the walk in time order reach a page
 *   after few traces: probing stops with the page.
 * - `set`: `t.id IN (subquery)`, computed once. Best when the condition is the rare part: the
 *   page is found from its few matches, and for counts.
 * Full-text terms are always sets: an FTS5 query per trace would cost far more.
 */
import { addEqualConditions, addStartRange, TRACE_EQUAL_COLUMNS } from '../../column-conditions.js';
import type { ScoreCondition, TraceFilter } from '../../contract.js';
import type { Search } from '../search/search.js';
import { SqlConditions } from './conditions.js';
import { traceKeyOf } from '../write/trace-keys.js';

const NS_PER_MS = 1_000_000;

export type ConditionForm = 'probe' | 'set';

export function traceConditions(projectId: string, filter: TraceFilter, search: Search, form: ConditionForm): SqlConditions {
  const c = new SqlConditions(projectId).add('t.project_id = @projectId');
  addEqualConditions(c, filter, TRACE_EQUAL_COLUMNS);
  if (filter.environments?.length) c.add(`t.environment IN ${c.bindList(filter.environments)}`);
  addStartRange(c, filter, 't.start_time_ns');
  /**
   * The condition on another table in the chosen form; `subquery` selects trace ids into
   * `trace_id`. A probe of a table keyed by trace key finds the trace's key first.
   */
  const onTraceIds = (subquery: string, alias: string, probeBy: 'trace id' | 'trace key' = 'trace id') => {
    const probe = probeBy === 'trace id' ? `${alias}.trace_id = t.id` : `${alias}.trace_key = ${traceKeyOf('t.project_id', 't.id')}`;
    c.add(form === 'set' ? `t.id IN (${subquery})` : `EXISTS (${subquery} AND ${probe})`);
  };
  for (const tag of filter.tags ?? []) {
    onTraceIds(`SELECT g.trace_id FROM trace_tags g WHERE g.project_id = @projectId AND g.tag = ${c.bind(tag)}`, 'g', 'trace key');
  }
  const latency = '(t.end_time_ns - t.start_time_ns)';
  if (filter.minLatencyMs !== undefined) c.add(`${latency} >= ${c.bind(msToNs(filter.minLatencyMs))}`);
  if (filter.maxLatencyMs !== undefined) c.add(`${latency} <= ${c.bind(msToNs(filter.maxLatencyMs))}`);
  if (filter.minCostUsd !== undefined) c.add(`t.total_cost >= ${c.bind(filter.minCostUsd)}`);
  if (filter.maxCostUsd !== undefined) c.add(`t.total_cost <= ${c.bind(filter.maxCostUsd)}`);
  if (filter.level !== undefined) onTraceIds(levelTraceIds(c, filter.level), 'o');
  if (filter.model !== undefined) onTraceIds(modelTraceIds(c, filter.model), 'o', 'trace key');
  for (const condition of filter.scores ?? []) onTraceIds(scoreTraceIds(c, condition), 's', 'trace key');
  for (const { key, value } of filter.metadata ?? []) {
    c.add(`EXISTS (SELECT 1 FROM json_each(t.metadata) m WHERE m.key = ${c.bind(key)} AND ${metadataText('m')} = ${c.bind(value)})`);
  }
  for (const term of filter.searchTerms ?? []) search.addTermCondition(c, term);
  return c;
}

/** One condition on another table, as countTraces counts it without reading traces. */
export interface SingleCondition {
  /** The matching rows, with a column `trace` that names their trace. */
  sql: string;
  /**
   * For a score condition: the count of the traces not stored that have a matching score, to
   * take out of the count of the matching rows (their scores are kept for when the trace arrives).
   */
  unstoredTracesSql?: string;
  params: Record<string, unknown>;
}

/**
 * When the filter is one condition on another table (a level, a model or one score condition)
 * and nothing else: the condition to count the traces without reading them. `trace` is the
 * trace id, but for a model the trace key: the model's index holds its rows in key order, so
 * counting distinct keys needs no sort. Every observation with a model belongs to a stored trace
 * (its span's); only EVENT observations of log records wait without one, and a level condition
 * leaves those out.
 */
export function singleSubquery(
  projectId: string,
  filter: TraceFilter,
  narrowing: ReadonlyArray<keyof TraceFilter>,
): SingleCondition | null {
  if (narrowing.length !== 1) return null;
  const c = new SqlConditions(projectId);
  const [field] = narrowing;
  if (field === 'level' && filter.level !== undefined) {
    // ERROR and WARNING rows are few; log records whose span never arrived are among them, with no trace.
    const stored = 'AND EXISTS (SELECT 1 FROM traces t WHERE t.rowid = o.trace_key)';
    return { sql: `${levelTraceIds(c, filter.level, 'o.trace_id AS trace')} ${stored}`, params: c.params };
  }
  if (field === 'model' && filter.model !== undefined) return { sql: modelTraceIds(c, filter.model, 'o.trace_key AS trace'), params: c.params };
  if (field === 'scores' && filter.scores?.length === 1) {
    const condition = filter.scores[0]!;
    const sql = scoreTraceIds(c, condition, 's.trace_id AS trace');
    // Over unstored_score_traces (a few rows), each probing scores_by_trace.
    const unstoredTracesSql = `SELECT count(*) AS n FROM unstored_score_traces u WHERE u.project_id = @projectId
      AND EXISTS (${scoreTraceIds(c, condition, '1')} AND s.trace_key = u.trace_key)`;
    return { sql, unstoredTracesSql, params: c.params };
  }
  return null;
}

function levelTraceIds(c: SqlConditions, level: string, select = 'o.trace_id'): string {
  // The repeated IN lets SQLite use the partial index observations_by_level (it cannot know a bound value is in it).
  return `SELECT ${select} FROM observations o
    WHERE o.project_id = @projectId AND o.level = ${c.bind(level)} AND o.level IN ('ERROR', 'WARNING')`;
}

function modelTraceIds(c: SqlConditions, model: string, select = 'o.trace_id'): string {
  return `SELECT ${select} FROM observations o WHERE o.project_id = @projectId AND o.model = ${c.bind(model)}`;
}

function scoreTraceIds(c: SqlConditions, { name, operator, value }: ScoreCondition, select = 's.trace_id'): string {
  const column = typeof value === 'number' ? 's.value' : 's.string_value';
  // operator is one of a closed set (COMPARISON_OPERATORS), never text from the request.
  return `SELECT ${select} FROM scores s
    WHERE s.project_id = @projectId AND s.name = ${c.bind(name)} AND ${column} ${operator} ${c.bind(value)}`;
}

/** A metadata value as text: strings as they are, numbers and booleans as JSON writes them. */
function metadataText(alias: string): string {
  return `(CASE ${alias}.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
    WHEN 'object' THEN ${alias}.value WHEN 'array' THEN ${alias}.value ELSE CAST(${alias}.atom AS TEXT) END)`;
}

function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * NS_PER_MS));
}
