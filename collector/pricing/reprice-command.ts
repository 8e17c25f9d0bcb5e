/**
 * `spanlite reprice [--model M] [--from ISO] [--to ISO] [--project P]`: reprices stored
 * observations (pricing/repricer.ts) in the database SPANLITE_DB names, with the prices a
 * collector started with the same configuration uses (the model catalog, SPANLITE_PRICING_FILE,
 * the project's custom models). Safe beside running collectors: each step is a short
 * transaction under the write path's locks (SQLite's write lock, waited for up to its busy
 * timeout; PostgreSQL's trace locks).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CollectorConfig } from '../../config/collector-config.js';
import { loadPricingFile, parseIsoDate } from '../../config/pricing.js';
import { DEFAULT_PROJECT_ID } from '../auth/project-id.js';
import type { CopyableStore } from '../store/contract.js';
import { openSqliteStore } from '../store/sqlite/store.js';
import { openPostgresStore } from '../store/postgres/store.js';
import { describeTarget, postgresTarget } from '../store/postgres/connect.js';
import { loadModelCatalog } from './genai-prices.js';
import { createPriceCatalog } from './price-catalog.js';
import { DEFAULT_REPRICE_STEP, repriceStored, type RepriceFigures, type RepriceRange } from './repricer.js';

const MAX_STEP = 10_000;
const DEFAULT_PROGRESS_MS = 2_000;

export const REPRICE_USAGE = `usage: spanlite reprice [--model M] [--from ISO] [--to ISO] [--project P]

Recomputes the costs of stored observations with the prices a collector started with the same
configuration uses (the model catalog, SPANLITE_PRICING_FILE, the project's custom models), and
their traces' totals, daily metrics and session and user totals. Costs an app reported are never
changed. Runs in short batches, safe while collectors write to the same database.

  --model M         only observations whose model is exactly M (default: every model)
  --from ISO        only observations that started at or after this time (ISO 8601)
  --to ISO          only observations that started before this time
  --project P       the project (default "${DEFAULT_PROJECT_ID}", the project of a collector without API keys)
  --step N          observations per batch (default ${DEFAULT_REPRICE_STEP}, 1 to ${MAX_STEP})
  --progress-ms N   milliseconds between progress lines on stderr (default ${DEFAULT_PROGRESS_MS})`;

export interface RepriceCommandIo {
  out(text: string): void;
  /** Errors and progress lines. */
  err(text: string): void;
  now?: () => number;
}

/** What the command takes of the collector's configuration. */
export type RepriceConfig = Pick<CollectorConfig, 'dbFile' | 'dbEngine' | 'pricingFile'>;

interface RepriceArgs {
  projectId: string;
  range: RepriceRange;
  stepLimit: number;
  progressMs: number;
}

/** Resolves with the exit code: 0 done, 1 the database failed, 2 usage. */
export async function runRepriceCommand(args: readonly string[], config: RepriceConfig, io: RepriceCommandIo): Promise<number> {
  const parsed = parseRepriceArgs(args);
  if ('help' in parsed) {
    io.out(REPRICE_USAGE);
    return 0;
  }
  if ('refused' in parsed) {
    io.err(`spanlite reprice: ${parsed.refused}\n\n${REPRICE_USAGE}`);
    return 2;
  }
  let filePrices;
  try {
    filePrices = config.pricingFile === undefined ? [] : loadPricingFile(config.pricingFile);
  } catch (error) {
    io.err(`spanlite reprice: SPANLITE_PRICING_FILE: ${(error as Error).message}`);
    return 2;
  }
  let store: CopyableStore | undefined;
  try {
    store = await openStore(config);
    const prices = await createPriceCatalog({ filePrices, catalog: await loadModelCatalog(), store });
    const now = io.now ?? Date.now;
    let lastLineMs = now();
    const figures = await repriceStored(parsed.projectId, parsed.range, {
      store,
      prices,
      stepLimit: parsed.stepLimit,
      onProgress(soFar) {
        if (now() - lastLineMs < parsed.progressMs) return;
        lastLineMs = now();
        io.err(`spanlite reprice: ${describe(soFar)} so far`);
      },
    });
    io.out(`spanlite reprice: project "${parsed.projectId}": ${describe(figures)}`);
    return 0;
  } catch (error) {
    io.err(`spanlite reprice: ${(error as Error).message}`);
    return 1;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

/** The flags, `help`, or why they are refused. */
function parseRepriceArgs(args: readonly string[]): RepriceArgs | { help: true } | { refused: string } {
  const refuse = (refused: string) => ({ refused });
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        model: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        project: { type: 'string' },
        step: { type: 'string' },
        'progress-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return refuse((error as Error).message);
  }
  if (values.help === true) return { help: true };
  const range: RepriceRange = {};
  if (values.model !== undefined) {
    if (values.model.trim() === '') return refuse('--model: expected a model name (got "")');
    range.model = values.model;
  }
  for (const [flag, field] of [['from', 'fromTimeUnixNano'], ['to', 'toTimeUnixNano']] as const) {
    const value = values[flag];
    if (value === undefined) continue;
    const ms = parseIsoDate(value);
    if (ms === null) return refuse(`--${flag}: expected an ISO 8601 date or time, e.g. 2025-06-01T00:00:00Z (got "${value}")`);
    range[field] = BigInt(ms) * 1_000_000n;
  }
  if (range.fromTimeUnixNano !== undefined && range.toTimeUnixNano !== undefined && range.fromTimeUnixNano > range.toTimeUnixNano) {
    return refuse(`--to: expected a time at or after --from ${values.from} (got "${values.to}")`);
  }
  const projectId = values.project ?? DEFAULT_PROJECT_ID;
  if (projectId.trim() === '') return refuse('--project: expected a project id (got "")');
  const stepLimit = integerFlag(values.step, DEFAULT_REPRICE_STEP, 1, MAX_STEP);
  if (stepLimit === null) return refuse(`--step: expected an integer 1-${MAX_STEP} (got "${values.step}")`);
  const progressMs = integerFlag(values['progress-ms'], DEFAULT_PROGRESS_MS, 0, Number.MAX_SAFE_INTEGER);
  if (progressMs === null) return refuse(`--progress-ms: expected a non-negative integer (got "${values['progress-ms']}")`);
  return { projectId, range, stepLimit, progressMs };
}

function integerFlag(value: string | undefined, fallback: number, min: number, max: number): number | null {
  if (value === undefined) return fallback;
  const number = Number(value);
  return /^\d+$/.test(value) && number >= min && number <= max ? number : null;
}

/** A SQLite file must exist: repricing never creates a database. */
async function openStore(config: RepriceConfig): Promise<CopyableStore> {
  if (config.dbEngine === 'postgres') {
    try {
      return await openPostgresStore({ url: config.dbFile, poolSize: 2 });
    } catch (error) {
      throw new Error(`cannot open PostgreSQL ${describeTarget(postgresTarget(config.dbFile))}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (!existsSync(config.dbFile)) throw new Error(`database ${resolve(config.dbFile)} does not exist (SPANLITE_DB)`);
  return openSqliteStore({ file: config.dbFile });
}

/** `repriced 1,234 of 56,789 examined observations, in 321 traces` */
function describe({ observations, traces, examined }: RepriceFigures): string {
  const count = (n: number) => n.toLocaleString('en-US');
  return `repriced ${count(observations)} of ${count(examined)} examined observations, in ${count(traces)} trace${traces === 1 ? '' : 's'}`;
}
