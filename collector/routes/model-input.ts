/**
 * A model price posted through the API (Langfuse's CreateModelRequest) -> a stored custom model,
 * and catalog entries -> Langfuse's Model. spanlite prices tokens per usage bucket (input,
 * output, cachedInput, cacheWrite, reasoning) with optional tiers on the request's input size;
 * Langfuse's pricing tiers map onto that when their condition is an input-token threshold.
 */
import { randomUUID } from 'node:crypto';
import { parseIsoDate, type PriceTier, type TokenPrices } from '../../config/pricing.js';
import type { CustomModelRecord } from '../store/contract.js';
import type { ModelView, PricingTierView } from './views.js';
import { compileMatchPattern, type CatalogEntry } from '../pricing/price-catalog.js';
import { invalidParameter } from './query-params.js';

const PRICE_KEYS = ['input', 'output', 'cachedInput', 'cacheWrite', 'reasoning'] as const;
/** The usage buckets a tier's threshold counts, as a Langfuse usageDetailPattern. */
const INPUT_USAGE_PATTERN = '^(input|cachedInput|cacheWrite)$';

interface TierBody {
  name: string;
  isDefault?: boolean;
  priority: number;
  conditions: Array<{ usageDetailPattern: string; operator: string; value: number; caseSensitive?: boolean }>;
  prices: Record<string, number>;
}

export interface ModelBody {
  modelName: string;
  matchPattern: string;
  unit?: 'TOKENS';
  startDate?: string | null;
  inputPrice?: number | null;
  outputPrice?: number | null;
  totalPrice?: number | null;
  pricingTiers?: TierBody[] | null;
}

const price = { type: ['number', 'null'], minimum: 0, description: 'USD per token.' } as const;

export const modelBodySchema = {
  type: 'object',
  required: ['modelName', 'matchPattern'],
  properties: {
    modelName: { type: 'string', minLength: 1, maxLength: 256 },
    matchPattern: {
      type: 'string',
      minLength: 1,
      maxLength: 1000,
      description: 'Regular expression matched case-insensitively against the whole model name; a leading (?i) is accepted.',
    },
    unit: { type: 'string', enum: ['TOKENS'], description: 'spanlite prices tokens.' },
    startDate: {
      type: ['string', 'null'],
      description: 'ISO 8601 date or date-time: the price applies to spans that started on or after it. Null: to spans of any date.',
    },
    inputPrice: price,
    outputPrice: price,
    totalPrice: { type: ['number', 'null'], description: 'Must be null: prices are per input and output token.' },
    pricingTiers: {
      type: ['array', 'null'],
      maxItems: 20,
      items: {
        type: 'object',
        required: ['name', 'priority', 'conditions', 'prices'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 256 },
          isDefault: { type: 'boolean' },
          priority: { type: 'integer', minimum: 0 },
          conditions: {
            type: 'array',
            maxItems: 1,
            items: {
              type: 'object',
              required: ['usageDetailPattern', 'operator', 'value'],
              properties: {
                usageDetailPattern: { type: 'string', minLength: 1, maxLength: 200 },
                operator: { type: 'string', enum: ['gt', 'gte'] },
                value: { type: 'integer', minimum: 0 },
                caseSensitive: { type: 'boolean' },
              },
            },
          },
          prices: {
            type: 'object',
            additionalProperties: { type: 'number', minimum: 0 },
            description: `USD per token by bucket: ${PRICE_KEYS.join(', ')}.`,
          },
        },
      },
    },
    tokenizerId: { type: ['string', 'null'], description: 'Accepted and ignored: usage comes from the spans.' },
    tokenizerConfig: { description: 'Accepted and ignored.' },
  },
  additionalProperties: false,
} as const;

export function customModelFromBody(body: ModelBody, nowMs: number): CustomModelRecord {
  try {
    compileMatchPattern(body.matchPattern);
  } catch (error) {
    throw invalidParameter('matchPattern', 'a JavaScript regular expression', `${JSON.stringify(body.matchPattern)}: ${(error as Error).message}`);
  }
  const startDateMs = body.startDate == null ? null : parseIsoDate(body.startDate);
  if (body.startDate != null && startDateMs === null) {
    throw invalidParameter('startDate', 'an ISO 8601 date or date-time, e.g. "2025-06-01" or "2025-06-01T00:00:00Z", or null', JSON.stringify(body.startDate));
  }
  if (body.totalPrice !== undefined && body.totalPrice !== null) {
    throw invalidParameter('totalPrice', 'null (prices are per token: use inputPrice and outputPrice)', JSON.stringify(body.totalPrice));
  }
  const flat = body.inputPrice != null || body.outputPrice != null;
  const tiered = body.pricingTiers != null && body.pricingTiers.length > 0;
  if (flat && tiered) {
    throw invalidParameter('pricingTiers', 'either pricingTiers or inputPrice/outputPrice, not both', 'both');
  }
  if (!flat && !tiered) throw invalidParameter('inputPrice', 'a price in USD per token (or pricingTiers)', 'nothing');
  const { prices, tiers } = tiered
    ? fromTiers(body.pricingTiers as TierBody[])
    : { prices: { input: body.inputPrice ?? 0, output: body.outputPrice ?? 0 }, tiers: [] };
  return { id: randomUUID(), modelName: body.modelName, matchPattern: body.matchPattern, startDateMs, prices, tiers, createdAtMs: nowMs };
}

function fromTiers(bodies: readonly TierBody[]): { prices: TokenPrices; tiers: PriceTier[] } {
  const defaults = bodies.filter((tier) => tier.isDefault === true);
  if (defaults.length !== 1) {
    throw invalidParameter('pricingTiers', 'exactly one tier with isDefault true', `${defaults.length}`);
  }
  let prices: TokenPrices | undefined;
  const tiers: PriceTier[] = [];
  bodies.forEach((tier, index) => {
    const at = `pricingTiers[${index}]`;
    const tierPrices = tokenPrices(`${at}.prices`, tier.prices);
    if (tier.isDefault === true) {
      if (tier.conditions.length > 0) throw invalidParameter(`${at}.conditions`, 'no conditions on the default tier', `${tier.conditions.length}`);
      prices = tierPrices;
      return;
    }
    const [condition] = tier.conditions;
    if (condition === undefined) throw invalidParameter(`${at}.conditions`, 'one input-token condition', 'none');
    if (!countsInputTokens(condition.usageDetailPattern, condition.caseSensitive === true)) {
      throw invalidParameter(
        `${at}.conditions[0].usageDetailPattern`,
        `a pattern matching the input buckets and not output (e.g. ${INPUT_USAGE_PATTERN})`,
        JSON.stringify(condition.usageDetailPattern),
      );
    }
    const threshold = condition.operator === 'gte' ? condition.value - 1 : condition.value;
    if (tiers.some((other) => other.whenInputTokensAbove === threshold)) {
      throw invalidParameter(`${at}.conditions[0].value`, 'a threshold no other tier uses', `${condition.value}`);
    }
    tiers.push({ name: tier.name, whenInputTokensAbove: threshold, prices: tierPrices });
  });
  return { prices: prices as TokenPrices, tiers: tiers.sort((a, b) => a.whenInputTokensAbove - b.whenInputTokensAbove) };
}

function tokenPrices(field: string, raw: Record<string, number>): TokenPrices {
  const unknown = Object.keys(raw).find((key) => !(PRICE_KEYS as readonly string[]).includes(key));
  if (unknown !== undefined) throw invalidParameter(`${field}.${unknown}`, `a price key among ${PRICE_KEYS.join(', ')}`, JSON.stringify(unknown));
  if (raw.input === undefined && raw.output === undefined) throw invalidParameter(`${field}.input`, 'a price in USD per token', 'nothing');
  const prices: TokenPrices = { input: raw.input ?? 0, output: raw.output ?? 0 };
  for (const key of ['cachedInput', 'cacheWrite', 'reasoning'] as const) {
    if (raw[key] !== undefined) prices[key] = raw[key];
  }
  return prices;
}

function countsInputTokens(pattern: string, caseSensitive: boolean): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, caseSensitive ? '' : 'i');
  } catch {
    return false;
  }
  return regex.test('input') && !regex.test('output') && !regex.test('reasoning');
}

export function toModelView(entry: CatalogEntry): ModelView {
  const { price, origin } = entry;
  const pricesOf = (prices: TokenPrices): Record<string, number> =>
    Object.fromEntries(PRICE_KEYS.filter((key) => prices[key] !== undefined).map((key) => [key, prices[key] as number]));
  const base = pricesOf(price.prices);
  const conditional: PricingTierView[] = [...price.tiers]
    .sort((a, b) => b.whenInputTokensAbove - a.whenInputTokensAbove)
    .map((tier, index) => ({
      id: `${price.id}-tier-${tier.whenInputTokensAbove}`,
      name: tier.name,
      isDefault: false,
      priority: index + 1,
      conditions: [{ usageDetailPattern: INPUT_USAGE_PATTERN, operator: 'gt', value: tier.whenInputTokensAbove, caseSensitive: false }],
      prices: pricesOf(tier.prices),
    }));
  return {
    id: price.id,
    modelName: price.modelName,
    matchPattern: price.matchPattern,
    startDate: price.startDateMs === null ? null : new Date(price.startDateMs).toISOString(),
    unit: 'TOKENS',
    inputPrice: price.prices.input,
    outputPrice: price.prices.output,
    totalPrice: null,
    tokenizerId: null,
    tokenizerConfig: null,
    isLangfuseManaged: origin !== 'custom',
    createdAt: new Date(entry.createdAtMs).toISOString(),
    prices: Object.fromEntries(Object.entries(base).map(([key, value]) => [key, { price: value }])),
    pricingTiers: [
      { id: `${price.id}-default`, name: 'Standard', isDefault: true, priority: 0, conditions: [], prices: base },
      ...conditional,
    ],
    source: origin,
    provider: price.provider,
    dailyWindowUtc: price.dailyWindow === null ? null : { start: price.dailyWindow.start, end: price.dailyWindow.end },
  };
}
