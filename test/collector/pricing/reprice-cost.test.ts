/**
 * Repricing a stored observation: the price in force at its start for the provider its stored
 * attributes name, as ingestion prices it; never a cost the app reported; nothing for a span
 * that is not a model call, nor when the cost would not change.
 */
import { describe, expect, it } from 'vitest';
import { repricedCost } from '../../../collector/pricing/reprice-cost.js';
import { applyCost } from '../../../collector/pricing/cost.js';
import { createPriceIndex, type PriceIndex } from '../../../collector/pricing/price-index.js';
import { foldObservation } from '../../../collector/ingestion/observation-fold.js';
import type { Observation } from '../../../collector/model.js';
import type { ObservationRecord } from '../../../collector/store/contract.js';
import type { Attributes } from '../../../collector/decode/span.js';
import * as genAi from '../../../semconv/gen-ai.js';
import { observationOf } from '../../helpers/mapped-span.js';
import { userPrice } from '../../helpers/user-price.js';

const JUN = Date.UTC(2025, 5, 1);


const OLD = createPriceIndex([userPrice('acme', 'acme-7b', { input: 0.000001, output: 0.000002 })]);
const NEW = createPriceIndex([userPrice('acme', 'acme-7b', { input: 0.000003, output: 0.000004 })]);

/** The observation as the store gives it back after ingesting it at `prices`. */
function stored(observation: Observation, prices = OLD): ObservationRecord {
  applyCost(observation, prices);
  const { reportedCost: _reported, cost, rawAttributes, modelProvider: _provider, ...fields } = observation;
  return { ...fields, costUsd: cost, totalCostUsd: cost?.total ?? null, environment: 'default', attributes: rawAttributes };
}

function generation(attributes: Attributes = {}, startMs = JUN): ObservationRecord {
  return stored(
    observationOf(
      {
        [genAi.GEN_AI_OPERATION_NAME]: 'chat',
        [genAi.GEN_AI_REQUEST_MODEL]: 'acme-7b',
        [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 1000,
        [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 100,
        ...attributes,
      },
      { startTimeUnixNano: BigInt(startMs) * 1_000_000n },
    ),
  );
}

describe('repricedCost', () => {
  it('prices a stored generation at the new price, as ingestion would', () => {
    const record = generation();
    expect(record.costUsd?.total).toBeCloseTo(0.0012, 12);
    const fresh = observationOf({
      [genAi.GEN_AI_OPERATION_NAME]: 'chat',
      [genAi.GEN_AI_REQUEST_MODEL]: 'acme-7b',
      [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 1000,
      [genAi.GEN_AI_USAGE_OUTPUT_TOKENS]: 100,
    }, { startTimeUnixNano: BigInt(JUN) * 1_000_000n });
    applyCost(fresh, NEW);
    expect(repricedCost(record, NEW)).toEqual({ cost: fresh.cost, missingReason: null });
  });

  it('answers null when the cost would not change', () => {
    expect(repricedCost(generation(), OLD)).toBeNull();
  });

  it('gives a cost to a generation stored without a price, and takes it from one whose price is gone', () => {
    const priced = generation();
    const none = createPriceIndex([]);
    const noPrice = stored(observationOf({ [genAi.GEN_AI_REQUEST_MODEL]: 'acme-7b', [genAi.GEN_AI_USAGE_INPUT_TOKENS]: 10 }), none);
    expect(noPrice.costMissingReason).toBe('no_price_match');
    expect(repricedCost(noPrice, NEW)).toEqual({ cost: { input: 0.00003, total: 0.00003 }, missingReason: null });
    expect(repricedCost(priced, none)).toEqual({ cost: null, missingReason: 'no_price_match' });
  });

  it('takes the price in force when the observation started', () => {
    const dated = createPriceIndex([userPrice('acme-june', 'acme-7b', { input: 0.00001, output: 0 }, JUN)]);
    expect(repricedCost(generation({}, JUN - 1), dated)).toEqual({ cost: null, missingReason: 'no_price_match' });
    expect(repricedCost(generation({}, JUN), dated)?.cost?.total).toBeCloseTo(0.01, 12);
  });

  it('looks the price up for the provider named in the stored attributes', () => {
    const providers: Array<string | null | undefined> = [];
    const recording: PriceIndex = {
      find(model, lookup = {}) {
        providers.push(lookup.provider);
        return NEW.find(model, lookup);
      },
    };
    repricedCost(generation({ [genAi.GEN_AI_PROVIDER_NAME]: 'aws.bedrock' }), recording);
    repricedCost(generation(), recording);
    expect(providers).toEqual(['aws.bedrock', null]);
  });

  it('never changes a cost the span reported', () => {
    const reported = generation({ [genAi.GEN_AI_USAGE_COST]: 0.5 });
    expect(reported.costUsd?.total).toBe(0.5);
    expect(repricedCost(reported, NEW)).toBeNull();
  });

  it('never changes a cost a client reported through Langfuse ingestion', () => {
    const patch = (fields: Partial<Observation>) => ({
      eventId: 'e1',
      kind: 'create' as const,
      rank: '1',
      id: 'obs-1',
      traceId: 'trace-1',
      type: 'GENERATION' as const,
      fields,
      environment: undefined,
      eventTimeUnixNano: BigInt(JUN) * 1_000_000n,
    });
    const scope = { name: 'langfuse-sdk', version: '3' };
    const withCost = foldObservation(null, [patch({ model: 'acme-7b', usage: { input: 10, total: 10 }, reportedCost: { total: 0.25 } })], 'trace-1', scope);
    expect(repricedCost(stored(withCost), NEW)).toBeNull();
    const withoutCost = foldObservation(null, [patch({ model: 'acme-7b', usage: { input: 10, total: 10 } })], 'trace-1', scope);
    expect(repricedCost(stored(withoutCost), NEW)).toEqual({ cost: { input: 0.00003, total: 0.00003 }, missingReason: null });
  });

  it('leaves a span that is not a model call alone', () => {
    const plain = stored(observationOf({ 'http.method': 'GET' }));
    expect(plain.costMissingReason).toBeNull();
    expect(repricedCost(plain, NEW)).toBeNull();
  });
});
