/**
 * The traces list's data: the first page for the filters, more pages by cursor (which neither
 * repeats nor skips traces stored meanwhile), and a refresh that puts traces stored since on
 * top. Each row is decorated with its scores' values and its worst level, which the list API
 * gives only as ids and as a filter: one scores request by ids, and one level-filtered request
 * per level over the rows' time window.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ScoreView, TraceListItem, TraceListPage, Page } from '../api/types.js';
import { apiGet } from '../api/client.js';
import { useAuthVersion } from '../api/use-api.js';
import { paramsRecord } from '../trace-filters.js';

export const PAGE_SIZE = 50;
const SCORE_IDS_PER_REQUEST = 100;

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
  scores: ReadonlyMap<string, ScoreView[]>;
  levels: ReadonlyMap<string, 'ERROR' | 'WARNING'>;
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
  const [scores, setScores] = useState<ReadonlyMap<string, ScoreView[]>>(new Map());
  const [levels, setLevels] = useState<ReadonlyMap<string, 'ERROR' | 'WARNING'>>(new Map());
  const current = useRef(key);
  current.current = key;

  const decorate = (rows: readonly TraceListItem[], forKey: string) => {
    void loadScores(rows).then((found) => {
      if (current.current === forKey) setScores((before) => new Map([...before, ...found]));
    }, ignore);
    void loadLevels(params, rows).then((found) => {
      if (current.current === forKey) setLevels((before) => new Map([...before, ...found]));
    }, ignore);
  };

  useEffect(() => {
    const controller = new AbortController();
    setScores(new Map());
    setLevels(new Map());
    apiGet<TraceListPage>('/api/public/traces', { ...paramsRecord(params), limit }, controller.signal).then(
      (page) => {
        setLoaded({ key, rows: page.data, totalItems: page.meta.totalItems, nextCursor: page.meta.nextCursor, fresh: new Set() });
        decorate(page.data, key);
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
          decorate(added, key);
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
      decorate(page.data, key);
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
    scores,
    levels,
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

async function loadScores(rows: readonly TraceListItem[]): Promise<Map<string, ScoreView[]>> {
  const ids = rows.flatMap((row) => row.scores);
  const byTrace = new Map<string, ScoreView[]>();
  for (let at = 0; at < ids.length; at += SCORE_IDS_PER_REQUEST) {
    const chunk = ids.slice(at, at + SCORE_IDS_PER_REQUEST);
    const page = await apiGet<Page<ScoreView>>('/api/public/scores', { scoreIds: chunk.join(','), limit: 1000 });
    for (const score of page.data) {
      const list = byTrace.get(score.traceId) ?? [];
      list.push(score);
      byTrace.set(score.traceId, list);
    }
  }
  return byTrace;
}

/** Which rows have an ERROR (else WARNING) observation: the same filters plus `level`, over the rows' times. */
async function loadLevels(params: URLSearchParams, rows: readonly TraceListItem[]): Promise<Map<string, 'ERROR' | 'WARNING'>> {
  const found = new Map<string, 'ERROR' | 'WARNING'>();
  if (rows.length === 0) return found;
  const filtered = params.get('level');
  if (filtered === 'ERROR' || filtered === 'WARNING') {
    for (const row of rows) found.set(row.id, filtered);
    return found;
  }
  const times = rows.map((row) => Date.parse(row.timestamp));
  const window = {
    ...paramsRecord(params),
    fromTimestamp: new Date(Math.min(...times)).toISOString(),
    toTimestamp: new Date(Math.max(...times) + 1).toISOString(),
    limit: 1000,
  };
  const ids = new Set(rows.map((row) => row.id));
  for (const level of ['WARNING', 'ERROR'] as const) {
    const page = await apiGet<TraceListPage>('/api/public/traces', { ...window, level });
    for (const row of page.data) if (ids.has(row.id)) found.set(row.id, level);
  }
  return found;
}

function ignore(): void {}
