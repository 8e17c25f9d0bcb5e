/** /scores: evaluations and feedback, newest first, with the scores API's filters in the URL. */
import { useState } from 'preact/hooks';
import type { Page, ScoreListItem } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { paramsRecord } from '../trace-filters.js';
import { NONE, formatAgo, formatScoreValue, formatTime, fromLocalInput, toLocalInput } from '../format.js';
import { href, navigate, useLocation } from '../router.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { EmptyState } from '../components/empty-state.js';
import { Link } from '../components/link.js';
import { Pager } from '../components/pager.js';

/** The API's parameter names (GET /api/public/scores). */
const TEXT_FILTERS: Array<[string, string, string]> = [
  ['name', 'Name', 'helpfulness'],
  ['userId', 'User', ''],
  ['traceId', 'Trace id', ''],
  ['minValue', 'Min value', ''],
  ['maxValue', 'Max value', ''],
];
const ALL_FILTERS = ['name', 'userId', 'traceId', 'source', 'dataType', 'minValue', 'maxValue', 'fromTimestamp', 'toTimestamp'];

export function ScoresPage() {
  const { search } = useLocation();
  const filters = new URLSearchParams();
  for (const name of ALL_FILTERS) {
    const value = search.get(name);
    if (value !== null && value !== '') filters.set(name, value);
  }
  const page = Number(search.get('page') ?? '1') || 1;
  const { data, error, reload } = useApi<Page<ScoreListItem>>('/api/public/scores', { ...paramsRecord(filters), page, limit: 50 });
  const go = (params: URLSearchParams, nextPage = 1) => {
    if (nextPage > 1) params.set('page', String(nextPage));
    navigate(href('/scores', params));
  };
  const filtered = filters.toString() !== '';
  return (
    <div>
      <div class="page-head">
        <h1>Scores</h1>
        {data !== undefined && <span class="muted count">{data.meta.totalItems} scores</span>}
      </div>
      <ScoreFilterForm key={filters.toString()} filters={filters} onApply={(params) => go(params)} />
      {error !== undefined ? (
        <ErrorBox error={error} title="Could not list scores" retry={reload} />
      ) : data === undefined ? (
        <Loading label="Loading scores…" />
      ) : data.data.length === 0 ? (
        filtered ? (
          <EmptyState title="No scores match these filters">
            <p>
              <Link href="/scores">Clear the filters</Link>
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="No scores yet">
            <p>
              Scores arrive as <code>gen_ai.evaluation.result</code> span events, or through the API:{' '}
              <code>POST {location.origin}/api/public/scores</code> with a <code>traceId</code>, a <code>name</code> and a{' '}
              <code>value</code> (Langfuse clients' <code>score.create()</code> works too).
            </p>
          </EmptyState>
        )
      ) : (
        <>
          <div class="table-wrap">
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Name</th>
                  <th scope="col" class="num">Value</th>
                  <th scope="col">Type</th>
                  <th scope="col">Source</th>
                  <th scope="col">Comment</th>
                  <th scope="col">Trace</th>
                  <th scope="col">User</th>
                </tr>
              </thead>
              <tbody>
                {data.data.map((score) => (
                  <tr key={score.id}>
                    <td title={formatTime(score.timestamp)} class="nowrap">
                      {formatAgo(score.timestamp)}
                    </td>
                    <td>{score.name}</td>
                    <td class="num">{formatScoreValue(score)}</td>
                    <td>{score.dataType.toLowerCase()}</td>
                    <td>{score.source}</td>
                    <td class="comment-cell">{score.comment ?? NONE}</td>
                    <td>
                      <Link href={score.observationId === null ? `/traces/${score.traceId}` : `/traces/${score.traceId}?observation=${score.observationId}`}>
                        <code>{score.traceId.slice(0, 12)}</code>
                      </Link>
                    </td>
                    <td>{score.trace?.userId ?? NONE}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager meta={data.meta} onPage={(next) => go(new URLSearchParams(filters), next)} noun="scores" />
        </>
      )}
    </div>
  );
}

function ScoreFilterForm({ filters, onApply }: { filters: URLSearchParams; onApply(params: URLSearchParams): void }) {
  const [draft, setDraft] = useState<Record<string, string>>(() => {
    const initial: Record<string, string> = Object.fromEntries(filters);
    initial.fromTimestamp = toLocalInput(filters.get('fromTimestamp') ?? undefined);
    initial.toTimestamp = toLocalInput(filters.get('toTimestamp') ?? undefined);
    return initial;
  });
  const bind = (name: string) => ({
    name,
    value: draft[name] ?? '',
    onInput: (event: Event) => setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value }),
  });
  const submit = (event: Event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const name of ALL_FILTERS) {
      let value = (draft[name] ?? '').trim();
      if (name === 'fromTimestamp' || name === 'toTimestamp') {
        value = value === toLocalInput(filters.get(name) ?? undefined) ? (filters.get(name) ?? '') : (fromLocalInput(value) ?? '');
      }
      if (value !== '') params.set(name, value);
    }
    onApply(params);
  };
  return (
    <form class="filter-form" onSubmit={submit}>
      <fieldset class="filter-panel">
        <legend class="visually-hidden">Filters</legend>
        {TEXT_FILTERS.map(([name, label, placeholder]) => (
          <label key={name}>
            {label}
            {name.endsWith('Value') ? <input {...bind(name)} type="number" step="any" /> : <input {...bind(name)} placeholder={placeholder} />}
          </label>
        ))}
        <label>
          Source
          <select {...bind('source')}>
            <option value="">Any</option>
            <option value="API">API</option>
            <option value="EVAL">EVAL</option>
            <option value="ANNOTATION">ANNOTATION</option>
          </select>
        </label>
        <label>
          Type
          <select {...bind('dataType')}>
            <option value="">Any</option>
            <option value="NUMERIC">Numeric</option>
            <option value="CATEGORICAL">Categorical</option>
            <option value="BOOLEAN">Boolean</option>
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" {...bind('fromTimestamp')} />
        </label>
        <label>
          To
          <input type="datetime-local" {...bind('toTimestamp')} />
        </label>
        <div class="filter-actions">
          <button type="submit" class="button primary">
            Apply
          </button>
          <Link href="/scores" class="button">
            Clear
          </Link>
        </div>
      </fieldset>
    </form>
  );
}
