/**
 * The traces list's filter controls: the search box, and a panel with one control per API
 * filter. Edits are a draft until applied (Enter or Apply), which puts them in the URL.
 */
import { useState } from 'preact/hooks';
import { fromLocalInput, toLocalInput } from '../format.js';
import { splitConditions, splitList, type TraceFilters } from '../trace-filters.js';

const QUICK_RANGES: Array<[string, number]> = [
  ['Last hour', 3_600_000],
  ['Last 24 hours', 86_400_000],
  ['Last 7 days', 7 * 86_400_000],
  ['Last 30 days', 30 * 86_400_000],
];

interface Draft {
  q: string;
  name: string;
  userId: string;
  sessionId: string;
  model: string;
  tags: string;
  environment: string;
  level: string;
  from: string;
  to: string;
  minLatencyMs: string;
  maxLatencyMs: string;
  minCost: string;
  maxCost: string;
  score: string;
  metadata: string;
}

function draftOf(filters: TraceFilters): Draft {
  return {
    q: filters.q ?? '',
    name: filters.name ?? '',
    userId: filters.userId ?? '',
    sessionId: filters.sessionId ?? '',
    model: filters.model ?? '',
    tags: filters.tags.join(', '),
    environment: filters.environment.join(', '),
    level: filters.level ?? '',
    from: toLocalInput(filters.fromTimestamp),
    to: toLocalInput(filters.toTimestamp),
    minLatencyMs: filters.minLatencyMs ?? '',
    maxLatencyMs: filters.maxLatencyMs ?? '',
    minCost: filters.minCost ?? '',
    maxCost: filters.maxCost ?? '',
    score: filters.score.join(', '),
    metadata: filters.metadata.join(', '),
  };
}

function filtersOf(draft: Draft, previous: TraceFilters): TraceFilters {
  const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
  // A time typed at minute precision keeps the exact time it stood for when unchanged.
  const time = (local: string, before: string | undefined) => (local === toLocalInput(before) ? before : fromLocalInput(local));
  return {
    q: text(draft.q),
    name: text(draft.name),
    userId: text(draft.userId),
    sessionId: text(draft.sessionId),
    model: text(draft.model),
    tags: splitList(draft.tags),
    environment: splitList(draft.environment),
    level: text(draft.level),
    fromTimestamp: time(draft.from, previous.fromTimestamp),
    toTimestamp: time(draft.to, previous.toTimestamp),
    minLatencyMs: text(draft.minLatencyMs),
    maxLatencyMs: text(draft.maxLatencyMs),
    minCost: text(draft.minCost),
    maxCost: text(draft.maxCost),
    score: splitConditions(draft.score),
    metadata: splitConditions(draft.metadata),
    orderBy: previous.orderBy,
    limit: previous.limit,
  };
}

export interface TraceFilterFormProps {
  filters: TraceFilters;
  activeCount: number;
  onApply(filters: TraceFilters): void;
  onClear(): void;
}

export function TraceFilterForm({ filters, activeCount, onApply, onClear }: TraceFilterFormProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  const [open, setOpen] = useState(false);
  const field = (name: keyof Draft) => ({
    name,
    value: draft[name],
    onInput: (event: Event) => setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value }),
  });
  const quickRange = (event: Event) => {
    const ms = Number((event.currentTarget as HTMLSelectElement).value);
    if (ms > 0) setDraft({ ...draft, from: toLocalInput(new Date(Date.now() - ms).toISOString()), to: '' });
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
          {...field('q')}
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
          <label>
            Name
            <input {...field('name')} placeholder="support-query" />
          </label>
          <label>
            User
            <input {...field('userId')} placeholder="user_123" />
          </label>
          <label>
            Session
            <input {...field('sessionId')} />
          </label>
          <label>
            Model
            <input {...field('model')} placeholder="gpt-4o-mini" />
          </label>
          <label>
            Tags
            <input {...field('tags')} placeholder="production, beta (all)" />
          </label>
          <label>
            Environment
            <input {...field('environment')} placeholder="production (any of)" />
          </label>
          <label>
            Level
            <select {...field('level')}>
              <option value="">Any</option>
              <option value="ERROR">Has an error</option>
              <option value="WARNING">Has a warning</option>
            </select>
          </label>
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
          <label>
            From
            <input type="datetime-local" {...field('from')} />
          </label>
          <label>
            To
            <input type="datetime-local" {...field('to')} />
          </label>
          <label>
            Min latency (ms)
            <input type="number" min="0" step="any" {...field('minLatencyMs')} />
          </label>
          <label>
            Max latency (ms)
            <input type="number" min="0" step="any" {...field('maxLatencyMs')} />
          </label>
          <label>
            Min cost ($)
            <input type="number" min="0" step="any" {...field('minCost')} />
          </label>
          <label>
            Max cost ($)
            <input type="number" min="0" step="any" {...field('maxCost')} />
          </label>
          <label class="wide">
            Scores
            <input {...field('score')} placeholder="helpfulness<0.5, sentiment=negative" />
          </label>
          <label class="wide">
            Metadata
            <input {...field('metadata')} placeholder="plan=pro, region=eu" />
          </label>
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
