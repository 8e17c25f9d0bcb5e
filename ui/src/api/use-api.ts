/** Fetches an API path for a component: loading, data or error, re-fetched when keys are entered. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiGet, queryString, type QueryParams } from './client.js';
import { onAuthChange } from './auth.js';

export interface ApiState<T> {
  /** The answer for the current path and parameters (undefined while it loads or after an error). */
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

/** Changes whenever keys are saved or removed, so every fetch runs again with them. */
export function useAuthVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => onAuthChange(() => setVersion((value) => value + 1)), []);
  return version;
}

/** `path` null: nothing to fetch yet. */
export function useApi<T>(path: string | null, params: QueryParams = {}): ApiState<T> {
  const key = path === null ? null : `${path}${queryString(params)}`;
  const authVersion = useAuthVersion();
  const [reloads, setReloads] = useState(0);
  const [state, setState] = useState<{ key: string | null; data?: T; error?: Error }>({ key: null });

  useEffect(() => {
    if (path === null || key === null) return;
    const controller = new AbortController();
    apiGet<T>(path, params, controller.signal).then(
      (data) => setState({ key, data }),
      (error: Error) => {
        if (error.name !== 'AbortError') setState({ key, error });
      },
    );
    return () => controller.abort();
    // `key` stands for path and params.
  }, [key, authVersion, reloads]);

  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: key !== null && (!current || (state.data === undefined && state.error === undefined)),
    reload: () => setReloads((value) => value + 1),
  };
}

/**
 * The last defined `value` a component rendered with: what a view keeps showing (dimmed) while
 * the answer for changed parameters loads, instead of blanking to a loading line.
 */
export function useLastDefined<T>(value: T | undefined): T | undefined {
  const last = useRef<T | undefined>(undefined);
  if (value !== undefined) last.current = value;
  return last.current;
}
