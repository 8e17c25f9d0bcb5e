/**
 * Sort keys and keyset positions for PostgreSQL lists, ordered exactly as the SQLite engine
 * orders them (store/sqlite/read/keyset.ts): NULLs sort lowest (first ascending, last
 * descending, where PostgreSQL's default is the opposite), text by its bytes (COLLATE "C", as
 * SQLite's BINARY collation), ties by id in the same direction.
 */
import type { KeysetPosition, SortDirection } from '../../contract.js';
import type { SqlConditions } from './conditions.js';

export interface SortKey {
  /** SQL expression of the sort value. */
  expression: string;
  /** How the value travels in a KeysetPosition: integers as decimal strings (they exceed 2^53). */
  kind: 'integer' | 'real' | 'text';
  nullable: boolean;
  /** The unique tie-breaker expression. */
  id: string;
}

export function orderBySql(key: SortKey, direction: SortDirection): string {
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  const nulls = key.nullable ? (direction === 'asc' ? ' NULLS FIRST' : ' NULLS LAST') : '';
  return `${key.expression} ${dir}${nulls}, ${key.id} ${dir}`;
}

/** Adds "after `position` in this order" to `conditions`. */
export function addAfterCondition(conditions: SqlConditions, key: SortKey, direction: SortDirection, position: KeysetPosition): void {
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

function boundValue(key: SortKey, value: string | number): string | number {
  return key.kind === 'real' ? Number(value) : String(value);
}

/** Whether a decoded position's value has the shape its key needs (the API decodes cursors). */
export function isValidPosition(key: SortKey, position: KeysetPosition): boolean {
  const { value } = position;
  if (value === null) return key.nullable;
  // At most 19 digits: a BIGINT; SQLite's reader takes 20 and overflows past 2^63 itself.
  if (key.kind === 'integer') return typeof value === 'string' && /^-?\d{1,19}$/.test(value) && BigInt(value) <= 2n ** 63n - 1n && BigInt(value) >= -(2n ** 63n);
  if (key.kind === 'real') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === 'string';
}
