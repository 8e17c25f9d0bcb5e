/**
 * What the full-text index holds and how text is prepared for it, shared by the write side
 * (store/sqlite/write/batch-derived.ts) and the query side (store/sqlite/search/search.ts).
 *
 * Two FTS5 indexes over the same documents:
 * - `search_words`, tokenizer unicode61 (remove_diacritics 2): words of every script that
 *   separates words with spaces (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Hangul...),
 *   case- and diacritic-insensitive, searched by word prefix.
 * - `search_cjk`, tokenizer trigram: only documents with text in a script written without
 *   spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar), where a word tokenizer sees a whole
 *   sentence as one word; trigrams find any substring there.
 * Trigrams for everything would be simplest, but they cost about ten times the word index to
 * write (one token per character): measured, the write path lost 80% of its throughput.
 */
import type { JsonValue } from '../../../model.js';

/** Scripts written without spaces between words: kana, CJK ideographs, Thai, Lao, Khmer, Myanmar. */
const NO_SPACE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x3040, 0x30ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
  [0x0e00, 0x0eff],
  [0x1000, 0x109f],
  [0x1780, 0x17ff],
];

export const NO_SPACE_SCRIPT = new RegExp(
  `[${NO_SPACE_RANGES.map(([from, to]) => `\\u{${from.toString(16)}}-\\u{${to.toString(16)}}`).join('')}]`,
  'u',
);

/** The same ranges as an SQLite GLOB pattern, for the SQL side (the trigger that indexes rewritten observation text). */
export const NO_SPACE_SCRIPT_GLOB = `*[${NO_SPACE_RANGES.map(([from, to]) => `${String.fromCodePoint(from)}-${String.fromCodePoint(to)}`).join('')}]*`;

/**
 * Document ids per millisecond of trace start: a document's id is its trace's start in ms times
 * this, plus a count, so FTS5 returns matches in trace time order (rowid order) and a search
 * for the newest traces can stop after a page (store/sqlite/read/traces.ts).
 */
export const DOC_IDS_PER_MS = 1_048_576;

/**
 * Arabic short vowels, shadda, sukun, superscript alef and tatweel: optional in writing, so
 * removed from indexed text and queries alike (العَرَبِيَّة is found as العربية).
 */
const ARABIC_OPTIONAL_MARKS = /[\u064b-\u0652\u0670\u0640]/gu;
export const ARABIC_OPTIONAL_MARK_CHARS = ['\u064b', '\u064c', '\u064d', '\u064e', '\u064f', '\u0650', '\u0651', '\u0652', '\u0670', '\u0640'];

/**
 * Text beyond this many characters per document is not indexed, nor beyond MAX_STRING_CHARS of
 * one string (a retrieved document, a long context): indexing costs the write path in proportion
 * to the text, and a phrase worth searching for is rarely that deep in one value.
 */
export const MAX_DOCUMENT_CHARS = 32_000;
export const MAX_STRING_CHARS = 4_000;

export function normaliseForIndex(text: string): string {
  return text.replace(ARABIC_OPTIONAL_MARKS, '');
}

/** Adds the non-empty string values found in `value` (JSON keys left out) to `into`. */
export function collectStrings(value: JsonValue | null | undefined, into: Set<string>): void {
  if (typeof value === 'string') {
    const text = (value.length > MAX_STRING_CHARS ? value.slice(0, MAX_STRING_CHARS) : value).trim();
    if (text !== '') into.add(text);
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) collectStrings(value[key], into);
  }
}

/**
 * A document's text: its distinct strings, one per line, cut at MAX_DOCUMENT_CHARS. Ends with
 * two spaces, so that each 1-2 character substring of no-space text starts some trigram.
 */
export function documentText(strings: Iterable<string>): string {
  let text = '';
  for (const value of strings) {
    if (text.length + value.length + 1 > MAX_DOCUMENT_CHARS) {
      text += value.slice(0, Math.max(0, MAX_DOCUMENT_CHARS - text.length));
      break;
    }
    text += `${value}\n`;
  }
  return `${normaliseForIndex(text)}  `;
}
