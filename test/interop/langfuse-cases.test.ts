/**
 * spanlite against Langfuse's own OTel mapping cases: real payloads from real SDKs, with what
 * Langfuse made of them (shared/reference/langfuse-otel-cases, README there). The data is read at
 * test time and never copied into the project; without the folder this file is skipped.
 *
 * Each case passes when every compared field (type, model, usage in exclusive buckets, input and
 * output present, level, user, session, tags) agrees, or differs only as the tables below say.
 * A table row that no longer matches a difference fails too, so the tables stay true.
 *
 * Deliberate differences, where Langfuse drops or guesses and spanlite does otherwise:
 *
 * | Cases | Field | Langfuse | spanlite | Why |
 * | --- | --- | --- | --- | --- |
 * | OpenInference reasoning/audio usage | usage | output 15 (audio taken out) | output 20 | No audio price bucket: audio tokens stay in output and are priced as output, not dropped. |
 * | `ai.model.id` only; AI SDK span with `ai.operationId: generateText` | type | SPAN | GENERATION | A span that names its model is an LLM call, whichever convention named it; Langfuse's type rule ignores `ai.model.id`. |
 * | AI SDK outer call (`operation.name: ai.generateText` / `ai.generateObject`) with a `gen_ai.response.model` | type, model | GENERATION with the model | SPAN, model in `attributes` | An outer call repeats its `.do*` calls' model and usage: typed GENERATION it doubles the generations and the per-model counts. Langfuse makes real outer spans SPANs too (they carry only `ai.model.id`); it types these by its model fallback. |
 * | bare `model`, bare `input` attributes | model, type, input | read | not read | Generic names are not a convention: an ORM `model` or a form `input` on an HTTP span is not LLM data. |
 * | `tool_arguments` / `tool_response` on a span of no Pydantic AI scope | input, output | read | not read | Un-namespaced names are Pydantic AI's only on its spans (scope `pydantic-ai`), where they are read. |
 * | Pydantic AI agent run (`agent_name`, scope `pydantic-ai`) | usage | input 174, output 31 (in the event; the stored span drops it) | none, the counts kept in `attributes` | The run's usage is the sum of its model request spans': counted again, it doubles the trace's tokens and cost. |
 * | LiveKit `start_agent_activity` | type | AGENT | SPAN | A setup span (prewarming the models, starting the session), not an agent run; DEBUG level as in Langfuse. |
 * | Google ADK LLM response on a span of another scope | usage | cache ignored | cache read | ADK writes its attributes onto the current span, which may be another instrumentation's (OpenInference's ADK spans carry them): the cached count is as true there. |
 * | Bedrock `cacheCreationInputTokens` in AI SDK provider metadata | usage | added to cache writes | ignored | Not a Bedrock Converse field; Bedrock reports `cacheWriteInputTokens`. Adding both would double count. |
 * | Bedrock full usage | usage | input 1152 | input 5734 | Bedrock's `inputTokens` excludes cache reads (its total 10394 = 5734 + 178 + 4482): Langfuse subtracts the cache a second time. |
 * | Bedrock cache read larger than input; Google ADK cached count larger than input | usage | input 0 | input 100 / 500 | A cache count larger than the input it would be part of means the input excluded it: clamping to 0 loses those tokens. |
 * | span with `input`, `gen_ai.prompt.0.*`, `llm.output_messages.0.*` | output present | no | yes | `llm.output_messages` carries an output; Langfuse's pick of the bare `input` leaves output empty. |
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareCase, loadLangfuseCases, type ComparedField, type Mismatch } from './langfuse-cases.js';
import { priceObservation } from '../../collector/pricing/cost.js';
import { loadDefaultPriceIndex } from '../../collector/pricing/default-price-index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const casesDir = resolve(repoRoot, '../shared/reference/langfuse-otel-cases');
const present = existsSync(casesDir);

interface Difference {
  /** Matched against the case description. */
  cases: RegExp;
  fields: readonly ComparedField[];
  why: string;
}

/** Where Langfuse drops or guesses and spanlite deliberately does otherwise (table above). */
const DELIBERATE_DIFFERENCES: readonly Difference[] = [
  {
    cases: /completion_details\.reasoning\/audio/,
    fields: ['usage'],
    why: 'audio tokens stay in output (no audio price bucket), priced as output instead of dropped',
  },
  {
    cases: /providedModelName from ai\.model\.id|same AI SDK name extraction/,
    fields: ['type'],
    why: 'a span naming its model (ai.model.id) is a GENERATION',
  },
  {
    cases: /should map AI SDK ai\.generateObject operation|Vercel AI SDK generation WITH model/,
    fields: ['type', 'model'],
    why: 'an AI SDK outer call is a SPAN whatever model it names: its .do* children are the generations',
  },
  {
    cases: /should map model to model|should stringify non-string attributes|should map input to input for pydantic/,
    fields: ['type', 'model', 'input present'],
    why: 'bare `model` / `input` attributes are not a convention',
  },
  {
    cases: /should map pydantic-ai tool_(arguments|response) to/,
    fields: ['input present', 'output present'],
    why: 'un-namespaced tool_arguments / tool_response are read on Pydantic AI spans (scope pydantic-ai) only',
  },
  {
    cases: /Pydantic AI agent root span|prepend gen_ai\.system_instructions to pydantic_ai\.all_messages/,
    fields: ['usage'],
    why: "a Pydantic AI agent run's usage sums its model requests': kept in attributes, not counted twice",
  },
  {
    cases: /LiveKit 'start_agent_activity' span to 'agent-create'/,
    fields: ['type'],
    why: 'start_agent_activity is a setup span, not an agent run',
  },
  {
    cases: /should ignore the blob for spans from other instrumentation scopes/,
    fields: ['usage'],
    why: 'ADK sets gcp.vertex.agent.* on whatever span is current: its cached count is read on any scope',
  },
  {
    cases: /Bedrock cache (read|write|creation) tokens from ai\.response\.providerMetadata|all Bedrock cache token types/,
    fields: ['usage'],
    why: 'cacheCreationInputTokens is not a Bedrock field; Bedrock inputTokens excludes cache reads (total says so)',
  },
  {
    cases: /Bedrock provider metadata with only cache read tokens|blob cache count exceeds input tokens/,
    fields: ['usage'],
    why: 'a cache read larger than input means input excluded it: input kept, not clamped to 0',
  },
  {
    cases: /should filter all input\/output attribute patterns/,
    fields: ['output present'],
    why: 'llm.output_messages carries an output that Langfuse leaves empty',
  },
];

/**
 * Conventions spanlite does not map, by the cases that use them. None today: every SDK among
 * the cases (Genkit, Pydantic AI, LiveKit, Google ADK and MLflow included) is mapped. A row
 * names the cases, the fields and the attributes left unread.
 */
const NOT_MAPPED: readonly Difference[] = [];

function explained(mismatch: Mismatch): Difference | undefined {
  return [...DELIBERATE_DIFFERENCES, ...NOT_MAPPED].find(
    (row) => row.cases.test(mismatch.description) && row.fields.includes(mismatch.field),
  );
}

const cases = present ? loadLangfuseCases(casesDir) : [];
const results = cases.map((testCase) => ({ testCase, result: compareCase(testCase) }));

describe.skipIf(!present)(
  present ? `Langfuse's OTel mapping cases (${casesDir})` : 'Langfuse OTel mapping cases: skipped, ../shared/reference/langfuse-otel-cases not found',
  () => {
    it.each(results.map(({ testCase, result }) => [testCase.id, testCase.description, result.mismatches] as const))(
      '%s: %s',
      (_id, _description, mismatches) => {
        const unexplained = mismatches.filter((mismatch) => explained(mismatch) === undefined);
        expect(unexplained).toEqual([]);
      },
    );

    it('lists only differences that still occur, and reports the agreement', () => {
      const mismatches = results.flatMap(({ result }) => result.mismatches);
      const stale = [...DELIBERATE_DIFFERENCES, ...NOT_MAPPED].filter(
        (row) => !mismatches.some((mismatch) => explained(mismatch) === row),
      );
      expect(stale.map((row) => row.why)).toEqual([]);

      const agreeing = results.filter(({ result }) => result.mismatches.length === 0).length;
      const deliberate = results.filter(
        ({ result }) =>
          result.mismatches.length > 0 &&
          result.mismatches.every((m) => DELIBERATE_DIFFERENCES.includes(explained(m) as Difference)),
      ).length;
      const fields = results.reduce((sum, { result }) => sum + result.compared, 0);
      const fieldMismatches = mismatches.length;
      console.info(
        `Langfuse cases: ${agreeing}/${results.length} agree on every compared field; ` +
          `${deliberate} differ only deliberately; ${results.length - agreeing - deliberate} touch conventions not mapped; ` +
          `${fields - fieldMismatches}/${fields} compared fields agree.`,
      );
      expect(agreeing).toBeGreaterThan(180);
    });

    it('prices the Langfuse SDK generation with an OpenAI usage object as Langfuse does (0.0010985 USD)', async () => {
      const { testCase, result } = results.find(({ testCase: c }) => c.id.startsWith('32-'))!;
      expect(testCase).toBeDefined();
      const generation = result.mapped.find((span) => span.observation?.type === 'GENERATION')!.observation!;
      expect(generation.usage).toEqual({ input: 1957, output: 80, cachedInput: 0, reasoning: 0, total: 2037 });
      const priced = priceObservation(generation.model, generation.usage, await loadDefaultPriceIndex());
      expect(priced.cost?.total).toBeCloseTo(0.0010985, 10);
    });

    it('ignores crafted __proto__ keys while rebuilding indexed messages', () => {
      const { result } = results.find(({ testCase }) => testCase.id.startsWith('31-'))!;
      const observation = result.mapped[0]!.observation!;
      expect(observation.input).toEqual({ role: 'user', content: 'hello' });
      expect(({} as Record<string, unknown>)['POLLUTED']).toBeUndefined();
    });
  },
);
