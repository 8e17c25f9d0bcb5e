import { describe, expect, it } from 'vitest';
import { computeCost, createPriceIndex, priceObservation } from '../../collector/pricing/cost.js';
import type { ModelPrice, PriceTier, TokenPrices } from '../../config/pricing.js';
import { loadPricingTable } from '../../config/pricing.js';

const defaults = createPriceIndex(loadPricingTable());

function defaultPrice(model: string): ModelPrice {
  const price = defaults.find(model);
  if (price === null) throw new Error(`no default price for ${model}`);
  return price;
}

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
    source: options.source ?? 'default',
  };
}

describe('computeCost', () => {
  it('prices gpt-4o-mini 120 in / 40 out at the table price times the tokens', () => {
    const price = defaultPrice('gpt-4o-mini');
    expect(price.prices).toMatchObject({ input: 0.00000015, output: 0.0000006 });
    expect(computeCost({ input: 120, output: 40, total: 160 }, price)).toEqual({
      input: 0.000018,
      output: 0.000024,
      total: 0.000042,
    });
  });

  it('takes cached input and cache writes at their own rates', () => {
    const price = defaultPrice('claude-sonnet-4-5-20250929');
    const cost = computeCost({ input: 1000, cachedInput: 10_000, cacheWrite: 2000, output: 500 }, price);
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

  it('prices reasoning at its own rate when the table has one', () => {
    const price = modelPrice('thinker', { input: 0.000001, output: 0.000002, reasoning: 0.000005 });
    expect(computeCost({ output: 100, reasoning: 300 }, price)).toEqual({
      output: 0.0002,
      reasoning: 0.0015,
      total: 0.0017,
    });
  });

  it('prices reasoning at the output rate when the table has no reasoning price', () => {
    const price = defaultPrice('o3-mini');
    expect(computeCost({ input: 100, output: 100, reasoning: 1000 }, price)).toEqual({
      input: 0.00011,
      output: 0.00044,
      reasoning: 0.0044,
      total: 0.00495,
    });
  });

  it('keeps the base prices at exactly the tier threshold and switches the whole request just above it', () => {
    const price = defaultPrice('gemini-2.5-pro');
    expect(price.tiers.map((tier) => tier.whenInputTokensAbove)).toEqual([200_000]);
    expect(computeCost({ input: 200_000, output: 1000 }, price)).toEqual({ input: 0.25, output: 0.01, total: 0.26 });
    expect(computeCost({ input: 200_001, output: 1000 }, price)).toEqual({
      input: 0.5000025,
      output: 0.015,
      total: 0.5150025,
    });
  });

  it('counts cached input and cache writes toward the tier threshold', () => {
    const price = defaultPrice('claude-sonnet-4-20250514');
    const below = computeCost({ input: 100_000, cachedInput: 50_000, cacheWrite: 50_000, output: 1000 }, price);
    const above = computeCost({ input: 100_000, cachedInput: 50_000, cacheWrite: 50_001, output: 1000 }, price);
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
    expect(computeCost({ total: 500 }, defaultPrice('gpt-4o'))).toEqual({});
  });
});

describe('createPriceIndex', () => {
  it('finds prefixed and dated names', () => {
    expect(defaults.find('openai/gpt-4o-mini')?.modelName).toBe('gpt-4o-mini');
    expect(defaults.find('gpt-4o-mini-2024-07-18')?.modelName).toBe('gpt-4o-mini');
    expect(defaults.find('claude-3-5-sonnet-20241022')?.modelName).toBe('claude-3-5-sonnet');
    expect(defaults.find('anthropic.claude-3-5-sonnet-20241022-v2:0')?.modelName).toBe('claude-3-5-sonnet');
    expect(defaults.find('models/gemini-1.5-pro')?.modelName).toBe('gemini-1.5-pro');
    expect(defaults.find('gemini-2.5-pro-preview-05-06')?.modelName).toBe('gemini-2.5-pro');
  });

  it('keeps gpt-4o and gpt-4o-mini apart', () => {
    expect(defaults.find('gpt-4o')?.modelName).toBe('gpt-4o');
    expect(defaults.find('gpt-4o-mini')?.modelName).toBe('gpt-4o-mini');
  });

  it('ignores surrounding whitespace', () => {
    expect(defaults.find(' gpt-4o \n')?.modelName).toBe('gpt-4o');
  });

  it('returns null for an unknown model, every time', () => {
    expect(defaults.find('acme-llm-9000')).toBeNull();
    expect(defaults.find('acme-llm-9000')).toBeNull();
  });

  it('tries user entries before defaults whatever the order given', () => {
    const fallback = modelPrice('gpt-.*', { input: 1, output: 1 });
    const override = modelPrice('gpt-4o', { input: 2, output: 2 }, { source: 'user' });
    const index = createPriceIndex([fallback, override]);
    expect(index.find('gpt-4o')).toBe(override);
    expect(index.find('gpt-4')).toBe(fallback);
  });

  it('keeps answering correctly after more distinct names than it memoises', () => {
    const index = createPriceIndex([modelPrice('known-\\d+', { input: 1, output: 1 })]);
    for (let i = 0; i < 10_050; i += 1) expect(index.find(`known-${i}`)?.modelName).toBe('known-\\d+');
    expect(index.find('known-0')?.modelName).toBe('known-\\d+');
    expect(index.find('unknown')).toBeNull();
  });
});

describe('priceObservation', () => {
  it('prices a generation with a known model and usage', () => {
    expect(priceObservation('gpt-4o-mini', { input: 120, output: 40 }, defaults)).toEqual({
      cost: { input: 0.000018, output: 0.000024, total: 0.000042 },
      missingReason: null,
    });
  });

  it('reports no_model without a model name', () => {
    expect(priceObservation(null, { input: 1 }, defaults)).toEqual({ cost: null, missingReason: 'no_model' });
    expect(priceObservation('  ', { input: 1 }, defaults)).toEqual({ cost: null, missingReason: 'no_model' });
  });

  it('reports no_usage without usage buckets, even with a total', () => {
    expect(priceObservation('gpt-4o', {}, defaults)).toEqual({ cost: null, missingReason: 'no_usage' });
    expect(priceObservation('gpt-4o', { total: 100 }, defaults)).toEqual({ cost: null, missingReason: 'no_usage' });
  });

  it('reports no_price_match for an unknown model', () => {
    expect(priceObservation('acme-llm-9000', { input: 1, output: 1 }, defaults)).toEqual({
      cost: null,
      missingReason: 'no_price_match',
    });
  });

  it('prices zero tokens at zero', () => {
    expect(priceObservation('gpt-4o', { input: 0, output: 0 }, defaults)).toEqual({
      cost: { input: 0, output: 0, total: 0 },
      missingReason: null,
    });
  });
});
