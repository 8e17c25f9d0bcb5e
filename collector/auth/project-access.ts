/**
 * Which project a request (HTTP) or call (gRPC) reads and writes: the project of its key, after
 * the key's rate limit; or, while the collector runs open, the default project whatever is sent
 * (the Langfuse SDKs always send some keys). Both transports go through here, so they accept
 * and refuse the same credentials.
 */
import { DEFAULT_PROJECT_ID } from './project-id.js';
import { readCredentials, type HeaderLookup } from './credentials.js';
import type { Authenticator } from './authenticator.js';
import type { RateLimiter } from './rate-limiter.js';

export interface ProjectAccess {
  /** @throws SpanliteError `unauthenticated` or `rateLimited`. */
  projectOf(header: HeaderLookup): Promise<string>;
}

export interface ProjectAccessOptions {
  authenticator: Authenticator;
  /** None: no rate limit. */
  rateLimiter?: RateLimiter;
}

export function createProjectAccess(options: ProjectAccessOptions): ProjectAccess {
  const { authenticator, rateLimiter } = options;
  return {
    async projectOf(header) {
      if ((await authenticator.mode()) === 'open') return DEFAULT_PROJECT_ID;
      const key = await authenticator.authenticate(readCredentials(header));
      rateLimiter?.take(key);
      return key.projectId;
    },
  };
}

