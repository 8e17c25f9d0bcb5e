/**
 * Model prices through the API: the model catalog's and the pricing file's listed (with the
 * catalog's version), filtered by model name and provider and paged on the server, custom models created and deleted, and their prices used for spans
 * ingested afterwards (over OTLP) from their start date on, never for spans stored before; the
 * provider a span names picks among the catalog's models of the same name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonBody, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { sendTraces } from './trace-builder.js';
import { calcPrice } from '@pydantic/genai-prices';
import { loadModelCatalog } from '../../collector/pricing/genai-prices.js';
import { catalogPrices } from '../../collector/pricing/model-catalog.js';
import { loadDefaultPriceIndex } from '../../collector/pricing/default-price-index.js';

const T0 = Date.UTC(2025, 7, 1, 12, 0, 0);
const catalog = await loadModelCatalog();
const gpt4oMiniDefault = (await loadDefaultPriceIndex()).find('gpt-4o-mini', { atMs: T0 })!;

let collector: TestCollector;
let dir: string;

async function request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(collector.url + path, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: response.status === 204 ? null : await jsonBody(response) };
}

/** Ingests one generation on `model`, started at `startMs` (default T0), and returns its stored cost. */
async function costOf(model: string, inputTokens: number, outputTokens: number, startMs = T0, provider?: string): Promise<number | null> {
  const generation = { model, inputTokens, outputTokens, ...(provider === undefined ? {} : { provider }) };
  const [id] = await sendTraces(collector.tracesEndpoint, [{ name: 'priced', startMs, generations: [generation] }]);
  return (await collector.getJson(`/api/public/traces/${id}`)).totalCost;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-models-'));
  const pricingFile = join(dir, 'prices.json');
  writeFileSync(
    pricingFile,
    JSON.stringify({ models: [{ id: 'file-model', modelName: 'file-model', matchPattern: 'file-model', prices: { input: 0.000003, output: 0.000004 } }] }),
  );
  collector = await startTestCollector({ pricingFile });
});
afterAll(async () => {
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('listing prices', () => {
  it('lists the pricing file, then the model catalog, naming the catalog and its version', async () => {
    const page = await collector.getJson('/api/public/models?limit=1000');
    expect(page.meta.totalItems).toBe(catalogPrices(catalog).length + 1);
    expect(page.catalog).toEqual({
      package: '@pydantic/genai-prices',
      version: catalog.version.version,
      providers: catalog.providers.map((provider) => provider.id),
    });
    expect(page.data[0]).toMatchObject({ id: 'file-model', source: 'file', isLangfuseManaged: true, inputPrice: 0.000003, provider: null });
  });

  it('shows a catalog price in the Langfuse Model shape, with its provider', async () => {
    const mini = await collector.getJson(`/api/public/models/${encodeURIComponent(gpt4oMiniDefault.id)}`);
    expect(mini).toMatchObject({
      modelName: gpt4oMiniDefault.modelName,
      matchPattern: gpt4oMiniDefault.matchPattern,
      unit: 'TOKENS',
      inputPrice: gpt4oMiniDefault.prices.input,
      outputPrice: gpt4oMiniDefault.prices.output,
      prices: { input: { price: gpt4oMiniDefault.prices.input }, output: { price: gpt4oMiniDefault.prices.output } },
      pricingTiers: [expect.objectContaining({ isDefault: true, priority: 0, conditions: [] })],
      source: 'default',
      provider: 'openai',
      startDate: null,
    });
  });

  it('shows the catalog\'s price history: each dated price with its start date', async () => {
    const dated = catalogPrices(catalog).find((price) => price.startDateMs !== null)!;
    const view = await collector.getJson(`/api/public/models/${encodeURIComponent(dated.id)}`);
    expect(view).toMatchObject({ modelName: dated.modelName, startDate: new Date(dated.startDateMs!).toISOString(), source: 'default' });
  });

  it('pages the list and gets one price by id, or 404', async () => {
    const page = await collector.getJson('/api/public/models?limit=2&page=2');
    expect(page.data).toHaveLength(2);
    expect((await collector.getJson('/api/public/models/file-model')).source).toBe('file');
    expect((await request('GET', '/api/public/models/no-such-model')).status).toBe(404);
    const routed = catalogPrices(catalog).find((price) => price.id.includes('/'))!;
    expect((await collector.getJson(`/api/public/models/${encodeURIComponent(routed.id)}`)).id).toBe(routed.id);
  });
});

describe('filtering prices', () => {
  const prices = catalogPrices(catalog);
  /** A catalog price far down the list: beyond the first 1,000 entries. */
  const deep = prices[1200]!;
  const containing = (text: string) => prices.filter((price) => price.modelName.toLowerCase().includes(text.toLowerCase()));

  it('finds prices whose model name contains the filter, case aside, counting every match', async () => {
    const filter = deep.modelName.toUpperCase();
    const page = await collector.getJson(`/api/public/models?modelName=${encodeURIComponent(filter)}&limit=1000`);
    expect(page.meta).toEqual({ page: 1, limit: 1000, totalItems: containing(filter).length, totalPages: 1 });
    expect(page.data.map((model: { id: string }) => model.id)).toEqual(containing(filter).map((price) => price.id));
    expect(page.data.map((model: { id: string }) => model.id)).toContain(deep.id);
  });

  it('pages through the matches, counting them all', async () => {
    const matches = containing('gpt');
    expect(matches.length).toBeGreaterThan(20);
    const second = await collector.getJson('/api/public/models?modelName=gpt&limit=10&page=2');
    expect(second.meta).toEqual({ page: 2, limit: 10, totalItems: matches.length, totalPages: Math.ceil(matches.length / 10) });
    expect(second.data.map((model: { id: string }) => model.id)).toEqual(matches.slice(10, 20).map((price) => price.id));
  });

  it('keeps one provider\'s prices, and both filters together', async () => {
    const openrouter = prices.filter((price) => price.provider === 'openrouter');
    const page = await collector.getJson('/api/public/models?provider=openrouter&limit=1000');
    expect(page.meta.totalItems).toBe(openrouter.length);
    expect(page.data.every((model: { provider: string }) => model.provider === 'openrouter')).toBe(true);
    const both = await collector.getJson('/api/public/models?provider=openai&modelName=4o-mini&limit=1000');
    const expected = prices.filter((price) => price.provider === 'openai' && price.modelName.toLowerCase().includes('4o-mini'));
    expect(both.data.map((model: { id: string }) => model.id)).toEqual(expected.map((price) => price.id));
    expect(both.data.map((model: { id: string }) => model.id)).toContain(gpt4oMiniDefault.id);
  });

  it('lists the pricing file\'s prices by name, and everything for an empty filter', async () => {
    expect((await collector.getJson('/api/public/models?modelName=FILE-MODEL')).data.map((model: { id: string }) => model.id)).toEqual(['file-model']);
    expect((await collector.getJson('/api/public/models?modelName=')).meta.totalItems).toBe(prices.length + 1);
  });

  it('answers an empty page when nothing matches', async () => {
    const page = await collector.getJson('/api/public/models?modelName=no-model-is-called-this');
    expect(page).toMatchObject({ data: [], meta: { page: 1, limit: 50, totalItems: 0, totalPages: 0 } });
  });

  it.each([
    ['provider=OpenAI', `provider: expected one of ${catalog.providers.map((provider) => provider.id).join(', ')} (got "OpenAI")`],
    ['provider=openai&provider=anthropic', 'provider: expected a single value (got ["openai","anthropic"])'],
    ['modelName=gpt&page=0', 'page: expected an integer 1-1000000 (got "0")'],
  ])('refuses %s, naming the parameter', async (query, message) => {
    expect(await request('GET', `/api/public/models?${query}`)).toEqual({ status: 400, body: { error: 'invalid_parameter', message } });
  });

  it('refuses a model name filter longer than a model name may be', async () => {
    expect(await request('GET', `/api/public/models?modelName=${'x'.repeat(257)}`)).toEqual({
      status: 400,
      body: { error: 'invalid_parameter', message: `modelName: expected a string of at most 256 characters (got "${'x'.repeat(116)}...)` },
    });
  });
});

describe('custom prices', () => {
  let acmeId: string;

  it('prices nothing for an unknown model until a custom price exists', async () => {
    expect(await costOf('acme-7b', 1000, 100)).toBeNull();
  });

  it('creates a custom price, listed first', async () => {
    const created = await request('POST', '/api/public/models', {
      modelName: 'acme-7b',
      matchPattern: '(?i)^(acme/)?acme-7b$',
      unit: 'TOKENS',
      inputPrice: 0.000001,
      outputPrice: 0.000002,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      modelName: 'acme-7b',
      source: 'custom',
      isLangfuseManaged: false,
      inputPrice: 0.000001,
      outputPrice: 0.000002,
      startDate: null,
      totalPrice: null,
    });
    acmeId = created.body.id;
    expect((await collector.getJson('/api/public/models')).data[0].id).toBe(acmeId);
  });

  it('uses it for spans ingested afterwards', async () => {
    expect(await costOf('acme-7b', 1000, 100)).toBeCloseTo(1000 * 0.000001 + 100 * 0.000002, 12);
    expect(await costOf('ACME/acme-7b', 1000, 0)).toBeCloseTo(0.001, 12);
  });

  it('overrides a default for new spans and leaves stored costs as they were', async () => {
    const before = await costOf('gpt-4o-mini', 1000, 1000);
    expect(before).toBeCloseTo(1000 * gpt4oMiniDefault.prices.input + 1000 * gpt4oMiniDefault.prices.output, 12);
    const [storedBefore] = await sendTraces(collector.tracesEndpoint, [
      { name: 'before', startMs: T0, generations: [{ model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 0 }] },
    ]);
    const override = await request('POST', '/api/public/models', { modelName: 'gpt-4o-mini', matchPattern: 'gpt-4o-mini', inputPrice: 0.5, outputPrice: 0 });
    expect(await costOf('gpt-4o-mini', 2, 0)).toBe(1);
    expect((await collector.getJson(`/api/public/traces/${storedBefore}`)).totalCost).toBeCloseTo(10 * gpt4oMiniDefault.prices.input, 12);
    expect((await request('DELETE', `/api/public/models/${override.body.id}`)).status).toBe(204);
    expect(await costOf('gpt-4o-mini', 1000, 1000)).toBeCloseTo(before!, 12);
  });

  it('prices a span with the custom price in force when it started', async () => {
    const post = (startDate: string | null, inputPrice: number) =>
      request('POST', '/api/public/models', { modelName: 'acme-dated', matchPattern: 'acme-dated', startDate, inputPrice, outputPrice: 0 });
    const january = await post('2025-01-01', 0.000001);
    const june = await post('2025-06-01T00:00:00Z', 0.000002);
    expect(january.body.startDate).toBe('2025-01-01T00:00:00.000Z');
    expect(june.body.startDate).toBe('2025-06-01T00:00:00.000Z');
    expect(await costOf('acme-dated', 1000, 0, Date.UTC(2024, 11, 31, 23, 59))).toBeNull();
    expect(await costOf('acme-dated', 1000, 0, Date.UTC(2025, 2, 1))).toBeCloseTo(0.001, 12);
    expect(await costOf('acme-dated', 1000, 0, Date.UTC(2025, 5, 1))).toBeCloseTo(0.002, 12);
  });

  it('keeps an old span at its old price after a price change, sent late or not', async () => {
    const [early] = await sendTraces(collector.tracesEndpoint, [
      { name: 'early', startMs: Date.UTC(2025, 2, 1), generations: [{ model: 'acme-changed', inputTokens: 1000, outputTokens: 0 }] },
    ]);
    await request('POST', '/api/public/models', { modelName: 'acme-changed', matchPattern: 'acme-changed', startDate: '2025-01-01', inputPrice: 0.000001, outputPrice: 0 });
    const [sentBefore] = await sendTraces(collector.tracesEndpoint, [
      { name: 'before', startMs: Date.UTC(2025, 2, 1), generations: [{ model: 'acme-changed', inputTokens: 1000, outputTokens: 0 }] },
    ]);
    await request('POST', '/api/public/models', { modelName: 'acme-changed', matchPattern: 'acme-changed', startDate: '2025-06-01', inputPrice: 0.000005, outputPrice: 0 });
    expect((await collector.getJson(`/api/public/traces/${early}`)).totalCost).toBeNull();
    expect((await collector.getJson(`/api/public/traces/${sentBefore}`)).totalCost).toBeCloseTo(0.001, 12);
    expect(await costOf('acme-changed', 1000, 0, Date.UTC(2025, 3, 1))).toBeCloseTo(0.001, 12);
    expect(await costOf('acme-changed', 1000, 0, Date.UTC(2025, 6, 1))).toBeCloseTo(0.005, 12);
  });

  it('prices with pricing tiers on the input size', async () => {
    const created = await request('POST', '/api/public/models', {
      modelName: 'tiered-1',
      matchPattern: 'tiered-1',
      unit: 'TOKENS',
      pricingTiers: [
        { name: 'Standard', isDefault: true, priority: 0, conditions: [], prices: { input: 0.000001, output: 0.000002, cachedInput: 0.0000005 } },
        {
          name: 'Long context',
          priority: 1,
          conditions: [{ usageDetailPattern: 'input', operator: 'gt', value: 1000 }],
          prices: { input: 0.00001, output: 0.00002 },
        },
      ],
    });
    expect(created.status).toBe(200);
    expect(created.body.pricingTiers).toEqual([
      { id: `${created.body.id}-default`, name: 'Standard', isDefault: true, priority: 0, conditions: [], prices: { input: 0.000001, output: 0.000002, cachedInput: 0.0000005 } },
      {
        id: `${created.body.id}-tier-1000`,
        name: 'Long context',
        isDefault: false,
        priority: 1,
        conditions: [{ usageDetailPattern: '^(input|cachedInput|cacheWrite)$', operator: 'gt', value: 1000, caseSensitive: false }],
        prices: { input: 0.00001, output: 0.00002 },
      },
    ]);
    expect(await costOf('tiered-1', 1000, 10)).toBeCloseTo(1000 * 0.000001 + 10 * 0.000002, 12);
    expect(await costOf('tiered-1', 2000, 10)).toBeCloseTo(2000 * 0.00001 + 10 * 0.00002, 12);
  });

  it('deletes a custom price: new spans are unpriced again', async () => {
    expect((await request('DELETE', `/api/public/models/${acmeId}`)).status).toBe(204);
    expect((await request('DELETE', `/api/public/models/${acmeId}`)).status).toBe(404);
    expect(await costOf('acme-7b', 1000, 100)).toBeNull();
  });

  it('refuses to delete a built-in price, naming the id', async () => {
    expect(await request('DELETE', `/api/public/models/${gpt4oMiniDefault.id}`)).toEqual({
      status: 400,
      body: {
        error: 'invalid_parameter',
        message: `id: expected the id of a custom model (built-in prices are overridden by creating one) (got "${gpt4oMiniDefault.id}")`,
      },
    });
  });
});

describe('refusing bad prices', () => {
  const valid = { modelName: 'm', matchPattern: 'm', unit: 'TOKENS', inputPrice: 0.000001, outputPrice: 0.000001 };
  const tier = (overrides: object) => ({ name: 't', priority: 1, conditions: [{ usageDetailPattern: 'input', operator: 'gt', value: 10 }], prices: { input: 1 }, ...overrides });
  const standard = { name: 'Standard', isDefault: true, priority: 0, conditions: [], prices: { input: 1, output: 1 } };

  it.each([
    [{ ...valid, matchPattern: 'gpt-(4' }, 'matchPattern: expected a JavaScript regular expression (got "gpt-(4": Invalid regular expression: /^(?:gpt-(4)$/i: Unterminated group)'],
    [{ ...valid, modelName: '' }, 'modelName: expected a string of 1-256 characters (got "")'],
    [{ ...valid, unit: 'CHARACTERS' }, 'unit: expected one of TOKENS (got "CHARACTERS")'],
    [{ ...valid, inputPrice: -1 }, 'inputPrice: expected a non-negative number (got -1)'],
    [{ ...valid, totalPrice: 0.1 }, 'totalPrice: expected null (prices are per token: use inputPrice and outputPrice) (got 0.1)'],
    [{ ...valid, startDate: 'June 2025' }, 'startDate: expected an ISO 8601 date or date-time, e.g. "2025-06-01" or "2025-06-01T00:00:00Z", or null (got "June 2025")'],
    [{ ...valid, startDate: '2025-02-30' }, 'startDate: expected an ISO 8601 date or date-time, e.g. "2025-06-01" or "2025-06-01T00:00:00Z", or null (got "2025-02-30")'],
    [{ modelName: 'm', matchPattern: 'm' }, 'inputPrice: expected a price in USD per token (or pricingTiers) (got nothing)'],
    [{ ...valid, pricingTiers: [standard] }, 'pricingTiers: expected either pricingTiers or inputPrice/outputPrice, not both (got both)'],
    [{ modelName: 'm', matchPattern: 'm', pricingTiers: [tier({})] }, 'pricingTiers: expected exactly one tier with isDefault true (got 0)'],
    [
      { modelName: 'm', matchPattern: 'm', pricingTiers: [standard, tier({ conditions: [{ usageDetailPattern: 'output', operator: 'gt', value: 10 }] })] },
      'pricingTiers[1].conditions[0].usageDetailPattern: expected a pattern matching the input buckets and not output (e.g. ^(input|cachedInput|cacheWrite)$) (got "output")',
    ],
    [
      { modelName: 'm', matchPattern: 'm', pricingTiers: [standard, tier({ conditions: [{ usageDetailPattern: 'input', operator: 'lt', value: 10 }] })] },
      'pricingTiers[1].conditions[0].operator: expected one of gt, gte (got "lt")',
    ],
    [
      { modelName: 'm', matchPattern: 'm', pricingTiers: [{ ...standard, prices: { input: 1, images: 2 } }] },
      'pricingTiers[0].prices.images: expected a price key among input, output, cachedInput, cacheWrite, reasoning (got "images")',
    ],
  ])('refuses %j', async (body, message) => {
    expect(await request('POST', '/api/public/models', body)).toEqual({ status: 400, body: { error: 'invalid_parameter', message } });
  });
});

describe('the provider a span names', () => {
  it.each([
    ['cerebras', 'cerebras'],
    ['openai', 'openai'],
    ['ovhcloud', 'ovhcloud'],
  ])('prices gpt-oss-120b served by %s at that provider\'s price', async (spanProvider, catalogProvider) => {
    const expected = calcPrice({ input_tokens: 100_000, output_tokens: 10_000 }, 'gpt-oss-120b', { providerId: catalogProvider, timestamp: new Date(T0) });
    expect(expected).not.toBeNull();
    expect(await costOf('gpt-oss-120b', 100_000, 10_000, T0, spanProvider)).toBeCloseTo(expected!.total_price, 12);
  });
});
