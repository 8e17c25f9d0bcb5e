/**
 * Server-side masking: every string value a rule covers has the rule's matches replaced
 * (`[email]`, ...) before the write, so a masked value is neither stored nor indexed for search.
 * Applied by the pipeline to mapped spans and log records, and by the score routes to scores.
 * Works in place: what it is given is the caller's own, freshly mapped.
 *
 * Ids (trace, user, session), names, tags, models and numbers are kept: they are how traces are
 * found and grouped, and no rule applies to them.
 */
import type { GenAiMessageRecord, MappedLogs } from '../decode/log-record.js';
import type { JsonValue, MappedSpan, Observation, Score, TraceFacts } from '../model.js';
import { MASK_FIELDS, type MaskField, type MaskRule } from './mask-rules.js';

export interface Masker {
  maskSpan(span: MappedSpan): void;
  maskLogs(logs: MappedLogs): void;
  maskScore(score: Score): void;
  /** Replacements made since start, by rule name (every rule listed, from 0). */
  counts(): ReadonlyMap<string, number>;
}

type Rules = readonly MaskRule[];

export function createMasker(rules: Rules): Masker {
  const counts = new Map(rules.map((rule) => [rule.name, 0]));
  const rulesByField = new Map(MASK_FIELDS.map((field) => [field, rules.filter((rule) => rule.fields.has(field))]));
  const covering = (field: MaskField): Rules => rulesByField.get(field)!;
  const messageRules = {
    input: rules.filter((rule) => rule.fields.has('logBodies') || rule.fields.has('input')),
    output: rules.filter((rule) => rule.fields.has('logBodies') || rule.fields.has('output')),
  };

  function maskText(text: string, textRules: Rules): string {
    let masked = text;
    for (const rule of textRules) {
      if (rule.mayMatch !== undefined && !rule.mayMatch(masked)) continue;
      masked = masked.replace(rule.pattern, (...args: unknown[]) => {
        const match = args[0] as string;
        if (rule.accept !== undefined && !rule.accept(match)) return match;
        counts.set(rule.name, counts.get(rule.name)! + 1);
        // With named groups the last argument holds them: a group `secret` (at the match's end) is
        // all that is replaced, so `Bearer abc...` becomes `Bearer [api_key]`.
        const groups = args.at(-1);
        const secret = typeof groups === 'object' ? (groups as { secret?: string }).secret : undefined;
        return (secret === undefined ? '' : match.slice(0, match.length - secret.length)) + rule.replacement;
      });
    }
    return masked;
  }

  function maskValue<T extends JsonValue>(value: T, valueRules: Rules): T {
    if (valueRules.length === 0) return value;
    if (typeof value === 'string') return maskText(value, valueRules) as T;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) value[index] = maskValue(value[index]!, valueRules);
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) value[key] = maskValue(value[key]!, valueRules);
    }
    return value;
  }

  function maskObservation(observation: Observation, rulesOf: (field: MaskField) => Rules): void {
    if (observation.input !== null) observation.input = maskValue(observation.input, rulesOf('input'));
    if (observation.output !== null) observation.output = maskValue(observation.output, rulesOf('output'));
    if (observation.statusMessage !== null) observation.statusMessage = maskText(observation.statusMessage, rulesOf('output'));
    maskValue(observation.metadata, rulesOf('metadata'));
    maskValue(observation.rawAttributes, rulesOf('attributes'));
  }

  function maskTraceFacts(facts: TraceFacts): void {
    if (facts.input !== undefined) facts.input = maskValue(facts.input, covering('input'));
    if (facts.output !== undefined) facts.output = maskValue(facts.output, covering('output'));
    if (facts.metadata !== undefined) maskValue(facts.metadata, covering('metadata'));
  }

  function maskScore(score: Score): void {
    if (score.comment !== null) score.comment = maskText(score.comment, covering('metadata'));
    maskValue(score.metadata, covering('metadata'));
  }

  const eventRules = () => covering('events');
  const logEventRules = (field: MaskField) => (field === 'input' ? covering('logBodies') : field === 'output' ? [] : covering(field));

  return {
    maskSpan(span) {
      if (rules.length === 0) return;
      if (span.observation !== null) {
        maskObservation(span.observation, covering);
        // One object for every span of a resource: the first span masks it, the others find
        // nothing left to replace (and count nothing).
        maskValue(span.observation.resourceAttributes, covering('attributes'));
      }
      for (const event of span.events) maskObservation(event, eventRules);
      for (const score of span.scores) maskScore(score);
      if (span.trace !== null) {
        maskTraceFacts(span.trace.explicit);
        maskTraceFacts(span.trace.implicit);
      }
    },
    maskLogs(logs) {
      if (rules.length === 0) return;
      for (const event of logs.events) maskObservation(event, logEventRules);
      for (const record of logs.messages) maskMessage(record);
    },
    maskScore(score) {
      if (rules.length > 0) maskScore(score);
    },
    counts: () => counts,
  };

  function maskMessage(record: GenAiMessageRecord): void {
    record.message = maskValue(record.message, messageRules[record.direction]);
  }
}
