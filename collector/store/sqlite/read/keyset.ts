/**
 * Keyset paging for SQLite lists (the paging itself is store/keyset.ts): SQLite's own NULL order
 * (first ascending, last descending) is the one the shared condition keeps, and integer positions
 * are bound as bigint (safeIntegers).
 */
import type { KeysetPosition, SortDirection } from '../../contract.js';
import { addAfterCondition as addAfterKeysetCondition, type SortKey } from '../../keyset.js';
import type { SqlConditions } from './conditions.js';

export { positionOf, type SortKey } from '../../keyset.js';

export function orderBySql(key: SortKey, direction: SortDirection): string {
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  return `${key.expression} ${dir}, ${key.id} ${dir}`;
}

/** Adds "after `position` in this order" to `conditions` (store/keyset.ts). */
export function addAfterCondition(conditions: SqlConditions, key: SortKey, direction: SortDirection, position: KeysetPosition): void {
  addAfterKeysetCondition(conditions, key, direction, position, boundValue);
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
