/**
 * The collector's access control, assembled from its key store at start: whether it may run open
 * here (and saying so when it does), the authenticator with its rate limit, and the key manager
 * of the admin API, wired so that keys created or revoked through it take effect at once.
 */
import type { Logger } from 'pino';
import type { KeyStore } from './key-store.js';
import { createAuthenticator, type AccessMode } from './authenticator.js';
import { createRateLimiter } from './rate-limiter.js';
import { createProjectAccess, type ProjectAccess } from './project-access.js';
import { createKeyManager, type KeyManager } from './key-manager.js';
import { openModeRefusal, openModeWarning } from './open-mode.js';

export interface AccessControlOptions {
  keys: KeyStore;
  /** The address the collector binds (SPANLITE_HOST). */
  host: string;
  /** SPANLITE_ALLOW_OPEN. */
  allowOpen: boolean;
  /** SPANLITE_KEY_RECHECK_MS. */
  keyRecheckMs: number;
  /** SPANLITE_RATE_LIMIT_PER_MINUTE; 0: no rate limit. */
  rateLimitPerMinute: number;
  logger: Pick<Logger, 'warn' | 'info'>;
}

export interface AccessControl {
  access: ProjectAccess;
  keys: KeyManager;
  /** Whether a key existed at start, so every request needed one from the first. */
  startsKeyed: boolean;
  /** Open until a key exists, keyed from then on (Authenticator.mode). */
  mode(): Promise<AccessMode>;
}

/** @throws Error when no key exists and the collector may not run open on `host`. */
export async function createAccessControl(options: AccessControlOptions): Promise<AccessControl> {
  const { keys, logger } = options;
  const startsKeyed = await keys.hasAnyKey();
  if (!startsKeyed) {
    const refusal = openModeRefusal(options.host, options.allowOpen);
    if (refusal !== null) throw new Error(refusal);
    logger.warn(openModeWarning(options.host));
  }
  const authenticator = createAuthenticator({
    keys,
    recheckMs: options.keyRecheckMs,
    onKeyed: startsKeyed
      ? undefined
      : () => logger.warn('an API key exists now: requests without a valid key are refused from here on'),
  });
  if (startsKeyed) authenticator.keyCreated();
  const rateLimiter = options.rateLimitPerMinute > 0 ? createRateLimiter({ perMinute: options.rateLimitPerMinute }) : undefined;
  return {
    startsKeyed,
    access: createProjectAccess({ authenticator, rateLimiter }),
    keys: createKeyManager({
      keys,
      onCreated: () => authenticator.keyCreated(),
      onRevoked: (keyId) => authenticator.keyRevoked(keyId),
    }),
    mode: () => authenticator.mode(),
  };
}
