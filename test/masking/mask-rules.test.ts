/** SPANLITE_MASK and SPANLITE_MASK_FILE: what is read, and each way a setting is refused, named. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../../config/collector-config.js';
import { loadMaskRules } from '../../collector/masking/mask-rules.js';
import { configProblems } from '../helpers/config-problems.js';

const dir = mkdtempSync(join(tmpdir(), 'spanlite-mask-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ruleFile(content: unknown): string {
  const file = join(dir, `rules-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('SPANLITE_MASK', () => {
  it('reads a comma list of detectors, case and spaces aside, none by default', () => {
    expect(loadCollectorConfig({}).maskDetectors).toEqual([]);
    expect(loadCollectorConfig({ SPANLITE_MASK: ' Email, credit_card ,email' }).maskDetectors).toEqual(['email', 'credit_card']);
  });

  it('refuses an unknown detector, listing the known ones', () => {
    expect(configProblems({ SPANLITE_MASK: 'email,ssn' })).toEqual([
      'SPANLITE_MASK: unknown detector "ssn" (expected some of api_key, email, iban, credit_card, ipv4, phone)',
    ]);
  });
});

describe('SPANLITE_MASK_FILE', () => {
  it('adds its rules after the detectors, each with its fields (all when not said)', () => {
    const file = ruleFile({ rules: [
      { name: 'ticket', pattern: 'TCK-\\d+', replacement: '[ticket]', fields: ['input', 'logBodies'] },
      { pattern: 'secret', flags: 'i', replacement: '***' },
    ] });
    const rules = loadMaskRules(['email'], file);
    expect(rules.map((rule) => [rule.name, rule.replacement, [...rule.fields]])).toEqual([
      ['email', '[email]', ['input', 'output', 'metadata', 'attributes', 'events', 'logBodies']],
      ['ticket', '[ticket]', ['input', 'logBodies']],
      ['rule_2', '***', ['input', 'output', 'metadata', 'attributes', 'events', 'logBodies']],
    ]);
    expect(rules[2]!.pattern.flags).toBe('gi');
  });

  it.each([
    ['not JSON', '{ rules: [', /: not JSON: /],
    ['no rules list', { masks: [] }, /: expected \{ "rules": \[ \.\.\. \] \}$/],
    ['a rule that is not an object', { rules: ['x'] }, /: rule 1: expected an object with "pattern" and "replacement"$/],
    ['a pattern that does not compile', { rules: [{ name: 'bad', pattern: '[a-', replacement: '' }] }, /: rule 1 \("bad"\): pattern: Invalid regular expression/],
    ['a pattern matching the empty string', { rules: [{ pattern: 'x*', replacement: '' }] }, /: rule 1: pattern: matches the empty string$/],
    ['no replacement', { rules: [{ pattern: 'x' }] }, /: rule 1: replacement: expected a string/],
    ['flags other than i, m, s, u', { rules: [{ pattern: 'x', flags: 'gy', replacement: '' }] }, /: rule 1: flags: expected some of i, m, s, u$/],
    ['an unknown field', { rules: [{ pattern: 'x', replacement: '', fields: ['input', 'body'] }] }, /: rule 1: fields: unknown field "body" \(expected input, output, metadata, attributes, events, logBodies\)$/],
    ['a bad name', { rules: [{ name: 'has space', pattern: 'x', replacement: '' }] }, /: rule 1 \("has space"\): name: expected 1-64 letters/],
  ])('refuses %s, naming the file and the rule', (_case, content, message) => {
    const file = ruleFile(content);
    expect(() => loadMaskRules([], file)).toThrow(new RegExp(`^SPANLITE_MASK_FILE ${file}${message.source}`));
  });

  it('refuses a file it cannot read', () => {
    expect(() => loadMaskRules([], join(dir, 'missing.json'))).toThrow(/^SPANLITE_MASK_FILE .*missing\.json: cannot be read \(ENOENT\)$/);
  });
});
