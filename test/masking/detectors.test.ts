/** The built-in detectors: what each replaces, and look-alikes each leaves alone. */
import { describe, expect, it } from 'vitest';
import { createMasker } from '../../collector/masking/masker.js';
import { loadMaskRules } from '../../collector/masking/mask-rules.js';
import { DETECTOR_NAMES, type DetectorName } from '../../collector/masking/detectors.js';
import type { Score } from '../../collector/model.js';

/** `text` as stored with only `detector` on: masked through a score comment, the simplest carrier. */
function masked(detector: DetectorName, text: string): string {
  const masker = createMasker(loadMaskRules([detector], undefined));
  const score = { comment: text, metadata: {} } as unknown as Score;
  masker.maskScore(score);
  return score.comment!;
}

describe('built-in masking detectors', () => {
  it('email: addresses with subdomains, plus tags and dots', () => {
    expect(masked('email', 'write to jane.doe+billing@mail.example.co.uk today')).toBe('write to [email] today');
    expect(masked('email', 'a@b.io, x_y@corp-mail.example')).toBe('[email], [email]');
    expect(masked('email', 'user @ example dot com, @handle, foo@localhost')).toBe('user @ example dot com, @handle, foo@localhost');
  });

  it('credit_card: 13-19 digits with spaces or dashes, only when the Luhn digit holds', () => {
    expect(masked('credit_card', 'card 4111 1111 1111 1111 exp 12/29')).toBe('card [credit_card] exp 12/29');
    expect(masked('credit_card', '5500-0000-0000-0004 and 378282246310005')).toBe('[credit_card] and [credit_card]');
    // One digit off: not a card number.
    expect(masked('credit_card', 'order 4111 1111 1111 1112')).toBe('order 4111 1111 1111 1112');
    expect(masked('credit_card', 'trace 1732000000000000000 took 42 ms')).toBe('trace 1732000000000000000 took 42 ms');
  });

  it('phone: international and national numbers with separators, E.164; not dates, times or versions', () => {
    expect(masked('phone', 'call +1 (555) 123-4567 or 555-123-4567')).toBe('call [phone] or [phone]');
    expect(masked('phone', 'London +44 20 7946 0958, Berlin 030 1234 5678, +14155552671')).toBe('London [phone], Berlin [phone], [phone]');
    expect(masked('phone', 'on 2024-01-15 at 12:30:45, v1.2.3, 3.14159, 120 tokens')).toBe('on 2024-01-15 at 12:30:45, v1.2.3, 3.14159, 120 tokens');
  });

  it('ipv4: dotted quads of 0-255', () => {
    expect(masked('ipv4', 'from 192.168.1.20 via 10.0.0.1:8080')).toBe('from [ipv4] via [ipv4]:8080');
    expect(masked('ipv4', '999.1.1.1 and 1.2.3 and 1.2.3.4.5')).toBe('999.1.1.1 and 1.2.3 and 1.2.3.4.5');
  });

  it('api_key: OpenAI, Anthropic, AWS, GitHub, Slack, Google keys, JWTs and bearer tokens', () => {
    const keys = [
      'sk-proj-abcdefghijklmnopqrstuvwxyz012345',
      'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123',
      'sk-sl-0123456789abcdef-0123456789abcdef0123',
      'sk_live_51HabcdefghijklmnopqrstuV',
      'AKIAIOSFODNN7EXAMPLE',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'xoxb-123456789012-abcdefghijkl',
      'AIzaSyA-abcdefghijklmnopqrstuvwxyz01234',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ];
    for (const key of keys) expect(masked('api_key', `key=${key};`), key).toBe('key=[api_key];');
    expect(masked('api_key', 'Authorization: Bearer abcdef0123456789ABCDEF')).toBe('Authorization: Bearer [api_key]');
    expect(masked('api_key', 'ask-me-anything, risk-free, Bearer short')).toBe('ask-me-anything, risk-free, Bearer short');
  });

  it('iban: with or without spaces, only when the mod-97 check holds', () => {
    expect(masked('iban', 'pay to DE89 3704 0044 0532 0130 00 please')).toBe('pay to [iban] please');
    expect(masked('iban', 'GB82WEST12345698765432')).toBe('[iban]');
    expect(masked('iban', 'GB82WEST12345698765433')).toBe('GB82WEST12345698765433');
  });

  it('counts each replacement under its detector, listing every detector from zero', () => {
    const masker = createMasker(loadMaskRules([...DETECTOR_NAMES], undefined));
    const score = { comment: 'a@b.io c@d.io 10.0.0.1', metadata: { note: 'e@f.io' } } as unknown as Score;
    masker.maskScore(score);
    expect(Object.fromEntries(masker.counts())).toEqual({ api_key: 0, email: 3, iban: 0, credit_card: 0, ipv4: 1, phone: 0 });
    expect(score.metadata).toEqual({ note: '[email]' });
  });
});
