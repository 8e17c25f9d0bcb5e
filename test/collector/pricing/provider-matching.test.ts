/**
 * The provider decides among the catalog's models of the same name: the provider a span names
 * in each SDK's words, and the provider a model id's shape implies (Bedrock ARNs and
 * cross-region ids, Vertex resource names and `@` dates, Gemini `models/`, OpenRouter
 * `vendor/model:variant`, LiteLLM `provider/model`).
 */
import { describe, expect, it } from 'vitest';
import { calcPrice } from '@pydantic/genai-prices';
import { createCatalogMatcher } from '../../../collector/pricing/catalog-match.js';
import { loadModelCatalog } from '../../../collector/pricing/genai-prices.js';
import { catalogProviderNamed, PROVIDER_NAMES } from '../../../collector/pricing/provider-names.js';

const catalog = await loadModelCatalog();
const matcher = createCatalogMatcher(catalog);

/** The catalog model genai-prices itself picks for `model` at `providerId`. */
function catalogModelId(model: string, providerId: string): string {
  const result = calcPrice({ input_tokens: 1000, output_tokens: 100 }, model, { providerId });
  if (result === null) throw new Error(`the catalog has no ${providerId} ${model}`);
  return result.model.id;
}

describe('provider names', () => {
  it('names catalog providers only', () => {
    const ids = new Set(catalog.providers.map((provider) => provider.id));
    expect([...PROVIDER_NAMES.values()].filter((id) => !ids.has(id))).toEqual([]);
  });

  it.each([
    ['aws.bedrock', 'aws'],
    ['amazon-bedrock', 'aws'],
    ['azure.ai.openai', 'azure'],
    ['az.ai.inference', 'azure'],
    ['gcp.vertex_ai', 'google'],
    ['gcp.gemini', 'google'],
    ['google.vertex.chat', 'google'],
    ['vertex.anthropic.messages', 'google'],
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['mistral_ai', 'mistral'],
    ['mistralai', 'mistral'],
    ['x_ai', 'x-ai'],
    ['xai.chat', 'x-ai'],
    ['togetherai.chat', 'together'],
    ['OpenRouter', 'openrouter'],
  ])('reads %s as the catalog provider %s', (name, id) => {
    expect(catalogProviderNamed(catalog, name)?.id).toBe(id);
  });

  it('reads an unknown provider as none', () => {
    expect(catalogProviderNamed(catalog, 'my-company-proxy')).toBeNull();
    expect(catalogProviderNamed(catalog, '  ')).toBeNull();
  });
});

describe('choosing among models of the same name', () => {
  it.each([
    ['gpt-oss-120b', 'cerebras.chat', 'cerebras'],
    ['gpt-oss-120b', 'openai', 'openai'],
    ['mixtral-8x7b-32768', 'groq', 'groq'],
    ['mixtral-8x7b-32768', 'mistral_ai', 'mistral'],
    ['gpt-4o', 'azure.ai.openai', 'azure'],
  ])('prices %s served by %s from the catalog provider %s', (model, spanProvider, catalogProvider) => {
    const found = matcher.find(model, spanProvider);
    expect(found?.id).toBe(catalogModelId(model, catalogProvider));
    const expected = calcPrice({ input_tokens: 1_000_000, output_tokens: 1_000_000 }, model, { providerId: catalogProvider })!;
    expect((found!.prices[0]!.prices.input + found!.prices[0]!.prices.output) * 1_000_000).toBeCloseTo(expected.total_price, 9);
  });

  it('falls back to the model rules when the named provider does not serve the model', () => {
    expect(matcher.find('gpt-4o', 'my-company-proxy')?.providerId).toBe('openai');
    expect(matcher.find('claude-3-5-haiku-20241022', 'openai')?.providerId).toBe('anthropic');
  });
});

describe('model id shapes', () => {
  it.each([
    ['arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'aws', 'us.anthropic.claude-3-7-sonnet-20250219-v1:0'],
    ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0', 'aws', 'amazon.nova-pro-v1:0'],
    ['eu.anthropic.claude-3-5-sonnet-20240620-v1:0', 'aws', 'eu.anthropic.claude-3-5-sonnet-20240620-v1:0'],
    ['projects/acme/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514', 'google', 'claude-sonnet-4@20250514'],
    ['publishers/google/models/gemini-2.5-flash', 'google', 'gemini-2.5-flash'],
    ['claude-3-5-sonnet-v2@20241022', 'google', 'claude-3-5-sonnet-v2@20241022'],
    ['models/gemini-2.0-flash', 'google', 'gemini-2.0-flash'],
    ['openrouter/meta-llama/llama-3.3-70b-instruct', 'openrouter', 'meta-llama/llama-3.3-70b-instruct'],
    ['meta-llama/llama-3.3-70b-instruct', 'openrouter', 'meta-llama/llama-3.3-70b-instruct'],
    ['anthropic/claude-3.7-sonnet:thinking', 'anthropic', 'claude-3.7-sonnet'],
    ['azure/gpt-4o-mini', 'azure', 'gpt-4o-mini'],
    ['vertex_ai/gemini-1.5-pro', 'google', 'gemini-1.5-pro'],
    ['bedrock/anthropic.claude-3-haiku-20240307-v1:0', 'aws', 'anthropic.claude-3-haiku-20240307-v1:0'],
    ['groq/llama-3.1-8b-instant', 'groq', 'llama-3.1-8b-instant'],
  ])('reads %s as %s %s', (model, catalogProvider, catalogId) => {
    expect(matcher.find(model, null)?.id).toBe(catalogModelId(catalogId, catalogProvider));
  });

  it('prefers the provider the span names over the one the shape implies', () => {
    expect(matcher.find('anthropic/claude-3.5-sonnet', 'openrouter')?.providerId).toBe('openrouter');
    expect(matcher.find('anthropic/claude-3.5-sonnet', null)?.providerId).toBe('anthropic');
  });
});
