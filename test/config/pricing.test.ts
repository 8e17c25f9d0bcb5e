import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPricingTable, PricingFileError, resolveDefaultPricingFile } from '../../config/pricing.js';

const scratch = mkdtempSync(join(tmpdir(), 'spanlite-pricing-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let fileCount = 0;
function writePricingFile(content: unknown): string {
  fileCount += 1;
  const path = join(scratch, `prices-${fileCount}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** Model names as real SDKs and gateways send them, with the default entry each must hit. */
const REAL_NAMES: Array<[name: string, modelName: string]> = [
  ['gpt-4o', 'gpt-4o'],
  ['gpt-4o-2024-08-06', 'gpt-4o'],
  ['gpt-4o-2024-11-20', 'gpt-4o'],
  ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
  ['chatgpt-4o-latest', 'chatgpt-4o-latest'],
  ['gpt-4o-mini', 'gpt-4o-mini'],
  ['openai/gpt-4o-mini', 'gpt-4o-mini'],
  ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
  ['GPT-4o-Mini', 'gpt-4o-mini'],
  ['gpt-4.1-2025-04-14', 'gpt-4.1'],
  ['gpt-4.1-mini', 'gpt-4.1-mini'],
  ['gpt-4.1-nano-2025-04-14', 'gpt-4.1-nano'],
  ['gpt-5', 'gpt-5'],
  ['gpt-5-2025-08-07', 'gpt-5'],
  ['gpt-5-chat-latest', 'gpt-5'],
  ['openai/gpt-5-mini', 'gpt-5-mini'],
  ['gpt-5-nano-2025-08-07', 'gpt-5-nano'],
  ['gpt-5.1', 'gpt-5.1'],
  ['gpt-5.1-codex-mini', 'gpt-5.1-codex-mini'],
  ['o1', 'o1'],
  ['o1-2024-12-17', 'o1'],
  ['o1-mini-2024-09-12', 'o1-mini'],
  ['o3', 'o3'],
  ['o3-2025-04-16', 'o3'],
  ['o3-mini-2025-01-31', 'o3-mini'],
  ['o4-mini-2025-04-16', 'o4-mini'],
  ['gpt-3.5-turbo', 'gpt-3.5-turbo'],
  ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
  ['gpt-35-turbo', 'gpt-3.5-turbo'],
  ['gpt-4-turbo-2024-04-09', 'gpt-4-turbo'],
  ['gpt-4-1106-preview', 'gpt-4-turbo'],
  ['gpt-4', 'gpt-4'],
  ['gpt-4-0613', 'gpt-4'],
  ['text-embedding-3-small', 'text-embedding-3-small'],
  ['azure/text-embedding-3-large', 'text-embedding-3-large'],
  ['text-embedding-ada-002', 'text-embedding-ada-002'],
  ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
  ['claude-3-5-sonnet-20240620', 'claude-3-5-sonnet'],
  ['anthropic.claude-3-5-sonnet-20241022-v2:0', 'claude-3-5-sonnet'],
  ['us.anthropic.claude-3-5-sonnet-20241022-v2:0', 'claude-3-5-sonnet'],
  ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
  ['anthropic/claude-3.5-sonnet', 'claude-3-5-sonnet'],
  ['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet'],
  ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
  ['anthropic/claude-3.7-sonnet:thinking', 'claude-3-7-sonnet'],
  [
    'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0',
    'claude-3-7-sonnet',
  ],
  ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
  ['claude-sonnet-4-0', 'claude-sonnet-4'],
  ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
  ['claude-sonnet-4@20250514', 'claude-sonnet-4'],
  ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
  ['claude-sonnet-4-5', 'claude-sonnet-4-5'],
  ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
  ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
  ['claude-opus-4-20250514', 'claude-opus-4'],
  ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
  ['claude-opus-4-1', 'claude-opus-4-1'],
  ['claude-opus-4-5-20251101', 'claude-opus-4-5'],
  ['claude-3-opus-20240229', 'claude-3-opus'],
  ['claude-3-haiku-20240307', 'claude-3-haiku'],
  ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
  ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
  ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
  ['eu.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5'],
  ['gemini-1.5-pro', 'gemini-1.5-pro'],
  ['models/gemini-1.5-pro', 'gemini-1.5-pro'],
  ['gemini-1.5-pro-002', 'gemini-1.5-pro'],
  ['gemini-1.5-pro-latest', 'gemini-1.5-pro'],
  ['gemini-1.5-flash-002', 'gemini-1.5-flash'],
  ['gemini-1.5-flash-8b-001', 'gemini-1.5-flash-8b'],
  ['gemini-2.0-flash', 'gemini-2.0-flash'],
  ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
  ['vertex_ai/gemini-2.0-flash', 'gemini-2.0-flash'],
  ['gemini-2.0-flash-lite-001', 'gemini-2.0-flash-lite'],
  ['gemini-2.5-pro', 'gemini-2.5-pro'],
  ['gemini-2.5-pro-preview-05-06', 'gemini-2.5-pro'],
  ['projects/acme/locations/us-central1/publishers/google/models/gemini-2.5-pro', 'gemini-2.5-pro'],
  ['gemini-2.5-flash', 'gemini-2.5-flash'],
  ['google/gemini-2.5-flash', 'gemini-2.5-flash'],
  ['gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash'],
  ['gemini-2.5-flash-lite', 'gemini-2.5-flash-lite'],
  ['gemini-2.5-flash-lite-preview-06-17', 'gemini-2.5-flash-lite'],
  ['gemini-3-pro-preview', 'gemini-3-pro-preview'],
  ['gemini-embedding-001', 'gemini-embedding-001'],
  ['mistral-large-latest', 'mistral-large-latest'],
  ['mistral-small-2503', 'mistral-small-latest'],
  ['codestral-latest', 'codestral-latest'],
  ['mistral-embed', 'mistral-embed'],
  ['groq/llama-3.3-70b-versatile', 'llama-3.3-70b-versatile'],
  ['llama-3.1-8b-instant', 'llama-3.1-8b-instant'],
];

/** Names priced differently from their look-alikes (or not at all): they must match nothing. */
const UNPRICED_NAMES = [
  'gpt-4o-audio-preview',
  'gpt-4o-mini-tts',
  'gpt-4o-realtime-preview-2024-12-17',
  'gpt-4o-mini-search-preview',
  'ft:gpt-4o-mini-2024-07-18:acme::abc123',
  'gemini-2.5-flash-preview-tts',
  'gemini-2.5-flash-preview-05-20',
  'gemini-2.0-flash-thinking-exp-01-21',
  'claude-2.1',
  'test-model',
];

describe('default pricing table', () => {
  const table = loadPricingTable();
  const matching = (name: string) => table.filter((entry) => entry.pattern.test(name)).map((e) => e.modelName);

  it('loads, validated, from beside the source module', () => {
    expect(resolveDefaultPricingFile()).toBe(fileURLToPath(new URL('../../config/model-prices.json', import.meta.url)));
    expect(table.length).toBeGreaterThan(40);
    for (const entry of table) {
      expect(entry.source).toBe('default');
      expect(entry.prices.input).toBeGreaterThanOrEqual(0);
      expect(Object.isFrozen(entry)).toBe(true);
    }
  });

  it('finds the table two levels up from a compiled dist/config module', () => {
    const root = mkdtempSync(join(scratch, 'package-'));
    mkdirSync(join(root, 'config'));
    mkdirSync(join(root, 'dist', 'config'), { recursive: true });
    writeFileSync(join(root, 'config', 'model-prices.json'), '{"models":[]}');
    const compiledModule = pathToFileURL(join(root, 'dist', 'config', 'pricing.js'));
    expect(resolveDefaultPricingFile(compiledModule)).toBe(join(root, 'config', 'model-prices.json'));
  });

  it('names every place it looked when the table is missing', () => {
    const nowhere = pathToFileURL(join(scratch, 'empty', 'dist', 'config', 'pricing.js'));
    expect(() => resolveDefaultPricingFile(nowhere)).toThrow(/model-prices\.json.*model-prices\.json/);
  });

  it.each(REAL_NAMES)('matches %s to %s and to no other entry', (name, modelName) => {
    expect(matching(name)).toEqual([modelName]);
  });

  it.each(UNPRICED_NAMES)('leaves %s unmatched', (name) => {
    expect(matching(name)).toEqual([]);
  });

  it('matches each entry’s own model name to that entry only', () => {
    for (const entry of table) expect(matching(entry.modelName)).toEqual([entry.modelName]);
  });

  it('does not let gpt-4o match gpt-4o-mini or the reverse', () => {
    expect(matching('gpt-4o-mini-2024-07-18')).toEqual(['gpt-4o-mini']);
    expect(matching('gpt-4o-2024-08-06')).toEqual(['gpt-4o']);
  });
});

describe('user pricing file', () => {
  it('replaces the default entry with the same modelName', () => {
    const file = writePricingFile({
      models: [
        { id: 'my-4o-mini', modelName: 'gpt-4o-mini', matchPattern: 'gpt-4o-mini', prices: { input: 1e-6, output: 2e-6 } },
      ],
    });
    const table = loadPricingTable({ userPricingFile: file });
    const entries = table.filter((entry) => entry.modelName === 'gpt-4o-mini');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ id: 'my-4o-mini', source: 'user', prices: { input: 1e-6, output: 2e-6 } });
  });

  it('replaces the default entry with the same id', () => {
    const file = writePricingFile({
      models: [{ id: 'openai-gpt-4o', modelName: 'gpt-4o (negotiated)', matchPattern: 'gpt-4o', prices: { input: 0, output: 0 } }],
    });
    const table = loadPricingTable({ userPricingFile: file });
    expect(table.filter((entry) => entry.id === 'openai-gpt-4o').map((e) => e.modelName)).toEqual(['gpt-4o (negotiated)']);
    expect(table.some((entry) => entry.modelName === 'gpt-4o')).toBe(false);
  });

  it('adds new entries ahead of the defaults', () => {
    const file = writePricingFile({
      models: [
        { id: 'acme-llm', modelName: 'acme-llm', matchPattern: 'acme-llm(-v\\d+)?', prices: { input: 3e-6, output: 4e-6 } },
        { id: 'all-claude', modelName: 'claude (proxy flat rate)', matchPattern: '.*claude.*', prices: { input: 1e-6, output: 1e-6 } },
      ],
    });
    const table = loadPricingTable({ userPricingFile: file });
    expect(table.slice(0, 2).map((entry) => entry.id)).toEqual(['acme-llm', 'all-claude']);
    expect(table.find((entry) => entry.pattern.test('ACME-LLM-v2'))?.id).toBe('acme-llm');
    expect(table.find((entry) => entry.pattern.test('claude-sonnet-4-5'))?.id).toBe('all-claude');
    expect(table.some((entry) => entry.modelName === 'claude-sonnet-4-5')).toBe(true);
  });

  it('matches a user pattern against the whole model name only', () => {
    const file = writePricingFile({
      models: [{ id: 'x', modelName: 'x', matchPattern: 'acme', prices: { input: 1, output: 1 } }],
    });
    const [entry] = loadPricingTable({ userPricingFile: file });
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
      ],
    });
    let error: unknown;
    try {
      loadPricingTable({ userPricingFile: file });
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
      'models[3]: pattern: unknown field (expected one of id, modelName, matchPattern, prices, tiers, $comment)',
      'models[3]: id: expected a non-empty string (got nothing)',
      'models[3]: modelName: expected a non-empty string (got "")',
      'models[4] (id "bad-tier"): tiers[0].whenInputTokensAbove: expected a non-negative integer token count (got "many")',
      'models[4] (id "bad-tier"): tiers[0].prices.output: expected a price in USD per token (got nothing)',
      'models[5] (id "ok"): id: expected a unique id (got a duplicate "ok")',
      'models[6]: expected an object (got "not an entry")',
    ]);
    for (const problem of problems) expect(message).toContain(problem);
  });

  it('refuses a file that is not JSON', () => {
    const file = writePricingFile('{ "models": [ ');
    expect(() => loadPricingTable({ userPricingFile: file })).toThrow(/Invalid pricing file .*prices-\d+\.json:\n {2}- expected JSON/);
  });

  it('refuses a file without a models array', () => {
    const file = writePricingFile([{ id: 'a' }]);
    expect(() => loadPricingTable({ userPricingFile: file })).toThrow('expected an object with a "models" array (got an array)');
  });

  it('refuses a missing file, naming it', () => {
    const file = join(scratch, 'missing.json');
    expect(() => loadPricingTable({ userPricingFile: file })).toThrow(`Invalid pricing file ${file}:\n  - cannot read the file`);
  });
});
