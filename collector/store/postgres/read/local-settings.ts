/**
 * Settings for one statement of a read: changed for the caller's transaction (SET LOCAL) and
 * restored after it, so that a statement whose plan the planner's estimates would get wrong is
 * steered without touching the server's or the session's settings.
 */
import type { PoolClient } from 'pg';

/** Runs `run` with `settings` (name -> value, both from this code, never from a request) in force. */
export async function withLocalSettings<T>(client: PoolClient, settings: Readonly<Record<string, string>>, run: () => Promise<T>): Promise<T> {
  const names = Object.keys(settings);
  await client.query(names.map((name) => `SET LOCAL ${name} = '${settings[name]}'`).join('; '));
  try {
    return await run();
  } finally {
    await client.query(names.map((name) => `RESET ${name}`).join('; '));
  }
}
