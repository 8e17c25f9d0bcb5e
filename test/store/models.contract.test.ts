/** Custom model prices in the store contract: stored per project as given (start date included), listed newest first, deleted by id. */
import { describe, expect, it } from 'vitest';
import type { CustomModelRecord } from '../../collector/store/contract.js';
import { ENGINES } from './engines.js';
import { storePerTest } from './lifecycle.js';

const PROJECT = 'models-project';
const CREATED_MS = Date.UTC(2025, 0, 15, 12, 0, 0);

function model(id: string, createdAtMs: number, overrides: Partial<CustomModelRecord> = {}): CustomModelRecord {
  return {
    id,
    modelName: `model-${id}`,
    matchPattern: `model-${id}`,
    startDateMs: null,
    prices: { input: 0.000001, output: 0.000004 },
    tiers: [],
    createdAtMs,
    ...overrides,
  };
}

describe.each(ENGINES)('custom models ($name)', (engine) => {
  const store = storePerTest(engine);

  it('returns a stored model as it was given, prices and tiers included', async () => {
    const tiered = model('tiered', CREATED_MS, {
      matchPattern: 'gpt-4o(-\\d{4}-\\d{2}-\\d{2})?',
      prices: { input: 0.0000025, output: 0.00001, cachedInput: 0.00000125, cacheWrite: 0.000003, reasoning: 0.00002 },
      tiers: [{ name: 'long context', whenInputTokensAbove: 200_000, prices: { input: 0.000005, output: 0.00002 } }],
    });
    await store().insertCustomModel(PROJECT, tiered);
    expect(await store().listCustomModels(PROJECT)).toEqual([tiered]);
  });

  it('keeps a start date to the millisecond, and none as none', async () => {
    const dated = model('dated', CREATED_MS, { startDateMs: Date.UTC(2025, 5, 1, 10, 30, 0, 125) });
    const undated = model('undated', CREATED_MS - 1);
    await store().insertCustomModel(PROJECT, dated);
    await store().insertCustomModel(PROJECT, undated);
    expect(await store().listCustomModels(PROJECT)).toEqual([dated, undated]);
  });

  it('lists models newest first, then by id', async () => {
    await store().insertCustomModel(PROJECT, model('b', CREATED_MS));
    await store().insertCustomModel(PROJECT, model('c', CREATED_MS - 1000));
    await store().insertCustomModel(PROJECT, model('a', CREATED_MS));
    await store().insertCustomModel(PROJECT, model('d', CREATED_MS + 1000));
    expect((await store().listCustomModels(PROJECT)).map((m) => m.id)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('deletes a model by id once', async () => {
    await store().insertCustomModel(PROJECT, model('a', CREATED_MS));
    await store().insertCustomModel(PROJECT, model('b', CREATED_MS));
    expect(await store().deleteCustomModel(PROJECT, 'a')).toBe(true);
    expect(await store().deleteCustomModel(PROJECT, 'a')).toBe(false);
    expect(await store().deleteCustomModel(PROJECT, 'nope')).toBe(false);
    expect((await store().listCustomModels(PROJECT)).map((m) => m.id)).toEqual(['b']);
  });

  it('lists nothing for a project without models', async () => {
    expect(await store().listCustomModels(PROJECT)).toEqual([]);
  });
});
