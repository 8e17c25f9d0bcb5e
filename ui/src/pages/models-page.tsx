/**
 * /models: the price table, in matching order: custom prices (added through the API, marked),
 * then the pricing file's, then the model catalog's (with their provider). USD per million tokens.
 * The server filters and pages (the catalog holds well over a thousand prices); the filters live
 * in the URL under the API's names (modelName, provider), the page number in `page`.
 */
import type { ModelListPage, ModelView } from '../api/types.js';
import { useLastDefined } from '../api/use-api.js';
import { formatCount, formatPricePerMillion } from '../format.js';
import { navigate, useLocation } from '../router.js';
import { paramsRecord } from '../trace-filters.js';
import { EmptyState } from '../components/empty-state.js';
import { Link } from '../components/link.js';
import { PagedList, pageHref, usePagedApi } from '../components/paged-list.js';
import { useDebouncedDraft } from '../components/use-debounced-draft.js';

const SOURCE_LABELS: Record<ModelView['source'], string> = { custom: 'custom', file: 'pricing file', default: 'built-in' };
const PRICE_COLUMNS: Array<[string, string]> = [
  ['input', 'Input'],
  ['output', 'Output'],
  ['cachedInput', 'Cached input'],
  ['cacheWrite', 'Cache write'],
  ['reasoning', 'Reasoning'],
];

/** The API's filter parameters (GET /api/public/models). */
const FILTERS = ['modelName', 'provider'] as const;
type FilterName = (typeof FILTERS)[number];

/** The URL's filters, as the API takes them. */
function filtersOf(search: URLSearchParams): URLSearchParams {
  const filters = new URLSearchParams();
  for (const name of FILTERS) {
    const value = search.get(name);
    if (value !== null && value !== '') filters.set(name, value);
  }
  return filters;
}

/** The first page of the list with `name` set to `value` (removed when empty) and the other filters kept. */
function withFilter(name: FilterName, value: string): string {
  const filters = filtersOf(new URLSearchParams(location.search));
  if (value === '') filters.delete(name);
  else filters.set(name, value);
  return pageHref('/models', filters, 1);
}

export function ModelsPage() {
  const { search } = useLocation();
  const filters = filtersOf(search);
  const state = usePagedApi<ModelView, ModelListPage>('/api/public/models', paramsRecord(filters));
  const providers = useLastDefined(state.data?.catalog.providers) ?? [];
  return (
    <PagedList
      title="Models"
      noun="prices"
      state={state}
      controls={<ModelFilters modelName={filters.get('modelName') ?? ''} provider={filters.get('provider') ?? ''} providers={providers} />}
      onPage={(page) => navigate(pageHref('/models', filters, page))}
      empty={
        <EmptyState title="No prices match these filters">
          <p>
            <Link href="/models">Clear the filters</Link>
          </p>
        </EmptyState>
      }
      tableClass="models-table"
      columns={
        <>
          <th scope="col">Model</th>
          <th scope="col">Source</th>
          {PRICE_COLUMNS.map(([key, label]) => (
            <th key={key} scope="col" class="num">
              {label}
            </th>
          ))}
          <th scope="col">Tiers</th>
          <th scope="col">Match pattern</th>
        </>
      }
      row={(model) => <ModelRow key={model.id} model={model} />}
    />
  );
}

function ModelFilters({ modelName, provider, providers }: { modelName: string; provider: string; providers: readonly string[] }) {
  // Typing replaces the history entry: back leaves the page rather than stepping through keystrokes.
  const [draft, setDraft] = useDebouncedDraft(modelName, (value) => navigate(withFilter('modelName', value), { replace: true }));
  return (
    <>
      <div class="search-row filter-form">
        <input
          type="search"
          aria-label="Filter models"
          placeholder="Filter models by name"
          value={draft}
          onInput={(event) => setDraft((event.currentTarget as HTMLInputElement).value)}
        />
        {/* Made anew once the providers arrive, so that it shows the URL's provider. */}
        <select key={providers.length} aria-label="Provider" value={provider} onChange={(event) => navigate(withFilter('provider', (event.currentTarget as HTMLSelectElement).value))}>
          <option value="">Any provider</option>
          {providers.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </div>
      <p class="muted">
        USD per million tokens. Custom prices (<code>POST /api/public/models</code>) are matched first and apply to spans ingested
        after they are added. A tier applies when a request's input tokens exceed its threshold.
      </p>
    </>
  );
}

function ModelRow({ model }: { model: ModelView }) {
  const base = model.pricingTiers.find((tier) => tier.isDefault)?.prices ?? {};
  const tiers = model.pricingTiers.filter((tier) => !tier.isDefault);
  return (
    <tr data-model={model.modelName} data-provider={model.provider ?? undefined} class={model.source === 'custom' ? 'custom-model' : undefined}>
      <td class="nowrap">
        <strong>{model.modelName}</strong>
      </td>
      <td>
        <span class={`badge source-${model.source}`}>{SOURCE_LABELS[model.source]}</span>
        {model.provider !== null && <span class="muted"> {model.provider}</span>}
      </td>
      {PRICE_COLUMNS.map(([key]) => (
        <td key={key} class="num">
          {formatPricePerMillion(base[key])}
        </td>
      ))}
      <td class="tiers-cell">
        {tiers.map((tier) => (
          <div key={tier.id}>
            &gt; {formatCount(tier.conditions[0]?.value ?? 0)} input: {formatPricePerMillion(tier.prices.input)} /{' '}
            {formatPricePerMillion(tier.prices.output)}
          </div>
        ))}
      </td>
      <td>
        <code class="pattern">{model.matchPattern}</code>
      </td>
    </tr>
  );
}
