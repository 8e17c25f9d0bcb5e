/**
 * The SQLite schema: every table, index, trigger and full-text index the store uses, with why
 * each exists. migrate.ts runs it on a new database as migration 1. Once released it is not
 * edited: a change is a new migration appended in migrate.ts.
 *
 * - Times are INTEGER unix nanoseconds (`_ns`; read back with safeIntegers, since they exceed
 *   2^53) or milliseconds (`_ms`). JSON columns hold JSON text.
 * - Most tables start their key with `project_id`: every read is scoped to one project.
 * - Rows under a trace (observations, scores, tags) are keyed by its trace key
 *   (write/trace-keys.ts), a number given in arrival order, not by the random trace id: a
 *   commit's new index entries then land together at the end of each index.
 * - observations, scores and traces are rowid tables, so their wide rows are appended in arrival
 *   order. Their indexes end with the rowid, not the key: an index meant to answer a query that
 *   selects ids names the id columns itself.
 * - Derived tables (rollups, full-text documents) are written by triggers on `traces` and
 *   `trace_tags` (a trace row is written once per batch that touches it), on `scores` for
 *   `unstored_score_traces` alone (scores are few beside spans), and by the batch
 *   writer's hooks (write/batch-derived.ts) for what follows from observations: any INSERT
 *   trigger on `observations`, even an empty one, costs each of its wide rows about a third more,
 *   measured.
 *
 * Constants interpolated below (document id spacing, text limits, merge settings) are part of
 * the released schema: changing one needs a migration too.
 *
 * The migrations after version 1 follow SCHEMA at the end of this file, in order.
 */
import { ARABIC_OPTIONAL_MARK_CHARS, MAX_DOCUMENT_CHARS } from '../search-text.js';
import { DOC_IDS_PER_MS, NO_SPACE_SCRIPT_GLOB } from './search/search-text.js';
import { WORD_INDEX_CRISIS_SEGMENTS, WORD_INDEX_MERGE_SEGMENTS } from './upkeep/word-index-merge.js';

/** Unix nanoseconds in one UTC day: `time_ns / NS_PER_DAY` is the day number. */
const NS_PER_DAY = '86400000000000';

export const SCHEMA = `
  ------------------------------------------------------------------------------------------------
  -- Traces and what they hold
  ------------------------------------------------------------------------------------------------

  -- One row per trace, merged from every span that names it (store/trace-merge.ts). The rowid is
  -- the trace key, so a new trace is appended and the batch writer reads and updates a trace by
  -- key. Totals are sums over the observations that count in trace totals; fact_ranks records
  -- which span gave each fact, so that a later span only replaces a fact it outranks.
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
    trace_key INTEGER PRIMARY KEY
  );
  -- A trace list finds the ids of its page from one of these narrow indexes, then reads only those
  -- rows (read/traces.ts). Each holds \`id\`, so that the first step never reads a trace row.
  -- The newest page and time ranges; retention's oldest traces first.
  CREATE INDEX traces_by_time ON traces (project_id, start_time_ns DESC, id);
  -- The userId filter; a user's observations and scores (their trace keys).
  CREATE INDEX traces_by_user ON traces (project_id, user_id, start_time_ns DESC, id);
  -- A session's traces in time order (session detail); a session's first and last trace (rollup triggers).
  CREATE INDEX traces_by_session ON traces (project_id, session_id, start_time_ns, id);
  -- The name filter, and lists ordered by name.
  CREATE INDEX traces_by_name ON traces (project_id, name, start_time_ns DESC, id);
  -- A trace by id: trace detail, a page's rows, the traces of a condition on another table (tags,
  -- level, model, score, full text); its start, end and cost come along, so conditions on them
  -- are checked without reading the row.
  CREATE INDEX traces_keys ON traces (project_id, id, start_time_ns, end_time_ns, total_cost);
  -- Cost ranges, and lists ordered by cost.
  CREATE INDEX traces_by_cost ON traces (project_id, total_cost, start_time_ns, id);
  -- Latency ranges, and lists ordered by latency.
  CREATE INDEX traces_by_latency ON traces (project_id, (end_time_ns - start_time_ns), start_time_ns, id);

  -- The trace key of each trace id, given at first sight of the id, whatever arrives first (a
  -- span, a log record, a score sent before its trace): so it is a table of its own, not a column
  -- of traces. The UNIQUE constraint's index finds a key by trace id; the key (rowid) finds the id.
  CREATE TABLE trace_keys (
    key INTEGER PRIMARY KEY,
    project_id TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    UNIQUE (project_id, trace_id)
  );

  -- Spans, generations, events...: one row per observation. The id is the span id, unique only
  -- within its trace.
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
    trace_key INTEGER NOT NULL
  );
  -- The key: a re-sent span is ignored (ON CONFLICT DO NOTHING); a trace's observations (trace
  -- detail, a list row's observation ids, deletion); one by trace and id (by id, the log join).
  CREATE UNIQUE INDEX observations_by_trace ON observations (project_id, trace_key, id);
  -- The model filter of trace lists (trace ids for the set form, keys for probes and counts), and
  -- whether a trace's observation is its first on a model (daily_usage's trace count).
  CREATE INDEX observations_by_model ON observations (project_id, model, trace_key, trace_id) WHERE model IS NOT NULL;
  -- Observation lists, newest first; the commonest filters (type, level) are checked in the index.
  CREATE INDEX observations_by_time ON observations (project_id, start_time_ns, type, level, trace_id, id);
  -- The level filter of trace lists, and each list row's worst level, as small as the
  -- warnings and errors.
  CREATE INDEX observations_by_level ON observations (project_id, level, trace_id, id) WHERE level IN ('ERROR', 'WARNING');
  -- Daily error counts (read/metrics.ts): they cost what the errors number, not the spans.
  CREATE INDEX observations_errors_by_time ON observations (project_id, start_time_ns, trace_id, id) WHERE level = 'ERROR';

  -- Scores, from evaluation events on spans or from the API, upserted on the client's id (the
  -- primary key's index). Every writer sets trace_key, though the column allows NULL.
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
    trace_key INTEGER,
    PRIMARY KEY (project_id, id)
  );
  -- The traces of a score condition (trace lists' set form and counts).
  CREATE INDEX scores_by_name_value ON scores (project_id, name, value, trace_id, id);
  -- A trace's scores: "has this trace a score <name> <op> <value>" probes, and everything a trace
  -- list row shows of its scores, from the index alone; trace detail; repeats of a name.
  CREATE INDEX scores_by_trace ON scores (project_id, trace_key, name, value, string_value, data_type, source, observation_id, id);
  -- Score lists, newest first, and their time ranges.
  CREATE INDEX scores_by_time ON scores (project_id, time_ns, id);

  -- A trace's tags (also kept as JSON in traces.tags): the tag filter. The key finds a tag's
  -- traces by key (probes, counts of several tags); trace_id rides along for lists by tag.
  CREATE TABLE trace_tags (
    project_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    trace_key INTEGER NOT NULL,
    trace_id TEXT NOT NULL,
    PRIMARY KEY (project_id, tag, trace_key)
  ) WITHOUT ROWID;

  -- Chat messages from GenAI log records, joined to their span's observation whichever arrives
  -- first (write/log-join.ts): the key reads a span's messages and makes a re-sent record a no-op.
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
  -- Messages whose span is not stored yet: loaded at open, joined when it arrives, and deleted by
  -- retention when it never does.
  CREATE INDEX gen_ai_log_messages_waiting ON gen_ai_log_messages (project_id, trace_id, span_id) WHERE waiting = 1;

  ------------------------------------------------------------------------------------------------
  -- Rollups: counts and sums kept as rows arrive, so unfiltered lists and metrics read a few rows
  -- however many traces they sum
  ------------------------------------------------------------------------------------------------

  -- Traces per UTC day (day = start_time_ns / ${NS_PER_DAY}): daily metrics, and the count of an
  -- unfiltered trace list. Kept by the traces_daily triggers.
  CREATE TABLE daily_traces (
    project_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    trace_count INTEGER NOT NULL,
    PRIMARY KEY (project_id, day)
  ) WITHOUT ROWID;

  -- Observations per UTC day and model ('' for none), with tokens and cost as trace totals count
  -- them and the traces that used the model: daily metrics, and the count of an unfiltered
  -- observation list. Kept by the batch writer (write/batch-derived.ts) and trace deletion.
  CREATE TABLE daily_usage (
    project_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    model TEXT NOT NULL,
    trace_count INTEGER NOT NULL,
    observation_count INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    total_tokens INTEGER NOT NULL,
    total_cost REAL NOT NULL,
    PRIMARY KEY (project_id, day, model)
  ) WITHOUT ROWID;

  -- Traces per tag: the count of a list filtered by one tag. Counted by the batch writer, taken
  -- out by the trace_tags_count_delete trigger.
  CREATE TABLE tag_counts (
    project_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    trace_count INTEGER NOT NULL,
    PRIMARY KEY (project_id, tag)
  ) WITHOUT ROWID;

  -- Per session: trace count, token and cost sums, first and last trace start, and the environment
  -- of its first trace (earliest start, then lowest id: the first the session detail lists). The
  -- sessions list and each session's totals come from here alone. Kept by the traces_sessions triggers.
  CREATE TABLE session_stats (
    project_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    trace_count INTEGER NOT NULL,
    first_start_ns INTEGER NOT NULL,
    last_start_ns INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    total_tokens INTEGER NOT NULL,
    total_cost REAL NOT NULL,
    PRIMARY KEY (project_id, session_id)
  ) WITHOUT ROWID;
  -- The sessions list, newest first, and its time range.
  CREATE INDEX session_stats_by_first ON session_stats (project_id, first_start_ns);

  -- The same per user, without an environment: the users list and a user's totals. Kept by the
  -- traces_users triggers.
  CREATE TABLE user_stats (
    project_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    trace_count INTEGER NOT NULL,
    first_start_ns INTEGER NOT NULL,
    last_start_ns INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    total_tokens INTEGER NOT NULL,
    total_cost REAL NOT NULL,
    PRIMARY KEY (project_id, user_id)
  ) WITHOUT ROWID;
  -- The users list in its default order, last trace first.
  CREATE INDEX user_stats_by_last ON user_stats (project_id, last_start_ns);

  -- Score names some trace has more than once (write/score-repeats.ts): for any other name, the
  -- count of a list filtered by one score condition is a count of matching scores.
  CREATE TABLE score_name_repeats (
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (project_id, name)
  ) WITHOUT ROWID;

  -- The keys of traces not stored that have scores (sent before their trace, or for a trace never
  -- sent): a list filtered by one score condition counts the matching scores, then takes out
  -- these traces'. Measured at 50k traces: a probe of the trace per matching score made that count
  -- 15 times slower (27 ms against 1.8 ms); a flag on trace_keys cost each new trace's write 8%;
  -- these triggers cost a score write about 2.5 µs and a new trace one probe of this small table.
  -- A key stays after its scores are deleted, and takes out nothing.
  CREATE TABLE unstored_score_traces (
    project_id TEXT NOT NULL,
    trace_key INTEGER NOT NULL,
    PRIMARY KEY (project_id, trace_key)
  ) WITHOUT ROWID;
  CREATE TRIGGER scores_unstored_insert AFTER INSERT ON scores
  WHEN new.trace_key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM traces t WHERE t.trace_key = new.trace_key) BEGIN
    INSERT INTO unstored_score_traces (project_id, trace_key) VALUES (new.project_id, new.trace_key) ON CONFLICT DO NOTHING;
  END;
  CREATE TRIGGER scores_unstored_update AFTER UPDATE OF trace_key ON scores
  WHEN new.trace_key IS NOT old.trace_key AND new.trace_key IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM traces t WHERE t.trace_key = new.trace_key) BEGIN
    INSERT INTO unstored_score_traces (project_id, trace_key) VALUES (new.project_id, new.trace_key) ON CONFLICT DO NOTHING;
  END;
  CREATE TRIGGER traces_unstored_insert AFTER INSERT ON traces BEGIN
    DELETE FROM unstored_score_traces WHERE project_id = new.project_id AND trace_key = new.trace_key;
  END;
  CREATE TRIGGER traces_unstored_delete AFTER DELETE ON traces
  WHEN EXISTS (SELECT 1 FROM scores s WHERE s.project_id = old.project_id AND s.trace_key = old.trace_key) BEGIN
    INSERT INTO unstored_score_traces (project_id, trace_key) VALUES (old.project_id, old.trace_key) ON CONFLICT DO NOTHING;
  END;

  -- A trace's row is written once per batch that touches it, so triggers on it cost little.
  CREATE TRIGGER traces_daily_insert AFTER INSERT ON traces BEGIN
    INSERT INTO daily_traces (project_id, day, trace_count) VALUES (new.project_id, new.start_time_ns / ${NS_PER_DAY}, 1)
    ON CONFLICT (project_id, day) DO UPDATE SET trace_count = trace_count + 1;
  END;
  CREATE TRIGGER traces_daily_update AFTER UPDATE ON traces
  WHEN old.start_time_ns / ${NS_PER_DAY} <> new.start_time_ns / ${NS_PER_DAY} BEGIN
    UPDATE daily_traces SET trace_count = trace_count - 1 WHERE project_id = old.project_id AND day = old.start_time_ns / ${NS_PER_DAY};
    INSERT INTO daily_traces (project_id, day, trace_count) VALUES (new.project_id, new.start_time_ns / ${NS_PER_DAY}, 1)
    ON CONFLICT (project_id, day) DO UPDATE SET trace_count = trace_count + 1;
  END;
  CREATE TRIGGER traces_daily_delete AFTER DELETE ON traces BEGIN
    UPDATE daily_traces SET trace_count = trace_count - 1 WHERE project_id = old.project_id AND day = old.start_time_ns / ${NS_PER_DAY};
  END;
  ${rollupTriggers({ table: 'session_stats', keyColumn: 'session_id', name: 'sessions', firstEnvironment: true })}
  ${rollupTriggers({ table: 'user_stats', keyColumn: 'user_id', name: 'users', firstEnvironment: false })}
  CREATE TRIGGER trace_tags_count_delete AFTER DELETE ON trace_tags BEGIN
    UPDATE tag_counts SET trace_count = trace_count - 1 WHERE project_id = old.project_id AND tag = old.tag;
  END;

  ------------------------------------------------------------------------------------------------
  -- Full-text search (search/search-text.ts) and observations by id (search/observation-ids.ts)
  ------------------------------------------------------------------------------------------------

  -- Full-text documents: the batch writer writes one per trace per group commit, holding what the
  -- group says of the trace. A document's id is its trace's start in ms times ${DOC_IDS_PER_MS},
  -- plus a count, so matches come in trace time order and a search for the newest traces stops
  -- after a page.
  CREATE TABLE search_docs (
    doc_id INTEGER PRIMARY KEY,
    project_id TEXT NOT NULL,
    trace_id TEXT NOT NULL
  );
  -- A trace's documents: to delete them with it, and to check candidate traces against another term.
  CREATE INDEX search_docs_by_trace ON search_docs (project_id, trace_id);

  -- The word index over every document (case- and diacritic-insensitive words, prefixes).
  CREATE VIRTUAL TABLE search_words USING fts5 (
    text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
  );
  -- Its segments are merged by the store in steps of their own after each group commit
  -- (upkeep/word-index-merge.ts), ${WORD_INDEX_MERGE_SEGMENTS} at a time, never by FTS5 as it
  -- writes (automerge 0); a merge inside the commit only past ${WORD_INDEX_CRISIS_SEGMENTS}
  -- segments on a level, as a backstop. Merges are the cost of ingest that grows with the database.
  INSERT INTO search_words (search_words, rank) VALUES ('automerge', 0);
  INSERT INTO search_words (search_words, rank) VALUES ('usermerge', ${WORD_INDEX_MERGE_SEGMENTS});
  INSERT INTO search_words (search_words, rank) VALUES ('crisismerge', ${WORD_INDEX_CRISIS_SEGMENTS});

  -- The trigram index, over documents with text in a script written without spaces (Chinese,
  -- Japanese, Thai...): substrings there.
  CREATE VIRTUAL TABLE search_cjk USING fts5 (text, content = '', contentless_delete = 1, tokenize = 'trigram');
  -- Its vocabulary: a one- or two-character term is searched as the trigrams that start with it.
  CREATE VIRTUAL TABLE search_cjk_terms USING fts5vocab (search_cjk, row);

  -- The ids of a trace's observations, one row per document, under the document's id: an
  -- observation is found by id alone through its trace's documents. An FTS5 index takes random
  -- span ids as sorted segments; a b-tree index keyed by them cost a tenth to a third of the write
  -- throughput at a million spans, measured. Every token is one run of ASCII letters and digits,
  -- which the ascii tokenizer keeps whole.
  CREATE VIRTUAL TABLE observation_ids USING fts5 (
    ids, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
  );

  -- An observation whose input or output is rewritten later (GenAI log records joined to their
  -- span) gains a document with its new text. The only trigger on observations: UPDATEs are rare.
  ${observationSearchTrigger()}

  ------------------------------------------------------------------------------------------------
  -- Configuration written through the API and the CLI
  ------------------------------------------------------------------------------------------------

  -- Custom model prices per project (POST /api/public/models), matched before the built-in catalog.
  CREATE TABLE custom_models (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    match_pattern TEXT NOT NULL,
    prices TEXT NOT NULL,
    tiers TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (project_id, id)
  ) WITHOUT ROWID;

  -- API keys (collector/auth). The key id is embedded in both keys, so a secret sent alone (Bearer,
  -- x-api-key) is found by it; a public key is found by its UNIQUE index. Only a salted hash of the
  -- secret is kept. Revoked keys stay (revoked_at_ms set): the collector stays keyed once a key was
  -- ever created.
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
  -- A project's keys in creation order. \`spanlite keys list\` reads every key (a few rows), so no
  -- statement reads this index today.
  CREATE INDEX api_keys_by_project ON api_keys (project_id, created_at_ms);
`;

/**
 * The session and user rollups: a trace's change moves the sums by its difference; first and
 * last start are read again from the (project, key, start) index, two seeks, because a trace's
 * start moves earlier when an earlier span arrives.
 */
interface Rollup {
  table: 'session_stats' | 'user_stats';
  keyColumn: 'session_id' | 'user_id';
  /** Names the triggers: traces_<name>_insert, _update, _delete. */
  name: 'sessions' | 'users';
  /**
   * Keeps the environment of the first trace (earliest start, then lowest id), so that it does
   * not depend on the order traces arrive in or are deleted. It is read again (a seek of the
   * (project, key, start, id) index and that trace's row) only when the trace written or deleted
   * is, or was, at the first start and its environment, start or key changed: a trace written
   * later in a running session costs nothing more.
   */
  firstEnvironment: boolean;
}

function rollupTriggers(rollup: Rollup): string {
  const key = rollup.keyColumn;
  const environmentChanged = rollup.firstEnvironment ? 'OR old.environment IS NOT new.environment' : '';
  return `
  CREATE TRIGGER traces_${rollup.name}_insert AFTER INSERT ON traces WHEN new.${key} IS NOT NULL BEGIN
    ${addTraceTo(rollup)}
    ${refreshFirstEnvironment(rollup, 'new', 'new.start_time_ns <= first_start_ns AND environment IS NOT new.environment')}
  END;
  CREATE TRIGGER traces_${rollup.name}_update AFTER UPDATE ON traces
  WHEN (old.${key} IS NOT NULL OR new.${key} IS NOT NULL) AND (
    old.${key} IS NOT new.${key} OR old.start_time_ns <> new.start_time_ns OR old.total_cost IS NOT new.total_cost
    OR old.input_tokens <> new.input_tokens OR old.output_tokens <> new.output_tokens OR old.total_tokens <> new.total_tokens
    ${environmentChanged})
  BEGIN
    ${removeTraceFrom(rollup)}
    ${addTraceTo(rollup)}
    ${refreshFirstAndLast(rollup, 'old')}
    ${refreshFirstAndLast(rollup, 'new')}
    ${refreshFirstEnvironment(rollup, 'old', `old.${key} IS NOT new.${key} AND old.start_time_ns <= first_start_ns`)}
    ${refreshFirstEnvironment(
      rollup,
      'new',
      `(old.${key} IS NOT new.${key} OR old.start_time_ns <> new.start_time_ns OR old.environment IS NOT new.environment)
      AND (old.start_time_ns <= first_start_ns OR new.start_time_ns <= first_start_ns)`,
    )}
  END;
  CREATE TRIGGER traces_${rollup.name}_delete AFTER DELETE ON traces WHEN old.${key} IS NOT NULL BEGIN
    ${removeTraceFrom(rollup)}
    ${refreshFirstAndLast(rollup, 'old')}
    ${refreshFirstEnvironment(rollup, 'old', 'old.start_time_ns <= first_start_ns')}
  END;`;
}

function addTraceTo({ table, keyColumn, firstEnvironment }: Rollup): string {
  const environment = firstEnvironment ? { column: 'environment, ', value: 'new.environment, ' } : { column: '', value: '' };
  return `
    INSERT INTO ${table} (project_id, ${keyColumn}, ${environment.column}trace_count, first_start_ns, last_start_ns,
      input_tokens, output_tokens, total_tokens, total_cost)
    SELECT new.project_id, new.${keyColumn}, ${environment.value}1, new.start_time_ns, new.start_time_ns,
      new.input_tokens, new.output_tokens, new.total_tokens, coalesce(new.total_cost, 0)
    WHERE new.${keyColumn} IS NOT NULL
    ON CONFLICT (project_id, ${keyColumn}) DO UPDATE SET
      trace_count = trace_count + 1,
      first_start_ns = min(first_start_ns, excluded.first_start_ns),
      last_start_ns = max(last_start_ns, excluded.last_start_ns),
      input_tokens = input_tokens + excluded.input_tokens,
      output_tokens = output_tokens + excluded.output_tokens,
      total_tokens = total_tokens + excluded.total_tokens,
      total_cost = total_cost + excluded.total_cost;`;
}

function removeTraceFrom({ table, keyColumn }: Rollup): string {
  return `
    UPDATE ${table} SET
      trace_count = trace_count - 1,
      input_tokens = input_tokens - old.input_tokens,
      output_tokens = output_tokens - old.output_tokens,
      total_tokens = total_tokens - old.total_tokens,
      total_cost = total_cost - coalesce(old.total_cost, 0)
    WHERE project_id = old.project_id AND ${keyColumn} = old.${keyColumn};
    DELETE FROM ${table} WHERE project_id = old.project_id AND ${keyColumn} = old.${keyColumn} AND trace_count <= 0;`;
}

function refreshFirstAndLast({ table, keyColumn }: Rollup, row: 'old' | 'new'): string {
  const range = `FROM traces t WHERE t.project_id = ${row}.project_id AND t.${keyColumn} = ${row}.${keyColumn}`;
  return `
    UPDATE ${table} SET
      first_start_ns = (SELECT min(t.start_time_ns) ${range}),
      last_start_ns = (SELECT max(t.start_time_ns) ${range})
    WHERE project_id = ${row}.project_id AND ${keyColumn} = ${row}.${keyColumn};`;
}

/**
 * Reads the first trace's environment again where `when` (over the rollup row, its first start
 * already exact) says it may have changed. Nothing for a rollup without an environment.
 */
function refreshFirstEnvironment({ table, keyColumn, firstEnvironment }: Rollup, row: 'old' | 'new', when: string): string {
  if (!firstEnvironment) return '';
  return `
    UPDATE ${table} SET environment = (
      SELECT t.environment FROM traces t WHERE t.project_id = ${row}.project_id AND t.${keyColumn} = ${row}.${keyColumn}
      ORDER BY t.start_time_ns, t.id LIMIT 1)
    WHERE project_id = ${row}.project_id AND ${keyColumn} = ${row}.${keyColumn} AND ${when};`;
}

/**
 * The new document is numbered as the batch writer numbers documents (search/documents.ts), in
 * its trace's start millisecond, and indexed in the word index, and in the trigram index when
 * its raw columns hold no-space script (so the text is built a second time only then).
 */
function observationSearchTrigger(): string {
  const base = `(coalesce((SELECT t.start_time_ns FROM traces t WHERE t.project_id = new.project_id AND t.id = new.trace_id),
    new.start_time_ns) / 1000000 * ${DOC_IDS_PER_MS})`;
  const lastInBucket = `(SELECT max(doc_id) FROM search_docs WHERE doc_id >= ${base} AND doc_id < ${base} + ${DOC_IDS_PER_MS})`;
  const raw = `coalesce(new.name, '') || coalesce(new.input, '') || coalesce(new.output, '')`;
  return `
  CREATE TRIGGER observations_search_update AFTER UPDATE OF input, output ON observations
  WHEN old.input IS NOT new.input OR old.output IS NOT new.output BEGIN
    INSERT INTO search_docs (doc_id, project_id, trace_id) VALUES (coalesce(${lastInBucket} + 1, ${base}), new.project_id, new.trace_id);
    INSERT INTO search_words (rowid, text) VALUES (${lastInBucket}, ${observationText()});
    INSERT INTO search_cjk (rowid, text) SELECT ${lastInBucket}, ${observationText()} WHERE ${raw} GLOB '${NO_SPACE_SCRIPT_GLOB}';
  END;`;
}

/**
 * The new row's searchable text, as store/search-text.ts's documentText makes it in JavaScript:
 * its name and the string values of its input and output (JSON keys left out), one per line,
 * Arabic optional marks removed, cut at MAX_DOCUMENT_CHARS, ending with two spaces.
 */
function observationText(): string {
  const strings = (column: 'input' | 'output') => `coalesce((
      SELECT group_concat(value, char(10)) FROM json_tree(CASE WHEN json_valid(new.${column}) THEN new.${column} END)
      WHERE type = 'text'), '')`;
  const text = `substr(coalesce(new.name, '') || char(10) || ${strings('input')} || char(10) || ${strings('output')}, 1, ${MAX_DOCUMENT_CHARS})`;
  const withoutMarks = ARABIC_OPTIONAL_MARK_CHARS.reduce((sql, mark) => `replace(${sql}, '${mark}', '')`, text);
  return `${withoutMarks} || '  '`;
}

/**
 * Migration 2: custom model prices take a start date (POST /api/public/models `startDate`). A
 * price applies to spans that started on or after it; NULL: to spans of any date, as every
 * custom price before this migration did.
 */
export const MIGRATION_2_CUSTOM_MODEL_START_DATES = `
  ALTER TABLE custom_models ADD COLUMN start_date_ms INTEGER;
`;
