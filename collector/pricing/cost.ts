/**
 * The cost stage: find a model's price (price-index.ts: by name, the provider the span names and
 * the time it started), then price each usage bucket at its own rate. Pure functions; no I/O.
 */
import type { ModelPrice, TokenPrices } from '../../config/pricing.js';
import { USAGE_KEYS } from '../model.js';
import type { CostDetails, CostMissingReason, Observation, PricedUsageKey, UsageDetails } from '../model.js';
import type { PriceIndex, PriceLookup } from './price-index.js';

const NS_PER_MS = 1_000_000n;

export interface PricedObservation {
  cost: CostDetails | null;
  missingReason: CostMissingReason | null;
}

/** Costs are rounded to this many decimal places of USD, to drop float noise (0.1 + 0.2). */
const COST_DECIMALS = 12;
const COST_SCALE = 10 ** COST_DECIMALS;

/**
 * The cost of `usage` at `price`, in USD per bucket plus `total` (their sum). Buckets are
 * exclusive (see {@link UsageDetails}); each is priced at its own rate, falling back to the input
 * price for `cachedInput` and `cacheWrite` and to the output price for `reasoning`. When the
 * request's input (input + cachedInput + cacheWrite) is above a tier's threshold, the highest
 * such tier prices the whole request. Only buckets with a non-negative finite count are priced;
 * with none (e.g. a usage carrying only `total`) the result is `{}`, which
 * {@link priceObservation} reports as `no_usage`.
 */
export function computeCost(usage: UsageDetails, price: ModelPrice): CostDetails {
  const prices = pricesFor(usage, price);
  const cost: CostDetails = {};
  let total = 0;
  let priced = false;
  for (const key of USAGE_KEYS) {
    const units = usage[key];
    if (!isCount(units)) continue;
    const amount = units * rate(prices, key);
    cost[key] = roundUsd(amount);
    total += amount;
    priced = true;
  }
  if (priced) cost.total = roundUsd(total);
  return cost;
}

/**
 * Cost of one observation, or why it has none: `no_model` without a model name, `no_usage`
 * without any usage bucket (a bare `total` cannot be split into rates), `no_price_match` when no
 * price matches the model (for its provider, at its time).
 */
export function priceObservation(
  model: string | null,
  usage: UsageDetails,
  index: PriceIndex,
  lookup: PriceLookup = {},
): PricedObservation {
  if (model === null || model.trim() === '') return { cost: null, missingReason: 'no_model' };
  if (!USAGE_KEYS.some((key) => isCount(usage[key]))) return { cost: null, missingReason: 'no_usage' };
  const price = index.find(model, lookup);
  if (price === null) return { cost: null, missingReason: 'no_price_match' };
  return { cost: computeCost(usage, price), missingReason: null };
}

function pricesFor(usage: UsageDetails, price: ModelPrice): TokenPrices {
  const inputTokens = count(usage.input) + count(usage.cachedInput) + count(usage.cacheWrite);
  let prices = price.prices;
  for (const tier of price.tiers) {
    if (inputTokens > tier.whenInputTokensAbove) prices = tier.prices;
  }
  return prices;
}

function rate(prices: TokenPrices, key: PricedUsageKey): number {
  switch (key) {
    case 'input':
      return prices.input;
    case 'output':
      return prices.output;
    case 'cachedInput':
      return prices.cachedInput ?? prices.input;
    case 'cacheWrite':
      return prices.cacheWrite ?? prices.input;
    case 'reasoning':
      return prices.reasoning ?? prices.output;
  }
}

function isCount(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function count(value: number | undefined): number {
  return isCount(value) ? value : 0;
}

function roundUsd(amount: number): number {
  return Math.round(amount * COST_SCALE) / COST_SCALE;
}

/** Whether an observation is a model call, which has a cost or a reason it has none: a model named, or usage counted. */
export function isLlmCall(model: string | null, usage: UsageDetails): boolean {
  return model !== null || usage.total !== undefined;
}

/**
 * A cost the span reported wins; otherwise the price in force when the observation started, for
 * the provider it names, or a reason there is none.
 */
export function applyCost(observation: Observation, prices: PriceIndex): void {
  if (observation.reportedCost) {
    observation.cost = observation.reportedCost;
    return;
  }
  if (!isLlmCall(observation.model, observation.usage)) return;
  const { cost, missingReason } = priceObservation(observation.model, observation.usage, prices, {
    provider: observation.modelProvider,
    atMs: Number(observation.startTimeUnixNano / NS_PER_MS),
  });
  observation.cost = cost;
  observation.costMissingReason = missingReason;
}
