/**
 * `spanlite keys create|list|revoke`: key management from a shell on the collector's machine,
 * on the same database file (SPANLITE_DB) whether or not a collector is running on it. A
 * running collector sees a new key on its first request with it, and refuses a revoked one
 * within SPANLITE_KEY_RECHECK_MS (authenticator.ts).
 */
import { parseArgs } from 'node:util';
import { SpanliteError } from '../errors.js';
import { createKeyManager, type ApiKeyView, type CreatedApiKey } from './key-manager.js';
import type { KeyStore } from './key-store.js';

export const KEYS_USAGE = `usage: spanlite keys create --project NAME [--note TEXT] [--json]
       spanlite keys list [--json]
       spanlite keys revoke PUBLIC_KEY

Manages the API keys in the database SPANLITE_DB (default ./data/spanlite.db).
A key's secret is printed once, by create; spanlite keeps only a salted hash of it.`;

export interface KeysCommandIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs the command; resolves with the exit code (0 done, 1 refused, 2 usage). */
export async function runKeysCommand(args: readonly string[], openKeys: () => KeyStore | Promise<KeyStore>, io: KeysCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { project: { type: 'string' }, note: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`spanlite keys: ${(error as Error).message}\n\n${KEYS_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;
  if (values.help === true || action === 'help') {
    io.out(KEYS_USAGE);
    return 0;
  }
  const usageError = (message: string) => {
    io.err(`spanlite keys: ${message}\n\n${KEYS_USAGE}`);
    return 2;
  };
  if (action === 'create' && (values.project === undefined || rest.length > 0)) return usageError('create: expected --project NAME and nothing else');
  if (action === 'list' && rest.length > 0) return usageError('list: takes no arguments');
  if (action === 'revoke' && rest.length !== 1) return usageError('revoke: expected one public key (pk-sl-...)');
  if (action !== 'create' && action !== 'list' && action !== 'revoke') {
    return usageError(action === undefined ? 'expected create, list or revoke' : `unknown action "${action}"`);
  }

  let store: KeyStore;
  try {
    store = await openKeys();
  } catch (error) {
    io.err(`spanlite keys: ${(error as Error).message}`);
    return 1;
  }
  try {
    const keys = createKeyManager({ keys: store });
    if (action === 'create') {
      const created = await keys.create(values.project!, values.note ?? null);
      io.out(values.json === true ? JSON.stringify(created) : describeCreated(created));
      return 0;
    }
    if (action === 'list') {
      const listed = await keys.list();
      io.out(values.json === true ? JSON.stringify({ data: listed }) : describeList(listed));
      return 0;
    }
    const publicKey = rest[0]!;
    const outcome = await keys.revoke(publicKey);
    if (outcome === 'not_found') {
      io.err(`spanlite keys: revoke: no API key has the public key ${JSON.stringify(publicKey)} (see spanlite keys list)`);
      return 1;
    }
    io.out(
      outcome === 'already_revoked'
        ? `${publicKey} was already revoked.`
        : `Revoked ${publicKey}. A running collector refuses it within SPANLITE_KEY_RECHECK_MS (5 s by default).`,
    );
    return 0;
  } catch (error) {
    if (error instanceof SpanliteError && error.code === 'invalid_parameter') {
      io.err(`spanlite keys: ${action}: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await store.close();
  }
}

function describeCreated(created: CreatedApiKey): string {
  return [
    `Created an API key for project "${created.projectId}".`,
    '',
    `  public key: ${created.publicKey}`,
    `  secret key: ${created.secretKey}`,
    '',
    'The secret key is shown only this once: store it now (spanlite keeps only a hash of it).',
    'Send it as Authorization: Basic base64(publicKey:secretKey) (Langfuse SDKs: public and secret key),',
    `Authorization: Bearer <secretKey>, or x-api-key: <secretKey> (OTEL_EXPORTER_OTLP_HEADERS=x-api-key=${created.secretKey}).`,
  ].join('\n');
}

function describeList(keys: readonly ApiKeyView[]): string {
  if (keys.length === 0) return 'No API keys: the collector runs open (create one with spanlite keys create --project NAME).';
  const header = ['PUBLIC KEY', 'PROJECT', 'SECRET', 'CREATED', 'REVOKED', 'NOTE'];
  const rows = keys.map((key) => [
    key.publicKey,
    key.projectId,
    key.secretKeyHint,
    key.createdAt,
    key.revokedAt ?? '-',
    key.note ?? '',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}
