/**
 * Full-text search terms -> conditions on traces, and trace lists filtered by terms alone, over
 * the documents of documents.ts, finding what the SQLite engine finds (store/sqlite/search/):
 *
 * - A term in a space-separated script is a phrase whose last word may be a prefix, case and
 *   Latin diacritics folded (words.ts), matched on the tsvector's GIN index; an Arabic word also
 *   behind the proclitics written attached to it (store/search-text.ts's parseTerm).
 * - A term with a character of a no-space script (Chinese, Japanese, Thai...) is a substring,
 *   case aside, matched with LIKE on the pg_trgm index of those documents' text; one of one or
 *   two characters, shorter than a trigram, is a lexeme of the tsvector (short-substrings.ts).
 * - A term of one or two such characters is refused, as on SQLite, when more than
 *   MAX_EXPANDED_TRIGRAMS different trigrams of the indexed text start with it (SQLite searches
 *   it as those trigrams), counted in search_short_term_trigrams, over every project's documents
 *   as SQLite's one vocabulary holds them (and also those of deleted documents, which SQLite's
 *   forgets: a term may be refused after deletions that SQLite would search again).
 * - Every term must match a document of the trace, not necessarily the same one.
 *
 * User text only ever reaches PostgreSQL as bound parameters, and the tsquery and patterns built
 * from it escape what would be syntax there.
 */
import type { Pool, PoolClient } from 'pg';
import { QueryRejectedError, type TraceListQuery } from '../../contract.js';
import { parseTerm } from '../../search-text.js';
import { tsqueryLiteral } from './words.js';
import { quotedLexeme, shortSubstringLexeme } from './short-substrings.js';
import { conditionForm, withHashedSubplan } from '../read/condition-form.js';
import { inSnapshot } from '../read/snapshot.js';

/** More trigrams than this behind a 1-2 character term: refused as too broad (SQLite's limit). */
const MAX_EXPANDED_TRIGRAMS = 2000;
/** Above every code point: `trigram < term + MAX_CHAR` bounds a prefix range (COLLATE "C" orders by code point). */
const MAX_CHAR = String.fromCodePoint(0x10ffff);
/** The count of a search list is exact up to this many traces, a lower bound above (SQLite's limit). */
const MAX_EXACT_COUNT = 10_000;

/** Binds a value as the next positional parameter of a statement, returning its placeholder (`$3`). */
export interface SqlParameters {
  bind(value: unknown): string;
}

/** Positional parameters for one statement: pass `values` with the SQL. */
export function sqlParameters(): SqlParameters & { values: unknown[] } {
  const values: unknown[] = [];
  return {
    values,
    bind(value) {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

/** How to find one term. */
type TermMatch = { kind: 'words'; tsquery: string } | { kind: 'substring'; pattern: string };

/** A page of a list filtered by terms alone, in the query's order, as SQLite's search list gives it. */
export interface SearchPage {
  found: Array<{ id: string; sort_value: bigint }>;
  hasMore: boolean;
  count: { totalItems: number; lowerBound: boolean };
}

export interface TraceSearch {
  /**
   * A condition on `traces t` (its `project_id` and `id`): the trace matches every term. Values
   * are bound through `params`. Throws QueryRejectedError (field `searchTerms`) for a term too
   * broad to search.
   */
  condition(terms: readonly string[], params: SqlParameters): Promise<string>;
  /**
   * The page of matching traces ordered by start time (ties by id), `timestamp` desc or asc, with
   * the count; read through `db` (default a snapshot of its own), so that a caller's snapshot holds both.
   */
  list(projectId: string, query: TraceListQuery, terms: readonly string[], db?: PoolClient): Promise<SearchPage>;
}

export function createSearch(pool: Pool): TraceSearch {
  /**
   * How many different trigrams of the indexed text start with the (lower-case) 1-2 character
   * term, up to MAX_EXPANDED_TRIGRAMS + 1: a range of search_short_term_trigrams.
   */
  async function trigramsStarting(term: string): Promise<number> {
    const result = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT DISTINCT v.trigram FROM search_short_term_trigrams v WHERE v.trigram >= $1 AND v.trigram < $2
         LIMIT ${MAX_EXPANDED_TRIGRAMS + 1}) trigrams`,
      [term, term + MAX_CHAR],
    );
    return result.rows[0]!.n;
  }

  async function matchFor(rawTerm: string): Promise<TermMatch | null> {
    const term = parseTerm(rawTerm);
    if (term === null) return null;
    if (term.kind === 'words') {
      const tsquery = tsqueryLiteral(term.phrases, term.prefix);
      return tsquery === null ? null : { kind: 'words', tsquery };
    }
    const text = term.text.toLowerCase();
    if ([...text].length >= 3) return { kind: 'substring', pattern: `%${escapeLike(text)}%` };
    const trigrams = await trigramsStarting(text);
    if (trigrams > MAX_EXPANDED_TRIGRAMS) {
      throw new QueryRejectedError(
        'searchTerms',
        `"${rawTerm}" is too short to search: it starts more than ${MAX_EXPANDED_TRIGRAMS} different trigrams; add a character`,
      );
    }
    return trigrams === 0 ? null : { kind: 'words', tsquery: quotedLexeme(shortSubstringLexeme(text)) };
  }

  /** Per term, the test of a document `d` that finds it; null when some term matches nothing. */
  async function documentTests(terms: readonly string[], params: SqlParameters): Promise<string[] | null> {
    const tests: string[] = [];
    for (const term of terms) {
      const match = await matchFor(term);
      if (match === null) return null;
      tests.push(match.kind === 'words' ? `d.words @@ ${params.bind(match.tsquery)}::tsquery` : `d.substrings LIKE ${params.bind(match.pattern)}`);
    }
    return tests;
  }

  async function condition(terms: readonly string[], params: SqlParameters): Promise<string> {
    return everyTest(await documentTests(terms, params));
  }

  function list(projectId: string, query: TraceListQuery, terms: readonly string[], db?: PoolClient): Promise<SearchPage> {
    return db ? listIn(db, projectId, query, terms) : inSnapshot(pool, (client) => listIn(client, projectId, query, terms));
  }

  async function listIn(db: PoolClient, projectId: string, query: TraceListQuery, terms: readonly string[]): Promise<SearchPage> {
    const params = sqlParameters();
    const project = params.bind(projectId);
    const tests = await documentTests(terms, params);
    const matching = `t.project_id = ${project} AND ${everyTest(tests)}`;
    const counted = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM traces t WHERE ${matching} LIMIT ${MAX_EXACT_COUNT + 1}) matches`,
      params.values,
    );
    const n = counted.rows[0]!.n;
    const offset = query.after ? 0 : (query.page - 1) * query.limit;
    // One term counted exactly: its page in the form its count favours (read/condition-form.ts).
    const form = tests?.length === 1 && n <= MAX_EXACT_COUNT ? await conditionForm(db, projectId, n, offset + query.limit + 1) : 'probe';
    const documents = `SELECT d.trace_id FROM search_docs d WHERE d.project_id = ${project} AND ${tests?.[0]}`;
    const pageMatching =
      form === 'hash' ? `t.project_id = ${project} AND (t.id IN (${documents})) IS TRUE`
      : form === 'set' ? `t.project_id = ${project} AND t.id = ANY(ARRAY(${documents}))`
      : matching;

    const desc = query.orderBy.direction === 'desc';
    const [before, order] = desc ? ['<', 'DESC'] : ['>', 'ASC'];
    let after = '';
    if (query.after) {
      const start = params.bind(String(query.after.value));
      after = `AND (t.start_time_ns ${before} ${start}::bigint
        OR (t.start_time_ns = ${start}::bigint AND t.id COLLATE "C" ${before} ${params.bind(query.after.id)}))`;
    }
    const rows = await withHashedSubplan(db, form, () =>
      db.query<{ id: string; start_time_ns: string }>(
        `SELECT t.id, t.start_time_ns FROM traces t WHERE ${pageMatching} ${after}
         ORDER BY t.start_time_ns ${order}, t.id COLLATE "C" ${order}
         LIMIT ${params.bind(query.limit + 1)} OFFSET ${params.bind(offset)}`,
        params.values,
      ),
    );
    const found = rows.rows.map((row) => ({ id: row.id, sort_value: BigInt(row.start_time_ns) }));
    return {
      found: found.slice(0, query.limit),
      hasMore: found.length > query.limit,
      count: { totalItems: n, lowerBound: n > MAX_EXACT_COUNT },
    };
  }

  return { condition, list };
}

/** A condition on `traces t`: a document of the trace passes each test (none when `tests` is null). */
function everyTest(tests: readonly string[] | null): string {
  if (tests === null) return 'false';
  if (tests.length === 0) return 'true';
  return tests.map((test) => `EXISTS (SELECT 1 FROM search_docs d WHERE d.project_id = t.project_id AND d.trace_id = t.id AND ${test})`).join(' AND ');
}

/** A LIKE pattern's literal text (backslash is LIKE's default escape). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

