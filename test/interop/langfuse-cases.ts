/**
 * Loads Langfuse's OTel mapping cases (shared/reference/langfuse-otel-cases, read at test time,
 * never copied here) and compares what mapSpan makes of each payload with what Langfuse made.
 *
 * Compared, per observation: type, model, usage (Langfuse's keys converted to our exclusive
 * buckets), whether input and output are present, level; per trace: user, session, tags.
 * Langfuse's trace events are not merged (it merges later), so a trace field agrees when ours is
 * one of the values Langfuse emitted (tags: the union).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJsonTraces } from '../../collector/decode/traces.js';
import { mapSpan } from '../../collector/mapping/map-span.js';
import { mergeTraceContribution, type TraceFactsState } from '../../collector/store/trace-merge.js';
import type { MappedSpan, Observation, UsageDetails } from '../../collector/model.js';

export interface LangfuseCase {
  /** File name, plus `#<n>` for a case of property-mapping-cases.json. */
  id: string;
  description: string;
  calls: LangfuseCall[];
}

export interface LangfuseCall {
  resourceSpans: unknown[];
  expected: {
    traceEvents?: Array<Record<string, any>>;
    observations?: Array<Record<string, any>>;
    storedObservations?: Array<Record<string, any>>;
    eventRecords?: Array<Record<string, any>>;
  };
}

/** One disagreement: which case, which field, what each side says. */
export interface Mismatch {
  caseId: string;
  description: string;
  field: ComparedField;
  ours: unknown;
  langfuse: unknown;
}

export type ComparedField =
  | 'type'
  | 'model'
  | 'usage'
  | 'input present'
  | 'output present'
  | 'level'
  | 'userId'
  | 'sessionId'
  | 'tags'
  | 'observation count';

/** Cases 01-32 (33-37 are HTTP-level: status codes and error bodies, tested by the receiver). */
export function loadLangfuseCases(dir: string): LangfuseCase[] {
  const cases: LangfuseCase[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, any>;
    if (Array.isArray(data['cases'])) {
      data['cases'].forEach((entry: Record<string, any>, index: number) => cases.push(toCase(`${file}#${index}`, entry)));
    } else if (data['expected']?.['httpStatus'] === undefined || data['expected']?.['observations'] !== undefined) {
      cases.push(toCase(file, data));
    }
  }
  return cases;
}

function toCase(id: string, data: Record<string, any>): LangfuseCase {
  const calls: LangfuseCall[] = Array.isArray(data['calls'])
    ? data['calls']
    : [{ resourceSpans: data['resourceSpans'], expected: data['expected'] }];
  return { id, description: data['description'] as string, calls: calls.filter((call) => Array.isArray(call.resourceSpans)) };
}

export interface CaseResult {
  mismatches: Mismatch[];
  /** Fields compared (for the agreement count). */
  compared: number;
  /** Everything mapSpan produced, for assertions beyond the comparison. */
  mapped: MappedSpan[];
}

export function compareCase(testCase: LangfuseCase): CaseResult {
  const mismatches: Mismatch[] = [];
  const mapped: MappedSpan[] = [];
  let compared = 0;
  const check = (field: ComparedField, ours: unknown, langfuse: unknown): void => {
    compared++;
    if (!sameValue(ours, langfuse)) {
      mismatches.push({ caseId: testCase.id, description: testCase.description, field, ours, langfuse });
    }
  };

  for (const call of testCase.calls) {
    const decoded = decodeJsonTraces({ resourceSpans: call.resourceSpans });
    const spans = decoded.spans.map(mapSpan);
    mapped.push(...spans);
    const observations = new Map(
      spans.flatMap((span) => (span.observation ? [[span.observation.id, span.observation] as const] : [])),
    );
    const expectedObservations = call.expected.observations ?? [];
    const stored = new Map((call.expected.storedObservations ?? []).map((o) => [o['id'] as string, o]));

    for (const expected of expectedObservations) {
      const ours = observations.get(expected['id'] as string);
      if (ours === undefined) {
        check('observation count', null, expected['id']);
        continue;
      }
      const storedUsage = stored.get(expected['id'] as string)?.['usageDetails'];
      compareObservation(check, ours, {
        type: eventTypeToType(expected['eventType'] as string),
        model: expected['model'] ?? null,
        usage: storedUsage && Object.keys(storedUsage).length > 0 ? storedUsage : expected['usageDetails'],
        input: expected['input'],
        output: expected['output'],
        level: expected['level'],
      });
    }
    for (const record of call.expected.eventRecords ?? []) {
      const ours = observations.get(record['spanId'] as string);
      if (ours === undefined) {
        check('observation count', null, record['spanId']);
        continue;
      }
      compareObservation(check, ours, {
        type: record['type'] as string,
        model: record['modelName'] ?? null,
        usage: record['providedUsageDetails'],
        input: record['input'],
        output: record['output'],
        level: record['level'],
      });
      const trace = mergedTrace(spans);
      if (record['userId'] != null || trace?.facts.userId !== undefined) check('userId', trace?.facts.userId ?? null, record['userId'] ?? null);
      if (record['sessionId'] != null || trace?.facts.sessionId !== undefined) check('sessionId', trace?.facts.sessionId ?? null, record['sessionId'] ?? null);
      check('tags', trace?.facts.tags ?? [], [...new Set((record['tags'] as string[] | undefined) ?? [])].sort());
    }
    if (call.expected.traceEvents !== undefined) compareTrace(check, spans, call.expected.traceEvents);
  }
  return { mismatches, compared, mapped };
}

type Check = (field: ComparedField, ours: unknown, langfuse: unknown) => void;

function compareObservation(
  check: Check,
  ours: Observation,
  expected: { type: string; model: unknown; usage: unknown; input: unknown; output: unknown; level: unknown },
): void {
  check('type', ours.type, expected.type);
  check('model', ours.model, expected.model);
  check('usage', comparableUsage(ours.usage), langfuseUsageToBuckets(expected.usage));
  check('input present', isPresent(ours.input), isPresent(expected.input));
  check('output present', isPresent(ours.output), isPresent(expected.output));
  check('level', ours.level, expected.level ?? 'DEFAULT');
}

function compareTrace(check: Check, spans: MappedSpan[], traceEvents: Array<Record<string, any>>): void {
  const trace = mergedTrace(spans);
  const userIds = traceEvents.map((t) => t['userId']).filter((v) => v != null);
  const sessionIds = traceEvents.map((t) => t['sessionId']).filter((v) => v != null);
  const tags = [...new Set(traceEvents.flatMap((t) => (t['tags'] as string[] | undefined) ?? []))].sort();
  const ourUser = trace?.facts.userId ?? null;
  const ourSession = trace?.facts.sessionId ?? null;
  check('userId', ourUser, userIds.includes(ourUser) ? ourUser : (userIds.at(-1) ?? null));
  check('sessionId', ourSession, sessionIds.includes(ourSession) ? ourSession : (sessionIds.at(-1) ?? null));
  check('tags', trace?.facts.tags ?? [], tags);
}

function mergedTrace(spans: MappedSpan[]): TraceFactsState | null {
  let state: TraceFactsState | null = null;
  for (const span of spans) if (span.trace) state = mergeTraceContribution(state, span.trace);
  return state;
}

function eventTypeToType(eventType: string): string {
  return eventType.replace(/-create$/, '').toUpperCase();
}

/** Present: not null, not an empty string, not `{}` (Langfuse fills `{}` for "no input"). */
function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return false;
  return true;
}

type Buckets = Partial<Record<'input' | 'output' | 'cachedInput' | 'cacheWrite' | 'reasoning' | 'total', number>>;

/** Our usage without zero buckets, and without `total` unless Langfuse would have one to compare. */
function comparableUsage(usage: UsageDetails): Buckets {
  const buckets: Buckets = {};
  for (const key of ['input', 'output', 'cachedInput', 'cacheWrite', 'reasoning', 'total'] as const) {
    const value = usage[key];
    if (value !== undefined && value !== 0) buckets[key] = value;
  }
  return buckets;
}

/**
 * Langfuse's usage keys -> our buckets. Its own keys are exclusive already; a raw OpenAI or
 * Anthropic object it stored as sent is read the way that provider means it. Audio and other
 * detail keys have no bucket of ours and are left out.
 */
export function langfuseUsageToBuckets(usage: unknown): Buckets {
  if (usage === null || typeof usage !== 'object') return {};
  const u = flatten(usage as Record<string, unknown>);
  const n = (...keys: string[]): number | undefined => {
    const values = keys.map((key) => u[key]).filter((v): v is number => typeof v === 'number');
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
  };
  const buckets: Buckets = {};
  const put = (key: keyof Buckets, value: number | undefined): void => {
    if (value !== undefined && value !== 0) buckets[key] = value;
  };
  if (u['prompt_tokens'] !== undefined || u['completion_tokens'] !== undefined) {
    const cached = n('prompt_tokens_details.cached_tokens') ?? 0;
    const reasoning = n('completion_tokens_details.reasoning_tokens') ?? 0;
    put('input', u['prompt_tokens'] === undefined ? undefined : (n('prompt_tokens') ?? 0) - cached);
    put('output', u['completion_tokens'] === undefined ? undefined : (n('completion_tokens') ?? 0) - reasoning);
    put('cachedInput', cached);
    put('reasoning', reasoning);
    put('total', n('total_tokens'));
    return buckets;
  }
  put('input', n('input') ?? n('input_tokens'));
  put('output', n('output') ?? n('output_tokens'));
  put('total', n('total'));
  put('cachedInput', n('input_cached_tokens', 'input_cache_read', 'cache_read_input_tokens'));
  put('cacheWrite', n('input_cache_creation', 'input_cache_creation_5m', 'input_cache_creation_1h', 'input_cache_write'));
  put('reasoning', n('output_reasoning_tokens', 'output_reasoning'));
  return buckets;
}

function flatten(object: Record<string, unknown>, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, value] of Object.entries(object)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value as Record<string, unknown>, `${prefix}${key}.`, into);
    else into[prefix + key] = value;
  }
  return into;
}

/** Usage agrees bucket by bucket; `total` only when Langfuse reports one. */
function sameValue(ours: unknown, langfuse: unknown): boolean {
  if (isBuckets(ours) && isBuckets(langfuse)) {
    const keys = new Set([...Object.keys(ours), ...Object.keys(langfuse)]);
    if (langfuse.total === undefined) keys.delete('total');
    for (const key of keys) if (ours[key as keyof Buckets] !== langfuse[key as keyof Buckets]) return false;
    return true;
  }
  return JSON.stringify(ours) === JSON.stringify(langfuse);
}

function isBuckets(value: unknown): value is Buckets {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
