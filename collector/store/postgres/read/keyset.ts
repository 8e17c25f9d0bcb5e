/**
 * Sort keys and keyset positions for PostgreSQL lists, ordered exactly as the SQLite engine
 * orders them (store/sqlite/read/keyset.ts): NULLs sort lowest (first ascending, last
 * descending, where PostgreSQL's default is the opposite), text by its bytes (COLLATE "C", as
 * SQLite's BINARY collation), ties by id in the same direction.
 */
import type { KeysetPosition, SortDirection } from '../../contract.js';
import { addAfterCondition as addAfterKeysetCondition, type SortKey } from '../../keyset.js';
import type { SqlConditions } from './conditions.js';

export { positionOf, type SortKey } from '../../keyset.js';

export function orderBySql(key: SortKey, direction: SortDirection): string {
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  const nulls = key.nullable ? (direction === 'asc' ? ' NULLS FIRST' : ' NULLS LAST') : '';
  return `${key.expression} ${dir}${nulls}, ${key.id} ${dir}`;
}

/** Adds "after `position` in this order" to `conditions` (store/keyset.ts). */
export function addAfterCondition(conditions: SqlConditions, key: SortKey, direction: SortDirection, position: KeysetPosition): void {
  addAfterKeysetCondition(conditions, key, direction, position, boundValue);
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
