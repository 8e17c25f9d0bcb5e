/**
 * The traces list's data: the first page for the filters, more pages by cursor (which neither
 * repeats nor skips traces stored meanwhile), and a refresh that puts traces stored since on
 * top. One request per page: each row carries its worst level and its scores' values.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TraceListItem, TraceListPage } from '../api/types.js';
import { apiGet } from '../api/client.js';
import { useAuthVersion } from '../api/use-api.js';
import { paramsRecord } from '../trace-filters.js';

export const PAGE_SIZE = 50;

export interface TraceListState {
  rows: TraceListItem[];
  totalItems: number;
  nextCursor: string | null;
  /** The first page has not arrived yet (for these filters). */
  loading: boolean;
  loadingMore: boolean;
  error: Error | undefined;
  /** Ids of rows that arrived with the last refresh (highlighted briefly). */
  fresh: ReadonlySet<string>;
  loadMore(): void;
  refresh(): void;
}

interface Loaded {
  key: string;
  rows: TraceListItem[];
  totalItems: number;
  nextCursor: string | null;
  error?: Error;
  fresh: ReadonlySet<string>;
}

export function useTraceList(params: URLSearchParams): TraceListState {
  const key = params.toString();
  const limit = Math.min(1000, Math.max(1, Number(params.get('limit')) || PAGE_SIZE));
  const authVersion = useAuthVersion();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const current = useRef(key);
  current.current = key;

  useEffect(() => {
    const controller = new AbortController();
    apiGet<TraceListPage>('/api/public/traces', { ...paramsRecord(params), limit }, controller.signal).then(
      (page) => {
        setLoaded({ key, rows: page.data, totalItems: page.meta.totalItems, nextCursor: page.meta.nextCursor, fresh: new Set() });
      },
      (error: Error) => {
        if (error.name !== 'AbortError') setLoaded({ key, rows: [], totalItems: 0, nextCursor: null, error, fresh: new Set() });
      },
    );
    return () => controller.abort();
  }, [key, authVersion]);

  const state = loaded !== null && loaded.key === key ? loaded : null;

  const loadMore = () => {
    if (state === null || state.nextCursor === null || loadingMore) return;
    setLoadingMore(true);
    apiGet<TraceListPage>('/api/public/traces', { ...paramsRecord(params), limit, cursor: state.nextCursor })
      .then(
        (page) => {
          if (current.current !== key) return;
          const known = new Set(state.rows.map((row) => row.id));
          const added = page.data.filter((row) => !known.has(row.id));
          setLoaded({ ...state, rows: [...state.rows, ...added], nextCursor: page.meta.nextCursor, fresh: new Set() });
        },
        (error: Error) => setLoaded({ ...state, error }),
      )
      .finally(() => setLoadingMore(false));
  };

  /** The first page again: new traces go on top, known ones are updated (spans still arriving). */
  const refresh = () => {
    if (state === null) return;
    apiGet<TraceListPage>('/api/public/traces', { ...paramsRecord(params), limit }).then((page) => {
      if (current.current !== key) return;
      const byId = new Map(page.data.map((row) => [row.id, row]));
      const known = new Set(state.rows.map((row) => row.id));
      const added = page.data.filter((row) => !known.has(row.id));
      const updated = state.rows.map((row) => byId.get(row.id) ?? row);
      const sortedByTime = params.get('orderBy') === null || params.get('orderBy') === 'timestamp.desc';
      const rows = sortedByTime || state.nextCursor === null ? mergeNewest(added, updated, sortedByTime, page.data) : updated;
      setLoaded({ ...state, rows, totalItems: page.meta.totalItems, error: undefined, fresh: new Set(added.map((row) => row.id)) });
    }, ignore);
  };

  return {
    rows: state?.rows ?? [],
    totalItems: state?.totalItems ?? 0,
    nextCursor: state?.nextCursor ?? null,
    loading: state === null,
    loadingMore,
    error: state?.error,
    fresh: state?.fresh ?? new Set(),
    loadMore,
    refresh,
  };
}

/** Newest first: new rows on top. Another order with everything loaded: the page's order, then the rest. */
function mergeNewest(added: TraceListItem[], updated: TraceListItem[], sortedByTime: boolean, page: TraceListItem[]): TraceListItem[] {
  if (sortedByTime) return [...added, ...updated];
  const onPage = new Set(page.map((row) => row.id));
  return [...page, ...updated.filter((row) => !onPage.has(row.id))];
}

function ignore(): void {}
