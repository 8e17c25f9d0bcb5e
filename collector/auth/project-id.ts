/**
 * Project ids: every row in the store is keyed by one. A key belongs to one project; a request
 * authenticated with it reads and writes that project only.
 */

/** The project of a collector running open (no key ever created): everything is stored here. */
export const DEFAULT_PROJECT_ID = 'default';

const PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Why `raw` is not a valid project id, or null when it is: 1-64 characters, letters, digits,
 * `.`, `_` and `-`, starting with a letter or digit.
 */
export function projectIdProblem(raw: string): string | null {
  if (PROJECT_ID.test(raw)) return null;
  return `expected 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit (got ${JSON.stringify(raw)})`;
}
