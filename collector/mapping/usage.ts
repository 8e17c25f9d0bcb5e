/**
 * Token usage, normalised into exclusive buckets (see UsageDetails) so that cached reads, cache
 * writes and reasoning are priced at their own rates.
 *
 * Each convention is one row. A row is used when one of its `markers` is on the span (by default
 * any of its keys) and it yields a count; the first such row wins and is read alone, so a span
 * carrying several conventions is read by the most specific row, listed first. Each row says
 * whether its input count includes cached tokens and whether its output count includes
 * reasoning: those are then taken out, so every bucket is exclusive (unless the counts show the
 * provider did not include them, see inputEvidentlyExcludesCache).
 */
import type { Attributes } from '../decode/span.js';
import type { UsageDetails } from '../model.js';
import * as genAi from '../../semconv/gen-ai.js';
import * as genkit from '../../semconv/genkit.js';
import * as adk from '../../semconv/google-adk.js';
import * as langfuse from '../../semconv/langfuse.js';
import * as mlflow from '../../semconv/mlflow.js';
import * as oi from '../../semconv/openinference.js';
import * as openllmetry from '../../semconv/openllmetry.js';
import * as vercel from '../../semconv/vercel-ai.js';
import { ANY_KEY, firstNumber, firstObject, firstString, keyBit } from './attribute-readers.js';
import { flattenObject } from './json-values.js';

export interface UsageConvention {
  /** The SDK or spec the row is for, for humans reading the table. */
  source: string;
  /** Keys whose presence selects this row; defaults to all of its keys. */
  markers?: readonly string[];
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
  /**
   * A JSON attribute to look into for cache counts the row's keys lack, at dotted paths
   * (Vercel AI SDK 4-5: Anthropic and Bedrock cache counts only in the provider metadata).
   */
  detailsJson?: { key: string; cachedInput: readonly string[]; cacheWrite: readonly string[]; total: readonly string[] };
}

const OTEL_GEN_AI: UsageConvention = {
  // OTel GenAI semconv (current and deprecated names). input_tokens SHOULD include cached reads
  // and cache writes (1.37: "the total"); output_tokens includes reasoning.
  source: 'OTel GenAI semantic conventions',
  input: [genAi.GEN_AI_USAGE_INPUT_TOKENS, genAi.GEN_AI_USAGE_PROMPT_TOKENS],
  output: [genAi.GEN_AI_USAGE_OUTPUT_TOKENS, genAi.GEN_AI_USAGE_COMPLETION_TOKENS],
  total: [genAi.GEN_AI_USAGE_TOTAL_TOKENS],
  cachedInput: [
    genAi.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
    // Anthropic's spelling, sent by OpenLLMetry and LiteLLM (and semconv before 1.37).
    genAi.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS_OLD,
    // Langfuse's usage-type names under gen_ai.usage (hand-rolled instrumentation).
    langfuse.LANGFUSE_GEN_AI_USAGE_INPUT_CACHED_TOKENS,
  ],
  cacheWrite: [
    genAi.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
    genAi.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS_OLD,
    langfuse.LANGFUSE_GEN_AI_USAGE_INPUT_CACHE_CREATION,
  ],
  reasoning: [genAi.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, genAi.GEN_AI_USAGE_REASONING_TOKENS],
  inputIncludesCache: true,
  outputIncludesReasoning: true,
};

export const USAGE_CONVENTIONS: readonly UsageConvention[] = [
  {
    // Vercel AI SDK 4-6. Its .do* spans also carry gen_ai.usage.input/output_tokens (the same
    // counts), so this row comes first and reads those as a fallback: the cache and reasoning
    // counts exist only under ai.usage.*. inputTokens is the total (ai 6: inputTokens.total,
    // with cacheRead/cacheWrite split out); outputTokens includes reasoning.
    source: 'Vercel AI SDK (ai 4, 5, 6)',
    markers: [
      vercel.AI_USAGE_INPUT_TOKENS,
      vercel.AI_USAGE_OUTPUT_TOKENS,
      vercel.AI_USAGE_TOTAL_TOKENS,
      vercel.AI_USAGE_PROMPT_TOKENS,
      vercel.AI_USAGE_COMPLETION_TOKENS,
      vercel.AI_USAGE_CACHED_INPUT_TOKENS,
      vercel.AI_USAGE_REASONING_TOKENS,
      vercel.AI_USAGE_TOKENS,
      vercel.AI_RESPONSE_PROVIDER_METADATA,
    ],
    input: [
      vercel.AI_USAGE_INPUT_TOKENS,
      vercel.AI_USAGE_PROMPT_TOKENS,
      genAi.GEN_AI_USAGE_INPUT_TOKENS,
      // embed / embedMany: the embedded tokens (after the others: some providers put a total here).
      vercel.AI_USAGE_TOKENS,
    ],
    output: [vercel.AI_USAGE_OUTPUT_TOKENS, vercel.AI_USAGE_COMPLETION_TOKENS, genAi.GEN_AI_USAGE_OUTPUT_TOKENS],
    total: [vercel.AI_USAGE_TOTAL_TOKENS],
    cachedInput: [vercel.AI_USAGE_INPUT_CACHE_READ_TOKENS, vercel.AI_USAGE_CACHED_INPUT_TOKENS],
    cacheWrite: [vercel.AI_USAGE_INPUT_CACHE_WRITE_TOKENS],
    reasoning: [vercel.AI_USAGE_OUTPUT_REASONING_TOKENS, vercel.AI_USAGE_REASONING_TOKENS],
    inputIncludesCache: true,
    outputIncludesReasoning: true,
    detailsJson: {
      key: vercel.AI_RESPONSE_PROVIDER_METADATA,
      cachedInput: vercel.PROVIDER_METADATA_CACHE_READ_PATHS,
      cacheWrite: vercel.PROVIDER_METADATA_CACHE_WRITE_PATHS,
      total: vercel.PROVIDER_METADATA_TOTAL_PATHS,
    },
  },
  {
    // OpenInference (semantic-conventions 2.x): prompt includes cache_read / cache_write,
    // completion includes reasoning (completion_details are "details" of the completion count).
    source: 'OpenInference',
    input: [oi.LLM_TOKEN_COUNT_PROMPT],
    output: [oi.LLM_TOKEN_COUNT_COMPLETION],
    total: [oi.LLM_TOKEN_COUNT_TOTAL],
    cachedInput: [oi.LLM_TOKEN_COUNT_PROMPT_CACHE_READ, oi.LLM_TOKEN_COUNT_PROMPT_CACHE_INPUT],
    cacheWrite: [oi.LLM_TOKEN_COUNT_PROMPT_CACHE_WRITE],
    reasoning: [oi.LLM_TOKEN_COUNT_COMPLETION_REASONING],
    inputIncludesCache: true,
    outputIncludesReasoning: true,
  },
  {
    // OpenLLMetry: the deprecated prompt/completion names plus llm.usage.total_tokens; cached
    // reads as gen_ai.usage.cache_read_input_tokens. Inclusive like the provider counts it copies
    // (OpenAI prompt_tokens includes cached; its Anthropic instrumentation adds the cache counts in).
    source: 'OpenLLMetry / Traceloop',
    markers: [openllmetry.LLM_USAGE_TOTAL_TOKENS],
    input: [genAi.GEN_AI_USAGE_PROMPT_TOKENS, genAi.GEN_AI_USAGE_INPUT_TOKENS],
    output: [genAi.GEN_AI_USAGE_COMPLETION_TOKENS, genAi.GEN_AI_USAGE_OUTPUT_TOKENS],
    total: [openllmetry.LLM_USAGE_TOTAL_TOKENS, genAi.GEN_AI_USAGE_TOTAL_TOKENS],
    cachedInput: OTEL_GEN_AI.cachedInput,
    cacheWrite: OTEL_GEN_AI.cacheWrite,
    reasoning: OTEL_GEN_AI.reasoning,
    inputIncludesCache: true,
    outputIncludesReasoning: true,
  },
  {
    // Google ADK < 2.3: the GenAI counts, with Gemini's cached prompt count only in the LLM
    // response JSON (ADK 2.3+ also sends gen_ai.usage.cache_read.input_tokens, read first).
    // Read whatever scope set it: ADK writes onto the current span, which may be another
    // instrumentation's.
    ...OTEL_GEN_AI,
    source: 'Google ADK (gen_ai.usage.* + gcp.vertex.agent.llm_response)',
    markers: [adk.ADK_LLM_RESPONSE],
    detailsJson: { key: adk.ADK_LLM_RESPONSE, cachedInput: [adk.ADK_RESPONSE_CACHED_CONTENT_TOKENS], cacheWrite: [], total: [] },
  },
  OTEL_GEN_AI,
];

/**
 * Rows for the keys of a usage object sent whole (Langfuse's `usage_details`). Langfuse's own
 * names are exclusive buckets; provider usage objects passed through unchanged keep their
 * providers' meaning. Nested objects are read at dotted paths. The rows share key names, so each
 * names the keys that identify it.
 */
export const USAGE_OBJECT_CONVENTIONS: readonly UsageConvention[] = [
  {
    // Langfuse usage types (its pricing prices each key on its own, so they are exclusive).
    source: 'Langfuse usage_details keys',
    markers: [
      langfuse.LangfuseUsageKey.INPUT,
      langfuse.LangfuseUsageKey.OUTPUT,
      langfuse.LangfuseUsageKey.TOTAL,
      langfuse.LangfuseUsageKey.INPUT_CACHED_TOKENS,
      langfuse.LangfuseUsageKey.OUTPUT_REASONING_TOKENS,
    ],
    input: [langfuse.LangfuseUsageKey.INPUT],
    output: [langfuse.LangfuseUsageKey.OUTPUT],
    total: [langfuse.LangfuseUsageKey.TOTAL],
    cachedInput: [
      langfuse.LangfuseUsageKey.INPUT_CACHED_TOKENS,
      langfuse.LangfuseUsageKey.INPUT_CACHE_READ,
      langfuse.LangfuseUsageKey.CACHE_READ_INPUT_TOKENS,
    ],
    cacheWrite: [
      langfuse.LangfuseUsageKey.INPUT_CACHE_CREATION,
      langfuse.LangfuseUsageKey.INPUT_CACHE_WRITE,
      langfuse.LangfuseUsageKey.CACHE_CREATION_INPUT_TOKENS,
    ],
    reasoning: [langfuse.LangfuseUsageKey.OUTPUT_REASONING_TOKENS, langfuse.LangfuseUsageKey.OUTPUT_REASONING],
    inputIncludesCache: false,
    outputIncludesReasoning: false,
  },
  {
    // OpenAI Chat Completions `usage`: prompt_tokens includes cached, completion_tokens reasoning.
    source: 'OpenAI Chat Completions usage object',
    markers: [langfuse.LangfuseUsageKey.PROMPT_TOKENS, langfuse.LangfuseUsageKey.COMPLETION_TOKENS],
    input: [langfuse.LangfuseUsageKey.PROMPT_TOKENS],
    output: [langfuse.LangfuseUsageKey.COMPLETION_TOKENS],
    total: [langfuse.LangfuseUsageKey.TOTAL_TOKENS],
    cachedInput: [langfuse.LangfuseUsageKey.PROMPT_CACHED_TOKENS],
    cacheWrite: [],
    reasoning: [langfuse.LangfuseUsageKey.COMPLETION_REASONING_TOKENS],
    inputIncludesCache: true,
    outputIncludesReasoning: true,
  },
  {
    // OpenAI Responses `usage`: told apart from Anthropic's by its *_details objects; inclusive.
    source: 'OpenAI Responses usage object',
    markers: [langfuse.LangfuseUsageKey.RESPONSES_CACHED_TOKENS, langfuse.LangfuseUsageKey.RESPONSES_REASONING_TOKENS],
    input: [langfuse.LangfuseUsageKey.INPUT_TOKENS],
    output: [langfuse.LangfuseUsageKey.OUTPUT_TOKENS],
    total: [langfuse.LangfuseUsageKey.TOTAL_TOKENS],
    cachedInput: [langfuse.LangfuseUsageKey.RESPONSES_CACHED_TOKENS],
    cacheWrite: [],
    reasoning: [langfuse.LangfuseUsageKey.RESPONSES_REASONING_TOKENS],
    inputIncludesCache: true,
    outputIncludesReasoning: true,
  },
  {
    // Anthropic `usage`: input_tokens excludes cache_read_input_tokens and cache writes.
    source: 'Anthropic usage object',
    markers: [langfuse.LangfuseUsageKey.INPUT_TOKENS, langfuse.LangfuseUsageKey.OUTPUT_TOKENS],
    input: [langfuse.LangfuseUsageKey.INPUT_TOKENS],
    output: [langfuse.LangfuseUsageKey.OUTPUT_TOKENS],
    total: [langfuse.LangfuseUsageKey.TOTAL_TOKENS],
    cachedInput: [langfuse.LangfuseUsageKey.CACHE_READ_INPUT_TOKENS],
    cacheWrite: [langfuse.LangfuseUsageKey.CACHE_CREATION_INPUT_TOKENS],
    reasoning: [],
    inputIncludesCache: false,
    outputIncludesReasoning: false,
  },
];

/**
 * A JSON usage object sent in one attribute, read by its own rows. `when`: only on spans whose
 * attribute `key` has one of `values` (a Genkit flow's output may embed a model response, whose
 * usage its model span already reports).
 */
export interface UsageObjectSource {
  key: string;
  when?: { key: string; values: ReadonlySet<string> };
  conventions: readonly UsageConvention[];
}

/** Usage objects sent whole on the span; the first present wins over every attribute row. */
export const USAGE_OBJECT_SOURCES: readonly UsageObjectSource[] = [
  { key: langfuse.LANGFUSE_OBSERVATION_USAGE_DETAILS, conventions: USAGE_OBJECT_CONVENTIONS },
  {
    // Genkit model actions: GenerationUsage in the output. Gemini's prompt count includes its
    // cached content; outputTokens includes thoughtsTokens for some plugins and not for others
    // (the total tells, see outputEvidentlyExcludesReasoning).
    key: genkit.GENKIT_OUTPUT,
    when: {
      key: genkit.GENKIT_METADATA_SUBTYPE,
      values: new Set([genkit.GenkitActionType.MODEL, genkit.GenkitActionType.BACKGROUND_MODEL]),
    },
    conventions: [
      {
        source: 'Genkit GenerationUsage',
        input: [genkit.GENKIT_USAGE_INPUT_TOKENS],
        output: [genkit.GENKIT_USAGE_OUTPUT_TOKENS],
        total: [genkit.GENKIT_USAGE_TOTAL_TOKENS],
        cachedInput: [genkit.GENKIT_USAGE_CACHED_CONTENT_TOKENS],
        cacheWrite: [],
        reasoning: [genkit.GENKIT_USAGE_THOUGHTS_TOKENS],
        inputIncludesCache: true,
        outputIncludesReasoning: true,
      },
    ],
  },
  {
    // MLflow Tracing LLM / chat-model spans.
    key: mlflow.MLFLOW_CHAT_TOKEN_USAGE,
    conventions: [
      {
        source: 'MLflow mlflow.chat.tokenUsage',
        input: [mlflow.MlflowTokenUsageKey.INPUT_TOKENS],
        output: [mlflow.MlflowTokenUsageKey.OUTPUT_TOKENS],
        total: [mlflow.MlflowTokenUsageKey.TOTAL_TOKENS],
        cachedInput: [],
        cacheWrite: [],
        reasoning: [],
        inputIncludesCache: true,
        outputIncludesReasoning: true,
      },
    ],
  },
];

/**
 * Usage in exclusive buckets; `{}` when the span reports no token counts. `keyMask`: the span's
 * key mask (see attribute-scan), to skip rows whose keys cannot be there.
 */
export function readUsage(
  attributes: Attributes,
  keyMask: number = ANY_KEY,
  conventions: readonly UsageConvention[] = USAGE_CONVENTIONS,
): UsageDetails {
  for (const source of USAGE_OBJECT_SOURCES) {
    if ((keyMask & keyBit(source.key)) === 0 || attributes[source.key] === undefined) continue;
    if (source.when !== undefined && !source.when.values.has(firstString(attributes, [source.when.key]) ?? '')) continue;
    const object = firstObject(attributes, [source.key]);
    if (object === undefined) continue;
    const usage = readUsageFrom(flattenObject(object), ANY_KEY, source.conventions);
    if (hasUsage(usage)) return usage;
  }
  return readUsageFrom(attributes, keyMask, conventions);
}

function readUsageFrom(attributes: Attributes, keyMask: number, conventions: readonly UsageConvention[]): UsageDetails {
  for (const convention of conventions) {
    if (!isPresent(attributes, keyMask, convention)) continue;
    const usage = toExclusiveBuckets(convention, attributes);
    if (hasUsage(usage)) return usage;
  }
  return {};
}

const presenceKeysCache = new WeakMap<UsageConvention, readonly string[]>();

/** The keys that select a row: its markers, or all of its keys. */
function presenceKeys(convention: UsageConvention): readonly string[] {
  let keys = presenceKeysCache.get(convention);
  if (keys === undefined) {
    const { markers, input, output, total, cachedInput, cacheWrite, reasoning } = convention;
    keys = markers ?? [...input, ...output, ...total, ...cachedInput, ...cacheWrite, ...reasoning];
    presenceKeysCache.set(convention, keys);
  }
  return keys;
}

function isPresent(attributes: Attributes, keyMask: number, convention: UsageConvention): boolean {
  for (const key of presenceKeys(convention)) {
    if ((keyMask & keyBit(key)) !== 0 && attributes[key] !== undefined) return true;
  }
  return false;
}

function toExclusiveBuckets(convention: UsageConvention, attributes: Attributes): UsageDetails {
  const reportedInput = firstNumber(attributes, convention.input);
  const reportedOutput = firstNumber(attributes, convention.output);
  let reportedTotal = firstNumber(attributes, convention.total);
  let cachedInput = firstNumber(attributes, convention.cachedInput);
  let cacheWrite = firstNumber(attributes, convention.cacheWrite);
  const reasoning = firstNumber(attributes, convention.reasoning);
  const details = convention.detailsJson;
  const detailsCanFill =
    details !== undefined &&
    ((cachedInput === undefined && details.cachedInput.length > 0) || (cacheWrite === undefined && details.cacheWrite.length > 0));
  if (detailsCanFill && attributes[details.key] !== undefined) {
    const object = firstObject(attributes, [details.key]);
    if (object !== undefined) {
      const flat = flattenObject(object);
      cachedInput ??= firstNumber(flat, details.cachedInput);
      cacheWrite ??= firstNumber(flat, details.cacheWrite);
      reportedTotal ??= firstNumber(flat, details.total);
    }
  }

  const usage: UsageDetails = {};
  if (reportedInput !== undefined) {
    const cache = (cachedInput ?? 0) + (cacheWrite ?? 0);
    const includesCache = convention.inputIncludesCache && !inputEvidentlyExcludesCache(reportedInput, reportedOutput, reportedTotal, cache);
    usage.input = Math.max(0, reportedInput - (includesCache ? cache : 0));
  }
  if (reportedOutput !== undefined) {
    const includesReasoning =
      convention.outputIncludesReasoning && !outputEvidentlyExcludesReasoning(reportedInput, reportedOutput, reportedTotal, reasoning ?? 0);
    usage.output = Math.max(0, reportedOutput - (includesReasoning ? (reasoning ?? 0) : 0));
  }
  if (cachedInput !== undefined) usage.cachedInput = cachedInput;
  if (cacheWrite !== undefined) usage.cacheWrite = cacheWrite;
  if (reasoning !== undefined) usage.reasoning = reasoning;
  if (reportedInput === undefined && reportedOutput === undefined && reportedTotal === undefined && cachedInput === undefined && reasoning === undefined && cacheWrite === undefined) {
    return {};
  }

  const bucketSum =
    (usage.input ?? 0) + (usage.output ?? 0) + (cachedInput ?? 0) + (cacheWrite ?? 0) + (reasoning ?? 0);
  usage.total = reportedTotal ?? bucketSum;
  return usage;
}

/**
 * Some providers behind an "inclusive" convention still report input without the cache (Bedrock
 * and, in ai 5, Anthropic through the Vercel AI SDK: Anthropic's own `input_tokens` excludes
 * it). The counts tell: a total equal to input + output + cache, or a cache larger than the
 * input it would be part of. Then nothing is taken out of input.
 */
function inputEvidentlyExcludesCache(
  input: number,
  output: number | undefined,
  total: number | undefined,
  cache: number,
): boolean {
  if (cache === 0) return false;
  if (cache > input) return true;
  return total !== undefined && output !== undefined && total === input + output + cache;
}

/**
 * Likewise for reasoning: Gemini's candidates count excludes its thoughts, and SDKs that copy
 * it into an "inclusive" output count (Genkit's Google AI plugin) report a total of
 * input + output + reasoning. Then nothing is taken out of output.
 */
function outputEvidentlyExcludesReasoning(
  input: number | undefined,
  output: number,
  total: number | undefined,
  reasoning: number,
): boolean {
  return reasoning !== 0 && input !== undefined && total !== undefined && total === input + output + reasoning;
}

export function hasUsage(usage: UsageDetails): boolean {
  return usage.total !== undefined;
}
