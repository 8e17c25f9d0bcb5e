/** Custom model prices created through the API, per project. */
import type { Pool } from 'pg';
import type { PriceTier, TokenPrices } from '../../../../config/pricing.js';
import type { CustomModelRecord } from '../../contract.js';

interface CustomModelRow {
  id: string;
  model_name: string;
  match_pattern: string;
  start_date_ms: string | null;
  prices: TokenPrices;
  tiers: PriceTier[];
  created_at_ms: string;
}

export interface CustomModelStore {
  listCustomModels(projectId: string): Promise<CustomModelRecord[]>;
  insertCustomModel(projectId: string, model: CustomModelRecord): Promise<void>;
  deleteCustomModel(projectId: string, modelId: string): Promise<boolean>;
}

export function createCustomModelStore(pool: Pool): CustomModelStore {
  return {
    async listCustomModels(projectId) {
      // Ids order as bytes, as SQLite orders text.
      const result = await pool.query<CustomModelRow>(
        `SELECT id, model_name, match_pattern, start_date_ms, prices, tiers, created_at_ms FROM custom_models
         WHERE project_id = $1 ORDER BY created_at_ms DESC, id COLLATE "C" DESC`,
        [projectId],
      );
      return result.rows.map((row) => ({
        id: row.id,
        modelName: row.model_name,
        matchPattern: row.match_pattern,
        startDateMs: row.start_date_ms === null ? null : Number(row.start_date_ms),
        prices: row.prices,
        tiers: row.tiers,
        createdAtMs: Number(row.created_at_ms),
      }));
    },
    async insertCustomModel(projectId, model) {
      await pool.query(
        `INSERT INTO custom_models (project_id, id, model_name, match_pattern, start_date_ms, prices, tiers, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          projectId,
          model.id,
          model.modelName,
          model.matchPattern,
          model.startDateMs,
          JSON.stringify(model.prices),
          JSON.stringify(model.tiers),
          model.createdAtMs,
        ],
      );
    },
    async deleteCustomModel(projectId, modelId) {
      const result = await pool.query(`DELETE FROM custom_models WHERE project_id = $1 AND id = $2`, [projectId, modelId]);
      return (result.rowCount ?? 0) > 0;
    },
  };
}
