/**
 * Finds the catalog model for a span's model id and the provider the span names. Several
 * providers list models of the same name at different prices (gpt-4o at OpenAI, Azure and
 * OpenRouter; Claude at Anthropic, Bedrock and Vertex), so the provider decides. Tried in order,
 * the first hit wins:
 * 1. the provider the span names (provider-names.ts), with the id and the ids its shape gives;
 * 2. the providers the id's shape implies (model-id-shapes.ts: Bedrock, Vertex, OpenRouter, ...);
 * 3. the provider whose model rule claims the id (the catalog's own: `gpt-` is OpenAI's);
 * 4. every provider: first those with a model rule (the model makers' own APIs), then the rest
 *    (clouds, routers, hosts), each group in catalog order.
 * At one provider, as genai-prices does: its models in order, then the providers it falls back
 * to (Azure -> OpenAI, ...), then the same with a compact date in the id spelled with dashes
 * (`-20240806` -> `-2024-08-06`). Models whose rule names whole ids are found by a Map lookup
 * and only the others' patterns are tested, in catalog order: a model id never seen costs
 * about 220 pattern tests instead of 1,700 (bench:pricing).
 */
import type { CatalogModel, CatalogProvider, ModelCatalog } from './model-catalog.js';
import { readModelId } from './model-id-shapes.js';
import { catalogProviderNamed } from './provider-names.js';

export interface CatalogMatcher {
  /** The catalog model pricing `model` when served by `providerName` (null: none named), or null. */
  find(model: string, providerName: string | null): CatalogModel | null;
}

/** Distinct (provider, model) pairs remembered; the oldest is forgotten past this. */
const MAX_MEMOISED_LOOKUPS = 10_000;

/** A compact date inside an id (`-20240806`), as genai-prices rewrites it. */
const COMPACT_DATE = /-(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

/** One provider's models arranged for lookup, catalog order kept. */
interface ProviderModels {
  models: readonly CatalogModel[];
  /** Lower-cased whole id -> the position of the first model naming it. */
  byName: ReadonlyMap<string, number>;
  /** The models that need a pattern test, with their positions, in order. */
  patterned: ReadonlyArray<{ position: number; model: CatalogModel }>;
}

function arrange(provider: CatalogProvider): ProviderModels {
  const byName = new Map<string, number>();
  const patterned: Array<{ position: number; model: CatalogModel }> = [];
  provider.models.forEach((model, position) => {
    if (model.exactNames === null) patterned.push({ position, model });
    else for (const name of model.exactNames) if (!byName.has(name)) byName.set(name, position);
  });
  return { models: provider.models, byName, patterned };
}

/** The first model of `arranged` (in catalog order) matching `id`, or undefined. */
function firstMatch(arranged: ProviderModels, id: string): CatalogModel | undefined {
  const named = arranged.byName.get(id.toLowerCase()) ?? Infinity;
  for (const { position, model } of arranged.patterned) {
    if (position > named) break;
    if (model.pattern.test(id)) return model;
  }
  return named === Infinity ? undefined : arranged.models[named];
}

/** A matcher over `catalog`; lookups, misses included, are memoised per (provider, model). */
export function createCatalogMatcher(catalog: ModelCatalog): CatalogMatcher {
  const arranged = new Map(catalog.providers.map((provider) => [provider.id, arrange(provider)]));
  const lastResort = [
    ...catalog.providers.filter((provider) => provider.modelPattern !== null),
    ...catalog.providers.filter((provider) => provider.modelPattern === null),
  ];
  const memo = new Map<string, CatalogModel | null>();

  function modelAt(provider: CatalogProvider, id: string): CatalogModel | null {
    const found = modelAmong(provider, id);
    if (found !== null) return found;
    const dashed = id.replace(COMPACT_DATE, '-$1-$2-$3');
    return dashed === id ? null : modelAmong(provider, dashed);
  }

  function modelAmong(provider: CatalogProvider, id: string): CatalogModel | null {
    for (const providerId of [provider.id, ...provider.fallbackProviderIds]) {
      const models = arranged.get(providerId);
      const found = models === undefined ? undefined : firstMatch(models, id);
      if (found !== undefined) return found;
    }
    return null;
  }

  function lookUp(model: string, providerName: string | null): CatalogModel | null {
    const name = model.trim();
    const readings = readModelId(name);
    const ids = [...new Set([name, ...readings.map((reading) => reading.modelId)])];
    const named = providerName === null ? null : catalogProviderNamed(catalog, providerName);
    if (named !== null) {
      for (const id of ids) {
        const found = modelAt(named, id);
        if (found !== null) return found;
      }
    }
    for (const reading of readings) {
      const implied = reading.providerName === null ? null : catalogProviderNamed(catalog, reading.providerName);
      const found = implied === null ? null : modelAt(implied, reading.modelId);
      if (found !== null) return found;
    }
    for (const id of ids) {
      const claiming = catalog.providers.find((provider) => provider.modelPattern?.test(id) === true);
      const found = claiming === undefined ? null : modelAt(claiming, id);
      if (found !== null) return found;
    }
    for (const id of ids) {
      for (const provider of lastResort) {
        const found = modelAt(provider, id);
        if (found !== null) return found;
      }
    }
    return null;
  }

  return {
    find(model, providerName) {
      const key = `${providerName ?? ''}\u0000${model}`;
      const cached = memo.get(key);
      if (cached !== undefined) return cached;
      const found = lookUp(model, providerName);
      if (memo.size >= MAX_MEMOISED_LOOKUPS) {
        const oldest = memo.keys().next();
        if (oldest.done !== true) memo.delete(oldest.value);
      }
      memo.set(key, found);
      return found;
    },
  };
}
