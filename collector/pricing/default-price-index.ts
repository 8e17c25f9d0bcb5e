/**
 * The price index without custom prices: a pricing file's prices (if any), then the installed
 * model catalog's. What the embedded exporter prices with, and what tests and benches compare
 * against; the collector builds the same through its price catalog (price-catalog.ts).
 */
import type { ModelPrice } from '../../config/pricing.js';
import { createCatalogMatcher } from './catalog-match.js';
import { loadModelCatalog } from './genai-prices.js';
import { createPriceIndex, latestStartFirst, type PriceIndex } from './price-index.js';

export async function loadDefaultPriceIndex(filePrices: readonly ModelPrice[] = []): Promise<PriceIndex> {
  return createPriceIndex(latestStartFirst(filePrices), createCatalogMatcher(await loadModelCatalog()));
}
