/**
 * A trace list filtered by full-text terms alone, newest (or oldest) first: the ids of a page
 * and the count, without reading every match of a common word.
 *
 * - Document ids follow their trace's start (store/sqlite/search/search-text.ts), so FTS5 returns a term's matches
 *   in time order, and a page is read from its first matches. A trace whose start moved earlier
 *   after its first document (an earlier span arriving late) may sort a little late.
 * - With several terms, the rarest one (counted up to MAX_EXACT_COUNT) gives the candidates and
 *   each other term keeps those whose documents it matches, in one pass over its matches per
 *   batch of candidates (`+rowid IN (...)`: a filter on the pass, not an FTS5 query per
 *   document, which a prefix term would make costly).
 * - The count is exact up to MAX_EXACT_COUNT traces; above, it is a lower bound (and flagged):
 *   counting a word in a third of a million traces would cost far more than the page, and
 *   cursors still reach every match.
 */
import type { TraceListQuery } from '../../contract.js';
import type { Search, TermMatch } from './search.js';
import type { StatementCache } from '../statement-cache.js';
import { DOC_IDS_PER_MS } from './search-text.js';

const MAX_EXACT_COUNT = 10_000;
/** Extra matches read past a page, so a trace whose documents sit slightly out of time order still sorts into place. */
const ORDER_MARGIN = 64;
/** Candidates checked against the other terms at once, when every term is common. */
const CANDIDATE_BATCH = 2_000;

export interface SearchPage {
  found: Array<{ id: string; sort_value: bigint }>;
  hasMore: boolean;
  count: { totalItems: number; lowerBound: boolean };
}

interface TraceStart {
  id: string;
  start_time_ns: bigint;
}

export function createSearchList(statements: StatementCache, search: Search) {
  const matchesOf = (match: TermMatch) => `FROM ${match.index} JOIN search_docs d ON d.doc_id = ${match.index}.rowid
    WHERE ${match.index} MATCH @expression AND d.project_id = @projectId`;

  function countUpTo(projectId: string, match: TermMatch, limit: number): number {
    const sql = `SELECT count(*) AS n FROM (SELECT DISTINCT d.trace_id ${matchesOf(match)} LIMIT ${limit})`;
    return Number((statements.get(sql).get({ projectId, expression: match.expression }) as { n: bigint }).n);
  }

  /** The traces among `traceIds` with a document matching `match`. */
  function keepMatching(projectId: string, match: TermMatch, traceIds: readonly string[]): string[] {
    if (traceIds.length === 0) return [];
    const sql = `SELECT DISTINCT d.trace_id ${matchesOf(match)}
      AND +${match.index}.rowid IN (SELECT doc_id FROM search_docs WHERE project_id = @projectId AND trace_id IN (SELECT value FROM json_each(@traceIds)))`;
    return (statements.get(sql).all({ projectId, expression: match.expression, traceIds: JSON.stringify(traceIds) }) as Array<{ trace_id: string }>).map(
      (row) => row.trace_id,
    );
  }

  /** The primary term's traces in time order from the cursor, `batch` at a time. */
  function* walk(projectId: string, match: TermMatch, query: TraceListQuery, batch: number): Generator<string[]> {
    const desc = query.orderBy.direction === 'desc';
    const params: Record<string, unknown> = { projectId, expression: match.expression };
    let bound = '';
    if (query.after) {
      const ms = BigInt(query.after.value as string) / 1_000_000n;
      params.bound = (desc ? ms + 1n : ms) * BigInt(DOC_IDS_PER_MS);
      bound = `AND ${match.index}.rowid ${desc ? '<' : '>='} @bound`;
    }
    const seen = new Set<string>();
    let chunk: string[] = [];
    const sql = `SELECT d.trace_id ${matchesOf(match)} ${bound} ORDER BY ${match.index}.rowid ${desc ? 'DESC' : 'ASC'}`;
    for (const row of statements.get(sql).iterate(params)) {
      const traceId = (row as { trace_id: string }).trace_id;
      if (seen.has(traceId)) continue;
      seen.add(traceId);
      chunk.push(traceId);
      if (chunk.length >= batch) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  /** Existing traces among `ids`, after the cursor, in the query's order. */
  function ordered(projectId: string, query: TraceListQuery, ids: readonly string[]): Array<{ id: string; sort_value: bigint }> {
    if (ids.length === 0) return [];
    const desc = query.orderBy.direction === 'desc';
    const rows = statements
      .get(`SELECT id, start_time_ns FROM traces WHERE project_id = ? AND id IN (SELECT value FROM json_each(?))`)
      .all(projectId, JSON.stringify(ids)) as TraceStart[];
    const after = query.after;
    return rows
      .filter((row) => after === undefined || isAfter(row, BigInt(after.value as string), after.id, desc))
      .sort((a, b) => (a.start_time_ns === b.start_time_ns ? compare(a.id, b.id) : a.start_time_ns < b.start_time_ns ? -1 : 1) * (desc ? -1 : 1))
      .map((row) => ({ id: row.id, sort_value: row.start_time_ns }));
  }

  return function listBySearch(projectId: string, query: TraceListQuery, terms: readonly string[]): SearchPage {
    const empty: SearchPage = { found: [], hasMore: false, count: { totalItems: 0, lowerBound: false } };
    const matches = terms.map((term) => search.matchFor(term));
    if (matches.some((match) => match === null)) return empty;
    const counted = (matches as TermMatch[])
      .map((match) => ({ match, traces: countUpTo(projectId, match, MAX_EXACT_COUNT + 1) }))
      .sort((a, b) => a.traces - b.traces);
    const [primary, ...others] = counted;
    const offset = query.after ? 0 : (query.page - 1) * query.limit;
    const wanted = offset + query.limit + 1;

    if (primary!.traces <= MAX_EXACT_COUNT && others.length > 0) {
      // The rarest term is countable: take all its traces, keep those every other term matches.
      let traces = [...walk(projectId, primary!.match, { ...query, after: undefined }, MAX_EXACT_COUNT + 1)].flat();
      for (const { match } of others) traces = keepMatching(projectId, match, traces);
      const all = ordered(projectId, { ...query, after: undefined }, traces);
      const page = ordered(projectId, query, traces).slice(offset);
      return { found: page.slice(0, query.limit), hasMore: page.length > query.limit, count: { totalItems: all.length, lowerBound: false } };
    }

    // One term, or every term common: walk the rarest in time order, keep what the others match.
    const kept: string[] = [];
    let exhausted = true;
    for (const chunk of walk(projectId, primary!.match, query, others.length === 0 ? wanted + ORDER_MARGIN : CANDIDATE_BATCH)) {
      let survivors = chunk;
      for (const { match } of others) survivors = keepMatching(projectId, match, survivors);
      kept.push(...survivors);
      if (kept.length >= wanted + ORDER_MARGIN) {
        exhausted = false;
        break;
      }
    }
    const page = ordered(projectId, query, kept).slice(offset);
    const count =
      others.length === 0
        ? { totalItems: Math.min(primary!.traces, MAX_EXACT_COUNT + 1), lowerBound: primary!.traces > MAX_EXACT_COUNT }
        : { totalItems: Math.max(kept.length, offset + page.length), lowerBound: !exhausted };
    return { found: page.slice(0, query.limit), hasMore: page.length > query.limit || !exhausted, count };
  };
}

function isAfter(row: TraceStart, start: bigint, id: string, desc: boolean): boolean {
  if (row.start_time_ns === start) return desc ? row.id < id : row.id > id;
  return desc ? row.start_time_ns < start : row.start_time_ns > start;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
