/**
 * The observation list's conditions on an observation's own columns (alias `o`), the same SQL in
 * every engine; conditions through the trace (its id or key, user, environment) stay with each
 * engine, which keys them differently.
 */
import type { ObservationListQuery } from './contract.js';

/** What these conditions need of an engine's SqlConditions. */
export interface ConditionsBuilder {
  bind(value: unknown): string;
  add(clause: string): unknown;
}

/** Column of each equality filter of the list, in the order the conditions are added. */
const EQUAL_COLUMNS = [
  ['o.type', 'type'],
  ['o.name', 'name'],
  ['o.level', 'level'],
  ['o.model', 'model'],
  ['o.parent_observation_id', 'parentObservationId'],
] as const satisfies ReadonlyArray<readonly [string, keyof ObservationListQuery]>;

export function addObservationColumnConditions(c: ConditionsBuilder, query: ObservationListQuery): void {
  for (const [column, field] of EQUAL_COLUMNS) {
    const value = query[field];
    if (value !== undefined) c.add(`${column} = ${c.bind(value)}`);
  }
  if (query.fromTimeUnixNano !== undefined) c.add(`o.start_time_ns >= ${c.bind(query.fromTimeUnixNano)}`);
  if (query.toTimeUnixNano !== undefined) c.add(`o.start_time_ns < ${c.bind(query.toTimeUnixNano)}`);
}
