/** The Vercel AI SDK operation a span is, from `ai.operationId` or the `operation.name` it mirrors. */
import type { Attributes } from '../decode/span.js';
import { AI_OPERATION_ID, AI_OPERATION_NAME, AI_OPERATION_PREFIX } from '../../semconv/vercel-ai.js';
import { ANY_KEY, firstString, keyBit } from './attribute-readers.js';

/**
 * `ai.generateText.doGenerate`, ...; undefined for spans of other SDKs. `operation.name`
 * (`"<operationId> <functionId>"`) is read only when it starts with `ai.`: other SDKs use that
 * attribute for their own operation names.
 */
const OPERATION_ID_KEYS = [AI_OPERATION_ID];

export function vercelOperationId(attributes: Attributes, keyMask: number = ANY_KEY): string | undefined {
  const id = firstString(attributes, OPERATION_ID_KEYS, keyMask);
  if (id !== undefined) return id;
  if ((keyMask & keyBit(AI_OPERATION_NAME)) === 0) return undefined;
  const name = attributes[AI_OPERATION_NAME];
  if (typeof name !== 'string' || !name.startsWith(AI_OPERATION_PREFIX)) return undefined;
  const space = name.indexOf(' ');
  return space === -1 ? name : name.slice(0, space);
}
