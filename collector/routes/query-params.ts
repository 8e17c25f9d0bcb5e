/**
 * Query-string values the route schemas cannot fully check: lists, times, orderings, score and
 * metadata conditions, full-text terms, cursors. The schemas check types and ranges first (see
 * routes/schema-errors.ts for their messages); these parse what passed. Each failure names the
 * parameter, what it expects and what it got, so a client sees exactly what to fix.
 */
import { SpanliteError } from '../errors.js';
import {
  COMPARISON_OPERATORS,
  type ComparisonOperator,
  type KeysetPosition,
  type MetadataCondition,
  type Ordering,
  type ScoreCondition,
} from '../store/contract.js';

export function invalidParameter(name: string, expected: string, got: string): SpanliteError {
  return new SpanliteError('invalidParameter', `${name}: expected ${expected} (got ${got})`);
}

/** Repeated (`tags=a&tags=b`) or comma-separated (`tags=a,b`); undefined when empty. */
export function splitList(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const list = values
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return list.length > 0 ? list : undefined;
}

/** An ISO 8601 date-time (checked by the schema) as unix nanoseconds. */
export function unixNanoOf(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  return BigInt(Date.parse(value)) * 1_000_000n;
}

/** The requested page of a list (both checked by the page schema). */
export function pageOf(query: { page: number; limit: number }): { page: number; limit: number } {
  return { page: query.page, limit: query.limit };
}

/** A time filter's two ends (ISO 8601 date-times) as the store's unix-nanosecond range. */
export function timeRangeOf(
  from: string | undefined,
  to: string | undefined,
): { fromTimeUnixNano: bigint | undefined; toTimeUnixNano: bigint | undefined } {
  return { fromTimeUnixNano: unixNanoOf(from), toTimeUnixNano: unixNanoOf(to) };
}

/** `field`, `field.asc` or `field.desc` (Langfuse's form); the default direction is desc. */
export function parseOrderBy<Field extends string>(
  name: string,
  raw: string | undefined,
  fields: readonly Field[],
  fallback: Ordering<Field>,
): Ordering<Field> {
  if (raw === undefined || raw === '') return fallback;
  const [field, direction = 'desc', ...rest] = raw.split('.');
  if (!fields.includes(field as Field) || (direction !== 'asc' && direction !== 'desc') || rest.length > 0) {
    throw invalidParameter(name, `one of ${fields.join(', ')}, optionally followed by .asc or .desc`, JSON.stringify(raw));
  }
  return { field: field as Field, direction };
}

/**
 * `score=<name><op><value>`, op one of = != < <= > >=: `helpfulness<0.5`, `toxicity=0`,
 * `sentiment=positive` (a text value compares the categorical value; only with = and !=).
 */
export function parseScoreConditions(values: readonly string[] | undefined): ScoreCondition[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  return values.map((raw) => {
    const match = /^(.+?)(>=|<=|!=|=|<|>)(.*)$/s.exec(raw);
    const expected = 'a condition <name><op><value> with op one of = != < <= > >= (e.g. helpfulness<0.5)';
    if (!match) throw invalidParameter('score', expected, JSON.stringify(raw));
    const [, name, operator, text] = match as unknown as [string, string, ComparisonOperator, string];
    if (!COMPARISON_OPERATORS.includes(operator) || name.trim() === '' || text.trim() === '') {
      throw invalidParameter('score', expected, JSON.stringify(raw));
    }
    const numeric = Number(text);
    if (text.trim() !== '' && Number.isFinite(numeric)) return { name: name.trim(), operator, value: numeric };
    if (operator !== '=' && operator !== '!=') {
      throw invalidParameter('score', `a number after ${operator} (text values compare with = or != only)`, JSON.stringify(raw));
    }
    return { name: name.trim(), operator, value: text.trim() };
  });
}

/** `metadata=<key>=<value>`: the trace's metadata key holds the value (compared as text). */
export function parseMetadataConditions(values: readonly string[] | undefined): MetadataCondition[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  return values.map((raw) => {
    const at = raw.indexOf('=');
    if (at <= 0) throw invalidParameter('metadata', 'a condition <key>=<value> (e.g. plan=pro)', JSON.stringify(raw));
    return { key: raw.slice(0, at), value: raw.slice(at + 1) };
  });
}

/** Terms per query at most: each is one index lookup. */
export const MAX_SEARCH_TERMS = 8;

/**
 * Full-text terms: words separated by spaces, or "a phrase in double quotes". Every term must
 * appear; a phrase must appear as written (case aside).
 */
export function parseSearchTerms(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const terms = [...raw.matchAll(/"([^"]*)"|(\S+)/g)]
    .map((match) => (match[1] ?? match[2] ?? '').trim().replace(/\s+/g, ' '))
    .filter((term) => term !== '');
  if (terms.length === 0) throw invalidParameter('q', 'words or "quoted phrases" to search for', JSON.stringify(raw));
  if (terms.length > MAX_SEARCH_TERMS) {
    throw invalidParameter('q', `at most ${MAX_SEARCH_TERMS} terms`, `${terms.length}: ${JSON.stringify(raw)}`);
  }
  return terms;
}

/**
 * Cursors are opaque to clients: base64url of the position after which the next page starts
 * (its ordering, the last row's sort value and id).
 */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.orderBy, position.value, position.id])).toString('base64url');
}

export function decodeCursor(raw: string | undefined): KeysetPosition | undefined {
  if (raw === undefined || raw === '') return undefined;
  const invalid = () => invalidParameter('cursor', "a cursor from a previous page's meta.nextCursor", JSON.stringify(raw));
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw invalid();
  const [orderBy, value, id] = decoded as unknown[];
  const valueOk = value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  if (typeof orderBy !== 'string' || typeof id !== 'string' || !valueOk) throw invalid();
  return { orderBy, value: value as KeysetPosition['value'], id };
}
