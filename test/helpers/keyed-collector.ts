/**
 * A real collector that requires keys: keys are created for each project on the database file
 * first (as `spanlite keys create` does), then the collector starts on it, keyed from the start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectorConfig } from '../../config/collector-config.js';
import { openSqliteKeyStore } from '../../collector/store/sqlite/keys.js';
import { createKeyManager } from '../../collector/auth/key-manager.js';
import { startTestCollector, type TestCollector } from './collector.js';

export interface ProjectKey {
  projectId: string;
  publicKey: string;
  secretKey: string;
}

export interface KeyedCollector {
  collector: TestCollector;
  dbFile: string;
  /** One key per project, by project id. */
  keys: Record<string, ProjectKey>;
  close(): Promise<void>;
}

/** Creates a key for each project on `dbFile`, with its own connection, and closes it. */
export async function createKeys(dbFile: string, projects: readonly string[]): Promise<Record<string, ProjectKey>> {
  const store = openSqliteKeyStore({ file: dbFile });
  try {
    const manager = createKeyManager({ keys: store });
    const keys: Record<string, ProjectKey> = {};
    for (const projectId of projects) {
      const { publicKey, secretKey } = await manager.create(projectId, `test key for ${projectId}`);
      keys[projectId] = { projectId, publicKey, secretKey };
    }
    return keys;
  } finally {
    await store.close();
  }
}

export async function startKeyedCollector(
  projects: readonly string[],
  overrides: Partial<CollectorConfig> = {},
): Promise<KeyedCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'spanlite-keyed-'));
  const dbFile = join(dir, 'spanlite.db');
  const keys = await createKeys(dbFile, projects);
  const collector = await startTestCollector({ dbFile, ...overrides });
  return {
    collector,
    dbFile,
    keys,
    async close() {
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `Authorization: Basic base64(public:secret)`, as the Langfuse SDKs send it. */
export function basicAuth(key: ProjectKey): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${key.publicKey}:${key.secretKey}`).toString('base64')}` };
}

export function bearerAuth(key: ProjectKey): Record<string, string> {
  return { authorization: `Bearer ${key.secretKey}` };
}

export function apiKeyAuth(key: ProjectKey): Record<string, string> {
  return { 'x-api-key': key.secretKey };
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** One REST request with `headers`; the body parsed as JSON (null for an empty one). */
export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<ApiAnswer> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
}
