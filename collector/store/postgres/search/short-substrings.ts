/**
 * Terms of one or two characters with a no-space script character (密码, 中): shorter than
 * pg_trgm's trigrams, so its index cannot find them, and LIKE read every document with no-space
 * text (about 1.9 s per term at 1M traces). Instead the writer puts each such substring of a
 * document into its tsvector as a lexeme of its own, and such a term is one GIN lookup:
 * - every no-space character, and every two characters of which one is, in the document's
 *   lower-case text, as `#` and the substring (`#中`, `#中文`, `#a中`). No word lexeme holds `#`
 *   (words.ts: letters, digits, private use), so a word search never meets one, prefix or not.
 * - The trigrams that start with such a term, the SQLite engine's measure of a term too broad to
 *   search (store/sqlite/search/search.ts), are kept in `search_short_term_trigrams`: every
 *   trigram of that text whose first or second character is a no-space one.
 */
import { NO_SPACE_SCRIPT } from '../../search-text.js';

const MARK = '#';

/** The `words` lexeme of a 1-2 character substring (lower case). */
export function shortSubstringLexeme(substring: string): string {
  return MARK + substring;
}

/** A lexeme quoted for a tsvector or tsquery literal: a quote doubled, a backslash escaped. */
export function quotedLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The short-substring lexemes of a document's lower-case text (quoted), and the trigrams that start them. */
export function shortSubstrings(lowerText: string): { lexemes: string[]; trigrams: string[] } {
  const chars = [...lowerText];
  const noSpace = chars.map((char) => NO_SPACE_SCRIPT.test(char));
  const lexemes = new Set<string>();
  const trigrams = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    if (noSpace[i]) lexemes.add(chars[i]!);
    if (i + 1 < chars.length && (noSpace[i] || noSpace[i + 1])) {
      lexemes.add(chars[i]! + chars[i + 1]!);
      if (i + 2 < chars.length) trigrams.add(chars[i]! + chars[i + 1]! + chars[i + 2]!);
    }
  }
  return { lexemes: [...lexemes].map((substring) => quotedLexeme(shortSubstringLexeme(substring))), trigrams: [...trigrams] };
}
