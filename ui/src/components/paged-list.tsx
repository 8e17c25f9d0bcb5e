/**
 * A list the API pages by number (sessions, users, scores): the page's head with the count, then
 * the error, a loading line, the empty state, or the table and its pager. The page number lives
 * in the URL's `page` (left out for the first page).
 */
import type { ComponentChildren } from 'preact';
import type { Page } from '../api/types.js';
import type { QueryParams } from '../api/client.js';
import { useApi, type ApiState } from '../api/use-api.js';
import { formatCount } from '../format.js';
import { href, useLocation } from '../router.js';
import { DataTable } from './data-table.js';
import { Loaded } from './loaded.js';
import { Pager } from './pager.js';

const PAGE_SIZE = 50;

/** The page of `path` the URL names, PAGE_SIZE items long (`P`: the answer's shape, a Page with extras). */
export function usePagedApi<T, P extends Page<T> = Page<T>>(path: string, params: QueryParams = {}): ApiState<P> {
  const { search } = useLocation();
  const page = Number(search.get('page') ?? '1') || 1;
  return useApi<P>(path, { ...params, page, limit: PAGE_SIZE });
}

/** `pathname` with `params` and the page number (none for the first page). */
export function pageHref(pathname: string, params: URLSearchParams, page: number): string {
  const query = new URLSearchParams(params);
  if (page > 1) query.set('page', String(page));
  return href(pathname, query);
}

export interface PagedListProps<T> {
  title: string;
  /** Plural, for the count, the messages and the pager: `sessions`. */
  noun: string;
  state: ApiState<Page<T>>;
  /** Between the head and the list (filters). */
  controls?: ComponentChildren;
  /** Shown when there is nothing to list. */
  empty: ComponentChildren;
  /** The header row's cells. */
  columns: ComponentChildren;
  /** A class for the table besides `data-table`. */
  tableClass?: string;
  row(item: T): ComponentChildren;
  onPage(page: number): void;
}

export function PagedList<T>({ title, noun, state, controls, empty, columns, tableClass, row, onPage }: PagedListProps<T>) {
  return (
    <div>
      <div class="page-head">
        <h1>{title}</h1>
        {state.data !== undefined && (
          <span class="muted count">
            {formatCount(state.data.meta.totalItems)} {noun}
          </span>
        )}
      </div>
      {controls}
      <Loaded state={state} errorTitle={`Could not list ${noun}`} loadingLabel={`Loading ${noun}…`}>
        {(data) =>
          data.data.length === 0 ? (
            empty
          ) : (
            <>
              <DataTable class={tableClass} head={columns}>{data.data.map((item) => row(item))}</DataTable>
              <Pager meta={data.meta} onPage={onPage} noun={noun} />
            </>
          )
        }
      </Loaded>
    </div>
  );
}
