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
 * (`-20240806` -> `-2024-08-06`).
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

/** A matcher over `catalog`; lookups, misses included, are memoised per (provider, model). */
export function createCatalogMatcher(catalog: ModelCatalog): CatalogMatcher {
  const byId = new Map(catalog.providers.map((provider) => [provider.id, provider]));
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
    const own = provider.models.find((model) => model.pattern.test(id));
    if (own !== undefined) return own;
    for (const fallbackId of provider.fallbackProviderIds) {
      const fallback = byId.get(fallbackId)?.models.find((model) => model.pattern.test(id));
      if (fallback !== undefined) return fallback;
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
