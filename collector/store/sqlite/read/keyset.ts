/**
 * Ordering with keyset (cursor) paging: ORDER BY a sort key then the id, and "rows after the
 * last one returned" as a condition on both, so a page is found by index seek instead of by
 * skipping rows, and rows inserted meanwhile neither repeat nor hide rows.
 *
 * NULLs sort as SQLite sorts them: first ascending, last descending; the conditions below keep
 * to that order.
 */
import type { KeysetPosition, SortDirection } from '../../contract.js';
import type { SqlConditions } from './conditions.js';

export interface SortKey {
  /** SQL expression of the sort value. */
  expression: string;
  /** How the value travels in a KeysetPosition: integers as decimal strings (they exceed 2^53). */
  kind: 'integer' | 'real' | 'text';
  nullable: boolean;
  /** The unique tie-breaker column. */
  id: string;
}

export function orderBySql(key: SortKey, direction: SortDirection): string {
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  return `${key.expression} ${dir}, ${key.id} ${dir}`;
}

/** Adds "after `position` in this order" to `conditions`. */
export function addAfterCondition(
  conditions: SqlConditions,
  key: SortKey,
  direction: SortDirection,
  position: KeysetPosition,
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
  conditions.add(
    `(${expression} ${beyond} ${value} OR (${expression} = ${value} AND ${key.id} ${beyond} ${id})${nullsAfter})`,
  );
}

/** The position of a row, to continue after it. */
export function positionOf(orderBy: string, key: SortKey, value: unknown, id: string): KeysetPosition {
  if (value === null || value === undefined) return { orderBy, value: null, id };
  if (key.kind === 'integer') return { orderBy, value: String(value), id };
  if (key.kind === 'real') return { orderBy, value: Number(value), id };
  return { orderBy, value: String(value), id };
}

function boundValue(key: SortKey, value: string | number): bigint | number | string {
  if (key.kind === 'integer') return BigInt(value);
  if (key.kind === 'real') return Number(value);
  return String(value);
}

/** Whether a decoded position's value has the shape its key needs (the API decodes cursors). */
export function isValidPosition(key: SortKey, position: KeysetPosition): boolean {
  const { value } = position;
  if (value === null) return key.nullable;
  if (key.kind === 'integer') return typeof value === 'string' && /^-?\d{1,20}$/.test(value);
  if (key.kind === 'real') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === 'string';
}
