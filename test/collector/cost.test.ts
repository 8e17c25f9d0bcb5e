/**
 * The cost stage's arithmetic over exclusive usage buckets: each bucket at its own rate, the
 * fallbacks, tiers on the request's input size, rounding, and why an observation has no cost.
 * Prices are written out here; prices from the model catalog are checked against the catalog's
 * own arithmetic in test/collector/pricing/catalog-arithmetic.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { computeCost, priceObservation } from '../../collector/pricing/cost.js';
import { createPriceIndex } from '../../collector/pricing/price-index.js';
import type { ModelPrice, PriceTier, TokenPrices } from '../../config/pricing.js';

/** gpt-4o-mini's, Claude Sonnet 4's (with its long-context tier) and Gemini 2.5 Pro's list prices. */
const MINI = modelPrice('gpt-4o-mini', { input: 0.00000015, output: 0.0000006, cachedInput: 0.000000075 });
const SONNET = modelPrice('claude-sonnet-4', { input: 0.000003, output: 0.000015, cachedInput: 0.0000003, cacheWrite: 0.00000375 }, {
  tiers: [{ name: 'long context', whenInputTokensAbove: 200_000, prices: { input: 0.000006, output: 0.0000225, cachedInput: 0.0000006, cacheWrite: 0.0000075 } }],
});
const GEMINI_PRO = modelPrice('gemini-2.5-pro', { input: 0.00000125, output: 0.00001 }, {
  tiers: [{ name: 'long context', whenInputTokensAbove: 200_000, prices: { input: 0.0000025, output: 0.000015 } }],
});
const O3_MINI = modelPrice('o3-mini', { input: 0.0000011, output: 0.0000044 });
const prices = createPriceIndex([MINI, SONNET, GEMINI_PRO, O3_MINI]);

function modelPrice(
  modelName: string,
  prices: TokenPrices,
  options: { tiers?: PriceTier[]; source?: ModelPrice['source'] } = {},
): ModelPrice {
  return {
    id: modelName,
    modelName,
    matchPattern: modelName,
    pattern: new RegExp(`^(?:${modelName})$`, 'i'),
    prices,
    tiers: options.tiers ?? [],
    startDateMs: null,
    dailyWindow: null,
    provider: null,
    source: options.source ?? 'default',
  };
}

describe('computeCost', () => {
  it('prices gpt-4o-mini 120 in / 40 out at the price times the tokens', () => {
    expect(computeCost({ input: 120, output: 40, total: 160 }, MINI)).toEqual({
      input: 0.000018,
      output: 0.000024,
      total: 0.000042,
    });
  });

  it('takes cached input and cache writes at their own rates', () => {
    const cost = computeCost({ input: 1000, cachedInput: 10_000, cacheWrite: 2000, output: 500 }, SONNET);
    expect(cost).toEqual({
      input: 0.003,
      cachedInput: 0.003,
      cacheWrite: 0.0075,
      output: 0.0075,
      total: 0.021,
    });
  });

  it('falls back to the input price for cached input and cache writes without their own price', () => {
    const price = modelPrice('plain', { input: 0.000001, output: 0.000002 });
    expect(computeCost({ input: 10, cachedInput: 20, cacheWrite: 30 }, price)).toEqual({
      input: 0.00001,
      cachedInput: 0.00002,
      cacheWrite: 0.00003,
      total: 0.00006,
    });
  });

  it('prices reasoning at its own rate when the model has one', () => {
    const price = modelPrice('thinker', { input: 0.000001, output: 0.000002, reasoning: 0.000005 });
    expect(computeCost({ output: 100, reasoning: 300 }, price)).toEqual({
      output: 0.0002,
      reasoning: 0.0015,
      total: 0.0017,
    });
  });

  it('prices reasoning at the output rate when the model has no reasoning price', () => {
    expect(computeCost({ input: 100, output: 100, reasoning: 1000 }, O3_MINI)).toEqual({
      input: 0.00011,
      output: 0.00044,
      reasoning: 0.0044,
      total: 0.00495,
    });
  });

  it('keeps the base prices at exactly the tier threshold and switches the whole request just above it', () => {
    expect(computeCost({ input: 200_000, output: 1000 }, GEMINI_PRO)).toEqual({ input: 0.25, output: 0.01, total: 0.26 });
    expect(computeCost({ input: 200_001, output: 1000 }, GEMINI_PRO)).toEqual({
      input: 0.5000025,
      output: 0.015,
      total: 0.5150025,
    });
  });

  it('counts cached input and cache writes toward the tier threshold', () => {
    const below = computeCost({ input: 100_000, cachedInput: 50_000, cacheWrite: 50_000, output: 1000 }, SONNET);
    const above = computeCost({ input: 100_000, cachedInput: 50_000, cacheWrite: 50_001, output: 1000 }, SONNET);
    expect(below).toEqual({ input: 0.3, cachedInput: 0.015, cacheWrite: 0.1875, output: 0.015, total: 0.5175 });
    expect(above).toEqual({
      input: 0.6,
      cachedInput: 0.03,
      cacheWrite: 0.3750075,
      output: 0.0225,
      total: 1.0275075,
    });
  });

  it('uses the highest tier whose threshold the request exceeds', () => {
    const price = modelPrice('stepped', { input: 1, output: 1 }, {
      tiers: [
        { name: 'big', whenInputTokensAbove: 10, prices: { input: 2, output: 2 } },
        { name: 'huge', whenInputTokensAbove: 100, prices: { input: 3, output: 3 } },
      ],
    });
    expect(computeCost({ input: 10 }, price).total).toBe(10);
    expect(computeCost({ input: 11 }, price).total).toBe(22);
    expect(computeCost({ input: 101 }, price).total).toBe(303);
  });

  it('rounds away float noise', () => {
    const price = modelPrice('noisy', { input: 0.1, output: 0.2 });
    expect(computeCost({ input: 1, output: 1 }, price)).toEqual({ input: 0.1, output: 0.2, total: 0.3 });
    expect(computeCost({ input: 3 }, price).input).toBe(0.3);
  });

  it('returns no buckets for a usage carrying only a total', () => {
    expect(computeCost({ total: 500 }, MINI)).toEqual({});
  });
});

describe('priceObservation', () => {
  it('prices a generation with a known model and usage', () => {
    expect(priceObservation('gpt-4o-mini', { input: 120, output: 40 }, prices)).toEqual({
      cost: { input: 0.000018, output: 0.000024, total: 0.000042 },
      missingReason: null,
    });
  });

  it('reports no_model without a model name', () => {
    expect(priceObservation(null, { input: 1 }, prices)).toEqual({ cost: null, missingReason: 'no_model' });
    expect(priceObservation('  ', { input: 1 }, prices)).toEqual({ cost: null, missingReason: 'no_model' });
  });

  it('reports no_usage without usage buckets, even with a total', () => {
    expect(priceObservation('gpt-4o-mini', {}, prices)).toEqual({ cost: null, missingReason: 'no_usage' });
    expect(priceObservation('gpt-4o-mini', { total: 100 }, prices)).toEqual({ cost: null, missingReason: 'no_usage' });
  });

  it('reports no_price_match for an unknown model', () => {
    expect(priceObservation('acme-llm-9000', { input: 1, output: 1 }, prices)).toEqual({
      cost: null,
      missingReason: 'no_price_match',
    });
  });

  it('prices zero tokens at zero', () => {
    expect(priceObservation('gpt-4o-mini', { input: 0, output: 0 }, prices)).toEqual({
      cost: { input: 0, output: 0, total: 0 },
      missingReason: null,
    });
  });
});
