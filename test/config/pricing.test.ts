/**
 * The user pricing file (SPANLITE_PRICING_FILE): its entries loaded in file order, validated
 * once, every problem named. How its prices are matched before the model catalog's is in
 * test/collector/pricing/price-index.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPricingFile, parseIsoDate, PricingFileError } from '../../config/pricing.js';

const scratch = mkdtempSync(join(tmpdir(), 'spanlite-pricing-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let fileCount = 0;
function writePricingFile(content: unknown): string {
  fileCount += 1;
  const path = join(scratch, `prices-${fileCount}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('user pricing file', () => {
  it('loads every entry in file order, frozen, as user prices', () => {
    const file = writePricingFile({
      models: [
        { id: 'acme-llm', modelName: 'acme-llm', matchPattern: 'acme-llm(-v\\d+)?', prices: { input: 3e-6, output: 4e-6 } },
        {
          id: 'all-claude',
          modelName: 'claude (proxy flat rate)',
          matchPattern: '.*claude.*',
          prices: { input: 1e-6, output: 1e-6, cachedInput: 1e-7 },
          tiers: [{ name: 'long', whenInputTokensAbove: 200_000, prices: { input: 2e-6, output: 2e-6 } }],
        },
      ],
    });
    const entries = loadPricingFile(file);
    expect(entries.map((entry) => entry.id)).toEqual(['acme-llm', 'all-claude']);
    expect(entries[1]).toMatchObject({
      source: 'user',
      provider: null,
      startDateMs: null,
      dailyWindow: null,
      prices: { input: 1e-6, output: 1e-6, cachedInput: 1e-7 },
      tiers: [{ name: 'long', whenInputTokensAbove: 200_000, prices: { input: 2e-6, output: 2e-6 } }],
    });
    expect(entries[0]?.pattern.test('ACME-LLM-v2')).toBe(true);
    for (const entry of entries) expect(Object.isFrozen(entry)).toBe(true);
  });

  it('reads a start date as a date (midnight UTC) or a date-time', () => {
    const file = writePricingFile({
      models: [
        { id: 'a', modelName: 'a', matchPattern: 'a', startDate: '2025-06-01', prices: { input: 1, output: 1 } },
        { id: 'b', modelName: 'b', matchPattern: 'b', startDate: '2025-06-01T12:30:00+02:00', prices: { input: 1, output: 1 } },
      ],
    });
    expect(loadPricingFile(file).map((entry) => entry.startDateMs)).toEqual([Date.UTC(2025, 5, 1), Date.UTC(2025, 5, 1, 10, 30)]);
  });

  it.each(['2025-02-30', '2025-13-01', '1 June 2025', '2025-06-01T12:00:00', ''])('takes %j for no ISO date', (text) => {
    expect(parseIsoDate(text)).toBeNull();
  });

  it('matches a user pattern against the whole model name only', () => {
    const file = writePricingFile({
      models: [{ id: 'x', modelName: 'x', matchPattern: 'acme', prices: { input: 1, output: 1 } }],
    });
    const [entry] = loadPricingFile(file);
    expect(entry?.pattern.test('acme')).toBe(true);
    expect(entry?.pattern.test('acme-2')).toBe(false);
    expect(entry?.pattern.test('my-acme')).toBe(false);
  });

  it('refuses an invalid file, naming the file and every problem', () => {
    const file = writePricingFile({
      models: [
        { id: 'ok', modelName: 'ok', matchPattern: 'ok', prices: { input: 1e-6, output: 1e-6 } },
        { id: 'bad-regex', modelName: 'bad', matchPattern: 'gpt-(4o', prices: { input: 1e-6, output: 1e-6 } },
        { id: 'bad-prices', modelName: 'bad-prices', matchPattern: 'x', prices: { input: '0.1', cachedInput: -1, input_cached_tokens: 1 } },
        { modelName: '', matchPattern: 'y', prices: { input: 1, output: 1 }, pattern: 'y' },
        {
          id: 'bad-tier',
          modelName: 'bad-tier',
          matchPattern: 'z',
          prices: { input: 1, output: 1 },
          tiers: [{ name: 'long', whenInputTokensAbove: 'many', prices: { input: 2 } }],
        },
        { id: 'ok', modelName: 'ok-again', matchPattern: 'ok2', prices: { input: 1e-6, output: 1e-6 } },
        'not an entry',
        { id: 'bad-date', modelName: 'bad-date', matchPattern: 'd', startDate: 'June 2025', prices: { input: 1, output: 1 } },
      ],
    });
    let error: unknown;
    try {
      loadPricingFile(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PricingFileError);
    const { message, problems } = error as PricingFileError;
    expect(message).toContain(file);
    expect(problems).toEqual([
      expect.stringMatching(/^models\[1\] \(id "bad-regex"\): matchPattern: expected a JavaScript regular expression \(got "gpt-\(4o"/),
      'models[2] (id "bad-prices"): prices.input_cached_tokens: unknown price (expected one of input, output, cachedInput, cacheWrite, reasoning)',
      'models[2] (id "bad-prices"): prices.output: expected a price in USD per token (got nothing)',
      'models[2] (id "bad-prices"): prices.input: expected a non-negative number in USD per token (got "0.1")',
      'models[2] (id "bad-prices"): prices.cachedInput: expected a non-negative number in USD per token (got -1)',
      'models[3]: pattern: unknown field (expected one of id, modelName, matchPattern, startDate, prices, tiers, $comment)',
      'models[3]: id: expected a non-empty string (got nothing)',
      'models[3]: modelName: expected a non-empty string (got "")',
      'models[4] (id "bad-tier"): tiers[0].whenInputTokensAbove: expected a non-negative integer token count (got "many")',
      'models[4] (id "bad-tier"): tiers[0].prices.output: expected a price in USD per token (got nothing)',
      'models[5] (id "ok"): id: expected a unique id (got a duplicate "ok")',
      'models[6]: expected an object (got "not an entry")',
      'models[7] (id "bad-date"): startDate: expected an ISO 8601 date or date-time, e.g. "2025-06-01" (got "June 2025")',
    ]);
    for (const problem of problems) expect(message).toContain(problem);
  });

  it('refuses a file that is not JSON', () => {
    const file = writePricingFile('{ "models": [ ');
    expect(() => loadPricingFile(file)).toThrow(/Invalid pricing file .*prices-\d+\.json:\n {2}- expected JSON/);
  });

  it('refuses a file without a models array', () => {
    const file = writePricingFile([{ id: 'a' }]);
    expect(() => loadPricingFile(file)).toThrow('expected an object with a "models" array (got an array)');
  });

  it('refuses a missing file, naming it', () => {
    const file = join(scratch, 'missing.json');
    expect(() => loadPricingFile(file)).toThrow(`Invalid pricing file ${file}:\n  - cannot read the file`);
  });
});
