/**
 * The price index the cost stage asks: which price applies to this model, served by this
 * provider, at this time. User prices (custom ones from the API, the pricing file's) are tried
 * before the catalog's; a price applies from its start date on (and, for the catalog's peak and
 * off-peak prices, within its daily window). Pure: the time is the observation's start, given by
 * the caller.
 */
import type { ModelPrice } from '../../config/pricing.js';
import type { CatalogMatcher } from './catalog-match.js';

/** What a price is looked up for, besides the model name. */
export interface PriceLookup {
  /** The provider the span names (`gen_ai.provider.name`, ...); null or absent: none. */
  provider?: string | null;
  /** When the observation started, unix milliseconds. Default: now. */
  atMs?: number;
}

/** Looks up the price in force for a model. */
export interface PriceIndex {
  /** The price that applies, or null when none matches. */
  find(model: string, lookup?: PriceLookup): ModelPrice | null;
}

/**
 * One price index per project: a project's custom models are matched before the shared table,
 * and never for another project's spans. The collector's price catalog is one; a single index
 * for every project is `{ indexFor: () => index }`.
 */
export interface PriceIndexes {
  indexFor(projectId: string): PriceIndex | Promise<PriceIndex>;
}

/** Distinct (provider, model) pairs remembered by an index; the oldest is forgotten past this. */
const MAX_MEMOISED_MODELS = 10_000;
const MS_PER_DAY = 86_400_000;

/**
 * An index over `userPrices`, then `catalog`. User prices are tried in the given order (see
 * {@link latestStartFirst}); the first whose pattern matches the whole (trimmed) name and which
 * applies at the time wins. Then the catalog model the matcher finds for the name and provider:
 * of its prices, the last in catalog order that applies, else its first. The candidates for a
 * (provider, model) pair are memoised, so the per-span cost is one Map lookup and a comparison
 * or two.
 */
export function createPriceIndex(userPrices: readonly ModelPrice[], catalog: CatalogMatcher | null = null): PriceIndex {
  const ordered = [...userPrices];
  const memo = new Map<string, readonly ModelPrice[]>();

  function candidates(model: string, provider: string | null): readonly ModelPrice[] {
    const name = model.trim();
    const user = ordered.filter((price) => price.pattern.test(name));
    const catalogModel = catalog?.find(name, provider) ?? null;
    // Latest-listed first: the catalog's later prices override its first while they apply.
    const fromCatalog = catalogModel === null ? [] : [...catalogModel.prices].reverse();
    return [...user, ...fromCatalog];
  }

  return {
    find(model, lookup = {}) {
      const provider = lookup.provider ?? null;
      const key = `${provider ?? ''}\u0000${model}`;
      let found = memo.get(key);
      if (found === undefined) {
        found = candidates(model, provider);
        if (memo.size >= MAX_MEMOISED_MODELS) {
          const oldest = memo.keys().next();
          if (oldest.done !== true) memo.delete(oldest.value);
        }
        memo.set(key, found);
      }
      const atMs = lookup.atMs ?? Date.now();
      for (const price of found) if (appliesAt(price, atMs)) return price;
      return null;
    },
  };
}

/**
 * `prices` in the order an index should try them: the latest start date first, undated ones
 * last, the given order otherwise. A later price for a model then wins from its start date on,
 * and an earlier one still prices the spans that started before.
 */
export function latestStartFirst(prices: readonly ModelPrice[]): ModelPrice[] {
  return prices
    .map((price, index) => ({ price, index }))
    .sort((a, b) => (b.price.startDateMs ?? -Infinity) - (a.price.startDateMs ?? -Infinity) || a.index - b.index)
    .map(({ price }) => price);
}

/** True when `price` is in force at `atMs`: on or after its start date, within its daily window. */
export function appliesAt(price: ModelPrice, atMs: number): boolean {
  if (price.startDateMs !== null && atMs < price.startDateMs) return false;
  const window = price.dailyWindow;
  if (window === null) return true;
  const second = (((atMs % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 1000;
  // A window that wraps past midnight (22:00 to 06:00) holds the times outside the one it skips.
  return window.endSecond < window.startSecond
    ? second >= window.startSecond || second < window.endSecond
    : second >= window.startSecond && second < window.endSecond;
}
