/**
 * The built-in detectors SPANLITE_MASK names: what each finds, and the text that replaces it.
 * Each is a global regular expression, with a check that a match really is one (a card number's
 * Luhn digit, an IBAN's mod-97) where the shape alone would take too much.
 */
export interface TextRule {
  /** Counted under this name in `spanlite_masked_values_total{rule}`. */
  name: string;
  /** Global (`g`); matched against every string value the rule covers. */
  pattern: RegExp;
  replacement: string;
  /** A match failing this is left as it is. */
  accept?: (match: string) => boolean;
  /**
   * A quick test a text must pass for the pattern to be tried on it at all (a character every
   * match holds): most texts hold nothing to mask, and scanning them with the pattern is what
   * masking costs.
   */
  mayMatch?: (text: string) => boolean;
}

/** Two digits in a row: every card number, phone number, IPv4 address and IBAN has them. */
const TWO_DIGITS = /\d\d/;
const hasTwoDigits = (text: string) => TWO_DIGITS.test(text);

export const DETECTOR_NAMES = ['api_key', 'email', 'iban', 'credit_card', 'ipv4', 'phone'] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** What every api_key match holds; plain substring tests are several times quicker than one alternation. */
const API_KEY_MARKERS = ['sk-', 'sk_', 'rk-', 'rk_', 'AKIA', 'ASIA', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'xox', 'AIza', 'eyJ', 'earer'];

/** In the order they run: keys first (they contain digit runs and `@`-free tokens the others would cut). */
const DETECTORS: Record<DetectorName, TextRule> = {
  api_key: {
    name: 'api_key',
    pattern: new RegExp(
      [
        // OpenAI, Anthropic, spanlite (sk-, sk-proj-, sk-ant-, sk-sl-), Stripe (sk_live_, rk_test_...)
        String.raw`\b(?:sk|rk)[-_][A-Za-z0-9_-]{20,}`,
        // AWS access key ids
        String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`,
        // GitHub tokens
        String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})`,
        // Slack tokens
        String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`,
        // Google API keys
        String.raw`\bAIza[0-9A-Za-z_-]{35}`,
        // JSON Web Tokens
        String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+`,
        // Bearer credentials in headers or logs (the scheme is kept: see maskText)
        String.raw`\b[Bb]earer\s+(?<secret>[A-Za-z0-9._~+/-]{16,}=*)`,
      ].join('|'),
      'g',
    ),
    replacement: '[api_key]',
    mayMatch: (text) => API_KEY_MARKERS.some((marker) => text.includes(marker)),
  },
  email: {
    name: 'email',
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    replacement: '[email]',
    mayMatch: (text) => text.includes('@'),
  },
  iban: {
    name: 'iban',
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g,
    replacement: '[iban]',
    accept: ibanChecksumHolds,
    mayMatch: hasTwoDigits,
  },
  credit_card: {
    name: 'credit_card',
    pattern: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    replacement: '[credit_card]',
    accept: luhnHolds,
    mayMatch: hasTwoDigits,
  },
  ipv4: {
    name: 'ipv4',
    pattern: /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.])/g,
    replacement: '[ipv4]',
    mayMatch: (text) => text.includes('.') && hasTwoDigits(text),
  },
  phone: {
    name: 'phone',
    // +country, then an area code (or one in brackets) and two groups of 3-4 digits, with
    // separators; or an E.164 number. Dates (2024-01-15) and versions do not have that shape.
    pattern: /(?<![\w.+-])(?:(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}|\+\d{8,15})(?![\w-]|\.\d)/g,
    replacement: '[phone]',
    mayMatch: hasTwoDigits,
  },
};

/** The detectors named, in their running order (not the order named). */
export function detectors(names: readonly DetectorName[]): TextRule[] {
  return DETECTOR_NAMES.filter((name) => names.includes(name)).map((name) => DETECTORS[name]);
}

/** The Luhn check digit of a card number (spaces and dashes ignored). */
function luhnHolds(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, '');
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** ISO 13616: the country and check digits moved to the end, letters as 10-35, the number mod 97 is 1. */
function ibanChecksumHolds(candidate: string): boolean {
  const compact = candidate.replace(/ /g, '');
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' && char <= 'Z' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
