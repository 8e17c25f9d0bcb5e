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
import { conditionForm, withHashedSubplan, type ConditionForm } from '../read/condition-form.js';
import { inSnapshot } from '../read/snapshot.js';
import { withLocalSettings } from '../read/local-settings.js';

/** More trigrams than this behind a 1-2 character term: refused as too broad (SQLite's limit). */
const MAX_EXPANDED_TRIGRAMS = 2000;
/** Above every code point: `trigram < term + MAX_CHAR` bounds a prefix range (COLLATE "C" orders by code point). */
const MAX_CHAR = String.fromCodePoint(0x10ffff);
/** The count of a search list is exact up to this many traces, a lower bound above (SQLite's limit). */
const MAX_EXACT_COUNT = 10_000;
/** A term estimated in this share of a project's documents is counted by walking them (tracesUpTo). */
const COMMON_TERM_SHARE = 0.5;
/** A term estimated in this many documents is taken as common once another was counted common (countTerms). */
const COMMON_TERM_DOCUMENTS = 10 * MAX_EXACT_COUNT;
/** Matches read past a page when common terms are walked, so a trace whose documents carry a later start than its own still sorts into place (SQLite's ORDER_MARGIN). */
const ORDER_MARGIN = 64;
/** Each window of a walk of common terms spans this many times the one before. */
const WINDOW_GROWTH = 4n;
/** Planner settings (withLocalSettings) that keep a read of search documents to bitmap scans of their indexes, or off them. */
const BITMAP_SCANS_ONLY: Readonly<Record<string, string>> = { enable_seqscan: 'off', enable_indexscan: 'off' };
const NO_BITMAP_SCANS: Readonly<Record<string, string>> = { enable_bitmapscan: 'off' };

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

  /** Per term, how to find it; null when some term matches nothing. */
  async function termMatches(terms: readonly string[]): Promise<TermMatch[] | null> {
    const matches: TermMatch[] = [];
    for (const term of terms) {
      const match = await matchFor(term);
      if (match === null) return null;
      matches.push(match);
    }
    return matches;
  }

  async function condition(terms: readonly string[], params: SqlParameters): Promise<string> {
    const matches = await termMatches(terms);
    return everyTest(matches === null ? null : matches.map((match) => documentTest(match, params)));
  }

  function list(projectId: string, query: TraceListQuery, terms: readonly string[], db?: PoolClient): Promise<SearchPage> {
    return db ? listIn(db, projectId, query, terms) : inSnapshot(pool, (client) => listIn(client, projectId, query, terms));
  }

  /**
   * As SQLite's search list (store/sqlite/search/search-list.ts): a term whose traces are
   * countable (at most MAX_EXACT_COUNT) gives the candidates the other terms narrow, and the
   * count is exact; when every term is common, the page is found by walking (the newest traces
   * for one term, the rarest term's documents for several) and the count is a lower bound.
   * Terms are counted in the order of the planner's estimate of their documents, rarest first,
   * and no further once one is countable.
   */
  async function listIn(db: PoolClient, projectId: string, query: TraceListQuery, terms: readonly string[]): Promise<SearchPage> {
    const matches = await termMatches(terms);
    if (matches === null) return { found: [], hasMore: false, count: { totalItems: 0, lowerBound: false } };
    const offset = query.after ? 0 : (query.page - 1) * query.limit;
    const counted = await countTerms(db, projectId, matches);

    if (counted.kind === 'common' && matches.length > 1) {
      const others = matches.filter((match) => match !== counted.rarest.match);
      return commonTermsPage(db, projectId, query, offset, counted.rarest, others);
    }
    if (counted.kind === 'common') {
      // One term in more than MAX_EXACT_COUNT traces: its page from the first traces walked, SQLite's count.
      const params = sqlParameters();
      const page = await pageOf(db, projectId, query, offset, 'probe', everyTest([documentTest(matches[0]!, params)]), params);
      return { ...page, count: { totalItems: MAX_EXACT_COUNT + 1, lowerBound: true } };
    }
    let traceIds = counted.traceIds;
    for (const match of matches) if (match !== counted.match) traceIds = await keepMatching(db, projectId, match, traceIds);
    const params = sqlParameters();
    const form = await conditionForm(db, projectId, traceIds.length, offset + query.limit + 1);
    const candidates =
      form === 'hash' ? `(t.id IN (SELECT unnest(${params.bind(traceIds)}::text[]))) IS TRUE`
      : form === 'set' ? `t.id = ANY(${params.bind(traceIds)}::text[])`
      : everyTest(matches.map((match) => documentTest(match, params)));
    const page = await pageOf(db, projectId, query, offset, form, candidates, params);
    // One term: its documents' traces, stored or not, as SQLite counts them; several: the stored traces they share.
    const totalItems = matches.length === 1 ? traceIds.length : await storedAmong(db, projectId, traceIds);
    return { ...page, count: { totalItems, lowerBound: false } };
  }

  return { condition, list };
}

/** A term of at most MAX_EXACT_COUNT traces, with them; or every term common, and the rarest by estimate. */
type TermCounts =
  | { kind: 'countable'; match: TermMatch; traceIds: string[] }
  | { kind: 'common'; rarest: EstimatedTerm };

interface EstimatedTerm {
  match: TermMatch;
  /** The planner's estimate of the project's documents it finds. */
  documents: number;
}

/**
 * The first term, in the order of the planner's estimates (fewest documents first), matching at
 * most MAX_EXACT_COUNT traces, with those traces; else every term is common. After a term
 * counted above the bound, one estimated at COMMON_TERM_DOCUMENTS or more is not counted:
 * reading its documents would only confirm it is common. A wrong estimate costs time, never a
 * wrong page: the lists of both outcomes hold the same traces.
 */
async function countTerms(db: PoolClient, projectId: string, matches: readonly TermMatch[]): Promise<TermCounts> {
  const allDocuments = await estimatedRows(db, 'SELECT 1 FROM search_docs d WHERE d.project_id = $1', [projectId]);
  const estimated: EstimatedTerm[] = [];
  for (const match of matches) estimated.push({ match, documents: await estimatedDocuments(db, projectId, match) });
  estimated.sort((a, b) => a.documents - b.documents);
  let countedOne = false;
  for (const { match, documents } of estimated) {
    if (countedOne && documents >= COMMON_TERM_DOCUMENTS) break;
    const common = documents >= COMMON_TERM_SHARE * allDocuments;
    const traceIds = await tracesUpTo(db, projectId, match, MAX_EXACT_COUNT + 1, common ? 'walk' : 'index');
    if (traceIds.length <= MAX_EXACT_COUNT) return { kind: 'countable', match, traceIds };
    countedOne = true;
  }
  return { kind: 'common', rarest: estimated[0]! };
}

/**
 * Several terms, every one common: SQLite's walk of its rarest term in time order, in windows.
 * The rarest term's documents of a window of trace starts are read through its index and the
 * start index together, the other terms keep those of their traces whose documents they match
 * (a probe each), and windows follow one another, newest first for a descending list, until the
 * page and ORDER_MARGIN more are found or the documents end. The first window is sized to hold
 * about that many of the rarest term's documents, each next one WINDOW_GROWTH times as long.
 * Walking the traces and probing each one's documents for every term instead read 10k
 * documents for a page of two common words sharing one trace in 130 (at 1M traces: 120 ms
 * warm, 2 s from a cold cache). The count is what the walk found: a lower bound unless it
 * reached the end, as SQLite's.
 */
async function commonTermsPage(
  db: PoolClient,
  projectId: string,
  query: TraceListQuery,
  offset: number,
  rarest: EstimatedTerm,
  others: readonly TermMatch[],
): Promise<SearchPage> {
  const desc = query.orderBy.direction === 'desc';
  const wanted = offset + query.limit + 1 + ORDER_MARGIN;
  const { rows } = await db.query<{ first: string | null; last: string | null }>(
    'SELECT min(trace_start_ns) AS first, max(trace_start_ns) AS last FROM search_docs WHERE project_id = $1',
    [projectId],
  );
  if (rows[0]!.first === null) return { found: [], hasMore: false, count: { totalItems: 0, lowerBound: false } };
  const first = BigInt(rows[0]!.first);
  const end = BigInt(rows[0]!.last!) + 1n;
  let edge = desc ? end : first;
  if (query.after) {
    const at = BigInt(String(query.after.value));
    edge = desc ? (at + 1n < end ? at + 1n : end) : at > first ? at : first;
  }
  let width = ((end - first) * BigInt(wanted)) / BigInt(Math.max(1, Math.round(rarest.documents))) + 1n;
  const kept = new Set<string>();
  let exhausted = false;
  while (kept.size < wanted) {
    const [from, to] = desc ? [edge - width, edge] : [edge, edge + width];
    let traceIds = await tracesInWindow(db, projectId, rarest.match, from, to);
    for (const match of others) traceIds = await keepMatching(db, projectId, match, traceIds);
    for (const traceId of traceIds) kept.add(traceId);
    edge = desc ? from : to;
    if (desc ? edge <= first : edge >= end) {
      exhausted = true;
      break;
    }
    width *= WINDOW_GROWTH;
  }
  const params = sqlParameters();
  const page = await pageOf(db, projectId, query, offset, 'set', `t.id = ANY(${params.bind([...kept])}::text[])`, params);
  return {
    found: page.found,
    hasMore: page.hasMore || !exhausted,
    count: { totalItems: Math.max(kept.size, offset + page.found.length), lowerBound: !exhausted },
  };
}

/** The traces of the project's documents that `match` finds among those whose trace start is in [fromNs, toNs). */
async function tracesInWindow(db: PoolClient, projectId: string, match: TermMatch, fromNs: bigint, toNs: bigint): Promise<string[]> {
  const params = sqlParameters();
  const sql = `SELECT DISTINCT d.trace_id FROM search_docs d WHERE d.project_id = ${params.bind(projectId)} AND ${documentTest(match, params)}
    AND d.trace_start_ns >= ${params.bind(String(fromNs))}::bigint AND d.trace_start_ns < ${params.bind(String(toNs))}::bigint`;
  // Bitmaps only: the term's index and the start index, combined, read the documents both find.
  const { rows } = await withLocalSettings(db, BITMAP_SCANS_ONLY, () =>
    db.query<{ trace_id: string }>(sql, params.values),
  );
  return rows.map((row) => row.trace_id);
}

async function estimatedDocuments(db: PoolClient, projectId: string, match: TermMatch): Promise<number> {
  const params = sqlParameters();
  const project = params.bind(projectId);
  return estimatedRows(db, `SELECT 1 FROM search_docs d WHERE d.project_id = ${project} AND ${documentTest(match, params)}`, params.values);
}

/** The planner's estimate of the rows `sql` returns (EXPLAIN, nothing run). */
async function estimatedRows(db: PoolClient, sql: string, values: unknown[]): Promise<number> {
  const { rows } = await db.query<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(`EXPLAIN (FORMAT JSON) ${sql}`, values);
  return rows[0]!['QUERY PLAN'][0]!.Plan['Plan Rows'];
}

/** The test of a document `d` that finds `match`, its value bound through `params`. */
function documentTest(match: TermMatch, params: SqlParameters): string {
  return match.kind === 'words' ? `d.words @@ ${params.bind(match.tsquery)}::tsquery` : `d.substrings LIKE ${params.bind(match.pattern)}`;
}

/**
 * The distinct traces of the project's documents that `match` finds, up to `limit`, read in one
 * of two ways the planner is held to, as it would otherwise choose from its estimate alone:
 * - `index`: the term's own index (a bitmap scan), reading only the documents it finds. Walking
 *   the documents instead, expecting the limit to stop the walk early, read all 1M for a prefix
 *   or Arabic term the planner overestimated (58k documents expected, 10k there: 4.5 s; 86 ms so).
 * - `walk`: the documents in table order until `limit` match, for a term in a large share of
 *   them: its index would list hundreds of thousands first (a phrase in every document, at 1M:
 *   290 ms so, 35 ms walked).
 * A trace with several matching documents is read more than once: then the documents are read
 * again, four times as many, until `limit` traces or every document is read.
 */
async function tracesUpTo(db: PoolClient, projectId: string, match: TermMatch, limit: number, path: 'index' | 'walk'): Promise<string[]> {
  const params = sqlParameters();
  const project = params.bind(projectId);
  const test = documentTest(match, params);
  const planner = path === 'index' ? BITMAP_SCANS_ONLY : NO_BITMAP_SCANS;
  for (let documents = limit; ; documents *= 4) {
    const { rows } = await withLocalSettings(db, planner, () =>
      db.query<{ trace_id: string }>(`SELECT d.trace_id FROM search_docs d WHERE d.project_id = ${project} AND ${test} LIMIT ${documents}`, params.values),
    );
    const traceIds = [...new Set(rows.map((row) => row.trace_id))];
    if (rows.length < documents || traceIds.length >= limit) return traceIds.slice(0, limit);
  }
}

/** The traces among `traceIds` with a document that `match` finds. */
async function keepMatching(db: PoolClient, projectId: string, match: TermMatch, traceIds: readonly string[]): Promise<string[]> {
  if (traceIds.length === 0) return [];
  const params = sqlParameters();
  const sql = `SELECT DISTINCT d.trace_id FROM search_docs d
    WHERE d.project_id = ${params.bind(projectId)} AND d.trace_id = ANY(${params.bind(traceIds)}::text[]) AND ${documentTest(match, params)}`;
  return (await db.query<{ trace_id: string }>(sql, params.values)).rows.map((row) => row.trace_id);
}

async function storedAmong(db: PoolClient, projectId: string, traceIds: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM traces t WHERE t.project_id = $1 AND t.id = ANY($2::text[])`, [
    projectId,
    traceIds,
  ]);
  return rows[0]!.n;
}

/** The page of traces passing `candidates` (a condition on `traces t`), in the query's order, after its cursor. */
async function pageOf(
  db: PoolClient,
  projectId: string,
  query: TraceListQuery,
  offset: number,
  form: ConditionForm,
  candidates: string,
  params: SqlParameters & { values: unknown[] },
): Promise<Pick<SearchPage, 'found' | 'hasMore'>> {
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
      `SELECT t.id, t.start_time_ns FROM traces t WHERE t.project_id = ${params.bind(projectId)} AND ${candidates} ${after}
       ORDER BY t.start_time_ns ${order}, t.id COLLATE "C" ${order}
       LIMIT ${params.bind(query.limit + 1)} OFFSET ${params.bind(offset)}`,
      params.values,
    ),
  );
  const found = rows.rows.map((row) => ({ id: row.id, sort_value: BigInt(row.start_time_ns) }));
  return { found: found.slice(0, query.limit), hasMore: found.length > query.limit };
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

