/**
 * Words as PostgreSQL's tsvector and tsquery hold them, made here rather than by a text search
 * configuration, so that a word is what SQLite's word index (FTS5 unicode61, remove_diacritics 2)
 * takes for one, folded as it folds it:
 * - Word characters are letters, digits and private-use characters (store/search-text.ts's WORD);
 *   anything else separates words, combining marks included. PostgreSQL's parser decides by
 *   the server's locale instead: in the C locale every non-ASCII character is a letter, so
 *   «сбросить» would be one word with its quotes.
 * - Lower case; a Latin letter loses its diacritics (café: cafe), other scripts keep theirs (ё, ά),
 *   as unicode61 does (`unaccent` would also fold Cyrillic ё to е and Greek ά to α).
 * Lexemes are written as literals (`'word':1,5`, `'reset' <-> 'my' <-> 'pass':*`): a word holds
 * no quote, backslash or colon, so user text never reaches tsquery syntax.
 */
import { WORD } from '../../search-text.js';

/** tsvector limits: positions up to 16383, at most 256 per lexeme, a lexeme under 2 KB (UTF-8). */
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_WORD = 256;
const MAX_WORD_CHARS = 500;

/** Marks that follow an ASCII letter once decomposed: the diacritics of Latin letters. */
const LATIN_DIACRITICS = /(?<=[\u0000-\u007f])[\u0300-\u036f]+/g;

/** The folded words of `text`, in order. */
export function foldedWords(text: string): string[] {
  const folded = text.toLowerCase().normalize('NFD').replace(LATIN_DIACRITICS, '').normalize('NFC');
  return (folded.match(WORD) ?? []).map((word) => (word.length > MAX_WORD_CHARS ? [...word].slice(0, MAX_WORD_CHARS).join('') : word));
}

/** A tsvector literal of the text's words with their positions (for phrases). */
export function tsvectorLiteral(text: string): string {
  const positions = new Map<string, number[]>();
  let position = 0;
  for (const word of foldedWords(text)) {
    position = Math.min(position + 1, MAX_POSITION);
    let list = positions.get(word);
    if (list === undefined) positions.set(word, (list = []));
    if (list.length < MAX_POSITIONS_PER_WORD && list.at(-1) !== position) list.push(position);
  }
  return [...positions].map(([word, list]) => `'${word}':${list.join(',')}`).join(' ');
}

/**
 * A tsquery literal matching any of the phrases (consecutive words), the last word of each a
 * prefix when `prefix`; null when no phrase has a word.
 */
export function tsqueryLiteral(phrases: readonly string[][], prefix: boolean): string | null {
  const alternatives = phrases
    .map((phrase) => phrase.flatMap(foldedWords))
    .filter((words) => words.length > 0)
    .map((words) => words.map((word, i) => `'${word}'${prefix && i === words.length - 1 ? ':*' : ''}`).join(' <-> '));
  if (alternatives.length === 0) return null;
  return alternatives.length === 1 ? alternatives[0]! : alternatives.map((alternative) => `(${alternative})`).join(' | ');
}
