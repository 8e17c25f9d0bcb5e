/** Observation level from the vocabularies SDKs use (`warn`, `INFO`, `FATAL`, ...). */
import type { Level } from '../model.js';

const LEVEL_ALIASES: Readonly<Record<string, Level>> = {
  debug: 'DEBUG',
  trace: 'DEBUG',
  default: 'DEFAULT',
  info: 'DEFAULT',
  information: 'DEFAULT',
  notice: 'DEFAULT',
  warning: 'WARNING',
  warn: 'WARNING',
  error: 'ERROR',
  err: 'ERROR',
  fatal: 'ERROR',
  critical: 'ERROR',
};

export function parseLevel(value: string | undefined): Level | undefined {
  if (value === undefined) return undefined;
  const key = value.trim().toLowerCase();
  return Object.hasOwn(LEVEL_ALIASES, key) ? LEVEL_ALIASES[key] : undefined;
}
