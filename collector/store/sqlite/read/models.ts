/** Custom model prices created through the API, per project. */
import type { Database } from 'better-sqlite3';
import type { PriceTier, TokenPrices } from '../../../../config/pricing.js';
import type { CustomModelRecord } from '../../contract.js';

interface CustomModelRow {
  id: string;
  model_name: string;
  match_pattern: string;
  start_date_ms: number | null;
  prices: string;
  tiers: string;
  created_at_ms: number;
}

export interface CustomModelStore {
  listCustomModels(projectId: string): CustomModelRecord[];
  insertCustomModel(projectId: string, model: CustomModelRecord): void;
  deleteCustomModel(projectId: string, modelId: string): boolean;
}

export function createCustomModelStore(db: Database): CustomModelStore {
  const select = db.prepare(`
    SELECT id, model_name, match_pattern, start_date_ms, prices, tiers, created_at_ms FROM custom_models
    WHERE project_id = ? ORDER BY created_at_ms DESC, id DESC`);
  const insert = db.prepare(`
    INSERT INTO custom_models (project_id, id, model_name, match_pattern, start_date_ms, prices, tiers, created_at_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const remove = db.prepare(`DELETE FROM custom_models WHERE project_id = ? AND id = ?`);

  return {
    listCustomModels(projectId) {
      return (select.all(projectId) as CustomModelRow[]).map((row) => ({
        id: row.id,
        modelName: row.model_name,
        matchPattern: row.match_pattern,
        startDateMs: row.start_date_ms,
        prices: JSON.parse(row.prices) as TokenPrices,
        tiers: JSON.parse(row.tiers) as PriceTier[],
        createdAtMs: row.created_at_ms,
      }));
    },
    insertCustomModel(projectId, model) {
      insert.run(
        projectId,
        model.id,
        model.modelName,
        model.matchPattern,
        model.startDateMs,
        JSON.stringify(model.prices),
        JSON.stringify(model.tiers),
        model.createdAtMs,
      );
    },
    deleteCustomModel(projectId, modelId) {
      return remove.run(projectId, modelId).changes > 0;
    },
  };
}
