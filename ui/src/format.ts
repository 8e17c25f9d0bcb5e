/** How numbers, times and money read in the UI. Missing values read as an em dash. */

export const NONE = '—';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined) return NONE;
  return Math.abs(value) >= 1_000_000 ? compact.format(value) : integer.format(value);
}

/**
 * One cost: USD, cents for dollars and up, three significant digits below (LLM calls cost fractions
 * of a cent). Null (no price known for the model) reads as the em dash, never `$0`.
 */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return NONE;
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 1) return `$${usd.toFixed(2)}`;
  return `$${usd.toLocaleString('en-US', { maximumSignificantDigits: 3, maximumFractionDigits: 10 })}`;
}

/**
 * A cost the API summed over many observations (a user's, a session's, a model's day), where an
 * observation without a known cost counts as zero: zero then means no cost was known, and reads
 * as the em dash, as an unpriced trace does in the list.
 */
export function formatSummedCost(usd: number | null | undefined): string {
  return usd === 0 ? NONE : formatCost(usd);
}

/** A per-token price as USD per million tokens, as providers list them. */
export function formatPricePerMillion(usdPerToken: number | null | undefined): string {
  if (usdPerToken === null || usdPerToken === undefined) return NONE;
  const perMillion = usdPerToken * 1_000_000;
  return `$${perMillion.toLocaleString('en-US', { maximumSignificantDigits: 4, maximumFractionDigits: 4 })}`;
}

const pad = (value: number) => String(value).padStart(2, '0');

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * `0.42 ms`, `8.1 ms`, `420 ms`, `4.20 s`, `42.0 s`, then two units: `4m 05s`, `3h 00m`, `2d 4h`.
 * Each step rounds to its smaller unit first, so 59.96 s reads `1m 00s`, never `60.0 s`.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  if (ms < 0.995) return `${ms.toFixed(2)} ms`;
  if (ms < 9.95) return `${ms.toFixed(1)} ms`;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 9_995) return `${(ms / SECOND_MS).toFixed(2)} s`;
  if (ms < 59_950) return `${(ms / SECOND_MS).toFixed(1)} s`;
  const inUnits = (small: number, large: number): [number, number] => {
    const smalls = Math.round(ms / small);
    const perLarge = large / small;
    return [Math.floor(smalls / perLarge), smalls % perLarge];
  };
  if (ms < HOUR_MS - SECOND_MS / 2) {
    const [minutes, seconds] = inUnits(SECOND_MS, MINUTE_MS);
    return `${minutes}m ${pad(seconds)}s`;
  }
  if (ms < DAY_MS - MINUTE_MS / 2) {
    const [hours, minutes] = inUnits(MINUTE_MS, HOUR_MS);
    return `${hours}h ${pad(minutes)}m`;
  }
  const [days, hours] = inUnits(HOUR_MS, DAY_MS);
  return `${days}d ${hours}h`;
}

/** Local time, `2025-05-01 09:30:12`. */
export function formatTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return NONE;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago`; older: the date. */
export function formatAgo(iso: string, nowMs = Date.now()): string {
  const ms = nowMs - Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  if (ms < 0) return formatTime(iso);
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h ago`;
  if (ms < 30 * 86_400_000) return `${Math.round(ms / 86_400_000)} d ago`;
  return formatTime(iso).slice(0, 10);
}

/** An ISO time as the value of an <input type="datetime-local"> (local time, minutes). */
export function toLocalInput(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The value of an <input type="datetime-local"> as ISO 8601 (UTC), or undefined when empty. */
export function fromLocalInput(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function formatScoreValue(score: { value: number | null; stringValue: string | null; dataType: string }): string {
  if (score.dataType === 'NUMERIC' && score.value !== null) {
    return Number.isInteger(score.value) ? String(score.value) : score.value.toFixed(2).replace(/0$/, '');
  }
  return score.stringValue ?? (score.value === null ? NONE : String(score.value));
}

/** Milliseconds between two ISO times, or null. */
export function durationMs(start: string, end: string | null): number | null {
  if (end === null) return null;
  return Date.parse(end) - Date.parse(start);
}
