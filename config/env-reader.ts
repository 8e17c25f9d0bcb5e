/**
 * Typed readers of environment variables that collect problems instead of throwing, so a loader
 * can report every malformed variable at once. An unset or empty variable takes its fallback; a
 * malformed one takes its fallback too and adds one line to `problems` naming the variable, the
 * expectation and what was found. The readers are plain functions (destructuring them is safe).
 */
export interface EnvReader {
  /** One line per malformed variable read so far. */
  readonly problems: string[];
  /** A whole number within min-max (inclusive). */
  integer: (name: string, fallback: number, min: number, max: number) => number;
  /** One of `allowed`, compared case-insensitively. */
  oneOf: <T extends string>(name: string, allowed: readonly T[], fallback: T) => T;
  /** 1 / true / yes / on, or 0 / false / no / off, case-insensitively. */
  flag: (name: string, fallback: boolean) => boolean;
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

export function envReader(env: NodeJS.ProcessEnv): EnvReader {
  const problems: string[] = [];
  const set = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw === '' ? undefined : raw;
  };
  return {
    problems,
    integer: (name, fallback, min, max) => {
      const raw = set(name);
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        problems.push(`${name}: expected an integer ${min}-${max} (got "${raw}")`);
        return fallback;
      }
      return value;
    },
    oneOf: (name, allowed, fallback) => {
      const raw = set(name);
      if (raw === undefined) return fallback;
      const value = raw.toLowerCase();
      const match = allowed.find((candidate) => candidate === value);
      if (match === undefined) {
        problems.push(`${name}: expected one of ${allowed.join(', ')} (got "${raw}")`);
        return fallback;
      }
      return match;
    },
    flag: (name, fallback) => {
      const raw = set(name);
      if (raw === undefined) return fallback;
      const value = raw.trim().toLowerCase();
      if (TRUE_WORDS.includes(value)) return true;
      if (FALSE_WORDS.includes(value)) return false;
      problems.push(`${name}: expected 1 or 0 (or true / false) (got "${raw}")`);
      return fallback;
    },
  };
}
