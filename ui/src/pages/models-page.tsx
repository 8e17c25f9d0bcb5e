/**
 * /models: the price table, in matching order: custom prices (added through the API, marked),
 * then the pricing file's, then the model catalog's (with their provider). USD per million tokens.
 */
import type { ModelView, Page } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { formatCount, formatPricePerMillion } from '../format.js';
import { href, navigate, useLocation } from '../router.js';
import { DataTable } from '../components/data-table.js';
import { Loaded } from '../components/loaded.js';

const SOURCE_LABELS: Record<ModelView['source'], string> = { custom: 'custom', file: 'pricing file', default: 'built-in' };
const PRICE_COLUMNS: Array<[string, string]> = [
  ['input', 'Input'],
  ['output', 'Output'],
  ['cachedInput', 'Cached input'],
  ['cacheWrite', 'Cache write'],
  ['reasoning', 'Reasoning'],
];

export function ModelsPage() {
  const { search } = useLocation();
  const filter = search.get('q') ?? '';
  const state = useApi<Page<ModelView>>('/api/public/models', { limit: 1000 });
  const { data } = state;
  const models = (data?.data ?? []).filter((model) => filter === '' || model.modelName.toLowerCase().includes(filter.toLowerCase()));
  const custom = (data?.data ?? []).filter((model) => model.source === 'custom').length;
  return (
    <div>
      <div class="page-head">
        <h1>Models</h1>
        {data !== undefined && (
          <span class="muted count">
            {formatCount(data.meta.totalItems)} prices{custom > 0 ? `, ${custom} custom` : ''}
          </span>
        )}
        <div class="spacer" />
        <input
          type="search"
          aria-label="Filter models"
          placeholder="Filter models"
          value={filter}
          onInput={(event) => {
            const value = (event.currentTarget as HTMLInputElement).value;
            navigate(href('/models', new URLSearchParams(value === '' ? {} : { q: value })), { replace: true });
          }}
        />
      </div>
      <p class="muted">
        USD per million tokens. Custom prices (<code>POST /api/public/models</code>) are matched first and apply to spans ingested
        after they are added. A tier applies when a request's input tokens exceed its threshold.
      </p>
      <Loaded state={state} errorTitle="Could not list model prices" loadingLabel="Loading prices…">
        {() => (
          <DataTable
            class="models-table"
            head={
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
          >
            {models.map((model) => (
              <ModelRow key={model.id} model={model} />
            ))}
          </DataTable>
        )}
      </Loaded>
    </div>
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
