/**
 * The PostgreSQL schema: every table, index and extension the PostgreSQL store uses, with why
 * each exists. migrate.ts runs it on a new database as migration 1. Once released it is not
 * edited: a change is a new migration appended in migrate.ts.
 *
 * It stores what the SQLite schema (store/sqlite/schema.ts) stores, shaped for several
 * collectors writing to one database at once:
 * - Rows are keyed by text ids under their project, `(project_id, id)`, as a client sent them.
 *   No number is given in arrival order (SQLite's trace keys): a number needs one writer to
 *   hand it out, and PostgreSQL's b-trees gain less from appending than SQLite's.
 * - Times are BIGINT unix nanoseconds (`_ns`) or milliseconds (`_ms`); costs DOUBLE PRECISION,
 *   USD; token counts BIGINT.
 * - A client's input and output are TEXT holding the JSON as written, so that they read back
 *   as sent (key order included). JSON the store filters on or only passes along is JSONB.
 *   Neither TEXT nor JSONB can hold U+0000: the writer replaces it before it gets here.
 * - No triggers. A row trigger keeping a rollup would lock rollup rows in the order rows are
 *   written, and two collectors writing the same sessions in different orders would deadlock;
 *   the batch writer updates the rollups itself, in key order, at the end of its transaction.
 * - Tables live in the connection's current schema (`search_path`; `public` by default), so
 *   that one database can hold several spanlite schemas through the URL's `options`.
 */

export const SCHEMA = `
  -- Word-similarity indexes over text (gin_trgm_ops): substrings of text written without spaces.
  -- A trusted extension since PostgreSQL 13 (a database owner may create it), in postgresql-contrib.
  CREATE EXTENSION IF NOT EXISTS pg_trgm;

  ------------------------------------------------------------------------------------------------
  -- Traces and what they hold
  ------------------------------------------------------------------------------------------------

  -- One row per trace, merged from every span that names it (store/trace-merge.ts), under a
  -- per-trace advisory lock held by the writer that merges it. Totals are sums over the
  -- observations that count in trace totals; fact_ranks records which span gave each fact, so
  -- that a later span only replaces a fact it outranks. tags is the sorted set of its tags.
  CREATE TABLE traces (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT,
    user_id TEXT,
    session_id TEXT,
    release TEXT,
    version TEXT,
    environment TEXT NOT NULL DEFAULT 'default',
    tags TEXT[] NOT NULL DEFAULT '{}',
    metadata JSONB NOT NULL DEFAULT '{}',
    input TEXT,
    output TEXT,
    public BOOLEAN NOT NULL DEFAULT false,
    start_time_ns BIGINT NOT NULL,
    end_time_ns BIGINT NOT NULL,
    total_cost DOUBLE PRECISION,
    input_tokens BIGINT NOT NULL DEFAULT 0,
    output_tokens BIGINT NOT NULL DEFAULT 0,
    total_tokens BIGINT NOT NULL DEFAULT 0,
    fact_ranks JSONB NOT NULL DEFAULT '{}',
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    -- A trace by id: the writer's merge, trace detail, a page's rows, the traces of a condition
    -- on another table (tags, level, model, score, full text).
    PRIMARY KEY (project_id, id)
  );
  -- A trace list finds its page from one of these indexes, each in a list's order: the sort key,
  -- then \`id\` (the keyset tie-breaker), then reads only those rows. Lists order text by its
  -- bytes (COLLATE "C", as SQLite's BINARY collation) and NULLs lowest, as the SQLite engine
  -- orders them (store/postgres/read/keyset.ts); an index in another collation or NULL order
  -- cannot give that order, and the list would sort every trace of the project.
  -- The newest page and time ranges; retention's oldest traces first.
  CREATE INDEX traces_by_time ON traces (project_id, start_time_ns DESC, id COLLATE "C" DESC);
  -- The userId filter.
  CREATE INDEX traces_by_user ON traces (project_id, user_id, start_time_ns DESC, id COLLATE "C" DESC);
  -- A session's traces in time order (session detail); a session's first trace (its environment).
  CREATE INDEX traces_by_session ON traces (project_id, session_id, start_time_ns, id);
  -- The name filter, newest first.
  CREATE INDEX traces_by_name ON traces (project_id, name, start_time_ns DESC, id COLLATE "C" DESC);
  -- Lists ordered by name.
  CREATE INDEX traces_by_name_order ON traces (project_id, name COLLATE "C" NULLS FIRST, id COLLATE "C");
  -- Cost ranges, and lists ordered by cost.
  CREATE INDEX traces_by_cost ON traces (project_id, total_cost NULLS FIRST, id COLLATE "C");
  -- Latency ranges, and lists ordered by latency.
  CREATE INDEX traces_by_latency ON traces (project_id, (end_time_ns - start_time_ns), id COLLATE "C");

  -- Spans, generations, events...: one row per observation. The id is the span id, unique only
  -- within its trace.
  CREATE TABLE observations (
    project_id TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    parent_observation_id TEXT,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    start_time_ns BIGINT NOT NULL,
    end_time_ns BIGINT,
    completion_start_time_ns BIGINT,
    level TEXT NOT NULL,
    status_message TEXT,
    version TEXT,
    model TEXT,
    model_parameters JSONB,
    input TEXT,
    output TEXT,
    metadata JSONB NOT NULL DEFAULT '{}',
    input_tokens BIGINT,
    output_tokens BIGINT,
    total_tokens BIGINT,
    cached_input_tokens BIGINT,
    cache_write_tokens BIGINT,
    reasoning_tokens BIGINT,
    cost_details JSONB,
    total_cost DOUBLE PRECISION,
    cost_missing_reason TEXT,
    counts_in_trace_totals BOOLEAN NOT NULL,
    attributes JSONB NOT NULL DEFAULT '{}',
    resource_attributes JSONB NOT NULL DEFAULT '{}',
    scope_name TEXT NOT NULL DEFAULT '',
    scope_version TEXT NOT NULL DEFAULT '',
    -- A re-sent span is ignored (ON CONFLICT DO NOTHING); a trace's observations (trace detail,
    -- a list row's observation ids, deletion); one by trace and span id (the log join).
    PRIMARY KEY (project_id, trace_id, id)
  );
  -- An observation by id alone (observation detail, the trace of an observation id).
  CREATE INDEX observations_by_id ON observations (project_id, id);
  -- The model filter of trace lists.
  CREATE INDEX observations_by_model ON observations (project_id, model, trace_id) WHERE model IS NOT NULL;
  -- Observation lists, newest first (ties by id, then trace, by their bytes), and their time ranges.
  CREATE INDEX observations_by_time ON observations (project_id, start_time_ns DESC, id COLLATE "C" DESC, trace_id COLLATE "C" DESC);
  -- The level filter of trace lists, and each list row's worst level: as small as the warnings
  -- and errors.
  CREATE INDEX observations_by_level ON observations (project_id, level, trace_id) WHERE level IN ('ERROR', 'WARNING');
  -- Daily error counts: they cost what the errors number, not the spans.
  CREATE INDEX observations_errors_by_time ON observations (project_id, start_time_ns, trace_id) WHERE level = 'ERROR';

  -- Scores, from evaluation events on spans or from the API, upserted on the client's id (the
  -- primary key). trace_id may name a trace not stored (yet).
  CREATE TABLE scores (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    observation_id TEXT,
    name TEXT NOT NULL,
    value DOUBLE PRECISION,
    string_value TEXT,
    data_type TEXT NOT NULL,
    comment TEXT,
    source TEXT NOT NULL,
    time_ns BIGINT NOT NULL,
    metadata JSONB NOT NULL DEFAULT '{}',
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    PRIMARY KEY (project_id, id)
  );
  -- The traces of a score condition (trace lists and their counts).
  CREATE INDEX scores_by_name_value ON scores (project_id, name, value, trace_id);
  -- A trace's scores: trace detail, a list row's scores, deletion with the trace.
  CREATE INDEX scores_by_trace ON scores (project_id, trace_id, name);
  -- Score lists, newest first, and their time ranges.
  CREATE INDEX scores_by_time ON scores (project_id, time_ns DESC, id);

  -- Score names some trace has more than once (write/score-traces.ts): for any other name, the
  -- count of a list filtered by one score condition is a count of matching scores, from
  -- scores_by_name_value alone, rather than of their distinct traces. Never forgotten: a deletion
  -- that removes the repeat leaves the slower count, which is still exact.
  CREATE TABLE score_name_repeats (
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (project_id, name)
  );

  -- Traces not stored that have scores (sent before their trace, or for a trace never sent), kept
  -- by the writer (write/score-traces.ts): a list filtered by one score condition counts the
  -- matching scores, then takes out these traces', rather than joining each match to its trace
  -- (at 1M traces, 10k-50k matches, that join made the count 320 ms). A row stays after its
  -- scores are deleted by the API, and takes out nothing.
  CREATE TABLE unstored_score_traces (
    project_id TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    PRIMARY KEY (project_id, trace_id)
  );

  -- A trace's tags, one row each (also in traces.tags): the tag filter finds a tag's traces by
  -- the key. Inserted ON CONFLICT DO NOTHING, so the writer counts a tag only when its row is new.
  CREATE TABLE trace_tags (
    project_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    PRIMARY KEY (project_id, tag, trace_id)
  );

  -- Chat messages from GenAI log records, joined to their span's observation whichever arrives
  -- first: the key reads a span's messages and makes a re-sent record a no-op. arrival orders
  -- messages of equal time across collectors (a sequence: its order, not commit order).
  CREATE TABLE gen_ai_log_messages (
    project_id TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    id TEXT NOT NULL,
    direction TEXT NOT NULL,
    time_ns BIGINT NOT NULL,
    arrival BIGINT GENERATED ALWAYS AS IDENTITY,
    message TEXT NOT NULL,
    waiting BOOLEAN NOT NULL,
    PRIMARY KEY (project_id, trace_id, span_id, id)
  );
  -- Messages whose span is not stored yet: joined when it arrives (any collector may receive
  -- it, so the span write probes here rather than a collector's memory), deleted by retention
  -- when it never does.
  CREATE INDEX gen_ai_log_messages_waiting ON gen_ai_log_messages (project_id, trace_id, span_id) WHERE waiting;

  ------------------------------------------------------------------------------------------------
  -- Rollups: counts and sums kept as rows arrive, so unfiltered lists and metrics read a few rows
  -- however many traces they sum. Kept by the batch writer and trace deletion (no triggers, see
  -- above); day = start_time_ns / 86400000000000 (a UTC day).
  ------------------------------------------------------------------------------------------------

  -- Traces per UTC day of their start: daily metrics, and the count of an unfiltered trace list.
  CREATE TABLE daily_traces (
    project_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    trace_count BIGINT NOT NULL,
    PRIMARY KEY (project_id, day)
  );

  -- Observations per UTC day and model ('' for none), with tokens and cost as trace totals count
  -- them and the traces that used the model: daily metrics, and the count of an unfiltered
  -- observation list.
  CREATE TABLE daily_usage (
    project_id TEXT NOT NULL,
    day BIGINT NOT NULL,
    model TEXT NOT NULL,
    trace_count BIGINT NOT NULL,
    observation_count BIGINT NOT NULL,
    input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    total_tokens BIGINT NOT NULL,
    total_cost DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (project_id, day, model)
  );

  -- Traces per tag: the count of a list filtered by one tag.
  CREATE TABLE tag_counts (
    project_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    trace_count BIGINT NOT NULL,
    PRIMARY KEY (project_id, tag)
  );

  -- Per session: trace count, token and cost sums, first and last trace start, and the environment
  -- of its first trace (earliest start, then lowest id), read again from traces_by_session with the
  -- first start. The sessions list, its environment filter and each session's totals come from here.
  CREATE TABLE session_stats (
    project_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    environment TEXT NOT NULL DEFAULT 'default',
    trace_count BIGINT NOT NULL,
    first_start_ns BIGINT NOT NULL,
    last_start_ns BIGINT NOT NULL,
    input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    total_tokens BIGINT NOT NULL,
    total_cost DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (project_id, session_id)
  );
  -- The sessions list, newest first, and its time range.
  CREATE INDEX session_stats_by_first ON session_stats (project_id, first_start_ns);

  -- The same per user: the users list and a user's totals.
  CREATE TABLE user_stats (
    project_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    trace_count BIGINT NOT NULL,
    first_start_ns BIGINT NOT NULL,
    last_start_ns BIGINT NOT NULL,
    input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    total_tokens BIGINT NOT NULL,
    total_cost DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (project_id, user_id)
  );
  -- The users list in its default order, last trace first.
  CREATE INDEX user_stats_by_last ON user_stats (project_id, last_start_ns);

  ------------------------------------------------------------------------------------------------
  -- Full-text search
  ------------------------------------------------------------------------------------------------

  -- Full-text documents (store/search-text.ts says what one holds; store/postgres/search/): the
  -- batch writer writes one per trace per batch. trace_start_ns is the trace's start when
  -- written, so that matches come newest first and a search for the newest traces stops after a page.
  CREATE TABLE search_docs (
    project_id TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    doc_id BIGINT GENERATED ALWAYS AS IDENTITY,
    trace_start_ns BIGINT NOT NULL,
    -- Words of every script that separates words with spaces, searched by word prefix ('term:*')
    -- and phrase; and the 1-2 character substrings of no-space text (search/short-substrings.ts). Made by the writer (search/words.ts) rather than to_tsvector: folded as the
    -- SQLite word index folds them (lower case, Latin diacritics and Arabic optional marks
    -- removed), and split the same way whatever the server's locale.
    words TSVECTOR NOT NULL,
    -- The text in lower case when it has a script written without spaces (Chinese, Japanese,
    -- Thai...; store/search-text.ts's NO_SPACE_SCRIPT), where a word is a whole sentence: those
    -- terms are substrings of it. NULL otherwise.
    substrings TEXT,
    -- A trace's documents: to delete them with it, and to check a candidate trace against a term.
    PRIMARY KEY (project_id, trace_id, doc_id)
  );
  -- Word and prefix matches.
  CREATE INDEX search_docs_words ON search_docs USING gin (words);
  -- Substrings of no-space text (LIKE '%term%'). Only those documents: trigrams of all text cost
  -- about ten times the word index to write (measured on the SQLite engine's trigram index).
  CREATE INDEX search_docs_substrings ON search_docs USING gin (substrings gin_trgm_ops) WHERE substrings IS NOT NULL;
  -- Newest matches first, within a project.
  CREATE INDEX search_docs_by_start ON search_docs (project_id, trace_start_ns DESC);

  -- The trigrams of no-space text whose first or second character is a no-space one, in every
  -- project (search/short-substrings.ts): how many start with a 1-2 character term, to refuse one
  -- too broad as SQLite does, read as a range of this index rather than from every document
  -- holding the term. Only added to (a trigram of deleted documents stays), and without a key: a
  -- writer adds the trigrams no committed row holds, so two writers never wait for each other
  -- over one, and a trigram may be held twice (counted once).
  CREATE TABLE search_short_term_trigrams (
    trigram TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX search_short_term_trigrams_by_trigram ON search_short_term_trigrams (trigram);

  ------------------------------------------------------------------------------------------------
  -- Configuration written through the API and the CLI
  ------------------------------------------------------------------------------------------------

  -- Custom model prices per project (POST /api/public/models), matched before the built-in catalog.
  -- start_date_ms: the price applies to spans that started on or after it; NULL: of any date.
  CREATE TABLE custom_models (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    model_name TEXT NOT NULL,
    match_pattern TEXT NOT NULL,
    start_date_ms BIGINT,
    prices JSONB NOT NULL,
    tiers JSONB NOT NULL,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (project_id, id)
  );

  -- API keys (collector/auth). The key id is embedded in both keys, so a secret sent alone (Bearer,
  -- x-api-key) is found by it (the primary key); a public key is found by its UNIQUE index. Only a
  -- salted hash of the secret is kept. Revoked keys stay (revoked_at_ms set): the collector stays
  -- keyed once a key was ever created.
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    public_key TEXT NOT NULL UNIQUE,
    secret_hash_scheme TEXT NOT NULL,
    secret_salt BYTEA NOT NULL,
    secret_hash BYTEA NOT NULL,
    secret_hint TEXT NOT NULL,
    note TEXT,
    created_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT
  );
  -- A project's keys in creation order (the projects list, \`spanlite keys list\`).
  CREATE INDEX api_keys_by_project ON api_keys (project_id, created_at_ms);
`;
