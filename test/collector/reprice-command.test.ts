/**
 * `spanlite reprice` as a child process, on the SQLite file or PostgreSQL database a running
 * collector writes to: with
 * the pricing file it is given, the stored costs become the new price's, with a progress line
 * on stderr and a summary on stdout; bad flags print the usage (exit 2), a database it cannot
 * open one line (exit 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { runSpanlite } from '../helpers/collector-process.js';
import { sendTraces } from '../query/trace-builder.js';
import { describeOnPostgres } from '../helpers/postgres-suite.js';

const T0 = Date.UTC(2025, 7, 1, 12, 0, 0);
const OLD = { input: 0.000001, output: 0.000002 };
const NEW = { input: 0.000003, output: 0.000004 };

let dir: string;
let collector: TestCollector;
let traceIds: string[];

function pricingFile(name: string, prices: { input: number; output: number }): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ models: [{ id: 'acme-7b', modelName: 'acme-7b', matchPattern: 'acme-7b', prices }] }));
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-reprice-cli-'));
  collector = await startTestCollector({ pricingFile: pricingFile('old.json', OLD) });
  traceIds = await sendTraces(collector.tracesEndpoint, [
    { name: 'first', startMs: T0, generations: [{ model: 'acme-7b', inputTokens: 1000, outputTokens: 100 }] },
    { name: 'second', startMs: T0 + 1000, generations: [{ model: 'acme-7b', inputTokens: 10, outputTokens: 1 }, { model: 'acme-7b', inputTokens: 5, outputTokens: 0 }] },
  ]);
});
afterAll(async () => {
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
});

const totalCost = async (traceId: string) => (await collector.getJson(`/api/public/traces/${traceId}`)).totalCost as number;

describe('spanlite reprice', () => {
  it('reprices the stored costs with the pricing file it is given, beside a running collector', async () => {
    expect(await totalCost(traceIds[0]!)).toBeCloseTo(1000 * OLD.input + 100 * OLD.output, 12);
    const run = await runSpanlite(['reprice', '--step', '1', '--progress-ms', '0'], {
      SPANLITE_DB: collector.dbFile,
      SPANLITE_PRICING_FILE: pricingFile('new.json', NEW),
    });
    expect(run.stderr.split('\n').filter((line) => line !== '')).toEqual([
      'spanlite reprice: repriced 1 of 1 examined observations, in 1 trace so far',
      'spanlite reprice: repriced 2 of 2 examined observations, in 2 traces so far',
      'spanlite reprice: repriced 3 of 3 examined observations, in 2 traces so far',
      'spanlite reprice: repriced 3 of 3 examined observations, in 2 traces so far',
    ]);
    expect(run.stdout).toBe('spanlite reprice: project "default": repriced 3 of 3 examined observations, in 2 traces\n');
    expect(run.code).toBe(0);
    expect(await totalCost(traceIds[0]!)).toBeCloseTo(1000 * NEW.input + 100 * NEW.output, 12);
    expect(await totalCost(traceIds[1]!)).toBeCloseTo(15 * NEW.input + 1 * NEW.output, 12);
  });

  it('says nothing was repriced when run again, with no progress line on a short run', async () => {
    const run = await runSpanlite(['reprice', '--model', 'acme-7b', '--from', '2025-08-01', '--to', '2025-08-02T00:00:00Z'], {
      SPANLITE_DB: collector.dbFile,
      SPANLITE_PRICING_FILE: pricingFile('new.json', NEW),
    });
    expect(run).toEqual({ code: 0, stdout: 'spanlite reprice: project "default": repriced 0 of 3 examined observations, in 0 traces\n', stderr: '' });
  });

  it.each([
    [['--from', 'yesterday'], '--from: expected an ISO 8601 date or time, e.g. 2025-06-01T00:00:00Z (got "yesterday")'],
    [['--from', '2025-08-02', '--to', '2025-08-01'], '--to: expected a time at or after --from 2025-08-02 (got "2025-08-01")'],
    [['--step', '0'], '--step: expected an integer 1-10000 (got "0")'],
    [['--models', 'acme-7b'], "Unknown option '--models'"],
  ])('refuses %j with the usage, exit 2', async (args, message) => {
    const run = await runSpanlite(['reprice', ...args], { SPANLITE_DB: collector.dbFile });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('usage: spanlite reprice');
  });

  it('names a database it cannot open in one line, exit 1', async () => {
    const missing = join(dir, 'missing.db');
    expect(await runSpanlite(['reprice'], { SPANLITE_DB: missing })).toEqual({
      code: 1,
      stdout: '',
      stderr: `spanlite reprice: database ${missing} does not exist (SPANLITE_DB)\n`,
    });
    const unreachable = await runSpanlite(['reprice'], { SPANLITE_DB: 'postgres://spanlite:secret@127.0.0.1:1/spanlite' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^spanlite reprice: cannot open PostgreSQL 127\.0\.0\.1:1\/spanlite .*\n$/);
    expect(unreachable.stderr).not.toContain('secret');
  });
});

describeOnPostgres('spanlite reprice on PostgreSQL', (server) => {
  it('reprices the database SPANLITE_DB names, beside a running collector', async () => {
    const url = await server().createDatabase('reprice_cli');
    const running = await startTestCollector({ dbFile: url, dbEngine: 'postgres', dbPoolSize: 4, pricingFile: pricingFile('old-pg.json', OLD) });
    try {
      const [traceId] = await sendTraces(running.tracesEndpoint, [
        { name: 'first', startMs: T0, generations: [{ model: 'acme-7b', inputTokens: 1000, outputTokens: 100 }] },
      ]);
      const run = await runSpanlite(['reprice', '--model', 'acme-7b'], { SPANLITE_DB: url, SPANLITE_PRICING_FILE: pricingFile('new-pg.json', NEW) });
      expect(run).toEqual({ code: 0, stdout: 'spanlite reprice: project "default": repriced 1 of 1 examined observations, in 1 trace\n', stderr: '' });
      expect((await running.getJson(`/api/public/traces/${traceId}`)).totalCost).toBeCloseTo(1000 * NEW.input + 100 * NEW.output, 12);
    } finally {
      await running.close();
    }
  });
});
