/**
 * The price catalog: every model price the collector knows, and the price index the cost stage
 * uses. Three sources, matched in this order: custom models created through the API (stored in
 * the database, newest first), then the pricing file (SPANLITE_PRICING_FILE), then the shipped
 * defaults. When custom models change, the index is rebuilt; spans ingested from then on are
 * priced with it, spans stored before keep their cost.
 *
 * cost.ts stays pure: the catalog only chooses which entries `createPriceIndex` is built from,
 * and is itself a PriceIndex, so the pipeline takes it as it took the plain index.
 */
import type { ModelPrice } from '../config/pricing.js';
import { createPriceIndex, type PriceIndex } from './cost.js';
import type { CustomModelRecord, QueryStore } from './store/query-store.js';

export type PriceOrigin = 'custom' | 'file' | 'default';

export interface CatalogEntry {
  price: ModelPrice;
  origin: PriceOrigin;
  /** Custom models: when created; others: when the catalog was created. */
  createdAtMs: number;
}

export type CustomModelDeletion = 'deleted' | 'not_found' | 'not_custom';

export interface PriceCatalog extends PriceIndex {
  /** Custom entries (newest first), then the file's, then the defaults: the matching order. */
  list(projectId: string): Promise<CatalogEntry[]>;
  get(projectId: string, modelId: string): Promise<CatalogEntry | null>;
  /** Stores a custom model; it prices the project's spans ingested from now on. */
  createCustom(projectId: string, model: CustomModelRecord): Promise<CatalogEntry>;
  deleteCustom(projectId: string, modelId: string): Promise<CustomModelDeletion>;
}

export interface PriceCatalogOptions {
  /** The pricing table: file entries (source `user`) and defaults, as loadPricingTable gives it. */
  table: readonly ModelPrice[];
  store: Pick<QueryStore, 'listCustomModels' | 'insertCustomModel' | 'deleteCustomModel'>;
  /**
   * The project whose custom models price ingestion. The pipeline prices spans without asking
   * for their project; until projects exist there is one.
   */
  pricingProjectId: string;
  now?: () => number;
}

export async function createPriceCatalog(options: PriceCatalogOptions): Promise<PriceCatalog> {
  const { store, pricingProjectId, now = Date.now } = options;
  const loadedAtMs = now();
  const table: CatalogEntry[] = options.table.map((price) => ({
    price,
    origin: price.source === 'user' ? 'file' : 'default',
    createdAtMs: loadedAtMs,
  }));

  async function entries(projectId: string): Promise<CatalogEntry[]> {
    const custom = (await store.listCustomModels(projectId)).map(customEntry);
    return [...custom, ...table];
  }

  let index = createPriceIndex((await entries(pricingProjectId)).map((entry) => entry.price));
  async function rebuildIfPricing(projectId: string): Promise<void> {
    if (projectId !== pricingProjectId) return;
    index = createPriceIndex((await entries(projectId)).map((entry) => entry.price));
  }

  return {
    find: (model) => index.find(model),
    list: entries,
    async get(projectId, modelId) {
      return (await entries(projectId)).find((entry) => entry.price.id === modelId) ?? null;
    },
    async createCustom(projectId, model) {
      const entry = customEntry(model);
      await store.insertCustomModel(projectId, model);
      await rebuildIfPricing(projectId);
      return entry;
    },
    async deleteCustom(projectId, modelId) {
      if (await store.deleteCustomModel(projectId, modelId)) {
        await rebuildIfPricing(projectId);
        return 'deleted';
      }
      return table.some((entry) => entry.price.id === modelId) ? 'not_custom' : 'not_found';
    },
  };
}

/**
 * A match pattern as the pricing file's: a JavaScript regular expression matched
 * case-insensitively against the whole model name. Langfuse's patterns start with `(?i)`, which
 * JavaScript lacks and which matching always implies, so it is dropped. Throws a SyntaxError
 * for an invalid expression.
 */
export function compileMatchPattern(source: string): RegExp {
  return new RegExp(`^(?:${source.replace(/^\(\?i\)/, '')})$`, 'i');
}

function customEntry(model: CustomModelRecord): CatalogEntry {
  const price: ModelPrice = Object.freeze({
    id: model.id,
    modelName: model.modelName,
    matchPattern: model.matchPattern,
    pattern: compileMatchPattern(model.matchPattern),
    prices: model.prices,
    tiers: model.tiers,
    // Matched before the defaults, as pricing-file entries are; listed before those.
    source: 'user',
  });
  return { price, origin: 'custom', createdAtMs: model.createdAtMs };
}
