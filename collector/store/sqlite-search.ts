/**
 * Full-text search over the trigram index (`search_text`, filled by the triggers of
 * sqlite-query-migration.ts): one document per trace and per observation, each holding the row's
 * name and the string values of its input and output.
 *
 * Why trigrams: a trigram index finds any substring of three characters or more, whatever the
 * script, because it never has to decide where a word ends. Word tokenizers (FTS5's unicode61)
 * see a run of Chinese or Japanese characters as one word, so a word inside a sentence is never
 * found; and they miss Arabic words behind an attached article or conjunction (الكتاب for كتاب).
 * Matching is case-insensitive (Cyrillic, Greek... included) and ignores Latin diacritics (café
 * finds cafe).
 *
 * Terms of one or two characters (common in Chinese: 密码) have no trigram of their own. The
 * indexed text ends with two spaces, so each such substring starts at least one indexed trigram:
 * the term is searched as the OR of the trigrams that start with it, read from the index's
 * vocabulary (`search_terms`). A term starting too many trigrams is refused rather than scanned.
 */
import type { Database, Statement } from 'better-sqlite3';
import { QueryRejectedError } from './query-store.js';
import type { SqlConditions } from './sqlite-conditions.js';

/** More trigrams than this behind a 1-2 character term: refused as too broad. */
const MAX_EXPANDED_TRIGRAMS = 2000;
/** Above every code point: `term < prefix + MAX_CHAR` bounds a prefix range. */
const MAX_CHAR = String.fromCodePoint(0x10ffff);

export interface Search {
  /** Adds "the trace matches `term`" (on `t.id`) to the conditions. */
  addTermCondition(conditions: SqlConditions, term: string): void;
}

export function createSearch(db: Database): Search {
  const trigramsStarting: Statement = db.prepare(
    `SELECT term FROM search_terms WHERE term >= ? AND term < ? LIMIT ${MAX_EXPANDED_TRIGRAMS + 1}`,
  );

  /** The MATCH expression, or null when no indexed text can contain the term. */
  function matchExpression(term: string): string | null {
    if ([...term].length >= 3) return quote(term);
    const prefix = foldLikeTheIndex(term);
    const trigrams = (trigramsStarting.all(prefix, prefix + MAX_CHAR) as Array<{ term: string }>).map((row) => row.term);
    if (trigrams.length > MAX_EXPANDED_TRIGRAMS) {
      throw new QueryRejectedError(
        'searchTerms',
        `"${term}" is too short to search: it starts more than ${MAX_EXPANDED_TRIGRAMS} different trigrams; add a character`,
      );
    }
    return trigrams.length === 0 ? null : trigrams.map(quote).join(' OR ');
  }

  return {
    addTermCondition(conditions, term) {
      const expression = matchExpression(term);
      if (expression === null) {
        conditions.add('0');
        return;
      }
      const match = conditions.bind(expression);
      conditions.add(`t.id IN (
        SELECT d.trace_id FROM search_text JOIN search_docs d ON d.doc_id = search_text.rowid
        WHERE search_text MATCH ${match} AND d.project_id = @projectId)`);
    },
  };
}

/** An FTS5 string: everything inside double quotes is literal, a quote is doubled. */
function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * The index folds case and removes the diacritics of Latin letters (`remove_diacritics 1`);
 * vocabulary lookups must fold the same way. Combining marks outside U+0300-036F (Arabic
 * harakat, Cyrillic й's breve is inside but is kept precomposed) stay, as in the index.
 */
function foldLikeTheIndex(term: string): string {
  return term
    .toLowerCase()
    .normalize('NFD')
    .replace(/([a-z])[\u0300-\u036f]+/g, '$1')
    .normalize('NFC');
}
