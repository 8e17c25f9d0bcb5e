/** A user price (custom or pricing file) as the price index takes it, for pricing tests. */
import type { DailyWindow, ModelPrice, TokenPrices } from '../../config/pricing.js';

/** `pattern` matched as a pricing file's: case-insensitively, against the whole model name. */
export function userPrice(id: string, pattern: string, prices: TokenPrices, startDateMs: number | null = null, dailyWindow: DailyWindow | null = null): ModelPrice {
  return {
    id,
    modelName: id,
    matchPattern: pattern,
    pattern: new RegExp(`^(?:${pattern})$`, 'i'),
    prices,
    tiers: [],
    startDateMs,
    dailyWindow,
    provider: null,
    source: 'user',
  };
}
