/**
 * Model price types, and the user pricing file (SPANLITE_PRICING_FILE) validated once at start-up.
 * The default prices come from the model catalog package (collector/pricing/genai-prices.ts),
 * converted to these same types.
 *
 * Pricing file contract, relied on by the cost stage's price index:
 * - `matchPattern` is a JavaScript regular expression source, matched case-insensitively against
 *   the whole model name (it is wrapped in `^(?:...)$`, so anchors in the source are optional).
 * - `startDate` (optional, ISO 8601 date or date-time, UTC when no offset is given) is when the
 *   price takes effect: a span that started before it is priced by another entry.
 * - File entries are matched before the catalog's, the latest start date first, then in file order.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Prices in USD per single token, one per usage bucket. */
export interface TokenPrices {
  input: number;
  output: number;
  /** Cached input reads. Default: the `input` price. */
  cachedInput?: number;
  /** Cache writes (Anthropic: the 5-minute write). Default: the `input` price. */
  cacheWrite?: number;
  /** Reasoning / thinking output. Default: the `output` price. */
  reasoning?: number;
}

/** Prices that replace the base prices for a whole request above an input size. */
export interface PriceTier {
  name: string;
  /** Applies when input + cachedInput + cacheWrite tokens are strictly above this count. */
  whenInputTokensAbove: number;
  prices: TokenPrices;
}

/** One validated, compiled pricing entry. Frozen. */
export interface ModelPrice {
  id: string;
  modelName: string;
  /** The pattern source as written in the file. */
  matchPattern: string;
  /** `matchPattern` compiled once: anchored to the whole name, case-insensitive. */
  pattern: RegExp;
  prices: TokenPrices;
  /** Sorted by `whenInputTokensAbove`, ascending; empty when the model has one price. */
  tiers: readonly PriceTier[];
  /** When the price takes effect, unix milliseconds; null: in force for spans of any date. */
  startDateMs: number | null;
  /**
   * The part of each UTC day the price applies in (the catalog's peak and off-peak prices, e.g.
   * DeepSeek's); null: all day.
   */
  dailyWindow: DailyWindow | null;
  /** The catalog's provider id for a catalog price; null for the pricing file and custom prices. */
  provider: string | null;
  /** Where the entry came from: `default` from the model catalog, `user` from the pricing file or the API. */
  source: 'default' | 'user';
}

/** A span of each UTC day, as the catalog gives it (`00:30:00Z`); it may wrap past midnight. */
export interface DailyWindow {
  start: string;
  end: string;
  /** Seconds after UTC midnight: from `startSecond` (included) to `endSecond` (excluded). */
  startSecond: number;
  endSecond: number;
}

/** A pricing file that cannot be used; `problems` lists every one found. */
export class PricingFileError extends Error {
  readonly file: string;
  readonly problems: readonly string[];

  constructor(file: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(`Invalid pricing file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
    this.name = 'PricingFileError';
    this.file = file;
    this.problems = problems;
  }
}

/**
 * The entries of a pricing file, in file order. Throws a {@link PricingFileError} listing every
 * problem when the file is invalid.
 */
export function loadPricingFile(path: string): ModelPrice[] {
  return readPricingFile(resolve(path), 'user');
}

function readPricingFile(file: string, source: ModelPrice['source']): ModelPrice[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PricingFileError(file, [`cannot read the file (${(error as Error).message})`], { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PricingFileError(file, [`expected JSON (${(error as Error).message})`], { cause: error });
  }
  const problems: string[] = [];
  const models = parseTable(json, source, problems);
  if (problems.length > 0) throw new PricingFileError(file, problems);
  return models;
}

const ENTRY_KEYS = new Set(['id', 'modelName', 'matchPattern', 'startDate', 'prices', 'tiers', '$comment']);
const TIER_KEYS = new Set(['name', 'whenInputTokensAbove', 'prices', '$comment']);
const REQUIRED_PRICE_KEYS = ['input', 'output'] as const;
const OPTIONAL_PRICE_KEYS = ['cachedInput', 'cacheWrite', 'reasoning'] as const;
const PRICE_KEYS = new Set<string>([...REQUIRED_PRICE_KEYS, ...OPTIONAL_PRICE_KEYS]);

type Problems = string[];

function parseTable(json: unknown, source: ModelPrice['source'], problems: Problems): ModelPrice[] {
  if (!isRecord(json)) {
    problems.push(`expected an object with a "models" array (got ${describe(json)})`);
    return [];
  }
  if (!Array.isArray(json.models)) {
    problems.push(`models: expected an array of pricing entries (got ${describe(json.models)})`);
    return [];
  }
  const models: ModelPrice[] = [];
  const seenIds = new Set<string>();
  const seenNames = new Set<string>();
  json.models.forEach((raw: unknown, index: number) => {
    const label = entryLabel(raw, index);
    const entry = parseEntry(raw, source, label, problems);
    if (entry === null) return;
    if (seenIds.has(entry.id)) problems.push(`${label}: id: expected a unique id (got a duplicate "${entry.id}")`);
    if (seenNames.has(entry.modelName)) {
      problems.push(`${label}: modelName: expected a unique modelName (got a duplicate "${entry.modelName}")`);
    }
    seenIds.add(entry.id);
    seenNames.add(entry.modelName);
    models.push(entry);
  });
  return models;
}

function parseEntry(raw: unknown, source: ModelPrice['source'], label: string, problems: Problems): ModelPrice | null {
  if (!isRecord(raw)) {
    problems.push(`${label}: expected an object (got ${describe(raw)})`);
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(raw)) {
    if (!ENTRY_KEYS.has(key)) problems.push(`${label}: ${key}: unknown field (expected one of ${[...ENTRY_KEYS].join(', ')})`);
  }
  const id = nonEmptyString(raw.id, `${label}: id`, problems);
  const modelName = nonEmptyString(raw.modelName, `${label}: modelName`, problems);
  const matchPattern = nonEmptyString(raw.matchPattern, `${label}: matchPattern`, problems);
  const pattern = matchPattern === null ? null : compilePattern(matchPattern, `${label}: matchPattern`, problems);
  const prices = parsePrices(raw.prices, `${label}: prices`, problems);
  const tiers = parseTiers(raw.tiers, `${label}: tiers`, problems);
  const startDateMs = raw.startDate === undefined ? null : parseStartDate(raw.startDate, `${label}: startDate`, problems);
  if (problems.length > before || id === null || modelName === null || matchPattern === null) return null;
  if (pattern === null || prices === null || tiers === null) return null;
  return Object.freeze({ id, modelName, matchPattern, pattern, prices, tiers, startDateMs, dailyWindow: null, provider: null, source });
}

function compilePattern(source: string, field: string, problems: Problems): RegExp | null {
  try {
    return new RegExp(`^(?:${source})$`, 'i');
  } catch (error) {
    problems.push(`${field}: expected a JavaScript regular expression (got ${JSON.stringify(source)}: ${(error as Error).message})`);
    return null;
  }
}

/**
 * An ISO 8601 date (`2025-06-01`, midnight UTC) or date-time (`2025-06-01T12:00:00Z`, with `Z` or
 * an offset) as unix milliseconds; null when it is not one.
 */
export function parseIsoDate(value: string): number | null {
  const parts = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/.exec(value);
  if (parts === null) return null;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  // Date.parse rolls 2025-02-30 over into March: the calendar date must exist as written.
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function parseStartDate(raw: unknown, field: string, problems: Problems): number | null {
  const ms = typeof raw === 'string' ? parseIsoDate(raw) : null;
  if (ms === null) problems.push(`${field}: expected an ISO 8601 date or date-time, e.g. "2025-06-01" (got ${describe(raw)})`);
  return ms;
}

function parsePrices(raw: unknown, field: string, problems: Problems): TokenPrices | null {
  if (!isRecord(raw)) {
    problems.push(`${field}: expected an object with input and output prices in USD per token (got ${describe(raw)})`);
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(raw)) {
    if (!PRICE_KEYS.has(key)) problems.push(`${field}.${key}: unknown price (expected one of ${[...PRICE_KEYS].join(', ')})`);
  }
  const prices: Partial<TokenPrices> = {};
  for (const key of REQUIRED_PRICE_KEYS) {
    if (raw[key] === undefined) problems.push(`${field}.${key}: expected a price in USD per token (got nothing)`);
  }
  for (const key of PRICE_KEYS) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`${field}.${key}: expected a non-negative number in USD per token (got ${describe(value)})`);
      continue;
    }
    prices[key as keyof TokenPrices] = value;
  }
  if (problems.length > before) return null;
  return Object.freeze(prices as TokenPrices);
}

function parseTiers(raw: unknown, field: string, problems: Problems): readonly PriceTier[] | null {
  if (raw === undefined) return Object.freeze([]);
  if (!Array.isArray(raw)) {
    problems.push(`${field}: expected an array (got ${describe(raw)})`);
    return null;
  }
  const before = problems.length;
  const tiers: PriceTier[] = [];
  raw.forEach((tier: unknown, index: number) => {
    const at = `${field}[${index}]`;
    if (!isRecord(tier)) {
      problems.push(`${at}: expected an object (got ${describe(tier)})`);
      return;
    }
    for (const key of Object.keys(tier)) {
      if (!TIER_KEYS.has(key)) problems.push(`${at}.${key}: unknown field (expected one of ${[...TIER_KEYS].join(', ')})`);
    }
    const name = nonEmptyString(tier.name, `${at}.name`, problems);
    const threshold = tier.whenInputTokensAbove;
    if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 0) {
      problems.push(`${at}.whenInputTokensAbove: expected a non-negative integer token count (got ${describe(threshold)})`);
    } else if (tiers.some((other) => other.whenInputTokensAbove === threshold)) {
      problems.push(`${at}.whenInputTokensAbove: expected a threshold no other tier uses (got ${threshold} again)`);
    }
    const prices = parsePrices(tier.prices, `${at}.prices`, problems);
    if (name !== null && typeof threshold === 'number' && prices !== null) {
      tiers.push(Object.freeze({ name, whenInputTokensAbove: threshold, prices }));
    }
  });
  if (problems.length > before) return null;
  return Object.freeze(tiers.sort((a, b) => a.whenInputTokensAbove - b.whenInputTokensAbove));
}

function nonEmptyString(value: unknown, field: string, problems: Problems): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value;
  problems.push(`${field}: expected a non-empty string (got ${describe(value)})`);
  return null;
}

function entryLabel(raw: unknown, index: number): string {
  const id = isRecord(raw) && typeof raw.id === 'string' ? ` (id "${raw.id}")` : '';
  return `models[${index}]${id}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}
