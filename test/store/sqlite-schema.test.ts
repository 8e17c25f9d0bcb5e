/**
 * The SQLite schema at open (store/sqlite/migrate.ts): a new file gets the whole schema (version
 * 1 and the migrations after it); a version 1 file is migrated, its rows kept; a file this
 * spanlite cannot read (made by a development build, or by a newer spanlite) is
 * refused with a message that says which and what to do, by the store, the key store and the
 * `spanlite` command alike, and is left as it was.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../collector/store/sqlite/store.js';
import { openSqliteKeyStore } from '../../collector/store/sqlite/keys.js';
import { SCHEMA_VERSION } from '../../collector/store/sqlite/migrate.js';
import { SCHEMA } from '../../collector/store/sqlite/schema.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { decodedSpan } from '../helpers/decoded-span.js';
import { collectorScript } from '../helpers/collector-process.js';

/** Every table of the schema, FTS5's own tables and SQLite's statistics left out. */
const TABLES = [
  'api_keys',
  'custom_models',
  'daily_traces',
  'daily_usage',
  'gen_ai_log_messages',
  'observation_ids',
  'observations',
  'score_name_repeats',
  'scores',
  'search_cjk',
  'search_cjk_terms',
  'search_docs',
  'search_words',
  'session_stats',
  'tag_counts',
  'trace_keys',
  'trace_tags',
  'traces',
  'unstored_score_traces',
  'user_stats',
];
const FULL_TEXT_TABLE = /_(config|data|docsize|idx)$/;

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-schema-'));
  file = join(dir, 'spanlite.db');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function read<T>(query: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

/** A file as a development build left it: its own tables, stamped `version`. */
function developmentFile(version: number): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE traces (project_id TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (project_id, id)) WITHOUT ROWID`);
  db.pragma(`user_version = ${version}`);
  db.close();
}

const tables = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[]).filter(
    (name) => !FULL_TEXT_TABLE.test(name),
  );

describe('a new database', () => {
  it('is created at the latest schema version with every table, incremental auto-vacuum and the word index merge settings', async () => {
    await openSqliteStore({ file }).close();
    expect(SCHEMA_VERSION).toBe(2);
    read((db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
      expect(tables(db)).toEqual(TABLES);
      expect(db.prepare(`SELECT k, v FROM search_words_config WHERE k <> 'version' ORDER BY k`).all()).toEqual([
        { k: 'automerge', v: 0 },
        { k: 'crisismerge', v: 64 },
        { k: 'usermerge', v: 16 },
      ]);
    });
  });

  it('opens again as it was, its rows kept, from the store and the key store', async () => {
    const store = openSqliteStore({ file });
    const span = mapSpan(decodedSpan({ name: 'kept' }));
    expect(await store.writeBatches([{ projectId: 'default', spans: [span] }])).toEqual([{ ok: true }]);
    await store.close();
    const schema = read((db) => db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY name`).all());

    const reopened = openSqliteStore({ file });
    await openSqliteKeyStore({ file }).close();
    try {
      expect((await reopened.getTrace('default', span.observation!.traceId))?.name).toBe('kept');
    } finally {
      await reopened.close();
    }
    read((db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      expect(db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY name`).all()).toEqual(schema);
    });
  });
});

describe('a version 1 database', () => {
  it('is migrated to version 2: its custom prices kept, priced for spans of any date', async () => {
    const db = new Database(file);
    db.exec(SCHEMA);
    db.prepare(
      `INSERT INTO custom_models (project_id, id, model_name, match_pattern, prices, tiers, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run('default', 'kept', 'acme-7b', 'acme-7b', '{"input":0.000001,"output":0.000002}', '[]', 1000);
    db.pragma('user_version = 1');
    db.close();

    const store = openSqliteStore({ file });
    try {
      expect(await store.listCustomModels('default')).toEqual([
        { id: 'kept', modelName: 'acme-7b', matchPattern: 'acme-7b', startDateMs: null, prices: { input: 0.000001, output: 0.000002 }, tiers: [], createdAtMs: 1000 },
      ]);
    } finally {
      await store.close();
    }
    read((db) => expect(db.pragma('user_version', { simple: true })).toBe(2));
  });
});

describe('a database this spanlite cannot read', () => {
  it.each([3, 15])('is refused when stamped schema version %i, naming a development build, a newer spanlite and the fix', async (version) => {
    developmentFile(version);
    const refusal =
      `database ${file}: created by a development build of spanlite or by a newer spanlite (schema version ${version}; ` +
      'this spanlite reads version 2); delete it or start with a new SPANLITE_DB, or open it with the spanlite that created it';
    expect(() => openSqliteStore({ file })).toThrow(refusal);
    expect(() => openSqliteKeyStore({ file })).toThrow(refusal);
    read((db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(version);
      expect(tables(db)).toEqual(['traces']);
    });
  });

  it('is refused when stamped version 1 by a development build, whose schema lacks trace keys', async () => {
    developmentFile(1);
    expect(() => openSqliteStore({ file })).toThrow(
      `database ${file}: created by a development build of spanlite (schema version 1); delete it or start with a new SPANLITE_DB`,
    );
    read((db) => expect(tables(db)).toEqual(['traces']));
  });

  it('stops `spanlite start` with the refusal as its message and exit code 1, and `spanlite keys` likewise', async () => {
    developmentFile(15);
    const script = await collectorScript();
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const env = { PATH: process.env.PATH, SPANLITE_DB: file, SPANLITE_HOST: '127.0.0.1', SPANLITE_PORT: '0', SPANLITE_GRPC_PORT: 'off' };
        execFile(process.execPath, [script, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
          resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
        });
      });
    const refusal = `database ${file}: created by a development build of spanlite or by a newer spanlite (schema version 15;`;

    const start = await run(['start']);
    expect(start.code).toBe(1);
    const logged = start.stdout.trim().split('\n').map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(logged).toEqual([expect.objectContaining({ level: 60, msg: expect.stringContaining(`spanlite could not start: ${refusal}`) })]);

    const keys = await run(['keys', 'list']);
    expect(keys.code).toBe(1);
    expect(keys.stderr).toContain(`spanlite keys: ${refusal}`);
  }, 60_000);
});
