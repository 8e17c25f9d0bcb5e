/**
 * The UI's only way to the collector: GET and POST on the public REST API, with the stored API
 * keys. Errors become ApiError with the API's own message (`limit: expected ...`), so pages show
 * what went wrong instead of going blank; a 401 also asks the user for keys.
 */
import { authorizationHeader, reportUnauthorized } from './auth.js';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the collector could not be reached. */
    readonly status: number,
    /** The API's error code (`invalid_parameter`, `not_found`, ...), or `network`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Query parameters; arrays repeat the parameter, empty values are left out. */
export type QueryParams = Record<string, string | number | readonly string[] | undefined | null>;

export function queryString(params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, item);
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export function apiGet<T>(path: string, params: QueryParams = {}, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', `${path}${queryString(params)}`, undefined, signal);
}

export function apiPost<T>(path: string, body: unknown): Promise<T> {
  return request<T>('POST', path, body);
}

async function request<T>(method: string, url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const authorization = authorizationHeader();
  if (authorization !== null) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', `cannot reach the collector at ${location.origin} (${(error as Error).message})`);
  }
  if (response.status === 401) {
    reportUnauthorized();
    throw new ApiError(401, 'unauthorized', 'this collector requires an API key');
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = json as { error?: string; message?: string } | undefined;
    const message = error?.message ?? (text.trim().slice(0, 300) || response.statusText);
    throw new ApiError(response.status, error?.error ?? `http_${response.status}`, message);
  }
  if (json === undefined) throw new ApiError(response.status, 'bad_response', `${method} ${url}: the answer is not JSON`);
  return json as T;
}
