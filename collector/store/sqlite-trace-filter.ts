/**
 * TraceFilter -> WHERE conditions on `traces t`. Conditions on other tables are written as
 * `t.id IN (subquery)` over a covering index (level, model, scores, full text) so SQLite can
 * either probe them per trace or start from them, whichever its planner finds cheaper.
 */
import type { ScoreCondition, TraceFilter } from './query-store.js';
import type { Search } from './sqlite-search.js';
import { SqlConditions } from './sqlite-conditions.js';

const NS_PER_MS = 1_000_000;

export function traceConditions(projectId: string, filter: TraceFilter, search: Search): SqlConditions {
  const c = new SqlConditions(projectId).add('t.project_id = @projectId');
  const equal = (column: string, value: string | undefined) => {
    if (value !== undefined) c.add(`${column} = ${c.bind(value)}`);
  };
  equal('t.user_id', filter.userId);
  equal('t.session_id', filter.sessionId);
  equal('t.name', filter.name);
  equal('t.release', filter.release);
  equal('t.version', filter.version);
  if (filter.environments?.length) c.add(`t.environment IN ${c.bindList(filter.environments)}`);
  if (filter.fromTimeUnixNano !== undefined) c.add(`t.start_time_ns >= ${c.bind(filter.fromTimeUnixNano)}`);
  if (filter.toTimeUnixNano !== undefined) c.add(`t.start_time_ns < ${c.bind(filter.toTimeUnixNano)}`);
  for (const tag of filter.tags ?? []) {
    c.add(`EXISTS (SELECT 1 FROM trace_tags g WHERE g.project_id = @projectId AND g.tag = ${c.bind(tag)} AND g.trace_id = t.id)`);
  }
  const latency = '(t.end_time_ns - t.start_time_ns)';
  if (filter.minLatencyMs !== undefined) c.add(`${latency} >= ${c.bind(msToNs(filter.minLatencyMs))}`);
  if (filter.maxLatencyMs !== undefined) c.add(`${latency} <= ${c.bind(msToNs(filter.maxLatencyMs))}`);
  if (filter.minCostUsd !== undefined) c.add(`t.total_cost >= ${c.bind(filter.minCostUsd)}`);
  if (filter.maxCostUsd !== undefined) c.add(`t.total_cost <= ${c.bind(filter.maxCostUsd)}`);
  if (filter.level !== undefined) {
    c.add(`t.id IN (SELECT o.trace_id FROM observations o WHERE o.project_id = @projectId AND o.level = ${c.bind(filter.level)})`);
  }
  if (filter.model !== undefined) {
    c.add(`t.id IN (SELECT o.trace_id FROM observations o WHERE o.project_id = @projectId AND o.model = ${c.bind(filter.model)})`);
  }
  for (const condition of filter.scores ?? []) addScoreCondition(c, condition);
  for (const { key, value } of filter.metadata ?? []) {
    c.add(`EXISTS (SELECT 1 FROM json_each(t.metadata) m WHERE m.key = ${c.bind(key)} AND ${metadataText('m')} = ${c.bind(value)})`);
  }
  for (const term of filter.searchTerms ?? []) search.addTermCondition(c, term);
  return c;
}

function addScoreCondition(c: SqlConditions, { name, operator, value }: ScoreCondition): void {
  const column = typeof value === 'number' ? 's.value' : 's.string_value';
  // operator is one of a closed set (COMPARISON_OPERATORS), never text from the request.
  c.add(`t.id IN (SELECT s.trace_id FROM scores s
    WHERE s.project_id = @projectId AND s.name = ${c.bind(name)} AND ${column} ${operator} ${c.bind(value)})`);
}

/** A metadata value as text: strings as they are, numbers and booleans as JSON writes them. */
function metadataText(alias: string): string {
  return `(CASE ${alias}.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
    WHEN 'object' THEN ${alias}.value WHEN 'array' THEN ${alias}.value ELSE CAST(${alias}.atom AS TEXT) END)`;
}

function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * NS_PER_MS));
}
