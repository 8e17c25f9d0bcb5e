/** JSON text columns: null stays SQL NULL; everything else is JSON text. */
import type { JsonValue } from '../../model.js';

export function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function fromJson(text: string | null): JsonValue | null {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}
