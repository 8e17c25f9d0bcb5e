/**
 * Values as PostgreSQL accepts them. Neither TEXT nor JSONB can hold U+0000 (TEXT refuses the
 * byte, JSONB the `\u0000` escape), though a span attribute may carry it: it is replaced by
 * U+FFFD, the replacement character, rather than failing the batch. JSON meant for a TEXT column
 * keeps its escaped `\u0000`, which TEXT holds as six plain characters.
 */

const NUL = /\u0000/g;
/** A `\u0000` escape in JSON text, not preceded by an escaped backslash. */
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;

/** A string for a TEXT column; null stays null. */
export function text(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value.includes('\u0000') ? value.replace(NUL, '\ufffd') : value;
}

/** JSON text for a TEXT column, as written; null and undefined are SQL NULL. */
export function jsonText(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** JSON text for a JSONB column; null and undefined are SQL NULL. */
export function jsonb(value: unknown): string | null {
  const json = jsonText(value);
  return json !== null && json.includes('\\u0000') ? json.replace(NUL_ESCAPE, '$1\\ufffd') : json;
}
