/**
 * Which observation type a span is. Rules are tried in order; the first that answers wins.
 * Supporting a new SDK means adding a row, with a comment naming the SDK that needed it.
 */
import type { Attributes } from '../span.js';
import { OBSERVATION_TYPES, type ObservationType } from '../model.js';
import { GEN_AI_OPERATION_NAME, GenAiOperation } from '../../semconv/gen-ai.js';
import { SPANLITE_OBSERVATION_TYPE } from '../../semconv/spanlite.js';
import { firstString } from './attribute-readers.js';

/** `gen_ai.operation.name` -> type (OTel GenAI semconv 1.37+; older values kept). */
const GEN_AI_OPERATION_TYPES: Readonly<Record<string, ObservationType>> = {
  [GenAiOperation.CHAT]: 'GENERATION',
  [GenAiOperation.TEXT_COMPLETION]: 'GENERATION',
  [GenAiOperation.GENERATE_CONTENT]: 'GENERATION',
  completion: 'GENERATION',
  [GenAiOperation.EMBEDDINGS]: 'EMBEDDING',
  embedding: 'EMBEDDING',
  [GenAiOperation.EXECUTE_TOOL]: 'TOOL',
  [GenAiOperation.CREATE_AGENT]: 'AGENT',
  [GenAiOperation.INVOKE_AGENT]: 'AGENT',
};

export interface TypeEvidence {
  attributes: Attributes;
  /** A model name was found by the model rules. */
  hasModel: boolean;
  /** Some token count was found by the usage rules. */
  hasUsage: boolean;
}

export type TypeRule = (evidence: TypeEvidence) => ObservationType | undefined;

const VALID_TYPES: ReadonlySet<string> = new Set(OBSERVATION_TYPES);

/** A type named outright by the sender, in any letter case (`generation`, `GENERATION`). */
export function explicitTypeRule(keys: readonly string[]): TypeRule {
  return ({ attributes }) => {
    const named = firstString(attributes, keys)?.toUpperCase();
    return named !== undefined && VALID_TYPES.has(named) ? (named as ObservationType) : undefined;
  };
}

/** A lookup of one attribute's value in a table (lower-cased before lookup). */
export function tableTypeRule(key: string, table: Readonly<Record<string, ObservationType>>): TypeRule {
  return ({ attributes }) => {
    const value = firstString(attributes, [key])?.toLowerCase();
    return value !== undefined && Object.hasOwn(table, value) ? table[value] : undefined;
  };
}

/** A span with a model and token counts is a generation, whatever else it says. */
const modelWithUsageRule: TypeRule = ({ hasModel, hasUsage }) =>
  hasModel && hasUsage ? 'GENERATION' : undefined;

export const TYPE_RULES: readonly TypeRule[] = [
  explicitTypeRule([SPANLITE_OBSERVATION_TYPE]),
  tableTypeRule(GEN_AI_OPERATION_NAME, GEN_AI_OPERATION_TYPES),
  modelWithUsageRule,
];

export function inferObservationType(
  evidence: TypeEvidence,
  rules: readonly TypeRule[] = TYPE_RULES,
): ObservationType {
  for (const rule of rules) {
    const type = rule(evidence);
    if (type !== undefined) return type;
  }
  return 'SPAN';
}
