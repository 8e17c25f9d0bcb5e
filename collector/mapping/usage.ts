/**
 * Token usage from span attributes, normalised into exclusive buckets (see UsageDetails).
 * Each convention is one row; the first row with an input or output count present wins, so a
 * span carrying several conventions is read by the most specific one listed first.
 */
import type { Attributes } from '../span.js';
import type { UsageDetails } from '../model.js';
import * as genAi from '../../semconv/gen-ai.js';
import { firstNumber } from './attribute-readers.js';

export interface UsageConvention {
  /** The SDK or spec the row is for, for humans reading the table. */
  source: string;
  input: readonly string[];
  output: readonly string[];
  total: readonly string[];
  cachedInput: readonly string[];
  cacheWrite: readonly string[];
  reasoning: readonly string[];
  /** The input count includes cached reads and cache writes (so they are taken out of it). */
  inputIncludesCache: boolean;
  /** The output count includes reasoning tokens (so they are taken out of it). */
  outputIncludesReasoning: boolean;
}

export const USAGE_CONVENTIONS: readonly UsageConvention[] = [
  {
    // OTel GenAI semconv: input_tokens SHOULD include cached tokens; output includes reasoning.
    source: 'OTel GenAI semantic conventions (current and deprecated names)',
    input: [genAi.GEN_AI_USAGE_INPUT_TOKENS, genAi.GEN_AI_USAGE_PROMPT_TOKENS],
    output: [genAi.GEN_AI_USAGE_OUTPUT_TOKENS, genAi.GEN_AI_USAGE_COMPLETION_TOKENS],
    total: [genAi.GEN_AI_USAGE_TOTAL_TOKENS],
    cachedInput: [genAi.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, genAi.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS_OLD],
    cacheWrite: [
      genAi.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
      genAi.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS_OLD,
    ],
    reasoning: [genAi.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, genAi.GEN_AI_USAGE_REASONING_TOKENS],
    inputIncludesCache: true,
    outputIncludesReasoning: true,
  },
];

/** Usage in exclusive buckets; `{}` when the span reports no token counts. */
export function readUsage(
  attributes: Attributes,
  conventions: readonly UsageConvention[] = USAGE_CONVENTIONS,
): UsageDetails {
  for (const convention of conventions) {
    const input = firstNumber(attributes, convention.input);
    const output = firstNumber(attributes, convention.output);
    const total = firstNumber(attributes, convention.total);
    if (input === undefined && output === undefined && total === undefined) continue;
    return toExclusiveBuckets(convention, attributes, input, output, total);
  }
  return {};
}

function toExclusiveBuckets(
  convention: UsageConvention,
  attributes: Attributes,
  reportedInput: number | undefined,
  reportedOutput: number | undefined,
  reportedTotal: number | undefined,
): UsageDetails {
  const cachedInput = firstNumber(attributes, convention.cachedInput);
  const cacheWrite = firstNumber(attributes, convention.cacheWrite);
  const reasoning = firstNumber(attributes, convention.reasoning);
  const usage: UsageDetails = {};

  if (reportedInput !== undefined) {
    const cached = convention.inputIncludesCache ? (cachedInput ?? 0) + (cacheWrite ?? 0) : 0;
    usage.input = Math.max(0, reportedInput - cached);
  }
  if (reportedOutput !== undefined) {
    const thinking = convention.outputIncludesReasoning ? (reasoning ?? 0) : 0;
    usage.output = Math.max(0, reportedOutput - thinking);
  }
  if (cachedInput !== undefined) usage.cachedInput = cachedInput;
  if (cacheWrite !== undefined) usage.cacheWrite = cacheWrite;
  if (reasoning !== undefined) usage.reasoning = reasoning;

  const bucketSum =
    (usage.input ?? 0) + (usage.output ?? 0) + (cachedInput ?? 0) + (cacheWrite ?? 0) + (reasoning ?? 0);
  usage.total = reportedTotal ?? bucketSum;
  return usage;
}

export function hasUsage(usage: UsageDetails): boolean {
  return usage.total !== undefined;
}
