/**
 * Query-string parsing for the REST API. Each parser names the parameter, what it expects and
 * what it got, so a client sees exactly what to fix.
 */
import { SpanliteError } from './errors.js';

type QueryValue = string | string[] | undefined;

export function optionalString(query: Record<string, QueryValue>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (Array.isArray(value)) throw invalid(name, 'a single value', JSON.stringify(value));
  return value;
}

export function integerParam(
  query: Record<string, QueryValue>,
  name: string,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  const raw = optionalString(query, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
    throw invalid(name, `an integer ${min}-${max}`, `"${raw}"`);
  }
  return value;
}

/** Repeated (`tags=a&tags=b`) or comma-separated (`tags=a,b`). */
export function stringList(query: Record<string, QueryValue>, name: string): string[] | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return list.length > 0 ? list : undefined;
}

function invalid(name: string, expected: string, got: string): SpanliteError {
  return new SpanliteError('invalidParameter', `${name}: expected ${expected} (got ${got})`);
}
