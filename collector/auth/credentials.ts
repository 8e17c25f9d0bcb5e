/**
 * Credentials as clients send them, read from request headers (HTTP) or call metadata (gRPC):
 *
 * - `Authorization: Basic base64(publicKey:secretKey)`: what the Langfuse SDKs send;
 * - `Authorization: Bearer <secretKey>`: OTel exporters configured through headers;
 * - `x-api-key: <secretKey>`: the same, for clients that cannot set Authorization.
 *
 * Authorization wins when both are sent. Nothing here checks a key; authenticator.ts does.
 */
import { SpanliteError } from '../errors.js';

/** A header's (first) value by lower-case name; undefined when absent. */
export type HeaderLookup = (name: string) => string | undefined;

export type PresentedCredentials =
  | { scheme: 'basic'; publicKey: string; secretKey: string }
  | { scheme: 'bearer' | 'x-api-key'; secretKey: string };

export const HOW_TO_AUTHENTICATE =
  'send Authorization: Basic base64(publicKey:secretKey), Authorization: Bearer <secretKey> or x-api-key: <secretKey>';

/** @throws SpanliteError `unauthenticated` when there are none, or they are malformed. */
export function readCredentials(header: HeaderLookup): PresentedCredentials {
  const authorization = header('authorization')?.trim();
  if (authorization !== undefined && authorization !== '') return fromAuthorization(authorization);
  const apiKey = header('x-api-key')?.trim();
  if (apiKey !== undefined && apiKey !== '') return { scheme: 'x-api-key', secretKey: apiKey };
  throw new SpanliteError('unauthenticated', `missing credentials: this collector requires an API key; ${HOW_TO_AUTHENTICATE}`);
}

function fromAuthorization(value: string): PresentedCredentials {
  const space = value.indexOf(' ');
  const scheme = (space === -1 ? value : value.slice(0, space)).toLowerCase();
  const rest = space === -1 ? '' : value.slice(space + 1).trim();
  if (scheme === 'bearer') {
    if (rest === '') throw new SpanliteError('unauthenticated', 'Authorization: Bearer needs a secret key after it');
    return { scheme: 'bearer', secretKey: rest };
  }
  if (scheme === 'basic') return fromBasic(rest);
  const shown = JSON.stringify(value.slice(0, space === -1 ? 16 : Math.min(space, 16)));
  throw new SpanliteError('unauthenticated', `Authorization: expected the Basic or Bearer scheme (got ${shown}); ${HOW_TO_AUTHENTICATE}`);
}

function fromBasic(encoded: string): PresentedCredentials {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const publicKey = colon === -1 ? '' : decoded.slice(0, colon);
  const secretKey = colon === -1 ? '' : decoded.slice(colon + 1);
  if (publicKey === '' || secretKey === '') {
    throw new SpanliteError(
      'unauthenticated',
      'Authorization: Basic expected base64 of publicKey:secretKey (user name: the public key, password: the secret key)',
    );
  }
  return { scheme: 'basic', publicKey, secretKey };
}
