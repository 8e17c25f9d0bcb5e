/**
 * The traces list's filter controls: the search box, and a panel with one control per API
 * filter. Edits are a draft until applied (Enter or Apply), which puts them in the URL.
 */
import { useState } from 'preact/hooks';
import { fromLocalInput, toLocalInput } from '../format.js';
import { LIST_FILTERS, SINGLE_FILTERS, splitConditions, splitList, type FilterName, type TraceFilters } from '../trace-filters.js';
import { FilterInput, FilterSelect, useDraft } from './filter-fields.js';

const QUICK_RANGES: Array<[string, number]> = [
  ['Last hour', 3_600_000],
  ['Last 24 hours', 86_400_000],
  ['Last 7 days', 7 * 86_400_000],
  ['Last 30 days', 30 * 86_400_000],
];

/** The panel's edits: one string per filter (lists comma-separated, times as local input). */
type Draft = Record<FilterName, string>;

const TIME_FILTERS: readonly FilterName[] = ['fromTimestamp', 'toTimestamp'];
/** List filters typed as conditions (`helpfulness<0.5`) rather than plain values. */
const CONDITION_FILTERS: readonly FilterName[] = ['score', 'metadata'];

function draftOf(filters: TraceFilters): Draft {
  const draft = {} as Draft;
  for (const name of SINGLE_FILTERS) draft[name] = TIME_FILTERS.includes(name) ? toLocalInput(filters[name]) : (filters[name] ?? '');
  for (const name of LIST_FILTERS) draft[name] = filters[name].join(', ');
  return draft;
}

function filtersOf(draft: Draft, previous: TraceFilters): TraceFilters {
  const filters: TraceFilters = { tags: [], environment: [], score: [], metadata: [], orderBy: previous.orderBy, limit: previous.limit };
  for (const name of SINGLE_FILTERS) {
    const value = draft[name].trim();
    // A time typed at minute precision keeps the exact time it stood for when unchanged.
    if (TIME_FILTERS.includes(name)) filters[name] = value === toLocalInput(previous[name]) ? previous[name] : fromLocalInput(value);
    else if (value !== '') filters[name] = value;
  }
  for (const name of LIST_FILTERS) filters[name] = (CONDITION_FILTERS.includes(name) ? splitConditions : splitList)(draft[name]);
  return filters;
}

export interface TraceFilterFormProps {
  filters: TraceFilters;
  activeCount: number;
  onApply(filters: TraceFilters): void;
  onClear(): void;
}

export function TraceFilterForm({ filters, activeCount, onApply, onClear }: TraceFilterFormProps) {
  const { draft, setDraft, bind } = useDraft<Draft>(() => draftOf(filters));
  const [open, setOpen] = useState(false);
  const quickRange = (event: Event) => {
    const ms = Number((event.currentTarget as HTMLSelectElement).value);
    if (ms > 0) setDraft({ ...draft, fromTimestamp: toLocalInput(new Date(Date.now() - ms).toISOString()), toTimestamp: '' });
  };
  const submit = (event: Event) => {
    event.preventDefault();
    onApply(filtersOf(draft, filters));
  };
  const panelCount = activeCount - (filters.q === undefined ? 0 : 1);

  return (
    <form class="filter-form" onSubmit={submit} role="search">
      <div class="search-row">
        <input
          type="search"
          aria-label="Search"
          placeholder='Search names, inputs and outputs: words, or "a phrase"'
          {...bind('q')}
        />
        <button type="submit" class="button primary">
          Search
        </button>
        <button type="button" class="button" aria-expanded={open} aria-controls="trace-filters" onClick={() => setOpen(!open)}>
          Filters{panelCount > 0 ? ` (${panelCount})` : ''}
        </button>
      </div>
      {open && (
        <fieldset id="trace-filters" class="filter-panel">
          <legend class="visually-hidden">Filters</legend>
          <FilterInput label="Name" placeholder="support-query" {...bind('name')} />
          <FilterInput label="User" placeholder="user_123" {...bind('userId')} />
          <FilterInput label="Session" {...bind('sessionId')} />
          <FilterInput label="Model" placeholder="gpt-4o-mini" {...bind('model')} />
          <FilterInput label="Tags" placeholder="production, beta (all)" {...bind('tags')} />
          <FilterInput label="Environment" placeholder="production (any of)" {...bind('environment')} />
          <FilterSelect label="Level" options={[['', 'Any'], ['ERROR', 'Has an error'], ['WARNING', 'Has a warning']]} binding={bind('level')} />
          <label>
            Time range
            <select onChange={quickRange} value="">
              <option value="">Choose…</option>
              {QUICK_RANGES.map(([label, ms]) => (
                <option key={label} value={String(ms)}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <FilterInput label="From" type="datetime-local" {...bind('fromTimestamp')} />
          <FilterInput label="To" type="datetime-local" {...bind('toTimestamp')} />
          <FilterInput label="Min latency (ms)" type="number" min="0" step="any" {...bind('minLatencyMs')} />
          <FilterInput label="Max latency (ms)" type="number" min="0" step="any" {...bind('maxLatencyMs')} />
          <FilterInput label="Min cost ($)" type="number" min="0" step="any" {...bind('minCost')} />
          <FilterInput label="Max cost ($)" type="number" min="0" step="any" {...bind('maxCost')} />
          <FilterInput label="Scores" wide placeholder="helpfulness<0.5, sentiment=negative" {...bind('score')} />
          <FilterInput label="Metadata" wide placeholder="plan=pro, region=eu" {...bind('metadata')} />
          <div class="filter-actions">
            <button type="submit" class="button primary">
              Apply
            </button>
            <button type="button" class="button" onClick={onClear}>
              Clear all
            </button>
          </div>
        </fieldset>
      )}
    </form>
  );
}
