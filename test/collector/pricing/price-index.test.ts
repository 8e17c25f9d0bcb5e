/**
 * The price index: user prices (custom, pricing file) before the model catalog's, the price in
 * force when an observation started (start dates, the catalog's daily windows), and names
 * matched as the catalog matches them.
 */
import { describe, expect, it } from 'vitest';
import { calcPrice, waitForUpdate } from '@pydantic/genai-prices';
import { appliesAt, createPriceIndex, latestStartFirst } from '../../../collector/pricing/price-index.js';
import { createCatalogMatcher } from '../../../collector/pricing/catalog-match.js';
import { loadModelCatalog } from '../../../collector/pricing/genai-prices.js';
import { userPrice } from '../../helpers/user-price.js';

const catalog = await loadModelCatalog();
const matcher = createCatalogMatcher(catalog);
const defaults = createPriceIndex([], matcher);

const JAN = Date.parse('2026-01-01T00:00:00Z');
const JUN = Date.parse('2026-06-01T00:00:00Z');


describe('user prices and the catalog', () => {
  it('tries user prices before the catalog', () => {
    const override = userPrice('cheap-4o', 'gpt-4o', { input: 1, output: 1 });
    const index = createPriceIndex([override], matcher);
    expect(index.find('gpt-4o')).toBe(override);
    expect(index.find('gpt-4o-mini')?.provider).toBe('openai');
  });

  it('prices from the catalog alone without user prices', () => {
    expect(defaults.find('gpt-4o-mini')).toMatchObject({ provider: 'openai', modelName: 'gpt-4o-mini', source: 'default' });
  });

  it('ignores surrounding whitespace', () => {
    expect(defaults.find(' gpt-4o \n')?.modelName).toBe('gpt-4o');
  });

  it('returns null for an unknown model, every time', () => {
    expect(defaults.find('acme-llm-9000')).toBeNull();
    expect(defaults.find('acme-llm-9000')).toBeNull();
  });

  it('keeps answering correctly after more distinct names than it memoises', () => {
    const index = createPriceIndex([userPrice('known', 'known-\\d+', { input: 1, output: 1 })]);
    for (let i = 0; i < 10_050; i += 1) expect(index.find(`known-${i}`)?.id).toBe('known');
    expect(index.find('known-0')?.id).toBe('known');
    expect(index.find('unknown')).toBeNull();
  });
});

describe('prices by date', () => {
  const undated = userPrice('acme-first', 'acme-9', { input: 1, output: 1 });
  const fromJanuary = userPrice('acme-january', 'acme-9', { input: 2, output: 2 }, JAN);
  const fromJune = userPrice('acme-june', 'acme-9', { input: 3, output: 3 }, JUN);
  const index = createPriceIndex(latestStartFirst([undated, fromJune, fromJanuary]));

  it('prices an observation with the price in force when it started', () => {
    expect(index.find('acme-9', { atMs: JAN - 1 })).toBe(undated);
    expect(index.find('acme-9', { atMs: JAN })).toBe(fromJanuary);
    expect(index.find('acme-9', { atMs: JUN - 1 })).toBe(fromJanuary);
    expect(index.find('acme-9', { atMs: JUN })).toBe(fromJune);
  });

  it('falls through to the catalog before a custom price starts', () => {
    const future = userPrice('future-4o', 'gpt-4o', { input: 1, output: 1 }, JUN);
    const withCatalog = createPriceIndex([future], matcher);
    expect(withCatalog.find('gpt-4o', { atMs: JAN })?.provider).toBe('openai');
    expect(withCatalog.find('gpt-4o', { atMs: JUN })).toBe(future);
  });

  it('applies a daily window within its hours, across midnight too', () => {
    const day = userPrice('day', 'x', { input: 1, output: 1 }, null, { start: '08:00:00Z', end: '20:00:00Z', startSecond: 8 * 3600, endSecond: 20 * 3600 });
    const night = userPrice('night', 'x', { input: 1, output: 1 }, null, { start: '20:00:00Z', end: '08:00:00Z', startSecond: 20 * 3600, endSecond: 8 * 3600 });
    const at = (time: string) => Date.parse(`2026-03-01T${time}Z`);
    expect([appliesAt(day, at('07:59:59')), appliesAt(day, at('08:00:00')), appliesAt(day, at('19:59:59')), appliesAt(day, at('20:00:00'))]).toEqual([false, true, true, false]);
    expect([appliesAt(night, at('07:59:59')), appliesAt(night, at('08:00:00')), appliesAt(night, at('20:00:00')), appliesAt(night, at('23:59:59'))]).toEqual([true, false, true, true]);
  });
});

describe('catalog match rules', () => {
  it('finds every catalog model by its own id at its own provider, as the catalog does', async () => {
    const providers = (await waitForUpdate()) ?? [];
    const disagreements: string[] = [];
    let compared = 0;
    for (const provider of providers) {
      for (const model of provider.models) {
        const expected = calcPrice({ input_tokens: 1000, output_tokens: 100 }, model.id, { providerId: provider.id });
        const found = matcher.find(model.id, provider.id);
        if (expected === null || found === null) continue;
        compared += 1;
        if (found.id !== expected.model.id) disagreements.push(`${provider.id} ${model.id}: ${found.id} (catalog: ${expected.model.id})`);
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(disagreements).toEqual([]);
  });

  it('finds dated and bare names', () => {
    expect(defaults.find('gpt-4o-mini-2024-07-18')?.modelName).toBe('gpt-4o-mini');
    expect(defaults.find('claude-3-5-sonnet-20241022')?.modelName).toBe('claude-3-5-sonnet');
    expect(defaults.find('gpt-4o')?.modelName).toBe('gpt-4o');
    expect(defaults.find('gpt-4o-mini')?.modelName).toBe('gpt-4o-mini');
  });
});
