/**
 * Full-text search terms -> conditions on traces, over the indexes described in store/sqlite/search/search-text.ts,
 * terms read as store/search-text.ts's parseTerm reads them.
 *
 * A term in a space-separated script is searched in the word index as a phrase whose last word
 * may be a prefix (`сброс` finds сбросить; `reset my pass` finds "reset my password"),
 * case- and diacritic-insensitively (cafe finds café). An Arabic word is also searched behind the
 * proclitics written attached to it (كتاب finds الكتاب, والكتاب, بالكتاب).
 *
 * A term with characters of a no-space script (Chinese, Japanese, Thai...) is searched as a
 * substring in the trigram index. Terms of one or two such characters (common in Chinese: 密码)
 * have no trigram of their own: indexed text ends with two spaces, so every such substring starts
 * at least one indexed trigram, and the term is searched as the OR of the trigrams that start
 * with it, read from the index's vocabulary. A term starting too many is refused, not scanned.
 *
 * Every term becomes an FTS5 string (double-quoted, quotes doubled): its text is never read as
 * FTS5 query syntax, and it is a bound parameter, never SQL.
 */
import type { Database, Statement } from 'better-sqlite3';
import { QueryRejectedError } from '../../contract.js';
import type { SqlConditions } from '../read/conditions.js';
import { parseTerm } from '../../search-text.js';

/** More trigrams than this behind a 1-2 character term: refused as too broad. */
const MAX_EXPANDED_TRIGRAMS = 2000;
/** Above every code point: `term < prefix + MAX_CHAR` bounds a prefix range. */
const MAX_CHAR = String.fromCodePoint(0x10ffff);

export type SearchIndex = 'search_words' | 'search_cjk';

/** How to find a term: an FTS5 MATCH expression on one of the two indexes. */
export interface TermMatch {
  index: SearchIndex;
  expression: string;
}

export interface Search {
  /** How to find `term`, or null when no indexed text can contain it. */
  matchFor(term: string): TermMatch | null;
  /** Adds "the trace matches `term`" (on `t.id`) to the conditions. */
  addTermCondition(conditions: SqlConditions, term: string): void;
}

export function createSearch(db: Database): Search {
  const trigramsStarting: Statement = db
    .prepare(`SELECT term FROM search_cjk_terms WHERE term >= ? AND term < ? LIMIT ${MAX_EXPANDED_TRIGRAMS + 1}`)
    .pluck();

  /** The trigram MATCH expression, or null when no indexed text can contain the term. */
  function trigramExpression(term: string): string | null {
    if ([...term].length >= 3) return quote(term);
    const prefix = term.toLowerCase();
    const trigrams = trigramsStarting.all(prefix, prefix + MAX_CHAR) as string[];
    if (trigrams.length > MAX_EXPANDED_TRIGRAMS) {
      throw new QueryRejectedError(
        'searchTerms',
        `"${term}" is too short to search: it starts more than ${MAX_EXPANDED_TRIGRAMS} different trigrams; add a character`,
      );
    }
    return trigrams.length === 0 ? null : trigrams.map(quote).join(' OR ');
  }

  function matchFor(rawTerm: string): TermMatch | null {
    const term = parseTerm(rawTerm);
    if (term === null) return null;
    const index: SearchIndex = term.kind === 'substring' ? 'search_cjk' : 'search_words';
    const expression = term.kind === 'substring' ? trigramExpression(term.text) : wordExpression(term.phrases, term.prefix);
    return expression === null ? null : { index, expression };
  }

  return {
    matchFor,
    addTermCondition(c, term) {
      const match = matchFor(term);
      if (match === null) {
        c.add('0');
        return;
      }
      c.add(`t.id IN (
        SELECT d.trace_id FROM ${match.index} JOIN search_docs d ON d.doc_id = ${match.index}.rowid
        WHERE ${match.index} MATCH ${c.bind(match.expression)} AND d.project_id = @projectId)`);
    },
  };
}

/** The word-index MATCH expression: any of the phrases, the last word of each a prefix when `prefix`. */
function wordExpression(phrases: readonly string[][], prefix: boolean): string {
  const expressions = phrases.map((words) => `${quote(words.join(' '))}${prefix ? ' *' : ''}`);
  return expressions.length === 1 ? expressions[0]! : `(${expressions.join(' OR ')})`;
}

/** An FTS5 string: everything inside double quotes is literal, a quote is doubled. */
function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
