/** The table of every list: scrolls sideways on narrow screens; columns sort through the URL. */
import type { ComponentChildren } from 'preact';

export function DataTable({ class: extra, head, children }: { class?: string; head: ComponentChildren; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table class={extra === undefined ? 'data-table' : `data-table ${extra}`}>
        <thead>
          <tr>{head}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export interface SortHeaderProps {
  label: string;
  /** The API's orderBy field this column sorts by. */
  field: string;
  /** The list's current order, `field.asc` or `field.desc` (descending when the direction is left out). */
  orderBy: string;
  onSort(orderBy: string): void;
  numeric?: boolean;
}

/** A column header that sorts by its field: descending first, then ascending on a second click. */
export function SortHeader({ label, field, orderBy, onSort, numeric = false }: SortHeaderProps) {
  const [sortField, sortDirection = 'desc'] = orderBy.split('.');
  const active = field === sortField;
  const next = active && sortDirection === 'desc' ? `${field}.asc` : `${field}.desc`;
  return (
    <th scope="col" class={numeric ? 'num' : undefined} aria-sort={active ? (sortDirection === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button type="button" class="sort-button" onClick={() => onSort(next)}>
        {label}
        {active ? (sortDirection === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
}
