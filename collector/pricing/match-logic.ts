/**
 * The model catalog's match rules as one regular expression, so a catalog price has a
 * `matchPattern` like any other (the pricing file's and the API's contract: a JavaScript regular
 * expression source, matched case-insensitively against the whole model name).
 *
 * The catalog (genai-prices) matches a lower-cased model id: `equals`, `starts_with`,
 * `ends_with` and `contains` compare text, `regex` searches anywhere in the id, `or` / `and`
 * combine rules. Each rule becomes a pattern over the whole name; `and` asserts all but its
 * last rule with lookaheads.
 */
import type { MatchLogic } from '@pydantic/genai-prices';

/** Any text, newlines included (model ids have none, but the rule must not depend on it). */
const ANY = '[\\s\\S]*';

/** The regular expression source matching the whole names `logic` matches. Throws on an unknown rule. */
export function matchLogicSource(logic: MatchLogic): string {
  if ('equals' in logic) return escapeText(logic.equals);
  if ('starts_with' in logic) return `${escapeText(logic.starts_with)}${ANY}`;
  if ('ends_with' in logic) return `${ANY}${escapeText(logic.ends_with)}`;
  if ('contains' in logic) return `${ANY}${escapeText(logic.contains)}${ANY}`;
  // A search anywhere: a lazy lead-in keeps `^` inside the rule meaning the name's start.
  if ('regex' in logic) return `${ANY}?(?:${logic.regex})${ANY}`;
  if ('or' in logic) return `(?:${logic.or.map(matchLogicSource).join('|')})`;
  if ('and' in logic) {
    const rules = logic.and.map(matchLogicSource);
    const last = rules.pop();
    if (last === undefined) throw new Error('match rule: expected at least one rule under "and" (got none)');
    return `${rules.map((rule) => `(?=(?:${rule})$)`).join('')}(?:${last})`;
  }
  throw new Error(`match rule: expected one of equals, starts_with, ends_with, contains, regex, or, and (got ${JSON.stringify(logic)})`);
}

/** `matchLogicSource` compiled as every match pattern is: anchored to the whole name, case-insensitive. */
export function compileMatchLogic(logic: MatchLogic): RegExp {
  return new RegExp(`^(?:${matchLogicSource(logic)})$`, 'i');
}

/**
 * The lower-cased names `logic` matches when it matches whole names only (`equals`, or an `or`
 * of those), so a lookup can be a Map hit instead of a pattern test; null for any other rule.
 */
export function exactNames(logic: MatchLogic): string[] | null {
  if ('equals' in logic) return [logic.equals.toLowerCase()];
  if (!('or' in logic)) return null;
  const names: string[] = [];
  for (const rule of logic.or) {
    const some = exactNames(rule);
    if (some === null) return null;
    names.push(...some);
  }
  return names;
}

function escapeText(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
