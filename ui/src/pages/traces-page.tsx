/**
 * `/`: the traces, newest first, with the query API's filters as controls. The page's query
 * string is the API's (see trace-filters.ts). More pages load by cursor; auto-refresh puts new
 * traces on top every few seconds.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TraceListItem } from '../api/types.js';
import { NONE, formatAgo, formatCost, formatCount, formatDuration, formatTime } from '../format.js';
import { href, navigate, useLocation } from '../router.js';
import {
  FILTER_LABELS,
  filterChips,
  hasFilters,
  parseTraceFilters,
  traceFilterParams,
  withFilter,
  withoutFilter,
  type FilterName,
  type TraceFilters,
} from '../trace-filters.js';
import { useTraceList, type TraceListState } from './use-trace-list.js';
import { DataTable, SortHeader } from '../components/data-table.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { EmptyState, FirstTraceHelp } from '../components/empty-state.js';
import { Link } from '../components/link.js';
import { ScoreChips } from '../components/score-chips.js';
import { TraceFilterForm } from '../components/trace-filter-form.js';

const REFRESH_MS = 5000;
const AUTO_REFRESH_KEY = 'spanlite.autoRefresh';

export function TracesPage() {
  const { search } = useLocation();
  const filters = parseTraceFilters(search);
  const params = traceFilterParams(filters);
  const list = useTraceList(params);
  const [autoRefresh, setAutoRefresh] = useState(() => localStorage.getItem(AUTO_REFRESH_KEY) === 'on');
  const chips = filterChips(filters);

  const refresh = useRef(list.refresh);
  refresh.current = list.refresh;
  useEffect(() => {
    if (!autoRefresh) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh.current();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [autoRefresh]);

  const go = (next: TraceFilters) => navigate(href('/', traceFilterParams(next)));
  const toggleAutoRefresh = () => {
    localStorage.setItem(AUTO_REFRESH_KEY, autoRefresh ? 'off' : 'on');
    setAutoRefresh(!autoRefresh);
  };

  return (
    <div class="traces-page">
      <div class="page-head">
        <h1>Traces</h1>
        <span class="muted count" aria-live="polite">
          {list.loading ? '' : `${formatCount(list.totalItems)} trace${list.totalItems === 1 ? '' : 's'}`}
        </span>
        <div class="spacer" />
        <label class="toggle">
          <input type="checkbox" checked={autoRefresh} onChange={toggleAutoRefresh} /> Auto-refresh
        </label>
        <button type="button" class="button" onClick={list.refresh}>
          Refresh
        </button>
      </div>
      <TraceFilterForm key={params.toString()} filters={filters} activeCount={chips.length} onApply={go} onClear={() => navigate('/')} />
      {chips.length > 0 && (
        <ul class="active-filters" aria-label="Active filters">
          {chips.map((chip) => (
            <li key={`${chip.name}=${chip.value}`} class="filter-chip">
              <span>
                {FILTER_LABELS[chip.name]}: <strong>{chipText(chip.name, chip.value)}</strong>
              </span>
              <button type="button" aria-label={`Remove filter ${FILTER_LABELS[chip.name]} ${chip.value}`} onClick={() => go(withoutFilter(filters, chip))}>
                ×
              </button>
            </li>
          ))}
          <li>
            <Link href="/" class="clear-filters">
              Clear all
            </Link>
          </li>
        </ul>
      )}
      <TraceListBody list={list} filters={filters} onFilter={(name, value) => go(withFilter(filters, name, value))} onSort={(orderBy) => go({ ...filters, orderBy })} />
    </div>
  );
}

function chipText(name: FilterName, value: string): string {
  return name === 'fromTimestamp' || name === 'toTimestamp' ? formatTime(value) : value;
}

function TraceListBody({
  list,
  filters,
  onFilter,
  onSort,
}: {
  list: TraceListState;
  filters: TraceFilters;
  onFilter(name: FilterName, value: string): void;
  onSort(orderBy: string): void;
}) {
  if (list.loading) return <Loading label="Loading traces…" />;
  if (list.error !== undefined && list.rows.length === 0) return <ErrorBox error={list.error} title="Could not list traces" retry={list.refresh} />;
  if (list.rows.length === 0) {
    if (!hasFilters(filters)) return <FirstTraceHelp />;
    return (
      <EmptyState title="No traces match these filters">
        <p>
          Remove a filter above, or <Link href="/">clear them all</Link>.
        </p>
      </EmptyState>
    );
  }
  return (
    <>
      <TracesTable rows={list.rows} list={list} orderBy={filters.orderBy ?? 'timestamp.desc'} onFilter={onFilter} onSort={onSort} />
      {list.error !== undefined && <ErrorBox error={list.error} title="Could not load more traces" />}
      <div class="list-footer">
        {list.nextCursor !== null ? (
          <button type="button" class="button" disabled={list.loadingMore} onClick={list.loadMore}>
            {list.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        ) : (
          <span class="muted">{list.rows.length === 1 ? 'The only trace.' : `All ${formatCount(list.rows.length)} traces shown.`}</span>
        )}
      </div>
    </>
  );
}

function TracesTable(props: {
  rows: TraceListItem[];
  list: TraceListState;
  orderBy: string;
  onFilter(name: FilterName, value: string): void;
  onSort(orderBy: string): void;
}) {
  const { rows, list, orderBy, onFilter, onSort } = props;
  const sortable = (label: string, field: string, numeric = false) => (
    <SortHeader label={label} field={field} orderBy={orderBy} onSort={onSort} numeric={numeric} />
  );
  return (
    <DataTable
      class="traces-table"
      head={
        <>
          <th scope="col" class="marker-col">
            <span class="visually-hidden">Level</span>
          </th>
          {sortable('Time', 'timestamp')}
          {sortable('Name', 'name')}
          <th scope="col">User</th>
          <th scope="col">Session</th>
          <th scope="col">Tags</th>
          {sortable('Latency', 'latency', true)}
          <th scope="col" class="num">
            Tokens
          </th>
          {sortable('Cost', 'totalCost', true)}
          <th scope="col">Scores</th>
        </>
      }
    >
      {rows.map((row) => {
        const marked = row.level === 'ERROR' || row.level === 'WARNING';
        return (
          <tr key={row.id} data-trace-id={row.id} class={list.fresh.has(row.id) ? 'fresh' : undefined}>
            <td class="marker-col">
              {marked && <span class={`level-dot level-${row.level.toLowerCase()}`} title={row.level === 'ERROR' ? 'Has an error' : 'Has a warning'} aria-label={row.level} />}
            </td>
            <td title={formatTime(row.timestamp)} class="nowrap">
              {formatAgo(row.timestamp)}
            </td>
            <td class="name-cell">
              <Link href={`/traces/${row.id}`}>{row.name ?? <span class="muted">{row.id.slice(0, 12)}</span>}</Link>
            </td>
            <td>
              {row.userId === null ? (
                <span class="muted">{NONE}</span>
              ) : (
                <button type="button" class="link-button" title="Only this user's traces" onClick={() => onFilter('userId', row.userId as string)}>
                  {row.userId}
                </button>
              )}
            </td>
            <td>
              {row.sessionId === null ? <span class="muted">{NONE}</span> : <Link href={`/sessions/${encodeURIComponent(row.sessionId)}`}>{row.sessionId}</Link>}
            </td>
            <td>
              {row.tags.map((tag) => (
                <button key={tag} type="button" class="tag" title="Only traces with this tag" onClick={() => onFilter('tags', tag)}>
                  {tag}
                </button>
              ))}
            </td>
            <td class="num nowrap">{formatDuration(row.latencyMs)}</td>
            <td class="num nowrap" title={`${formatCount(row.inputTokens)} in → ${formatCount(row.outputTokens)} out`}>
              {row.totalTokens > 0 ? formatCount(row.totalTokens) : NONE}
            </td>
            <td class="num nowrap">{formatCost(row.totalCost)}</td>
            <td>
              <ScoreChips scores={row.scoreValues} />
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
