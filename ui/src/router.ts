/**
 * Addresses: every view has its own URL (the collector answers index.html for each; see
 * collector/receiver/ui-routes.ts UI_PAGES), and a view's filters live in its query string.
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'traces' }
  | { page: 'trace'; traceId: string }
  | { page: 'sessions' }
  | { page: 'session'; sessionId: string }
  | { page: 'users' }
  | { page: 'scores' }
  | { page: 'models' }
  | { page: 'dashboard' }
  | { page: 'notFound' };

export function matchRoute(pathname: string): Route {
  let parts: string[];
  try {
    parts = pathname.split('/').filter((part) => part !== '').map(decodeURIComponent);
  } catch {
    return { page: 'notFound' }; // a malformed %-escape
  }
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return { page: 'notFound' };
  if (first === undefined) return { page: 'traces' };
  if (first === 'traces' && second !== undefined) return { page: 'trace', traceId: second };
  if (first === 'sessions') return second === undefined ? { page: 'sessions' } : { page: 'session', sessionId: second };
  if (second !== undefined) return { page: 'notFound' };
  if (first === 'users' || first === 'scores' || first === 'models' || first === 'dashboard') return { page: first };
  return { page: 'notFound' };
}

type Listener = () => void;
const listeners = new Set<Listener>();
window.addEventListener('popstate', () => notify());

function notify(): void {
  for (const listener of listeners) listener();
}

/** Goes to `to` (path and query) without reloading. `replace` keeps the history entry (filters as you type, selection). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const current = location.pathname + location.search;
  if (to === current) return;
  if (options.replace === true) history.replaceState(null, '', to);
  else {
    history.pushState(null, '', to);
    if (new URL(to, location.origin).pathname !== location.pathname) window.scrollTo(0, 0);
  }
  notify();
}

export interface CurrentLocation {
  pathname: string;
  search: URLSearchParams;
}

export function useLocation(): CurrentLocation {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = () => setVersion((value) => value + 1);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return { pathname: location.pathname, search: new URLSearchParams(location.search) };
}

/** Path plus a query string made from `params` (none when empty). */
export function href(pathname: string, params?: URLSearchParams): string {
  const query = params?.toString() ?? '';
  return query === '' ? pathname : `${pathname}?${query}`;
}

/** A click that the app handles itself (a plain left click; modified clicks open tabs as usual). */
export function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey && !event.defaultPrevented;
}
