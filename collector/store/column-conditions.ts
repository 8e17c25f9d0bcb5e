/**
 * List conditions on a row's own columns, the same SQL in every engine: equalities on the
 * fields of a trace filter or observation query, and the start-time range. Conditions that
 * reach another table stay with each engine, which keys them differently.
 */
import type { ObservationListQuery, TraceFilter } from './contract.js';

/** What these conditions need of an engine's SqlConditions. */
export interface ConditionsBuilder {
  bind(value: unknown): string;
  add(clause: string): unknown;
}

/** [column, field] of each equality filter of the trace list, in the order the conditions are added. */
export const TRACE_EQUAL_COLUMNS = [
  ['t.user_id', 'userId'],
  ['t.session_id', 'sessionId'],
  ['t.name', 'name'],
  ['t.release', 'release'],
  ['t.version', 'version'],
] as const satisfies ReadonlyArray<readonly [string, keyof TraceFilter]>;

/** [column, field] of each equality filter of the observation list. */
export const OBSERVATION_EQUAL_COLUMNS = [
  ['o.type', 'type'],
  ['o.name', 'name'],
  ['o.level', 'level'],
  ['o.model', 'model'],
  ['o.parent_observation_id', 'parentObservationId'],
] as const satisfies ReadonlyArray<readonly [string, keyof ObservationListQuery]>;

/** `column = value` for each field of `query` that is set. */
export function addEqualConditions<Q>(c: ConditionsBuilder, query: Q, columns: ReadonlyArray<readonly [string, keyof Q]>): void {
  for (const [column, field] of columns) {
    const value = query[field];
    if (value !== undefined) c.add(`${column} = ${c.bind(value)}`);
  }
}

/** The start-time range, `from` inclusive and `to` exclusive, on `column`. */
export function addStartRange(c: ConditionsBuilder, range: { fromTimeUnixNano?: bigint; toTimeUnixNano?: bigint }, column: string): void {
  if (range.fromTimeUnixNano !== undefined) c.add(`${column} >= ${c.bind(range.fromTimeUnixNano)}`);
  if (range.toTimeUnixNano !== undefined) c.add(`${column} < ${c.bind(range.toTimeUnixNano)}`);
}
