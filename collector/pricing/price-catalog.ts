/**
 * The price catalog: every model price the collector knows, and the price index the cost stage
 * uses. Three sources, matched in this order: custom models created through the API (stored in
 * the database), then the pricing file (SPANLITE_PRICING_FILE), then the model catalog package
 * (genai-prices.ts). When custom models change, the index is rebuilt; spans ingested from then on
 * are priced with it, spans stored before keep their cost.
 *
 * Custom models belong to the project that created them: each project gets its own index (its
 * custom models, then the shared ones), and ingestion prices a batch with its project's.
 *
 * pricing/price-index.ts stays pure: the catalog only chooses which prices an index is built
 * from, and is itself the pipeline's PriceIndexes.
 */
import type { ModelPrice } from '../../config/pricing.js';
import { createCatalogMatcher } from './catalog-match.js';
import { catalogPrices, type CatalogVersion, type ModelCatalog } from './model-catalog.js';
import { createPriceIndex, latestStartFirst, type PriceIndex, type PriceIndexes } from './price-index.js';
import type { CustomModelRecord, QueryStore } from '../store/contract.js';

export type PriceOrigin = 'custom' | 'file' | 'default';

export interface CatalogEntry {
  price: ModelPrice;
  origin: PriceOrigin;
  /** Custom models: when created; others: when the catalog was created. */
  createdAtMs: number;
}

export type CustomModelDeletion = 'deleted' | 'not_found' | 'not_custom';

/** Which entries a listing keeps: every condition given must hold. */
export interface PriceListFilter {
  /** Entries whose model name contains this, case aside. */
  modelName?: string;
  /** Entries of this model catalog provider (its id, exactly). */
  provider?: string;
}

export interface PriceCatalog extends PriceIndexes {
  /** The model catalog package whose prices are the defaults. */
  readonly catalogVersion: CatalogVersion;
  /** The model catalog's provider ids, in catalog order: the values a provider filter can take. */
  readonly providerIds: readonly string[];
  /** Custom entries (newest first), then the file's, then the model catalog's; those the filter keeps. */
  list(projectId: string, filter?: PriceListFilter): Promise<CatalogEntry[]>;
  get(projectId: string, modelId: string): Promise<CatalogEntry | null>;
  /** Stores a custom model; it prices the project's spans ingested from now on (no other project's). */
  createCustom(projectId: string, model: CustomModelRecord): Promise<CatalogEntry>;
  deleteCustom(projectId: string, modelId: string): Promise<CustomModelDeletion>;
}

export interface PriceCatalogOptions {
  /** The pricing file's entries (loadPricingFile), in file order; empty without one. */
  filePrices: readonly ModelPrice[];
  /** The model catalog (loadModelCatalog). */
  catalog: ModelCatalog;
  store: Pick<QueryStore, 'listCustomModels' | 'insertCustomModel' | 'deleteCustomModel'>;
  now?: () => number;
}

export async function createPriceCatalog(options: PriceCatalogOptions): Promise<PriceCatalog> {
  const { store, filePrices, now = Date.now } = options;
  const loadedAtMs = now();
  const shared: CatalogEntry[] = [
    ...filePrices.map((price): CatalogEntry => ({ price, origin: 'file', createdAtMs: loadedAtMs })),
    ...catalogPrices(options.catalog).map((price): CatalogEntry => ({ price, origin: 'default', createdAtMs: loadedAtMs })),
  ];
  const sharedIds = new Set(shared.map((entry) => entry.price.id));
  /** One matcher for every index, and its memo with it: the catalog is the same for all projects. */
  const matcher = createCatalogMatcher(options.catalog);
  /** Shared by every project without custom models, and its memo with it. */
  const fileOrder = latestStartFirst(filePrices);
  const sharedIndex = createPriceIndex(fileOrder, matcher);
  /**
   * Each project's index, built on its first span and rebuilt after its custom models change.
   * Projects are the keys' projects (and the open one), so the map stays small.
   */
  const indexes = new Map<string, Promise<PriceIndex>>();

  async function entries(projectId: string): Promise<CatalogEntry[]> {
    const custom = (await store.listCustomModels(projectId)).map(customEntry);
    return [...custom, ...shared];
  }

  async function buildIndex(projectId: string): Promise<PriceIndex> {
    const custom = await store.listCustomModels(projectId);
    if (custom.length === 0) return sharedIndex;
    // Custom prices before the file's, each group latest start first (custom ties: newest first).
    return createPriceIndex([...latestStartFirst(custom.map((model) => customEntry(model).price)), ...fileOrder], matcher);
  }

  return {
    catalogVersion: options.catalog.version,
    providerIds: Object.freeze(options.catalog.providers.map((provider) => provider.id)),
    indexFor(projectId) {
      let index = indexes.get(projectId);
      if (index === undefined) {
        index = buildIndex(projectId);
        indexes.set(projectId, index);
        // A failed read is not kept: the next export reads again.
        const built = index;
        built.catch(() => {
          if (indexes.get(projectId) === built) indexes.delete(projectId);
        });
      }
      return index;
    },
    async list(projectId, filter = {}) {
      return (await entries(projectId)).filter(keptBy(filter));
    },
    async get(projectId, modelId) {
      return (await entries(projectId)).find((entry) => entry.price.id === modelId) ?? null;
    },
    async createCustom(projectId, model) {
      const entry = customEntry(model);
      await store.insertCustomModel(projectId, model);
      indexes.delete(projectId);
      return entry;
    },
    async deleteCustom(projectId, modelId) {
      if (await store.deleteCustomModel(projectId, modelId)) {
        indexes.delete(projectId);
        return 'deleted';
      }
      return sharedIds.has(modelId) ? 'not_custom' : 'not_found';
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

function keptBy({ modelName, provider }: PriceListFilter): (entry: CatalogEntry) => boolean {
  const needle = modelName?.toLowerCase();
  return ({ price }) =>
    (needle === undefined || price.modelName.toLowerCase().includes(needle)) && (provider === undefined || price.provider === provider);
}

function customEntry(model: CustomModelRecord): CatalogEntry {
  const price: ModelPrice = Object.freeze({
    id: model.id,
    modelName: model.modelName,
    matchPattern: model.matchPattern,
    pattern: compileMatchPattern(model.matchPattern),
    prices: model.prices,
    tiers: model.tiers,
    startDateMs: model.startDateMs,
    dailyWindow: null,
    provider: null,
    // Matched before the catalog's, as pricing-file entries are; listed before those.
    source: 'user',
  });
  return { price, origin: 'custom', createdAtMs: model.createdAtMs };
}
