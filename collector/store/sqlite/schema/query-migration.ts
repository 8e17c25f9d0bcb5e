/**
 * The query API's schema (issue 5), as one migration: indexes for its filters and orderings,
 * rollups (per-day usage, sessions, users), the full-text index, and custom model prices. Every
 * derived table is first filled from existing rows (a database written by an older spanlite
 * gets the same content as one written since), then kept current:
 * - per-day trace counts, sessions and users by triggers on `traces` (traces per tag on
 *   `trace_tags`): a trace row is written once per batch that touches it, and its triggers cost
 *   little;
 * - per-day usage and the full-text index by the batch writer's hook (store/sqlite/write/batch-derived.ts),
 *   not by triggers: any INSERT trigger on `observations`, even an empty one, costs each of its
 *   wide rows about a third more, measured. Only the rare UPDATE of an observation's input or
 *   output (GenAI log records joined later) indexes its new text by trigger.
 *
 * This text is frozen once shipped, like every migration; the helpers below exist only to
 * build it, and changing them changes a shipped migration.
 */
import { ARABIC_OPTIONAL_MARK_CHARS, DOC_IDS_PER_MS, MAX_DOCUMENT_CHARS, NO_SPACE_SCRIPT_GLOB } from '../search/search-text.js';

/** Unix nanoseconds in one UTC day: `time_ns / NS_PER_DAY` is the day number. */
const NS_PER_DAY = '86400000000000';

/**
 * A row's searchable text, as store/sqlite/search/search-text.ts's documentText makes it in JavaScript: its name and
 * the string values of its input and output (JSON keys left out), one per line, Arabic optional
 * marks removed, cut at MAX_DOCUMENT_CHARS, ending with two spaces.
 */
function searchText(row: 'new' | 't' | 'o'): string {
  const strings = (column: string) => `coalesce((
      SELECT group_concat(value, char(10)) FROM json_tree(CASE WHEN json_valid(${row}.${column}) THEN ${row}.${column} END)
      WHERE type = 'text'), '')`;
  const text = `substr(coalesce(${row}.name, '') || char(10) || ${strings('input')} || char(10) || ${strings('output')}, 1, ${MAX_DOCUMENT_CHARS})`;
  const withoutMarks = ARABIC_OPTIONAL_MARK_CHARS.reduce((sql, mark) => `replace(${sql}, '${mark}', '')`, text);
  return `${withoutMarks} || '  '`;
}

/**
 * Indexes a row as document `docId`: in the word index, and in the trigram index when it holds
 * no-space script (checked on the raw columns, so the text is built a second time only then).
 */
function indexDocument(docId: string, row: 'new' | 't' | 'o'): string {
  const raw = `coalesce(${row}.name, '') || coalesce(${row}.input, '') || coalesce(${row}.output, '')`;
  return `
    INSERT INTO search_words (rowid, text) VALUES (${docId}, ${searchText(row)});
    INSERT INTO search_cjk (rowid, text) SELECT ${docId}, ${searchText(row)} WHERE ${raw} GLOB '${NO_SPACE_SCRIPT_GLOB}';`;
}

/** Tokens as traces count them: input includes cache reads and writes, output reasoning. */
function observationTokens(row: 'new' | 'old' | 'o'): { input: string; output: string; total: string } {
  const counted = (expression: string) => `CASE WHEN ${row}.counts_in_trace_totals = 1 THEN ${expression} ELSE 0 END`;
  return {
    input: counted(
      `coalesce(${row}.input_tokens, 0) + coalesce(${row}.cached_input_tokens, 0) + coalesce(${row}.cache_write_tokens, 0)`,
    ),
    output: counted(`coalesce(${row}.output_tokens, 0) + coalesce(${row}.reasoning_tokens, 0)`),
    total: counted(`coalesce(${row}.total_tokens, 0)`),
  };
}

/**
 * Per session or per user: trace count, token and cost sums, first and last trace start. Sums
 * move by each trace's change; first/last are re-read from the (project, key, start) index,
 * two seeks, because a trace's start moves when an earlier span arrives.
 */
interface Rollup {
  table: 'session_stats' | 'user_stats';
  keyColumn: 'session_id' | 'user_id';
}
const SESSIONS: Rollup = { table: 'session_stats', keyColumn: 'session_id' };
const USERS: Rollup = { table: 'user_stats', keyColumn: 'user_id' };

function addTraceTo({ table, keyColumn }: Rollup): string {
  return `
    INSERT INTO ${table} (project_id, ${keyColumn}, environment, trace_count, first_start_ns, last_start_ns,
      input_tokens, output_tokens, total_tokens, total_cost)
    SELECT new.project_id, new.${keyColumn}, new.environment, 1, new.start_time_ns, new.start_time_ns,
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

function rollupTriggers(rollup: Rollup, name: string): string {
  const key = rollup.keyColumn;
  return `
  CREATE TRIGGER traces_${name}_insert AFTER INSERT ON traces WHEN new.${key} IS NOT NULL BEGIN
    ${addTraceTo(rollup)}
  END;
  CREATE TRIGGER traces_${name}_update AFTER UPDATE ON traces
  WHEN (old.${key} IS NOT NULL OR new.${key} IS NOT NULL) AND (
    old.${key} IS NOT new.${key} OR old.start_time_ns <> new.start_time_ns OR old.total_cost IS NOT new.total_cost
    OR old.input_tokens <> new.input_tokens OR old.output_tokens <> new.output_tokens OR old.total_tokens <> new.total_tokens)
  BEGIN
    ${removeTraceFrom(rollup)}
    ${addTraceTo(rollup)}
    ${refreshFirstAndLast(rollup, 'old')}
    ${refreshFirstAndLast(rollup, 'new')}
  END;
  CREATE TRIGGER traces_${name}_delete AFTER DELETE ON traces WHEN old.${key} IS NOT NULL BEGIN
    ${removeTraceFrom(rollup)}
    ${refreshFirstAndLast(rollup, 'old')}
  END;`;
}

function rollupBackfill({ table, keyColumn }: Rollup): string {
  return `
  INSERT INTO ${table} (project_id, ${keyColumn}, environment, trace_count, first_start_ns, last_start_ns,
    input_tokens, output_tokens, total_tokens, total_cost)
  SELECT project_id, ${keyColumn}, min(environment), count(*), min(start_time_ns), max(start_time_ns),
    sum(input_tokens), sum(output_tokens), sum(total_tokens), coalesce(sum(total_cost), 0)
  FROM traces WHERE ${keyColumn} IS NOT NULL GROUP BY project_id, ${keyColumn};`;
}

function rollupTable({ table, keyColumn }: Rollup): string {
  return `
  CREATE TABLE ${table} (
    project_id TEXT NOT NULL,
    ${keyColumn} TEXT NOT NULL,
    environment TEXT NOT NULL,
    trace_count INTEGER NOT NULL,
    first_start_ns INTEGER NOT NULL,
    last_start_ns INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    total_tokens INTEGER NOT NULL,
    total_cost REAL NOT NULL,
    PRIMARY KEY (project_id, ${keyColumn})
  ) WITHOUT ROWID;`;
}

/** An observation whose input or output is rewritten (GenAI log records joined later) gains a document with its new text. */
function observationSearchTrigger(): string {
  const base = `(coalesce((SELECT t.start_time_ns FROM traces t WHERE t.project_id = new.project_id AND t.id = new.trace_id),
    new.start_time_ns) / 1000000 * ${DOC_IDS_PER_MS})`;
  const lastInBucket = `(SELECT max(doc_id) FROM search_docs WHERE doc_id >= ${base} AND doc_id < ${base} + ${DOC_IDS_PER_MS})`;
  return `
  CREATE TRIGGER observations_search_update AFTER UPDATE OF input, output ON observations
  WHEN old.input IS NOT new.input OR old.output IS NOT new.output BEGIN
    INSERT INTO search_docs (doc_id, project_id, trace_id) VALUES (coalesce(${lastInBucket} + 1, ${base}), new.project_id, new.trace_id);
    ${indexDocument(lastInBucket, 'new')}
  END;`;
}

/** Backfill: a trace's document holds its own text and its observations'. */
const backfillText = `${searchText('t')} || char(10) || coalesce((
    SELECT group_concat(${searchText('o')}, char(10)) FROM observations o WHERE o.project_id = d.project_id AND o.trace_id = d.trace_id
  ), '')`;
const backfillFrom = 'FROM search_docs d LEFT JOIN traces t ON t.project_id = d.project_id AND t.id = d.trace_id';

export const QUERY_API_MIGRATION = `
  -- Filters and orderings. A trace list first finds the ids of its page, then reads those rows:
  -- these narrow indexes answer the first step without touching the wide trace rows
  -- (traces_keys: existence, time, latency and cost of a trace by id, for conditions on other tables).
  -- scores_by_name_value finds the traces of a score condition (it replaces scores_by_name, its prefix).
  CREATE INDEX traces_keys ON traces (project_id, id, start_time_ns, end_time_ns, total_cost);
  CREATE INDEX traces_by_cost ON traces (project_id, total_cost, start_time_ns);
  CREATE INDEX traces_by_latency ON traces (project_id, (end_time_ns - start_time_ns), start_time_ns);
  -- Type and level ride along so the commonest observation filters are answered from the index.
  CREATE INDEX observations_by_time ON observations (project_id, start_time_ns, type, level);
  CREATE INDEX observations_by_level ON observations (project_id, level, trace_id) WHERE level IN ('ERROR', 'WARNING');
  CREATE INDEX observations_by_model ON observations (project_id, model, trace_id) WHERE model IS NOT NULL;
  DROP INDEX scores_by_name;
  CREATE INDEX scores_by_name_value ON scores (project_id, name, value, trace_id);
  -- Probes "does this trace have a score <name> <op> <value>" from the index alone (replaces scores_by_trace, its prefix).
  DROP INDEX scores_by_trace;
  CREATE INDEX scores_by_trace ON scores (project_id, trace_id, name, value);
  CREATE INDEX scores_by_time ON scores (project_id, time_ns);

  -- Per UTC day (day = start_time_ns / ${NS_PER_DAY}): traces, and observations per model ('' for none).
  CREATE TABLE daily_traces (
    project_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    trace_count INTEGER NOT NULL,
    PRIMARY KEY (project_id, day)
  ) WITHOUT ROWID;
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
  CREATE TABLE tag_counts (
    project_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    trace_count INTEGER NOT NULL,
    PRIMARY KEY (project_id, tag)
  ) WITHOUT ROWID;
  ${rollupTable(SESSIONS)}
  CREATE INDEX session_stats_by_first ON session_stats (project_id, first_start_ns);
  ${rollupTable(USERS)}
  CREATE INDEX user_stats_by_last ON user_stats (project_id, last_start_ns);

  -- Full text (store/sqlite/search/search-text.ts): documents (rowids) map to traces; a word index over all, trigrams over no-space script.
  -- A document's id is its trace's start in ms times ${DOC_IDS_PER_MS}, plus a count: matches come in trace time order.
  CREATE TABLE search_docs (
    doc_id INTEGER PRIMARY KEY,
    project_id TEXT NOT NULL,
    trace_id TEXT NOT NULL
  );
  CREATE INDEX search_docs_by_trace ON search_docs (project_id, trace_id);
  CREATE VIRTUAL TABLE search_words USING fts5 (
    text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE VIRTUAL TABLE search_cjk USING fts5 (text, content = '', contentless_delete = 1, tokenize = 'trigram');
  CREATE VIRTUAL TABLE search_cjk_terms USING fts5vocab (search_cjk, row);

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

  -- Backfill from rows written before this migration.
  INSERT INTO daily_traces (project_id, day, trace_count)
  SELECT project_id, start_time_ns / ${NS_PER_DAY}, count(*) FROM traces GROUP BY 1, 2;
  INSERT INTO daily_usage (project_id, day, model, trace_count, observation_count, input_tokens, output_tokens, total_tokens, total_cost)
  SELECT o.project_id, o.start_time_ns / ${NS_PER_DAY}, coalesce(o.model, ''),
    CASE WHEN o.model IS NULL THEN 0 ELSE count(DISTINCT o.trace_id) END, count(*),
    sum(${observationTokens('o').input}), sum(${observationTokens('o').output}), sum(${observationTokens('o').total}),
    sum(CASE WHEN o.counts_in_trace_totals = 1 THEN coalesce(o.total_cost, 0) ELSE 0 END)
  FROM observations o GROUP BY 1, 2, 3;
  INSERT INTO tag_counts (project_id, tag, trace_count) SELECT project_id, tag, count(*) FROM trace_tags GROUP BY 1, 2;
  ${rollupBackfill(SESSIONS)}
  ${rollupBackfill(USERS)}
  -- One document per trace: its name, input and output, and its observations'.
  INSERT INTO search_docs (doc_id, project_id, trace_id)
  SELECT start_time_ns / 1000000 * ${DOC_IDS_PER_MS} + row_number() OVER (PARTITION BY start_time_ns / 1000000 ORDER BY project_id, id) - 1,
    project_id, id
  FROM traces;
  -- Observations whose trace row never arrived: in the upper half of their millisecond.
  INSERT INTO search_docs (doc_id, project_id, trace_id)
  SELECT start_ms * ${DOC_IDS_PER_MS} + ${DOC_IDS_PER_MS / 2} + row_number() OVER (PARTITION BY start_ms ORDER BY project_id, trace_id) - 1,
    project_id, trace_id
  FROM (
    SELECT o.project_id, o.trace_id, min(o.start_time_ns) / 1000000 AS start_ms FROM observations o
    WHERE NOT EXISTS (SELECT 1 FROM traces t WHERE t.project_id = o.project_id AND t.id = o.trace_id)
    GROUP BY o.project_id, o.trace_id
  );
  INSERT INTO search_words (rowid, text) SELECT d.doc_id, ${backfillText} ${backfillFrom};
  INSERT INTO search_cjk (rowid, text) SELECT d.doc_id, ${backfillText} ${backfillFrom}
  WHERE coalesce(t.name, '') || coalesce(t.input, '') || coalesce(t.output, '') GLOB '${NO_SPACE_SCRIPT_GLOB}'
    OR EXISTS (SELECT 1 FROM observations o WHERE o.project_id = d.project_id AND o.trace_id = d.trace_id
      AND coalesce(o.name, '') || coalesce(o.input, '') || coalesce(o.output, '') GLOB '${NO_SPACE_SCRIPT_GLOB}');

  -- Triggers keep the derived tables current from here on.
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
  CREATE TRIGGER trace_tags_count_insert AFTER INSERT ON trace_tags BEGIN
    INSERT INTO tag_counts (project_id, tag, trace_count) VALUES (new.project_id, new.tag, 1)
    ON CONFLICT (project_id, tag) DO UPDATE SET trace_count = trace_count + 1;
  END;
  CREATE TRIGGER trace_tags_count_delete AFTER DELETE ON trace_tags BEGIN
    UPDATE tag_counts SET trace_count = trace_count - 1 WHERE project_id = old.project_id AND tag = old.tag;
  END;
  ${rollupTriggers(SESSIONS, 'sessions')}
  ${rollupTriggers(USERS, 'users')}
  ${observationSearchTrigger()}
`;
