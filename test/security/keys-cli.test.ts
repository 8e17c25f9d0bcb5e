/**
 * `spanlite keys create|list|revoke` run as a child process (the bundled CLI, as
 * test/helpers/collector-process.ts builds it), on the database of a collector process that is
 * running at the same time; and the collector process refusing to start open on 0.0.0.0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorScript, runSpanlite, startCollectorProcess, type CliRun, type CollectorProcess } from '../helpers/collector-process.js';
import { basicAuth, bearerAuth, callApi } from '../helpers/keyed-collector.js';

let dir: string;
let dbFile: string;

function spanlite(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runSpanlite(args, { SPANLITE_DB: dbFile, ...env });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-cli-'));
  dbFile = join(dir, 'data', 'spanlite.db');
  await collectorScript();
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('spanlite keys', () => {
  let publicKey: string;
  let secretKey: string;

  it('creates a key on a new database and prints its secret once', async () => {
    const run = await spanlite(['keys', 'create', '--project', 'web', '--note', 'frontend']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created an API key for project "web".');
    expect(run.stdout).toContain('shown only this once');
    publicKey = /public key: (pk-sl-[0-9a-f]+)/.exec(run.stdout)![1]!;
    secretKey = /secret key: (sk-sl-[0-9a-f-]+)/.exec(run.stdout)![1]!;
    expect(secretKey).toMatch(/^sk-sl-[0-9a-f]{24}-[0-9a-f]{64}$/);
  });

  it('prints JSON with --json', async () => {
    const run = await spanlite(['keys', 'create', '--project', 'batch', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ projectId: 'batch', publicKey: expect.stringMatching(/^pk-sl-/), secretKey: expect.stringMatching(/^sk-sl-/) });
  });

  it('lists keys without their secrets', async () => {
    const run = await spanlite(['keys', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PUBLIC KEY\s+PROJECT\s+SECRET\s+CREATED\s+REVOKED\s+NOTE/);
    expect(run.stdout).toContain(publicKey);
    expect(run.stdout).toContain(`sk-sl-…${secretKey.slice(-4)}`);
    expect(run.stdout).not.toContain(secretKey.slice(6, -4));
    const json = JSON.parse((await spanlite(['keys', 'list', '--json'])).stdout);
    expect(json.data.map((key: any) => key.projectId)).toEqual(['web', 'batch']);
  });

  it('refuses a bad project name or missing arguments, with usage, exit code 2', async () => {
    const bad = await spanlite(['keys', 'create', '--project', 'no spaces']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^spanlite keys: create: project: expected 1-64 letters/);
    const missing = await spanlite(['keys', 'create']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('usage: spanlite keys create --project NAME');
    expect((await spanlite(['keys', 'rotate'])).stderr).toContain('unknown action "rotate"');
  });

  it('answers exit code 1 for revoking a key that does not exist', async () => {
    const run = await spanlite(['keys', 'revoke', 'pk-sl-missing']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no API key has the public key "pk-sl-missing"');
  });

  describe('with a collector running on the same database', () => {
    let collector: CollectorProcess;
    beforeAll(async () => {
      collector = await startCollectorProcess(dbFile, { SPANLITE_KEY_RECHECK_MS: '300' });
    }, 30_000);
    afterAll(async () => {
      collector.child.kill('SIGTERM');
      await collector.exited;
    });

    it('accepts a key created while it runs at once, and refuses one revoked while it runs within SPANLITE_KEY_RECHECK_MS', async () => {
      expect((await callApi(collector.url, 'GET', '/api/public/traces', {})).status).toBe(401);
      expect((await callApi(collector.url, 'GET', '/api/public/traces', basicAuth({ projectId: 'web', publicKey, secretKey }))).status).toBe(200);

      const created = JSON.parse((await spanlite(['keys', 'create', '--project', 'late', '--json'])).stdout);
      expect((await callApi(collector.url, 'GET', '/api/public/traces', bearerAuth(created))).status).toBe(200);

      const revoked = await spanlite(['keys', 'revoke', created.publicKey]);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain(`Revoked ${created.publicKey}.`);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const refused = await callApi(collector.url, 'GET', '/api/public/traces', bearerAuth(created));
      expect(refused.status).toBe(401);
      expect(refused.body.message).toMatch(/revoked at/);
      expect((await spanlite(['keys', 'revoke', created.publicKey])).stdout).toContain('was already revoked');
    });
  });
});

describe('spanlite start', () => {
  it('warns that it runs open on 127.0.0.1 with no key', async () => {
    const emptyDb = join(dir, 'open', 'spanlite.db');
    const collector = await startCollectorProcess(emptyDb);
    try {
      expect(collector.logs.join('\n')).toMatch(/"level":40.*running OPEN on 127\.0\.0\.1: no API key exists/);
    } finally {
      collector.child.kill('SIGTERM');
      await collector.exited;
    }
  });

  it('refuses to start open on 0.0.0.0, exit code 1, saying how to fix it', async () => {
    const emptyDb = join(dir, 'exposed', 'spanlite.db');
    await expect(startCollectorProcess(emptyDb, { SPANLITE_HOST: '0.0.0.0' })).rejects.toThrow(
      /exited during start-up \(1\)[\s\S]*refusing to run open on 0\.0\.0\.0[\s\S]*SPANLITE_ALLOW_OPEN=1/,
    );
  });
});
