/**
 * Prices from the model catalog: the cost spanlite's own cost stage computes over its exclusive
 * usage buckets equals what the catalog package (@pydantic/genai-prices) computes itself for the
 * same call, model by model across providers, with cache reads and writes, reasoning, tiers on
 * the input size, start-date history and time-of-day prices.
 */
import { describe, expect, it } from 'vitest';
import { calcPrice } from '@pydantic/genai-prices';
import { priceObservation } from '../../../collector/pricing/cost.js';
import { loadDefaultPriceIndex } from '../../../collector/pricing/default-price-index.js';
import type { UsageDetails } from '../../../collector/model.js';

const prices = await loadDefaultPriceIndex();

/** spanlite's exclusive buckets as genai-prices counts them: input and output include their parts. */
function catalogUsage(usage: UsageDetails): Record<string, number> {
  const cachedInput = usage.cachedInput ?? 0;
  const cacheWrite = usage.cacheWrite ?? 0;
  const reasoning = usage.reasoning ?? 0;
  return {
    input_tokens: (usage.input ?? 0) + cachedInput + cacheWrite,
    cache_read_tokens: cachedInput,
    cache_write_tokens: cacheWrite,
    output_tokens: (usage.output ?? 0) + reasoning,
    output_reasoning_tokens: reasoning,
  };
}

interface Call {
  model: string;
  /** The provider as the span names it (gen_ai.provider.name, ai.model.provider, ...). */
  spanProvider: string;
  /** The same provider as the catalog's id. */
  catalogProvider: string;
  usage: UsageDetails;
  at: string;
}

const SMALL: UsageDetails = { input: 1200, cachedInput: 800, cacheWrite: 300, output: 450, reasoning: 150 };
/** Above the 200k-token tier of long-context models. */
const LONG: UsageDetails = { input: 230_000, cachedInput: 12_000, cacheWrite: 4_000, output: 2_000, reasoning: 500 };
const AT = '2026-10-01T18:00:00Z';

const CALLS: Call[] = [
  { model: 'gpt-4o', spanProvider: 'openai', catalogProvider: 'openai', usage: SMALL, at: AT },
  { model: 'gpt-5', spanProvider: 'openai.responses', catalogProvider: 'openai', usage: SMALL, at: AT },
  { model: 'claude-sonnet-4-5-20250929', spanProvider: 'anthropic', catalogProvider: 'anthropic', usage: SMALL, at: AT },
  { model: 'claude-sonnet-4-5-20250929', spanProvider: 'anthropic.messages', catalogProvider: 'anthropic', usage: LONG, at: AT },
  { model: 'gemini-2.5-pro', spanProvider: 'gcp.gemini', catalogProvider: 'google', usage: SMALL, at: AT },
  { model: 'gemini-2.5-pro', spanProvider: 'google.generative-ai', catalogProvider: 'google', usage: LONG, at: AT },
  { model: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0', spanProvider: 'aws.bedrock', catalogProvider: 'aws', usage: SMALL, at: AT },
  { model: 'gpt-4o-mini', spanProvider: 'azure.ai.openai', catalogProvider: 'azure', usage: SMALL, at: AT },
  { model: 'meta-llama/llama-3.3-70b-instruct', spanProvider: 'openrouter', catalogProvider: 'openrouter', usage: SMALL, at: AT },
  { model: 'mistral-large-latest', spanProvider: 'mistral_ai', catalogProvider: 'mistral', usage: SMALL, at: AT },
  { model: 'grok-3', spanProvider: 'xai', catalogProvider: 'x-ai', usage: SMALL, at: AT },
  { model: 'llama-3.3-70b-versatile', spanProvider: 'groq', catalogProvider: 'groq', usage: SMALL, at: AT },
  { model: 'command-r-plus', spanProvider: 'cohere', catalogProvider: 'cohere', usage: SMALL, at: AT },
  { model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', spanProvider: 'togetherai.chat', catalogProvider: 'together', usage: SMALL, at: AT },
  { model: 'kimi-k2-0905-preview', spanProvider: 'moonshotai', catalogProvider: 'moonshotai', usage: SMALL, at: AT },
  // DeepSeek's standard price from 00:30 to 16:30 UTC, its discount the rest of the day.
  { model: 'deepseek-chat', spanProvider: 'deepseek', catalogProvider: 'deepseek', usage: SMALL, at: '2026-10-01T02:00:00Z' },
  { model: 'deepseek-chat', spanProvider: 'deepseek', catalogProvider: 'deepseek', usage: SMALL, at: '2026-10-01T20:00:00Z' },
  // o3's price was cut on 2025-06-10: the catalog keeps both.
  { model: 'o3', spanProvider: 'openai', catalogProvider: 'openai', usage: SMALL, at: '2025-05-01T12:00:00Z' },
  { model: 'o3', spanProvider: 'openai', catalogProvider: 'openai', usage: SMALL, at: '2025-07-01T12:00:00Z' },
];

describe('prices from the model catalog', () => {
  it('covers a dozen providers', () => {
    expect(new Set(CALLS.map((call) => call.catalogProvider)).size).toBeGreaterThanOrEqual(12);
  });

  it.each(CALLS)('prices $model from $spanProvider at $at as the catalog does', ({ model, spanProvider, catalogProvider, usage, at }) => {
    const atMs = Date.parse(at);
    const expected = calcPrice(catalogUsage(usage), model, { providerId: catalogProvider, timestamp: new Date(atMs) });
    if (expected === null) throw new Error(`the catalog has no price for ${catalogProvider} ${model}`);
    expect(prices.find(model, { provider: spanProvider, atMs })?.modelName).toBe(expected.model.id);
    const { cost, missingReason } = priceObservation(model, usage, prices, { provider: spanProvider, atMs });
    expect(missingReason).toBeNull();
    expect(cost?.total).toBeCloseTo(expected.total_price, 12);
    expect(cost?.total).toBeGreaterThan(0);
  });

  it('prices a long request at the tier above 200k input tokens, cache included', () => {
    const atMs = Date.parse(AT);
    const below = priceObservation('gemini-2.5-pro', { input: 150_000, cachedInput: 50_000, output: 1000 }, prices, { atMs });
    const above = priceObservation('gemini-2.5-pro', { input: 150_000, cachedInput: 50_001, output: 1000 }, prices, { atMs });
    const base = prices.find('gemini-2.5-pro', { atMs })!;
    expect(base.tiers.map((tier) => tier.whenInputTokensAbove)).toContain(200_000);
    expect(above.cost!.input! / 150_000).toBeGreaterThan(below.cost!.input! / 150_000);
  });

  it('keeps the price in force when an observation started: a span from before a price change keeps the old price', () => {
    const before = prices.find('o3', { provider: 'openai', atMs: Date.parse('2025-06-09T23:59:59Z') })!;
    const after = prices.find('o3', { provider: 'openai', atMs: Date.parse('2025-06-10T00:00:00Z') })!;
    expect(before.startDateMs).toBeNull();
    expect(after.startDateMs).toBe(Date.parse('2025-06-10T00:00:00Z'));
    expect(before.prices.input).toBeGreaterThan(after.prices.input);
  });
});
