/**
 * How the SQLite engine indexes full-text documents (store/search-text.ts says what they hold),
 * shared by its write side (store/sqlite/write/batch-derived.ts, the trigger in
 * store/sqlite/schema.ts) and query side (store/sqlite/search/search.ts).
 *
 * Two FTS5 indexes over the same documents:
 * - `search_words`, tokenizer unicode61 (remove_diacritics 2): words of every script that
 *   separates words with spaces, case- and diacritic-insensitive, searched by word prefix.
 * - `search_cjk`, tokenizer trigram: only documents with text in a script written without
 *   spaces, where a word tokenizer sees a whole sentence as one word; trigrams find any
 *   substring there.
 * Trigrams for everything would be simplest, but they cost about ten times the word index to
 * write (one token per character): measured, the write path lost 80% of its throughput.
 */
import { NO_SPACE_RANGES } from '../../search-text.js';

/** The no-space ranges as an SQLite GLOB pattern, for the SQL side (the trigger that indexes rewritten observation text). */
export const NO_SPACE_SCRIPT_GLOB = `*[${NO_SPACE_RANGES.map(([from, to]) => `${String.fromCodePoint(from)}-${String.fromCodePoint(to)}`).join('')}]*`;

/**
 * Document ids per millisecond of trace start: a document's id is its trace's start in ms times
 * this, plus a count, so FTS5 returns matches in trace time order (rowid order) and a search
 * for the newest traces can stop after a page (store/sqlite/read/traces.ts).
 */
export const DOC_IDS_PER_MS = 1_048_576;
