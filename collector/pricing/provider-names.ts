/**
 * A provider as a span names it -> the catalog's provider. Spans name providers in each SDK's
 * words (`aws.bedrock`, `azure.ai.openai`, `gcp.vertex_ai`, `amazon-bedrock`, `openai.chat`,
 * `mistralai`); the catalog has its own ids (`aws`, `azure`, `google`, `mistral`) and a match
 * rule for some of them. Tried in order: the names below, the catalog's id, the first
 * dot-separated word (Vercel AI SDK's `<provider>.<api>`) by the same two, then the catalog's own
 * provider rule (`contains anthropic`, ...).
 */
import type { CatalogProvider, ModelCatalog } from './model-catalog.js';

/** Lower-cased provider names -> catalog provider ids, where the catalog's own rules miss them. */
export const PROVIDER_NAMES: ReadonlyMap<string, string> = new Map([
  // OTel GenAI semconv gen_ai.provider.name (1.37+) and gen_ai.system (before).
  ['aws.bedrock', 'aws'],
  ['azure.ai.openai', 'azure'],
  ['azure.ai.inference', 'azure'],
  ['az.ai.openai', 'azure'],
  ['az.ai.inference', 'azure'],
  ['gcp.vertex_ai', 'google'],
  ['gcp.gemini', 'google'],
  ['gcp.gen_ai', 'google'],
  ['vertex_ai', 'google'],
  ['mistral_ai', 'mistral'],
  ['x_ai', 'x-ai'],
  // OpenInference llm.provider / llm.system.
  ['mistralai', 'mistral'],
  ['vertexai', 'google'],
  ['xai', 'x-ai'],
  // Vercel AI SDK ai.model.provider (`<provider>.<api>`: the first word is tried too).
  ['amazon-bedrock', 'aws'],
  ['azure-openai', 'azure'],
  ['vertex', 'google'],
  ['togetherai', 'together'],
  // LiteLLM provider prefixes (`<provider>/<model>`, see model-id-shapes).
  ['bedrock', 'aws'],
  ['bedrock_converse', 'aws'],
  ['azure_ai', 'azure'],
  ['vertex_ai_beta', 'google'],
  ['gemini', 'google'],
  ['together_ai', 'together'],
  ['fireworks_ai', 'fireworks'],
  ['moonshot', 'moonshotai'],
  ['zhipu', 'zhipuai'],
]);

/** The catalog provider `name` means, or null when it names none. */
export function catalogProviderNamed(catalog: ModelCatalog, name: string): CatalogProvider | null {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') return null;
  const firstWord = wanted.split('.')[0] ?? wanted;
  return (
    byIdOrName(catalog, wanted) ??
    (firstWord !== wanted ? byIdOrName(catalog, firstWord) : null) ??
    catalog.providers.find((provider) => provider.namePattern?.test(wanted) === true) ??
    null
  );
}

function byIdOrName(catalog: ModelCatalog, name: string): CatalogProvider | null {
  const id = PROVIDER_NAMES.get(name) ?? name;
  return catalog.providers.find((provider) => provider.id === id) ?? null;
}
