/**
 * Full-text search text, engine-neutral: what a trace's searchable document holds and how a
 * search term is read, shared by both engines' write and query sides (store/sqlite/search/,
 * store/postgres/search/), so that they find the same traces.
 *
 * - A document holds the distinct strings of what a write says about a trace: its observations'
 *   names and the string values of their input and output, and the trace's own name, input and
 *   output (JSON keys left out), one per line.
 * - Text in a script written with spaces between words (Latin, Cyrillic, Greek, Arabic, Hebrew,
 *   Devanagari, Hangul...) is searched by word, the last word of a term as a prefix, case and
 *   diacritics folded. Text in a script written without spaces (Chinese, Japanese, Thai, Lao,
 *   Khmer, Myanmar) is searched by substring, where a word parser would see a sentence as one word.
 */
import type { JsonValue, MappedSpan, Observation, TraceFacts } from '../model.js';

/** Scripts written without spaces between words: kana, CJK ideographs, Thai, Lao, Khmer, Myanmar. */
export const NO_SPACE_RANGES: ReadonlyArray<readonly [number, number]> = [
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

/** What counts as a word character (SQLite FTS5's unicode61 tokenizer: letters, digits, private use; marks separate). */
export const WORD = /[\p{L}\p{N}\p{Co}]+/gu;
const ARABIC_WORD = /^[\u0600-\u06ff]+$/u;
/** Arabic conjunctions, prepositions and the article written attached to the next word. */
const ARABIC_PROCLITICS = ['', 'ال', 'و', 'وال', 'ب', 'بال', 'ل', 'لل', 'ف', 'فال', 'ك', 'كال'];

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

/** The strings and span ids one write gives a trace's document. */
export interface DocumentParts {
  strings: Set<string>;
  observationIds: string[];
}

/**
 * Adds what a batch says about each trace to its document: the observations' names, ids, input
 * and output strings, and the trace facts its spans carry. `documentOf` returns the trace's
 * document, given the start of what names it (a trace with no row yet is placed by that).
 */
export function addToDocuments(
  spans: readonly MappedSpan[],
  observations: ReadonlyArray<Pick<Observation, 'traceId' | 'startTimeUnixNano' | 'name' | 'id' | 'input' | 'output'>>,
  documentOf: (traceId: string, startNs: bigint) => DocumentParts,
): void {
  for (const observation of observations) {
    const document = documentOf(observation.traceId, observation.startTimeUnixNano);
    document.strings.add(observation.name);
    document.observationIds.push(observation.id);
    collectStrings(observation.input, document.strings);
    collectStrings(observation.output, document.strings);
  }
  for (const { trace } of spans) {
    if (trace === null) continue;
    const document = documentOf(trace.traceId, trace.startTimeUnixNano);
    addTraceFacts(trace.explicit, document.strings);
    if (trace.implicit.name !== undefined) document.strings.add(trace.implicit.name);
  }
}

/** A trace's own searchable facts: its name, input and output (implicit ones are a root span's, indexed with it). */
function addTraceFacts(facts: TraceFacts, into: Set<string>): void {
  if (facts.name !== undefined) into.add(facts.name);
  collectStrings(facts.input, into);
  collectStrings(facts.output, into);
}

/**
 * A document's text: its distinct strings, one per line, cut at MAX_DOCUMENT_CHARS, Arabic
 * optional marks removed. Ends with two spaces, so that each 1-2 character substring of no-space
 * text starts some trigram.
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

/** How a search term is found. */
export type SearchTerm =
  /** Text with a no-space script character: a substring of the document, case aside. */
  | { kind: 'substring'; text: string }
  /**
   * Words: any of `phrases` (each a run of consecutive words), the last word of each a prefix
   * when `prefix`. More than one phrase for an Arabic word: the word behind each proclitic.
   */
  | { kind: 'words'; phrases: string[][]; prefix: boolean };

/** How to find `rawTerm`, or null when it has no word character and no no-space script (no text can hold it). */
export function parseTerm(rawTerm: string): SearchTerm | null {
  const term = normaliseForIndex(rawTerm);
  if (NO_SPACE_SCRIPT.test(term)) return { kind: 'substring', text: term };
  const words = term.match(WORD);
  if (words === null) return null;
  const last = words.at(-1)!;
  const prefix = [...last].length >= 2;
  if (words.length === 1 && ARABIC_WORD.test(last)) {
    return { kind: 'words', phrases: ARABIC_PROCLITICS.map((proclitic) => [proclitic + last]), prefix };
  }
  return { kind: 'words', phrases: [words], prefix };
}
