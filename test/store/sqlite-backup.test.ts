/**
 * `spanlite backup FILE` run as a child process (the bundled CLI) on the database of a collector
 * process that goes on ingesting meanwhile: the copy is a consistent SQLite database on which a
 * second collector serves every trace acknowledged before the backup began. In process, with a
 * commit between every two steps of the copy: the copy is the database as it was when the backup
 * began. And the command's refusals: an existing FILE without --force, a missing database or
 * folder, PostgreSQL.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorScript, runSpanlite, startCollectorProcess, type CollectorProcess } from '../helpers/collector-process.js';
import { exportSpans, otlpExporter } from '../helpers/otel-sdk.js';
import { recordSeedScenario } from '../helpers/seed-scenario.js';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { backupSqliteDatabase } from '../../collector/store/sqlite/backup.js';
import type { TraceStore } from '../../collector/store/contract.js';
import { batchOf, traceIdOf, writeTraces, type TraceSpec } from './trace-spans.js';

const TRACES_PER_EXPORT = 50;
const TRACES_BEFORE_BACKUP = 500;
/** Bounds on the ingest that runs during the backup. */
const MAX_EXPORTS_DURING_BACKUP = 400;
const MAX_INGEST_MS_DURING_BACKUP = 60_000;

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-backup-'));
  await collectorScript();
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function recordTraces(count: number): Promise<ReadableSpan[]> {
  const traces = await Promise.all(Array.from({ length: count }, () => recordSeedScenario()));
  return traces.flat();
}

async function stop(collector: CollectorProcess): Promise<void> {
  collector.child.kill('SIGTERM');
  await collector.exited;
}

describe('spanlite backup while a collector ingests', () => {
  it('writes a copy on which a collector serves every trace acknowledged before the backup began', { timeout: 180_000 }, async () => {
    const dbFile = join(dir, 'live', 'spanlite.db');
    const backupFile = join(dir, 'copy.db');
    const live = await startCollectorProcess(dbFile);
    const exporter = otlpExporter('protobuf', live.tracesEndpoint);
    const acknowledged: string[] = [];
    const send = async () => {
      const spans = await recordTraces(TRACES_PER_EXPORT);
      await exportSpans(exporter, spans);
      acknowledged.push(...new Set(spans.map((span) => span.spanContext().traceId)));
    };
    let backupDone = false;
    try {
      while (acknowledged.length < TRACES_BEFORE_BACKUP) await send();
      const beforeBackup = [...acknowledged];

      const backup = runSpanlite(['backup', backupFile], { SPANLITE_DB: dbFile }).finally(() => {
        backupDone = true;
      });
      const startedAt = Date.now();
      let exportsDuring = 0;
      while (!backupDone && exportsDuring < MAX_EXPORTS_DURING_BACKUP && Date.now() - startedAt < MAX_INGEST_MS_DURING_BACKUP) {
        await send();
        exportsDuring++;
      }
      const run = await backup;
      expect(run.stderr).toMatch(/spanlite backup: 0% \(0 of \d+ pages\)/);
      expect(run.stderr).toMatch(/spanlite backup: 100% \((\d+) of \1 pages\)/);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`${backupFile} written`);
      expect(exportsDuring).toBeGreaterThan(0);
      await stop(live);

      const copy = new Database(backupFile, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      copy.close();

      const restored = await startCollectorProcess(backupFile);
      try {
        const observationCounts = new Set<number>();
        for (const traceId of beforeBackup) {
          const response = await fetch(`${restored.url}/api/public/traces/${traceId}`);
          expect(response.status).toBe(200);
          observationCounts.add(((await response.json()) as { observations: unknown[] }).observations.length);
        }
        // Every trace whole: each export was one commit of whole traces.
        expect(observationCounts.size).toBe(1);
      } finally {
        await stop(restored);
      }
    } finally {
      if (live.child.exitCode === null) await stop(live);
    }
  });
});

const PROJECT = 'backup-project';
const T0 = Date.UTC(2025, 5, 1, 8, 0, 0);

/** Traces of about 40 KB each, so that a few hundred fill the several steps of a copy. */
function bulkyTraces(first: number, count: number): TraceSpec[] {
  return Array.from({ length: count }, (_, n) => ({
    id: traceIdOf(0xb000 + first + n),
    name: `bulky ${first + n}`,
    startMs: T0 + (first + n) * 1000,
    input: `question ${first + n} `.repeat(2_000),
    generations: [{ model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 2 }],
  }));
}

async function traceCount(store: TraceStore): Promise<number> {
  const page = await store.listTraces(PROJECT, { page: 1, limit: 1, orderBy: { field: 'timestamp', direction: 'desc' } });
  return page.meta.totalItems;
}

describe('the SQLite backup with commits between its steps', () => {
  it('copies the database as it was when the backup began, in one pass', async () => {
    const source = join(dir, 'snapshot', 'spanlite.db');
    const target = join(dir, 'snapshot', 'copy.db');
    const live = openSqliteStore({ file: source });
    const before = 400;
    await writeTraces(live, PROJECT, bulkyTraces(0, before));
    let steps = 0;
    let written = before;
    const commits: Array<Promise<unknown>> = [];
    try {
      const result = await backupSqliteDatabase({
        source,
        target,
        onProgress({ copiedPages, totalPages }) {
          steps++;
          // Bounded: a copy that started over at every commit would otherwise never end.
          if (copiedPages === totalPages || steps > 100) return;
          // Committed (in a microtask) before the next step begins.
          commits.push(live.writeBatches([batchOf(PROJECT, bulkyTraces(written, 5))]));
          written += 5;
        },
      });
      await Promise.all(commits);
      expect(written - before).toBeGreaterThanOrEqual(10);
      // One pass: a step per 1,024 pages at least, plus the first (empty) step and the last report.
      expect(steps).toBeLessThanOrEqual(Math.ceil(result.pages / 1_024) + 2);
      expect(await traceCount(live)).toBe(written);
    } finally {
      await live.close();
    }
    const copy = openSqliteStore({ file: target });
    try {
      expect(await traceCount(copy)).toBe(before);
    } finally {
      await copy.close();
    }
  });
});

describe('spanlite backup refusals', () => {
  const dbFile = () => join(dir, 'refusals', 'spanlite.db');

  beforeAll(async () => {
    // `spanlite keys create` makes a database with the whole schema, no collector needed.
    expect((await runSpanlite(['keys', 'create', '--project', 'web'], { SPANLITE_DB: dbFile() })).code).toBe(0);
  });

  it('does not replace an existing FILE unless --force', async () => {
    const target = join(dir, 'refusals', 'existing.db');
    expect((await runSpanlite(['backup', target], { SPANLITE_DB: dbFile() })).code).toBe(0);
    const again = await runSpanlite(['backup', target], { SPANLITE_DB: dbFile() });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`spanlite backup: ${target} exists; pass --force to replace it`);
    const forced = await runSpanlite(['backup', target, '--force'], { SPANLITE_DB: dbFile() });
    expect(forced.code).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) AS keys FROM api_keys').get()).toEqual({ keys: 1 });
    copy.close();
  });

  it('says which database file is missing, and which folder of FILE', async () => {
    const missingDb = join(dir, 'nowhere', 'spanlite.db');
    const noDb = await runSpanlite(['backup', join(dir, 'a.db')], { SPANLITE_DB: missingDb });
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toContain(`SPANLITE_DB ${missingDb}: no such file`);

    const missingFolder = join(dir, 'no-such-folder');
    const noFolder = await runSpanlite(['backup', join(missingFolder, 'copy.db')], { SPANLITE_DB: dbFile() });
    expect(noFolder.code).toBe(1);
    expect(noFolder.stderr).toContain(`the folder ${missingFolder} does not exist`);
  });

  it('points a PostgreSQL database to pg_dump, without printing its password', async () => {
    const run = await runSpanlite(['backup', join(dir, 'pg.db')], { SPANLITE_DB: 'postgres://spanlite:s3cret-pw@127.0.0.1:5432/traces' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pg_dump');
    expect(run.stderr).toContain('127.0.0.1:5432/traces');
    expect(run.stderr).not.toContain('s3cret-pw');
  });

  it('needs exactly one FILE', async () => {
    const run = await runSpanlite(['backup'], { SPANLITE_DB: dbFile() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: spanlite backup FILE [--force]');
  });
});
