/**
 * The model catalog as the cost stage sees it: providers, each with its models, each model with
 * its prices over time. Made from the catalog package's data at start (genai-prices.ts); nothing
 * here knows that package's format.
 */
import type { ModelPrice } from '../../config/pricing.js';

/** Which catalog data is in use: the installed package and its version. */
export interface CatalogVersion {
  package: string;
  version: string;
}

export interface CatalogProvider {
  /** The catalog's id: `openai`, `anthropic`, `aws`, `azure`, `google`, `openrouter`, ... */
  id: string;
  name: string;
  /** The catalog's rule for provider names a span may give (`anthropic` for "contains anthropic"); null: its id only. */
  namePattern: RegExp | null;
  /** The catalog's rule for the model ids this provider is the first choice for (`claude...`); null: none. */
  modelPattern: RegExp | null;
  /** Providers whose models this one also serves when it has no entry of its own (Azure: OpenAI's, ...), by id. */
  fallbackProviderIds: readonly string[];
  /** In catalog order: the first whose pattern matches a model id prices it. */
  models: readonly CatalogModel[];
}

export interface CatalogModel {
  /** The catalog's model id (`gpt-4o`, `claude-sonnet-4-5`, `anthropic/claude-3.5-sonnet`). */
  id: string;
  providerId: string;
  pattern: RegExp;
  /** The lower-cased names `pattern` matches when it matches whole names only; null: test `pattern`. */
  exactNames: readonly string[] | null;
  /**
   * Its prices in catalog order: the first applies when no other does (it has no start date nor
   * daily window); of the later ones, the last that applies at a span's start time wins.
   */
  prices: readonly ModelPrice[];
}

export interface ModelCatalog {
  version: CatalogVersion;
  /** In catalog order. */
  providers: readonly CatalogProvider[];
}

/** "@pydantic/genai-prices 0.1.8": the catalog version as logs and the API show it. */
export function describeCatalogVersion(version: CatalogVersion): string {
  return `${version.package} ${version.version}`;
}

/** Every price the catalog holds, provider by provider in catalog order. */
export function catalogPrices(catalog: ModelCatalog): ModelPrice[] {
  return catalog.providers.flatMap((provider) => provider.models.flatMap((model) => model.prices));
}
