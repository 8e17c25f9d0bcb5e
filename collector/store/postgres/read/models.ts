/** Custom model prices created through the API, per project. */
import type { Pool } from 'pg';
import type { CustomModelRecord } from '../../contract.js';
import { CUSTOM_MODEL_COLUMNS, customModelOf, customModelValues, type CustomModelRow } from '../../custom-model-rows.js';

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
        `SELECT ${CUSTOM_MODEL_COLUMNS} FROM custom_models
         WHERE project_id = $1 ORDER BY created_at_ms DESC, id COLLATE "C" DESC`,
        [projectId],
      );
      return result.rows.map(customModelOf);
    },
    async insertCustomModel(projectId, model) {
      await pool.query(
        `INSERT INTO custom_models (project_id, ${CUSTOM_MODEL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        customModelValues(projectId, model),
      );
    },
    async deleteCustomModel(projectId, modelId) {
      const result = await pool.query(`DELETE FROM custom_models WHERE project_id = $1 AND id = $2`, [projectId, modelId]);
      return (result.rowCount ?? 0) > 0;
    },
  };
}
