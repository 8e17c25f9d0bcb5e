/**
 * The traces list's filters, as they live in the page's query string. Each filter's name is the
 * REST API's query parameter (GET /api/public/traces), so the page's query string is the API's:
 * a filtered view can be shared, survives reload, and shows exactly what the API was asked.
 */

/** Parameters taking one value. */
export const SINGLE_FILTERS = [
  'q',
  'name',
  'userId',
  'sessionId',
  'model',
  'level',
  'fromTimestamp',
  'toTimestamp',
  'minLatencyMs',
  'maxLatencyMs',
  'minCost',
  'maxCost',
] as const;
/** Parameters that repeat (`tags=a&tags=b`): all must hold, except environment (any of them). */
export const LIST_FILTERS = ['tags', 'environment', 'score', 'metadata'] as const;

export type SingleFilter = (typeof SINGLE_FILTERS)[number];
export type ListFilter = (typeof LIST_FILTERS)[number];
export type FilterName = SingleFilter | ListFilter;

/** `orderBy` and `limit` are the API's too: how the list is sorted and how many rows a page has. */
export type TraceFilters = Partial<Record<SingleFilter, string>> & Record<ListFilter, string[]> & { orderBy?: string; limit?: string };

export const FILTER_LABELS: Record<FilterName, string> = {
  q: 'Search',
  name: 'Name',
  userId: 'User',
  sessionId: 'Session',
  model: 'Model',
  level: 'Level',
  fromTimestamp: 'From',
  toTimestamp: 'To',
  minLatencyMs: 'Latency ≥ (ms)',
  maxLatencyMs: 'Latency ≤ (ms)',
  minCost: 'Cost ≥ ($)',
  maxCost: 'Cost ≤ ($)',
  tags: 'Tag',
  environment: 'Environment',
  score: 'Score',
  metadata: 'Metadata',
};

export function parseTraceFilters(search: URLSearchParams): TraceFilters {
  const filters: TraceFilters = { tags: [], environment: [], score: [], metadata: [] };
  for (const name of SINGLE_FILTERS) {
    const value = search.get(name);
    if (value !== null && value.trim() !== '') filters[name] = value;
  }
  for (const name of LIST_FILTERS) {
    filters[name] = search.getAll(name).filter((value) => value.trim() !== '');
  }
  for (const name of ['orderBy', 'limit'] as const) {
    const value = search.get(name);
    if (value !== null && value !== '') filters[name] = value;
  }
  return filters;
}

/** The query string of the page and of the API call, in a stable order. */
export function traceFilterParams(filters: TraceFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of SINGLE_FILTERS) {
    const value = filters[name];
    if (value !== undefined && value.trim() !== '') params.set(name, value.trim());
  }
  for (const name of LIST_FILTERS) {
    for (const value of filters[name]) if (value.trim() !== '') params.append(name, value.trim());
  }
  if (filters.orderBy !== undefined) params.set('orderBy', filters.orderBy);
  if (filters.limit !== undefined) params.set('limit', filters.limit);
  return params;
}

export function hasFilters(filters: TraceFilters): boolean {
  return SINGLE_FILTERS.some((name) => filters[name] !== undefined) || LIST_FILTERS.some((name) => filters[name].length > 0);
}

export interface FilterChip {
  name: FilterName;
  value: string;
}

/** Every active filter value, one chip each, to show and remove one at a time. */
export function filterChips(filters: TraceFilters): FilterChip[] {
  const chips: FilterChip[] = [];
  for (const name of SINGLE_FILTERS) {
    const value = filters[name];
    if (value !== undefined) chips.push({ name, value });
  }
  for (const name of LIST_FILTERS) for (const value of filters[name]) chips.push({ name, value });
  return chips;
}

export function withoutFilter(filters: TraceFilters, chip: FilterChip): TraceFilters {
  const next: TraceFilters = { ...filters, tags: [...filters.tags], environment: [...filters.environment], score: [...filters.score], metadata: [...filters.metadata] };
  if ((LIST_FILTERS as readonly string[]).includes(chip.name)) {
    const list = chip.name as ListFilter;
    next[list] = next[list].filter((value) => value !== chip.value);
  } else {
    delete next[chip.name as SingleFilter];
  }
  return next;
}

/** Adds one value (a tag, a user clicked in the table) to the filters. */
export function withFilter(filters: TraceFilters, name: FilterName, value: string): TraceFilters {
  const next = withoutFilter(filters, { name, value });
  if ((LIST_FILTERS as readonly string[]).includes(name)) next[name as ListFilter].push(value);
  else next[name as SingleFilter] = value;
  return next;
}

/**
 * Conditions typed in one box, comma-separated: `helpfulness<0.5, toxicity=0`. A comma splits
 * only when the text after it is a condition itself, so `note=a,b` stays one.
 */
export function splitConditions(text: string): string[] {
  return text
    .split(/,(?=[^,]*(?:=|<|>))/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Tags or environments typed in one box: comma-separated. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** URLSearchParams as the API client's parameters (repeated names become arrays). */
export function paramsRecord(params: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length === 1 ? values[0]! : values;
  }
  return record;
}
