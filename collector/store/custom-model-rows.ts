/**
 * A stored custom model price row <-> the store's record, for every engine. Times are integers
 * in ms: numbers from better-sqlite3, decimal strings (BIGINT) from node-postgres. Prices and
 * tiers are JSON: text in SQLite, parsed JSONB from node-postgres.
 */
import type { PriceTier, TokenPrices } from '../../config/pricing.js';
import type { CustomModelRecord } from './contract.js';

export interface CustomModelRow {
  id: string;
  model_name: string;
  match_pattern: string;
  start_date_ms: number | string | null;
  prices: string | TokenPrices;
  tiers: string | PriceTier[];
  created_at_ms: number | string;
}

/** The columns read, in the order `customModelValues` gives them after `project_id`. */
export const CUSTOM_MODEL_COLUMNS = 'id, model_name, match_pattern, start_date_ms, prices, tiers, created_at_ms';

/** The values to insert for `CUSTOM_MODEL_COLUMNS`, `project_id` first. */
export function customModelValues(projectId: string, model: CustomModelRecord): Array<string | number | null> {
  return [
    projectId,
    model.id,
    model.modelName,
    model.matchPattern,
    model.startDateMs,
    JSON.stringify(model.prices),
    JSON.stringify(model.tiers),
    model.createdAtMs,
  ];
}

export function customModelOf(row: CustomModelRow): CustomModelRecord {
  return {
    id: row.id,
    modelName: row.model_name,
    matchPattern: row.match_pattern,
    startDateMs: row.start_date_ms === null ? null : Number(row.start_date_ms),
    prices: typeof row.prices === 'string' ? (JSON.parse(row.prices) as TokenPrices) : row.prices,
    tiers: typeof row.tiers === 'string' ? (JSON.parse(row.tiers) as PriceTier[]) : row.tiers,
    createdAtMs: Number(row.created_at_ms),
  };
}
