/**
 * The masking rules in force: the built-in detectors SPANLITE_MASK names, then the custom rules of
 * SPANLITE_MASK_FILE, each with the fields it covers. A rule file is checked whole at start: the
 * first bad rule stops the start, named by its place and name, with what is wrong.
 *
 * The file:
 *   { "rules": [ { "name": "customer_id", "pattern": "CUST-\\d{6}", "flags": "i",
 *                  "replacement": "[customer_id]", "fields": ["input", "output"] } ] }
 * `flags` (optional) are JavaScript RegExp flags other than `g`, which is always on; `fields`
 * (optional, default all) are MASK_FIELDS.
 */
import { readFileSync } from 'node:fs';
import { detectors, type DetectorName, type TextRule } from './detectors.js';

/**
 * What a rule may cover. `input` and `output`: of observations and traces (an observation's
 * status message counts as output; GenAI message log records as the input or output they give
 * their span); `metadata`: of observations, traces and scores (a score's comment too);
 * `attributes`: the raw span, resource and log record attributes kept beside the mapped fields;
 * `events`: everything of the observations made from span events; `logBodies`: log record
 * bodies, GenAI message records included.
 */
export const MASK_FIELDS = ['input', 'output', 'metadata', 'attributes', 'events', 'logBodies'] as const;
export type MaskField = (typeof MASK_FIELDS)[number];

export interface MaskRule extends TextRule {
  fields: ReadonlySet<MaskField>;
}

const ALL_FIELDS: ReadonlySet<MaskField> = new Set(MASK_FIELDS);

/** Longest a rule's pattern may be: a rule file is configuration, not a program. */
const MAX_PATTERN_LENGTH = 2_000;

export function loadMaskRules(detectorNames: readonly DetectorName[], ruleFile: string | undefined): MaskRule[] {
  const builtIn = detectors(detectorNames).map((rule) => ({ ...rule, fields: ALL_FIELDS }));
  return ruleFile === undefined ? builtIn : [...builtIn, ...readRuleFile(ruleFile)];
}

function readRuleFile(file: string): MaskRule[] {
  const fail = (message: string): never => {
    throw new Error(`SPANLITE_MASK_FILE ${file}: ${message}`);
  };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON: ${(error as Error).message}`);
  }
  const rules = (parsed as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return fail('expected { "rules": [ ... ] }');
  return rules.map((rule: unknown, index) => {
    const where = `rule ${index + 1}${isObject(rule) && typeof rule.name === 'string' ? ` ("${rule.name}")` : ''}`;
    try {
      return customRule(rule, index);
    } catch (error) {
      return fail(`${where}: ${(error as Error).message}`);
    }
  });
}

function customRule(rule: unknown, index: number): MaskRule {
  if (!isObject(rule)) throw new Error('expected an object with "pattern" and "replacement"');
  const { name = `rule_${index + 1}`, pattern, flags = '', replacement, fields } = rule;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new Error('name: expected 1-64 letters, digits, _ . -');
  if (typeof pattern !== 'string' || pattern === '') throw new Error('pattern: expected a non-empty regular expression string');
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`pattern: longer than ${MAX_PATTERN_LENGTH} characters`);
  if (typeof flags !== 'string' || !/^[imsu]*$/.test(flags)) throw new Error('flags: expected some of i, m, s, u');
  if (typeof replacement !== 'string') throw new Error('replacement: expected a string, e.g. "[customer_id]"');
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern, `${flags}g`);
  } catch (error) {
    throw new Error(`pattern: ${(error as Error).message}`);
  }
  // A pattern matching nothing at all would insert its replacement between every two characters.
  if (compiled.test('')) throw new Error('pattern: matches the empty string');
  compiled.lastIndex = 0;
  return { name, pattern: compiled, replacement, fields: ruleFields(fields) };
}

function ruleFields(fields: unknown): ReadonlySet<MaskField> {
  if (fields === undefined) return ALL_FIELDS;
  if (!Array.isArray(fields) || fields.length === 0) throw new Error(`fields: expected a non-empty list of ${MASK_FIELDS.join(', ')}`);
  for (const field of fields) {
    if (!(MASK_FIELDS as readonly unknown[]).includes(field)) {
      throw new Error(`fields: unknown field ${JSON.stringify(field)} (expected ${MASK_FIELDS.join(', ')})`);
    }
  }
  return new Set(fields as MaskField[]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
