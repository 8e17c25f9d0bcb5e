/** Custom model prices created through the API, per project. */
import type { Database } from 'better-sqlite3';
import type { CustomModelRecord } from '../../contract.js';
import { CUSTOM_MODEL_COLUMNS, customModelOf, customModelValues, type CustomModelRow } from '../../custom-model-rows.js';

export interface CustomModelStore {
  listCustomModels(projectId: string): CustomModelRecord[];
  insertCustomModel(projectId: string, model: CustomModelRecord): void;
  deleteCustomModel(projectId: string, modelId: string): boolean;
}

export function createCustomModelStore(db: Database): CustomModelStore {
  const select = db.prepare(`
    SELECT ${CUSTOM_MODEL_COLUMNS} FROM custom_models
    WHERE project_id = ? ORDER BY created_at_ms DESC, id DESC`);
  const insert = db.prepare(`
    INSERT INTO custom_models (project_id, ${CUSTOM_MODEL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const remove = db.prepare(`DELETE FROM custom_models WHERE project_id = ? AND id = ?`);

  return {
    listCustomModels(projectId) {
      return (select.all(projectId) as CustomModelRow[]).map(customModelOf);
    },
    insertCustomModel(projectId, model) {
      insert.run(...customModelValues(projectId, model));
    },
    deleteCustomModel(projectId, modelId) {
      return remove.run(projectId, modelId).changes > 0;
    },
  };
}
