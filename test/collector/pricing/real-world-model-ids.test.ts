/**
 * Coverage of the model catalog on model ids as applications send them: 100 ids from 15
 * providers (17 sources), each with the provider the span would name (null where SDKs name none) and where
 * the id comes from. Ids are the providers' documented API ids, cloud platforms' wrapped ids
 * (Bedrock, Vertex AI, Azure deployments) and routers' ids (OpenRouter, LiteLLM), spelled as
 * the source spells them.
 */
import { describe, expect, it } from 'vitest';
import { loadDefaultPriceIndex } from '../../../collector/pricing/default-price-index.js';

const prices = await loadDefaultPriceIndex();

const OPENAI = 'OpenAI API models (platform.openai.com/docs/models)';
const ANTHROPIC = 'Anthropic models overview (docs.anthropic.com/en/docs/about-claude/models)';
const GEMINI = 'Gemini API models (ai.google.dev/gemini-api/docs/models)';
const VERTEX = 'Vertex AI model ids (cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude, .../learn/model-versions)';
const BEDROCK = 'Amazon Bedrock model ids (docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html, .../inference-profiles-support.html)';
const AZURE = 'Azure OpenAI model and deployment names (learn.microsoft.com/azure/ai-foundry/openai/concepts/models)';
const MISTRAL = 'Mistral API models (docs.mistral.ai/getting-started/models)';
const DEEPSEEK = 'DeepSeek API models (api-docs.deepseek.com/quick_start/pricing)';
const XAI = 'xAI API models (docs.x.ai/docs/models)';
const GROQ = 'GroqCloud models (console.groq.com/docs/models)';
const OPENROUTER = 'OpenRouter model ids (openrouter.ai/models)';
const COHERE = 'Cohere models (docs.cohere.com/docs/models)';
const TOGETHER = 'Together AI serverless models (docs.together.ai/docs/serverless-models)';
const FIREWORKS = 'Fireworks AI model library (fireworks.ai/models)';
const MOONSHOT = 'Moonshot AI / Kimi API models (platform.moonshot.ai/docs)';
const PERPLEXITY = 'Perplexity Sonar models (docs.perplexity.ai/getting-started/models)';
const LITELLM = 'LiteLLM provider-prefixed ids (docs.litellm.ai/docs/providers)';

/** [model id, provider as the span names it (null: not named), where the id comes from] */
const REAL_WORLD_IDS: ReadonlyArray<readonly [string, string | null, string]> = [
  ['gpt-4o', 'openai', OPENAI],
  ['gpt-4o-2024-08-06', 'openai', OPENAI],
  ['gpt-4o-mini', 'openai', OPENAI],
  ['gpt-4o-mini-2024-07-18', null, OPENAI],
  ['chatgpt-4o-latest', 'openai', OPENAI],
  ['gpt-4.1', 'openai', OPENAI],
  ['gpt-4.1-mini', 'openai.responses', OPENAI],
  ['gpt-4.1-nano', 'openai', OPENAI],
  ['gpt-5', 'openai', OPENAI],
  ['gpt-5-mini', 'openai.chat', OPENAI],
  ['gpt-5-nano', null, OPENAI],
  ['o1', 'openai', OPENAI],
  ['o3', 'openai', OPENAI],
  ['o3-mini', 'openai', OPENAI],
  ['o4-mini', 'openai', OPENAI],
  ['gpt-4-turbo', 'openai', OPENAI],
  ['gpt-3.5-turbo', 'openai', OPENAI],
  ['text-embedding-3-small', 'openai', OPENAI],
  ['text-embedding-3-large', null, OPENAI],

  ['claude-3-5-sonnet-20241022', 'anthropic', ANTHROPIC],
  ['claude-3-5-haiku-20241022', 'anthropic', ANTHROPIC],
  ['claude-3-7-sonnet-20250219', 'anthropic.messages', ANTHROPIC],
  ['claude-sonnet-4-20250514', 'anthropic', ANTHROPIC],
  ['claude-opus-4-20250514', 'anthropic', ANTHROPIC],
  ['claude-opus-4-1-20250805', 'anthropic', ANTHROPIC],
  ['claude-sonnet-4-5-20250929', null, ANTHROPIC],
  ['claude-haiku-4-5-20251001', 'anthropic', ANTHROPIC],
  ['claude-3-opus-20240229', 'anthropic', ANTHROPIC],
  ['claude-3-haiku-20240307', 'anthropic', ANTHROPIC],

  ['gemini-2.5-pro', 'gcp.gemini', GEMINI],
  ['gemini-2.5-flash', 'google.generative-ai', GEMINI],
  ['gemini-2.5-flash-lite', 'gcp.gemini', GEMINI],
  ['gemini-2.0-flash', 'gemini', GEMINI],
  ['gemini-2.0-flash-lite', 'gcp.gemini', GEMINI],
  ['gemini-1.5-pro', 'gcp.gemini', GEMINI],
  ['gemini-1.5-flash', null, GEMINI],
  ['models/gemini-2.0-flash', null, GEMINI],

  ['claude-3-5-sonnet-v2@20241022', 'gcp.vertex_ai', VERTEX],
  ['claude-sonnet-4@20250514', 'gcp.vertex_ai', VERTEX],
  ['claude-opus-4-1@20250805', null, VERTEX],
  ['publishers/google/models/gemini-2.5-flash', null, VERTEX],
  ['gemini-2.0-flash-001', 'google.vertex.chat', VERTEX],

  ['anthropic.claude-3-5-sonnet-20240620-v1:0', 'aws.bedrock', BEDROCK],
  ['anthropic.claude-3-haiku-20240307-v1:0', 'aws.bedrock', BEDROCK],
  ['us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'amazon-bedrock', BEDROCK],
  ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'aws.bedrock', BEDROCK],
  ['amazon.nova-pro-v1:0', 'aws.bedrock', BEDROCK],
  ['amazon.nova-lite-v1:0', null, BEDROCK],
  ['amazon.nova-micro-v1:0', 'aws.bedrock', BEDROCK],
  ['meta.llama3-1-70b-instruct-v1:0', 'aws.bedrock', BEDROCK],
  ['us.meta.llama3-3-70b-instruct-v1:0', 'aws.bedrock', BEDROCK],
  ['mistral.mistral-large-2402-v1:0', 'aws.bedrock', BEDROCK],
  ['cohere.command-r-plus-v1:0', 'aws.bedrock', BEDROCK],
  ['amazon.titan-text-express-v1', 'aws.bedrock', BEDROCK],
  ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0', null, BEDROCK],

  ['gpt-4o', 'azure.ai.openai', AZURE],
  ['gpt-4o-mini', 'az.ai.openai', AZURE],
  ['gpt-4.1', 'azure.ai.openai', AZURE],
  ['gpt-35-turbo', 'azure.ai.openai', AZURE],
  ['o3-mini', 'azure-openai.chat', AZURE],

  ['mistral-large-latest', 'mistral_ai', MISTRAL],
  ['mistral-small-latest', 'mistral_ai', MISTRAL],
  ['mistral-medium-latest', 'mistralai', MISTRAL],
  ['codestral-latest', 'mistral_ai', MISTRAL],
  ['open-mistral-nemo', 'mistral.chat', MISTRAL],
  ['pixtral-large-latest', null, MISTRAL],
  ['ministral-8b-latest', 'mistral_ai', MISTRAL],

  ['deepseek-chat', 'deepseek', DEEPSEEK],
  ['deepseek-reasoner', null, DEEPSEEK],

  ['grok-4-0709', 'xai', XAI],
  ['grok-3', 'x_ai', XAI],
  ['grok-3-mini', 'xai.chat', XAI],
  ['grok-2-1212', 'xai', XAI],

  ['llama-3.3-70b-versatile', 'groq', GROQ],
  ['llama-3.1-8b-instant', 'groq', GROQ],
  ['gemma2-9b-it', 'groq.chat', GROQ],
  ['openai/gpt-oss-120b', 'groq', GROQ],

  ['anthropic/claude-3.5-sonnet', 'openrouter', OPENROUTER],
  ['openai/gpt-4o-mini', 'openrouter', OPENROUTER],
  ['google/gemini-2.5-flash', null, OPENROUTER],
  ['meta-llama/llama-3.3-70b-instruct', 'openrouter', OPENROUTER],
  ['deepseek/deepseek-chat', null, OPENROUTER],
  ['mistralai/mistral-small-3.1-24b-instruct', 'openrouter', OPENROUTER],
  ['qwen/qwen-2.5-72b-instruct', 'openrouter', OPENROUTER],
  ['anthropic/claude-3.7-sonnet:thinking', 'openrouter', OPENROUTER],

  ['command-r-plus', 'cohere', COHERE],
  ['command-r', 'cohere', COHERE],
  ['command-a-03-2025', 'cohere.chat', COHERE],

  ['meta-llama/Llama-3.3-70B-Instruct-Turbo', 'together_ai', TOGETHER],
  ['meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo', 'togetherai.chat', TOGETHER],
  ['Qwen/Qwen2.5-72B-Instruct-Turbo', 'together_ai', TOGETHER],
  ['deepseek-ai/DeepSeek-V3', 'together_ai', TOGETHER],

  ['accounts/fireworks/models/llama-v3p1-70b-instruct', 'fireworks', FIREWORKS],
  ['accounts/fireworks/models/deepseek-v3', null, FIREWORKS],

  ['kimi-k2-0905-preview', 'moonshotai', MOONSHOT],
  ['moonshot-v1-8k', null, MOONSHOT],

  ['sonar', 'perplexity', PERPLEXITY],
  ['sonar-pro', 'perplexity', PERPLEXITY],

  ['vertex_ai/gemini-1.5-pro', null, LITELLM],
  ['bedrock/anthropic.claude-3-sonnet-20240229-v1:0', null, LITELLM],
];

describe('real-world model ids', () => {
  it('lists 100 ids from at least 10 providers', () => {
    expect(REAL_WORLD_IDS).toHaveLength(100);
    expect(new Set(REAL_WORLD_IDS.map(([, , source]) => source)).size).toBeGreaterThanOrEqual(10);
  });

  it('prices at least 95 of them', () => {
    const atMs = Date.parse('2026-10-01T12:00:00Z');
    const unpriced = REAL_WORLD_IDS.filter(([model, provider]) => prices.find(model, { provider, atMs }) === null);
    const names = unpriced.map(([model, provider]) => `${model} (${provider ?? 'no provider'})`).join(', ');
    expect(REAL_WORLD_IDS.length - unpriced.length, `unpriced: ${names}`).toBeGreaterThanOrEqual(95);
  });
});
