/**
 * Keyset (cursor) paging, the same for every engine: ORDER BY a sort key then the id, and "rows
 * after the last one returned" as a condition on both, so a page is found by index seek instead
 * of by skipping rows, and rows inserted meanwhile neither repeat nor hide rows. NULLs sort
 * lowest (first ascending, last descending), SQLite's order; each engine's read/keyset.ts writes
 * ORDER BY to match and binds a position's value as its driver wants it.
 */
import type { KeysetPosition, SortDirection } from './contract.js';

export interface SortKey {
  /** SQL expression of the sort value. */
  expression: string;
  /** How the value travels in a KeysetPosition: integers as decimal strings (they exceed 2^53). */
  kind: 'integer' | 'real' | 'text';
  nullable: boolean;
  /** The unique tie-breaker expression. */
  id: string;
}

/** What the keyset condition needs of an engine's SqlConditions. */
export interface KeysetConditions {
  bind(value: unknown): string;
  add(clause: string): unknown;
}

/**
 * Adds "after `position` in this order" to `conditions`, `value` bound as `boundValue` converts
 * it for the engine's driver.
 */
export function addAfterCondition(
  conditions: KeysetConditions,
  key: SortKey,
  direction: SortDirection,
  position: KeysetPosition,
  boundValue: (key: SortKey, value: string | number) => unknown,
): void {
  const beyond = direction === 'asc' ? '>' : '<';
  const id = conditions.bind(position.id);
  const { expression } = key;
  if (position.value === null) {
    // Ascending, NULLs came first: later NULLs by id, then every non-NULL. Descending: NULLs last.
    conditions.add(
      direction === 'asc'
        ? `((${expression} IS NULL AND ${key.id} > ${id}) OR ${expression} IS NOT NULL)`
        : `(${expression} IS NULL AND ${key.id} < ${id})`,
    );
    return;
  }
  const value = conditions.bind(boundValue(key, position.value));
  const nullsAfter = key.nullable && direction === 'desc' ? ` OR ${expression} IS NULL` : '';
  conditions.add(`(${expression} ${beyond} ${value} OR (${expression} = ${value} AND ${key.id} ${beyond} ${id})${nullsAfter})`);
}

/** The position of a row, to continue after it. */
export function positionOf(orderBy: string, key: SortKey, value: unknown, id: string): KeysetPosition {
  if (value === null || value === undefined) return { orderBy, value: null, id };
  if (key.kind === 'real') return { orderBy, value: Number(value), id };
  return { orderBy, value: String(value), id };
}
