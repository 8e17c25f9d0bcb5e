/**
 * Requests per key per minute, as a token bucket: each key may burst up to a minute's worth, and
 * gets `perMinute / 60` requests back every second. Every authenticated request (ingestion and
 * reads) takes one. Only keys that passed authentication get a bucket, so the map is bounded by
 * the number of keys, whatever a client sends.
 */
import { SpanliteError } from '../errors.js';
import type { AuthenticatedKey } from './authenticator.js';

export interface RateLimiter {
  /** @throws SpanliteError `rateLimited` (429, Retry-After: seconds until a request is free). */
  take(key: AuthenticatedKey): void;
}

export interface RateLimiterOptions {
  /** SPANLITE_RATE_LIMIT_PER_MINUTE: requests per key per minute, and the largest burst. */
  perMinute: number;
  /** Monotonic clock in ms; default performance.now. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  filledAtMs: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { perMinute } = options;
  if (!(perMinute > 0)) throw new RangeError(`perMinute: expected a positive number (got ${perMinute})`);
  const now = options.now ?? (() => performance.now());
  const tokensPerMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  return {
    take(key) {
      const at = now();
      const bucket = buckets.get(key.keyId) ?? { tokens: perMinute, filledAtMs: at };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (at - bucket.filledAtMs) * tokensPerMs);
      bucket.filledAtMs = at;
      buckets.set(key.keyId, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / tokensPerMs / 1000));
      throw new SpanliteError(
        'rateLimited',
        `rate limit: API key ${key.publicKey} has used its ${perMinute} requests per minute ` +
          `(SPANLITE_RATE_LIMIT_PER_MINUTE); retry in ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    },
  };
}
