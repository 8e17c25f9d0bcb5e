/**
 * TraceFilter -> WHERE conditions on `traces t`, matching what the SQLite engine's filter
 * (store/sqlite/read/trace-filter.ts) matches. A condition on another table (tags, level, model,
 * score) is an EXISTS over that table's index by trace, which PostgreSQL plans as a semi-join,
 * unless the list, having counted the traces of its one such condition exactly, asks for another
 * form (condition-form.ts): the planner's estimates of those conditions can be far off.
 */
import type { ScoreCondition, TraceFilter } from '../../contract.js';
import type { TraceSearch } from '../search/search.js';
import { SqlConditions } from './conditions.js';
import type { ConditionForm } from './condition-form.js';

const NS_PER_MS = 1_000_000;

/**
 * The conditions of `filter`. Asynchronous for the search terms only: the full-text search
 * (store/postgres/search/) reads the index to refuse a term too broad to search, throwing
 * QueryRejectedError before any other statement runs.
 */

export async function traceConditions(
  projectId: string,
  filter: TraceFilter,
  search: Pick<TraceSearch, 'condition'>,
  /** How a level, model or score condition is applied (condition-form.ts). */
  form: ConditionForm = 'probe',
): Promise<SqlConditions> {
  const c = new SqlConditions(projectId).add('t.project_id = $1');
  const equal = (column: string, value: string | undefined) => {
    if (value !== undefined) c.add(`${column} = ${c.bind(value)}`);
  };
  equal('t.user_id', filter.userId);
  equal('t.session_id', filter.sessionId);
  equal('t.name', filter.name);
  equal('t.release', filter.release);
  equal('t.version', filter.version);
  if (filter.environments?.length) c.add(`t.environment = ANY(${c.bind(filter.environments)}::text[])`);
  if (filter.fromTimeUnixNano !== undefined) c.add(`t.start_time_ns >= ${c.bind(filter.fromTimeUnixNano)}`);
  if (filter.toTimeUnixNano !== undefined) c.add(`t.start_time_ns < ${c.bind(filter.toTimeUnixNano)}`);
  for (const tag of filter.tags ?? []) {
    c.add(`EXISTS (SELECT 1 FROM trace_tags g WHERE g.project_id = $1 AND g.tag = ${c.bind(tag)} AND g.trace_id = t.id)`);
  }
  const latency = '(t.end_time_ns - t.start_time_ns)';
  if (filter.minLatencyMs !== undefined) c.add(`${latency} >= ${c.bind(msToNs(filter.minLatencyMs))}`);
  if (filter.maxLatencyMs !== undefined) c.add(`${latency} <= ${c.bind(msToNs(filter.maxLatencyMs))}`);
  if (filter.minCostUsd !== undefined) c.add(`t.total_cost >= ${c.bind(filter.minCostUsd)}`);
  if (filter.maxCostUsd !== undefined) c.add(`t.total_cost <= ${c.bind(filter.maxCostUsd)}`);
  if (filter.level !== undefined) {
    // The repeated IN lets the planner use the partial index observations_by_level with a bound level.
    const matching = `FROM observations o WHERE o.project_id = $1 AND o.level = ${c.bind(filter.level)} AND o.level IN ('ERROR', 'WARNING')`;
    c.add(onTraces(matching, 'o', form));
  }
  if (filter.model !== undefined) c.add(onTraces(`FROM observations o WHERE o.project_id = $1 AND o.model = ${c.bind(filter.model)}`, 'o', form));
  for (const condition of filter.scores ?? []) c.add(onTraces(`FROM scores s WHERE s.project_id = $1 AND ${scoreMatch(c, condition)}`, 's', form));
  for (const { key, value } of filter.metadata ?? []) c.add(metadataCondition(c, key, value));
  if (filter.searchTerms?.length) c.add(await search.condition(filter.searchTerms, c));
  return c;
}

/** `t` has a row of `matching` (`FROM table alias WHERE ...`, the table keyed by trace_id), in the given form. */
function onTraces(matching: string, alias: string, form: ConditionForm): string {
  if (form === 'hash') return `(t.id IN (SELECT ${alias}.trace_id ${matching})) IS TRUE`;
  if (form === 'set') return `t.id = ANY(ARRAY(SELECT ${alias}.trace_id ${matching}))`;
  return `EXISTS (SELECT 1 ${matching} AND ${alias}.trace_id = t.id)`;
}

/** A score `s` meets the condition. */
function scoreMatch(c: SqlConditions, { name, operator, value }: ScoreCondition): string {
  const column = typeof value === 'number' ? 's.value' : 's.string_value';
  // operator is one of a closed set (COMPARISON_OPERATORS), never text from the request.
  return `s.name = ${c.bind(name)} AND ${column} ${operator} ${c.bind(value)}`;
}

/**
 * When the filter is one score condition and nothing else: a statement counting its traces from
 * the scores alone, as SQLite's engine counts them (store/sqlite/read/traces.ts countTraces). The
 * matching scores, or their distinct traces when some trace repeats the name
 * (score_name_repeats), less the traces among them that are not stored (unstored_score_traces,
 * a few rows, each probing scores_by_trace). Exact: the writer keeps both tables in the
 * transaction that writes the scores and traces (write/score-traces.ts).
 */
export function scoreOnlyCount(projectId: string, filter: TraceFilter, narrowing: ReadonlyArray<keyof TraceFilter>): SqlConditions | null {
  if (narrowing.length !== 1 || narrowing[0] !== 'scores' || filter.scores?.length !== 1) return null;
  const c = new SqlConditions(projectId);
  const condition = filter.scores[0]!;
  const matching = `FROM scores s WHERE s.project_id = $1 AND ${scoreMatch(c, condition)}`;
  // A CASE runs only the subquery it chooses.
  return c.add(`CASE WHEN EXISTS (SELECT 1 FROM score_name_repeats r WHERE r.project_id = $1 AND r.name = ${c.bind(condition.name)})
      THEN (SELECT count(DISTINCT s.trace_id) ${matching})
      ELSE (SELECT count(*) ${matching}) END
    - (SELECT count(*) FROM unstored_score_traces u WHERE u.project_id = $1
      AND EXISTS (SELECT 1 ${matching} AND s.trace_id = u.trace_id))`);
}

/**
 * Metadata key `key` holds `value` compared as text, as SQLite's json_each shows it: a string as
 * it is, a number and a boolean as JSON writes them, an object or array as its JSON (which
 * matches only written compactly: JSONB keeps no spacing, so equal JSON is compared instead).
 */
function metadataCondition(c: SqlConditions, key: string, value: string): string {
  const scalar = `CASE jsonb_typeof(m.value) WHEN 'string' THEN m.value #>> '{}'
    WHEN 'number' THEN m.value::text WHEN 'boolean' THEN m.value::text END = ${c.bind(value)}`;
  const json = compactJsonContainer(value);
  const container = json === null ? '' : ` OR (jsonb_typeof(m.value) IN ('object', 'array') AND m.value = ${c.bind(json)}::jsonb)`;
  return `EXISTS (SELECT 1 FROM jsonb_each(t.metadata) m WHERE m.key = ${c.bind(key)} AND (${scalar}${container}))`;
}

/** `text` when it is an object or array written as JSON.stringify writes it, else null. */
function compactJsonContainer(text: string): string | null {
  if (!text.startsWith('{') && !text.startsWith('[')) return null;
  try {
    return JSON.stringify(JSON.parse(text)) === text ? text : null;
  } catch {
    return null;
  }
}

function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * NS_PER_MS));
}
