/** /scores: evaluations and feedback, newest first, with the scores API's filters in the URL. */
import type { ScoreListItem } from '../api/types.js';
import { paramsRecord } from '../trace-filters.js';
import { NONE, formatAgo, formatScoreValue, formatTime, fromLocalInput, toLocalInput } from '../format.js';
import { navigate, useLocation } from '../router.js';
import { EmptyState } from '../components/empty-state.js';
import { FilterInput, FilterSelect, useDraft } from '../components/filter-fields.js';
import { Link } from '../components/link.js';
import { PagedList, pageHref, usePagedApi } from '../components/paged-list.js';

/** The API's parameter names (GET /api/public/scores). */
const ALL_FILTERS = ['name', 'userId', 'traceId', 'source', 'dataType', 'minValue', 'maxValue', 'fromTimestamp', 'toTimestamp'];

export function ScoresPage() {
  const { search } = useLocation();
  const filters = new URLSearchParams();
  for (const name of ALL_FILTERS) {
    const value = search.get(name);
    if (value !== null && value !== '') filters.set(name, value);
  }
  const state = usePagedApi<ScoreListItem>('/api/public/scores', paramsRecord(filters));
  const go = (params: URLSearchParams, page = 1) => navigate(pageHref('/scores', params, page));
  return (
    <PagedList
      title="Scores"
      noun="scores"
      state={state}
      controls={<ScoreFilterForm key={filters.toString()} filters={filters} onApply={(params) => go(params)} />}
      onPage={(page) => go(filters, page)}
      empty={
        filters.toString() !== '' ? (
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
      }
      columns={
        <>
          <th scope="col">Time</th>
          <th scope="col">Name</th>
          <th scope="col" class="num">Value</th>
          <th scope="col">Type</th>
          <th scope="col">Source</th>
          <th scope="col">Comment</th>
          <th scope="col">Trace</th>
          <th scope="col">User</th>
        </>
      }
      row={(score) => (
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
      )}
    />
  );
}

function ScoreFilterForm({ filters, onApply }: { filters: URLSearchParams; onApply(params: URLSearchParams): void }) {
  const { draft, bind } = useDraft<Record<string, string>>(() => {
    const initial: Record<string, string> = Object.fromEntries(filters);
    initial.fromTimestamp = toLocalInput(filters.get('fromTimestamp') ?? undefined);
    initial.toTimestamp = toLocalInput(filters.get('toTimestamp') ?? undefined);
    return initial;
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
        <FilterInput label="Name" placeholder="helpfulness" {...bind('name')} />
        <FilterInput label="User" {...bind('userId')} />
        <FilterInput label="Trace id" {...bind('traceId')} />
        <FilterInput label="Min value" type="number" step="any" {...bind('minValue')} />
        <FilterInput label="Max value" type="number" step="any" {...bind('maxValue')} />
        <FilterSelect
          label="Source"
          options={[['', 'Any'], ['API', 'API'], ['EVAL', 'EVAL'], ['ANNOTATION', 'ANNOTATION']]}
          binding={bind('source')}
        />
        <FilterSelect
          label="Type"
          options={[['', 'Any'], ['NUMERIC', 'Numeric'], ['CATEGORICAL', 'Categorical'], ['BOOLEAN', 'Boolean']]}
          binding={bind('dataType')}
        />
        <FilterInput label="From" type="datetime-local" {...bind('fromTimestamp')} />
        <FilterInput label="To" type="datetime-local" {...bind('toTimestamp')} />
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
