/**
 * Running open (no key was ever created, so no request needs one) is safe only where nobody else
 * can connect. Bound to a loopback address it is the local default, said at start; bound to any
 * other address it is refused unless SPANLITE_ALLOW_OPEN=1 says it is meant (e.g. behind a proxy
 * that authenticates).
 */
import { isIP } from 'node:net';

/**
 * Whether `host` only accepts connections from this machine: `localhost`, 127.0.0.0/8, ::1 (and
 * ::ffff:127.x). Any other name counts as reachable from elsewhere, even if it resolves to loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const address = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (address === 'localhost') return true;
  if (isIP(address) === 4) return address.startsWith('127.');
  if (isIP(address) === 6) {
    if (address === '::1' || address === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
    return mapped !== null && mapped[1]!.startsWith('127.');
  }
  return false;
}

/** Why the collector must not start open on `host`, or null when it may. */
export function openModeRefusal(host: string, allowOpen: boolean): string | null {
  if (allowOpen || isLoopbackHost(host)) return null;
  return (
    `refusing to run open on ${host}: no API key exists, so anyone who can reach this address could read ` +
    'and write every trace. Create a key first (spanlite keys create --project NAME, with the same SPANLITE_DB), ' +
    'bind to 127.0.0.1 (SPANLITE_HOST), or set SPANLITE_ALLOW_OPEN=1 to run open anyway (e.g. behind a proxy that authenticates)'
  );
}

export function openModeWarning(host: string): string {
  return (
    `running OPEN on ${host}: no API key exists, so every request is accepted and stored in project "default". ` +
    'Create a key (spanlite keys create --project NAME) to require keys; from then on requests without a valid key are refused'
  );
}
