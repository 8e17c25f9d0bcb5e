/**
 * What a model id's shape says about its provider. Cloud platforms and routers wrap a model's
 * name in ids of their own: Bedrock ARNs and `us.anthropic.claude-...-v1:0`, Vertex resource
 * paths and `claude-...@20241022`, OpenRouter's `vendor/model:variant`, LiteLLM's
 * `provider/model`. Each shape below gives the provider it implies (a name, resolved as a span's
 * provider name is) and the id to look up there; the catalog lookup tries them after the
 * provider the span names.
 */

/** One reading of a model id: look `modelId` up at the provider so named (null: wherever the id alone leads). */
export interface ModelIdReading {
  providerName: string | null;
  modelId: string;
}

interface ModelIdShape {
  /** Tested against the trimmed, lower-cased id. */
  pattern: RegExp;
  read(match: RegExpExecArray, id: string): ModelIdReading[];
}

/** Bedrock model vendors, as the first word of a Bedrock model id. */
const BEDROCK_VENDORS = 'anthropic|amazon|meta|mistral|cohere|ai21|deepseek|writer|qwen|openai|stability|twelvelabs|luma|moonshot|minimax|google|nvidia';
/** Bedrock cross-region inference profile prefixes. */
const BEDROCK_REGIONS = 'us|eu|apac|au|ca|jp|global|us-gov';

export const MODEL_ID_SHAPES: readonly ModelIdShape[] = [
  {
    // Bedrock ARNs: a foundation model or an inference profile (AWS SDK modelId, Bedrock console).
    pattern: /^arn:aws[\w-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile|system-defined-inference-profile)\/(.+)$/,
    read: (match) => [{ providerName: 'aws', modelId: match[1]! }],
  },
  {
    // Bedrock model ids, optionally behind a cross-region profile: us.anthropic.claude-3-7-sonnet-20250219-v1:0.
    pattern: new RegExp(`^(?:(?:${BEDROCK_REGIONS})\\.)?(?:${BEDROCK_VENDORS})\\.[^/]+$`),
    read: (_match, id) => [{ providerName: 'aws', modelId: id }],
  },
  {
    // Vertex AI resource names: projects/p/locations/l/publishers/anthropic/models/claude-sonnet-4@20250514.
    pattern: /^(?:projects\/[^/]+\/locations\/[^/]+\/)?publishers\/[^/]+\/models\/(.+)$/,
    read: (match) => [{ providerName: 'google', modelId: match[1]! }],
  },
  {
    // Vertex AI partner models dated with `@`: claude-3-5-sonnet-v2@20241022.
    pattern: /^[^/@]+@\d{8}$/,
    read: (_match, id) => [{ providerName: 'google', modelId: id }],
  },
  {
    // Gemini API resource names: models/gemini-2.0-flash.
    pattern: /^models\/([^/]+)$/,
    read: (match) => [{ providerName: 'google', modelId: match[1]! }],
  },
  {
    // LiteLLM's `provider/model` and OpenRouter's `vendor/model`: the first word as a provider
    // with the rest (and the rest's own shape), then the whole id at OpenRouter (its ids are
    // `vendor/model`).
    pattern: /^([\w.-]+)\/(.+)$/,
    read: (match, id) => [
      { providerName: match[1]!, modelId: match[2]! },
      ...readModelId(match[2]!).map((reading) => ({ providerName: reading.providerName ?? match[1]!, modelId: reading.modelId })),
      { providerName: 'openrouter', modelId: id },
    ],
  },
  {
    // OpenRouter variants: anthropic/claude-3.7-sonnet:thinking, meta-llama/llama-3.1-8b-instruct:nitro.
    pattern: /^(.+):(?:nitro|floor|online|beta|extended|thinking|exacto)$/,
    read: (match) => [{ providerName: null, modelId: match[1]! }],
  },
];

/** The readings of a model id's shape, most specific first; none for a bare model name. */
export function readModelId(modelId: string): ModelIdReading[] {
  const id = modelId.trim().toLowerCase();
  for (const shape of MODEL_ID_SHAPES) {
    const match = shape.pattern.exec(id);
    if (match !== null) return shape.read(match, id);
  }
  return [];
}
