/**
 * Versioned schema migrations, applied in order at open; `PRAGMA user_version` records the last
 * one applied. Append new migrations; never edit one that has shipped.
 *
 * Times are INTEGER unix nanoseconds (read back with safeIntegers, since they exceed 2^53).
 * JSON columns hold JSON text.
 *
 * Since migration 6, observations and scores are rowid tables: their indexes no longer
 * end with the primary key by themselves, so an index meant to answer a query that reads ids
 * must name the key columns (see store/sqlite/schema/rowid-migration.ts).
 */
import type { Database } from 'better-sqlite3';
import { QUERY_API_MIGRATION } from './query-migration.js';
import { rebuildWideTablesWithRowids } from './rowid-migration.js';
import { replaceObservationIdIndex } from '../search/observation-ids.js';
import { rebuildMisfiledSearchIndex } from './search-repair.js';
import { keyObservationsByTraceKey, keyScoresAndTagsByTraceKey, keyTracesByTraceKey } from './trace-key-migration.js';
import { WORD_INDEX_CRISIS_SEGMENTS, WORD_INDEX_MERGE_SEGMENTS } from '../upkeep/word-index-merge.js';

/** SQL to run, or a step that needs to read the schema first. */
export type Migration = string | ((db: Database) => void);

export const MIGRATIONS: readonly Migration[] = [
  /* 1: traces, observations, scores */ `
  CREATE TABLE traces (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT,
    user_id TEXT,
    session_id TEXT,
    release TEXT,
    version TEXT,
    environment TEXT NOT NULL DEFAULT 'default',
    tags TEXT NOT NULL DEFAULT '[]',
    metadata TEXT NOT NULL DEFAULT '{}',
    input TEXT,
    output TEXT,
    public INTEGER NOT NULL DEFAULT 0,
    start_time_ns INTEGER NOT NULL,
    end_time_ns INTEGER NOT NULL,
    total_cost REAL,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    total_tokens INTEGER NOT NULL DEFAULT 0,
    fact_ranks TEXT NOT NULL DEFAULT '{}',
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (project_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX traces_by_time ON traces (project_id, start_time_ns DESC);
  CREATE INDEX traces_by_user ON traces (project_id, user_id, start_time_ns DESC);
  CREATE INDEX traces_by_session ON traces (project_id, session_id, start_time_ns);
  CREATE INDEX traces_by_name ON traces (project_id, name, start_time_ns DESC);

  CREATE TABLE trace_tags (
    project_id TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (project_id, tag, trace_id)
  ) WITHOUT ROWID;

  CREATE TABLE observations (
    project_id TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    parent_observation_id TEXT,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    start_time_ns INTEGER NOT NULL,
    end_time_ns INTEGER,
    completion_start_time_ns INTEGER,
    level TEXT NOT NULL,
    status_message TEXT,
    version TEXT,
    model TEXT,
    model_parameters TEXT,
    input TEXT,
    output TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    input_tokens INTEGER,
    output_tokens INTEGER,
    total_tokens INTEGER,
    cached_input_tokens INTEGER,
    cache_write_tokens INTEGER,
    reasoning_tokens INTEGER,
    cost_details TEXT,
    total_cost REAL,
    cost_missing_reason TEXT,
    counts_in_trace_totals INTEGER NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    resource_attributes TEXT NOT NULL DEFAULT '{}',
    scope_name TEXT NOT NULL DEFAULT '',
    scope_version TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, trace_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX observations_by_id ON observations (project_id, id);

  CREATE TABLE scores (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    observation_id TEXT,
    name TEXT NOT NULL,
    value REAL,
    string_value TEXT,
    data_type TEXT NOT NULL,
    comment TEXT,
    source TEXT NOT NULL,
    time_ns INTEGER NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (project_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX scores_by_trace ON scores (project_id, trace_id);
  CREATE INDEX scores_by_name ON scores (project_id, name, value);
  `,
  /* 2: chat messages from GenAI log records, joined to their span's observation (store/sqlite/write/log-join.ts) */ `
  CREATE TABLE gen_ai_log_messages (
    project_id TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    id TEXT NOT NULL,
    direction TEXT NOT NULL,
    time_ns INTEGER NOT NULL,
    arrival INTEGER NOT NULL,
    message TEXT NOT NULL,
    waiting INTEGER NOT NULL,
    PRIMARY KEY (project_id, trace_id, span_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX gen_ai_log_messages_waiting ON gen_ai_log_messages (project_id, trace_id, span_id) WHERE waiting = 1;
  `,
  /* 3: query API: filter indexes, daily/session/user rollups, full-text search, custom model prices (issue 5) */
  QUERY_API_MIGRATION,
  /*
   * 4: API keys (issue 7; collector/auth). The key id is embedded in both keys, so a secret sent
   * alone (Bearer, x-api-key) is found by it. Only a salted hash of the secret is kept. Revoked
   * keys stay (revoked_at_ms set): the collector stays keyed once a key was ever created.
   */ `
  CREATE TABLE api_keys (
    id TEXT NOT NULL PRIMARY KEY,
    project_id TEXT NOT NULL,
    public_key TEXT NOT NULL UNIQUE,
    secret_hash_scheme TEXT NOT NULL,
    secret_salt BLOB NOT NULL,
    secret_hash BLOB NOT NULL,
    secret_hint TEXT NOT NULL,
    note TEXT,
    created_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX api_keys_by_project ON api_keys (project_id, created_at_ms);
  `,
  /*
   * 5: query API reads (issue 5). scores_by_trace widens (same prefix, so score probes still use
   * it) to carry what a trace list row shows of its scores without reading the score rows (`id`
   * named, so it stays covering in a rowid table); ERROR observations by time, a partial index as
   * small as the errors, for the daily error counts.
   */ `
  DROP INDEX scores_by_trace;
  CREATE INDEX scores_by_trace ON scores (project_id, trace_id, name, value, string_value, data_type, source, observation_id, id);
  CREATE INDEX observations_errors_by_time ON observations (project_id, start_time_ns, trace_id) WHERE level = 'ERROR';
  `,
  /* 6: observations and scores as rowid tables, for ingest throughput (store/sqlite/schema/rowid-migration.ts) */
  rebuildWideTablesWithRowids,
  /* 7: tags are counted by the batch writer (store/sqlite/write/batch-writer.ts), no longer by a trigger per tag row */ `
  DROP TRIGGER trace_tags_count_insert;
  `,
  /* 8: score names some trace has more than once, for cheap counts of score filters (store/sqlite/write/score-repeats.ts) */ `
  CREATE TABLE score_name_repeats (
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (project_id, name)
  ) WITHOUT ROWID;
  INSERT INTO score_name_repeats (project_id, name)
    SELECT DISTINCT project_id, name FROM scores GROUP BY project_id, trace_id, name HAVING count(*) > 1;
  `,
  /* 9: the full-text index is rebuilt when documents were indexed under rounded ids (store/sqlite/schema/search-repair.ts) */
  rebuildMisfiledSearchIndex,
  /* 10: observations are found by id through a full-text index of their ids, not a b-tree index (store/sqlite/search/observation-ids.ts) */
  replaceObservationIdIndex,
  /*
   * 11: the word index merges its segments only when a level holds sixteen (FTS5's crisismerge),
   * sixteen into one, rather than four at a time as it goes (automerge). The merges are the cost
   * of ingest that grows with the database; measured, store alone at 200-300k spans: 2,129 ->
   * 2,800 spans/s, with full-text queries as fast (p50 within 20% at 300k spans).
   */ `
  INSERT INTO search_words (search_words, rank) VALUES ('automerge', 0);
  `,
  /* 12: observations keyed by a trace key given in arrival order, not by the random trace id (store/sqlite/schema/trace-key-migration.ts) */
  keyObservationsByTraceKey,
  /* 13: scores and tags keyed by trace key too (store/sqlite/schema/trace-key-migration.ts) */
  keyScoresAndTagsByTraceKey,
  /* 14: traces as a rowid table whose rowid is the trace key, so new traces are appended (store/sqlite/schema/trace-key-migration.ts) */
  keyTracesByTraceKey,
  /*
   * 15: the word index merges in steps of its own after each group commit (store/sqlite/upkeep/word-index-merge.ts),
   * sixteen segments at a time as before; the crisis merge inside a commit stays as a backstop.
   */ `
  INSERT INTO search_words (search_words, rank) VALUES ('usermerge', ${WORD_INDEX_MERGE_SEGMENTS});
  INSERT INTO search_words (search_words, rank) VALUES ('crisismerge', ${WORD_INDEX_CRISIS_SEGMENTS});
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Told before and after an existing database is upgraded: some steps rewrite whole tables. */
export type MigrationProgress = (event: { phase: 'start' | 'done'; from: number; to: number; seconds: number }) => void;

/** Brings the database to SCHEMA_VERSION; refuses a database written by a newer spanlite. */
export function migrate(db: Database, file: string, progress?: MigrationProgress): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `database ${file}: schema version ${current} is newer than this spanlite understands (${SCHEMA_VERSION}); upgrade spanlite`,
    );
  }
  if (current === 0 && db.pragma('auto_vacuum', { simple: true }) === 0) {
    // Free pages go back to the file system in retention's small steps (store/sqlite/upkeep/retention.ts). The
    // mode is fixed when the file is first written (journal_mode = WAL already did), so a VACUUM
    // of the still empty database applies it. Databases created before keep NONE.
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  }
  const upgrading = current > 0 && current < SCHEMA_VERSION;
  const startedAt = performance.now();
  if (upgrading) progress?.({ phase: 'start', from: current, to: SCHEMA_VERSION, seconds: 0 });
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    db.transaction(() => {
      applyMigration(db, MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
  if (upgrading) progress?.({ phase: 'done', from: current, to: SCHEMA_VERSION, seconds: (performance.now() - startedAt) / 1000 });
}

export function applyMigration(db: Database, migration: Migration): void {
  if (typeof migration === 'string') db.exec(migration);
  else migration(db);
}
