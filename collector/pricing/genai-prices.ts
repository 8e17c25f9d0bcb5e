/**
 * The default prices: the data of the installed `@pydantic/genai-prices` package (MIT, kept up
 * to date by Pydantic from the providers' pricing pages), converted to spanlite's price model.
 * The only file that knows the package. No network: the package's bundled data is read, never
 * its remote update (spanlite does not call `updatePrices`), so upgrading the package upgrades
 * the prices.
 *
 * Conversion, so that spanlite's arithmetic over exclusive usage buckets gives the package's:
 * - per-million-token prices become per-token prices: `input_mtok` -> input, `output_mtok` ->
 *   output, `cache_read_mtok` -> cachedInput, `cache_write_mtok` -> cacheWrite (the 5-minute
 *   write), `output_reasoning_mtok` -> reasoning. A bucket the model does not price falls back
 *   as genai-prices' own does: cache reads and writes at the input price, reasoning at output.
 * - tiered prices (the price of each key steps up once the request's input tokens, cache
 *   included, pass a threshold) become spanlite tiers: one per threshold of any key, each
 *   holding every key's price above it.
 * - a start-date price and a time-of-day price (DeepSeek's peak hours) become prices with a
 *   start date or a daily window.
 * - Prices of other units (audio, images, requests, web searches) are not applied; a model
 *   priced only in those is left out. A model with no price at all (OpenRouter's `:free`
 *   models) is free.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  waitForUpdate,
  type ConditionalPrice,
  type ModelInfo,
  type ModelPrice as GenaiModelPrice,
  type Provider,
} from '@pydantic/genai-prices';
import type { DailyWindow, ModelPrice, PriceTier, TokenPrices } from '../../config/pricing.js';
import { compileMatchLogic, exactNames, matchLogicSource } from './match-logic.js';
import type { CatalogModel, CatalogProvider, CatalogVersion, ModelCatalog } from './model-catalog.js';

export const CATALOG_PACKAGE = '@pydantic/genai-prices';

/** genai-prices price keys (USD per million tokens) -> spanlite's buckets. */
const TOKEN_PRICE_KEYS: ReadonlyArray<readonly [string, keyof TokenPrices]> = [
  ['input_mtok', 'input'],
  ['output_mtok', 'output'],
  ['cache_read_mtok', 'cachedInput'],
  ['cache_write_mtok', 'cacheWrite'],
  ['output_reasoning_mtok', 'reasoning'],
];
const TOKENS_PER_MILLION = 1_000_000;

type PriceValue = GenaiModelPrice[string];

/** The installed catalog. Throws, naming the provider and model, when its data cannot be read. */
export async function loadModelCatalog(): Promise<ModelCatalog> {
  const version = installedVersion();
  const providers = await waitForUpdate();
  if (providers === null || providers.length === 0) {
    throw new Error(`model catalog ${CATALOG_PACKAGE} ${version.version}: expected its bundled providers (got none)`);
  }
  return { version, providers: providers.map((provider) => toProvider(provider, version)) };
}

function installedVersion(): CatalogVersion {
  const entry = createRequire(import.meta.url).resolve(CATALOG_PACKAGE);
  let dir = dirname(entry);
  for (let level = 0; level < 3; level++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    let manifest: { name?: unknown; version?: unknown };
    try {
      manifest = JSON.parse(readFileSync(file, 'utf8')) as typeof manifest;
    } catch {
      continue;
    }
    if (manifest.name === CATALOG_PACKAGE && typeof manifest.version === 'string') {
      return { package: CATALOG_PACKAGE, version: manifest.version };
    }
  }
  throw new Error(`model catalog ${CATALOG_PACKAGE}: no package.json naming it found above ${entry}`);
}

function toProvider(provider: Provider, version: CatalogVersion): CatalogProvider {
  const where = `model catalog ${version.package} ${version.version}: provider ${provider.id}`;
  try {
    return {
      id: provider.id,
      name: provider.name,
      namePattern: provider.provider_match === undefined ? null : compileMatchLogic(provider.provider_match),
      modelPattern: provider.model_match === undefined ? null : compileMatchLogic(provider.model_match),
      fallbackProviderIds: provider.fallback_model_providers ?? [],
      models: provider.models.flatMap((model) => {
        const converted = toModel(provider.id, model);
        return converted === null ? [] : [converted];
      }),
    };
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
  }
}

function toModel(providerId: string, model: ModelInfo): CatalogModel | null {
  const conditional: ConditionalPrice[] = Array.isArray(model.prices) ? model.prices : [{ prices: model.prices }];
  if (!conditional.some(({ prices }) => pricesTokens(prices))) return null;
  const matchPattern = matchLogicSource(model.match);
  const pattern = compileMatchLogic(model.match);
  const id = `${providerId}:${model.id}`;
  const prices = conditional.map(({ constraint, prices: raw }, index): ModelPrice => {
    // The first price is the one in force when no later one applies, whatever its own condition.
    const condition = index === 0 ? undefined : constraint;
    const { prices: tokenPrices, tiers } = toTokenPrices(raw, `model ${model.id}`);
    return Object.freeze({
      id: condition === undefined ? id : `${id}@${condition.type === 'start_date' ? condition.start_date : `${condition.start_time}-${condition.end_time}`}`,
      modelName: model.id,
      matchPattern,
      pattern,
      prices: tokenPrices,
      tiers,
      startDateMs: condition?.type === 'start_date' ? Date.parse(`${condition.start_date}T00:00:00Z`) : null,
      dailyWindow: condition?.type === 'time_of_date' ? dailyWindow(condition.start_time, condition.end_time) : null,
      provider: providerId,
      source: 'default',
    });
  });
  return { id: model.id, providerId, pattern, exactNames: exactNames(model.match), prices };
}

/** True for a price with a token price, or none at all (a free model). */
function pricesTokens(prices: GenaiModelPrice): boolean {
  const keys = Object.keys(prices).filter((key) => prices[key] !== undefined);
  return keys.length === 0 || TOKEN_PRICE_KEYS.some(([key]) => keys.includes(key));
}

function toTokenPrices(raw: GenaiModelPrice, where: string): { prices: TokenPrices; tiers: readonly PriceTier[] } {
  const thresholds = new Set<number>();
  for (const [key] of TOKEN_PRICE_KEYS) {
    const value = raw[key];
    if (isTiered(value)) for (const tier of value.tiers) thresholds.add(tier.start);
  }
  const prices = pricesAbove(raw, -1, where);
  const tiers = [...thresholds]
    .sort((a, b) => a - b)
    .map((threshold) => Object.freeze({ name: `above ${threshold} input tokens`, whenInputTokensAbove: threshold, prices: pricesAbove(raw, threshold, where) }));
  return { prices, tiers: Object.freeze(tiers) };
}

/** Every token price for a request of more than `threshold` input tokens (-1: the base prices). */
function pricesAbove(raw: GenaiModelPrice, threshold: number, where: string): TokenPrices {
  const prices: TokenPrices = { input: 0, output: 0 };
  for (const [key, bucket] of TOKEN_PRICE_KEYS) {
    const perMillion = priceAbove(raw[key], threshold, `${where}: ${key}`);
    if (perMillion !== undefined) prices[bucket] = perMillion / TOKENS_PER_MILLION;
  }
  return Object.freeze(prices);
}

function priceAbove(value: PriceValue, threshold: number, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  if (!isTiered(value)) throw new Error(`${where}: expected a number or tiered prices (got ${JSON.stringify(value)})`);
  let price = value.base;
  for (const tier of [...value.tiers].sort((a, b) => a.start - b.start)) if (threshold >= tier.start) price = tier.price;
  return price;
}

function isTiered(value: PriceValue): value is { base: number; tiers: Array<{ start: number; price: number }> } {
  return typeof value === 'object' && value !== null && typeof value.base === 'number' && Array.isArray(value.tiers);
}

function dailyWindow(start: string, end: string): DailyWindow {
  return { start, end, startSecond: secondOfDayUtc(start), endSecond: secondOfDayUtc(end) };
}

/** `HH:MM:SS[.fff](Z|+HH:MM|-HH:MM)` -> seconds after UTC midnight. */
function secondOfDayUtc(time: string): number {
  const parts = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(time);
  if (parts === null) throw new Error(`time of day: expected HH:MM:SS with Z or an offset (got ${JSON.stringify(time)})`);
  const local = Number(parts[1]) * 3600 + Number(parts[2]) * 60 + Number(parts[3]) + Number(parts[4] ?? 0);
  const offset = parts[5] === 'Z' ? 0 : (parts[6] === '+' ? 1 : -1) * (Number(parts[7]) * 3600 + Number(parts[8]) * 60);
  return (local - offset + 86_400) % 86_400;
}
