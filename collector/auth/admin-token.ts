/**
 * The admin token (SPANLITE_ADMIN_TOKEN) as a request presents it, `Authorization: Bearer
 * <token>`, compared in constant time. It guards the admin API and, once keys exist, /metrics.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SpanliteError } from '../errors.js';

/**
 * @param guarded what the token opens, for messages (`admin API`, `/metrics`)
 * @throws SpanliteError `unauthenticated` (with a Bearer challenge) when the request does not carry `adminToken`.
 */
export function requireAdminToken(request: FastifyRequest, reply: FastifyReply, adminToken: string, guarded: string): void {
  const presented = bearerToken(request.headers.authorization);
  if (presented !== null && sameSecret(presented, adminToken)) return;
  reply.header('www-authenticate', 'Bearer realm="spanlite-admin"');
  throw new SpanliteError(
    'unauthenticated',
    presented === null
      ? `${guarded}: expected Authorization: Bearer <SPANLITE_ADMIN_TOKEN>`
      : `${guarded}: the bearer token is not the admin token (SPANLITE_ADMIN_TOKEN)`,
  );
}

function bearerToken(authorization: string | undefined): string | null {
  const match = /^bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  return match === null ? null : match[1]!.trim();
}

/** Equal digests of equal length, compared in constant time: neither content nor length leaks. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
