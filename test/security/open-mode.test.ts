/**
 * Open mode: with no key ever created, every request is accepted into project "default" (keys
 * sent anyway are ignored, as the Langfuse SDKs always send some); only on a loopback address
 * unless SPANLITE_ALLOW_OPEN says otherwise; and keyed as soon as a key exists.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCollector } from '../helpers/collector.js';
import { basicAuth, callApi, createKeys, startKeyedCollector } from '../helpers/keyed-collector.js';
import { isLoopbackHost } from '../../collector/auth/open-mode.js';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'])('counts %s as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '10.0.0.5', '192.168.1.10', 'example.com', 'my-host', '128.0.0.1', '::ffff:10.0.0.1'])(
    'counts %s as reachable from elsewhere',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

describe('starting with no key', () => {
  it('refuses to start open on a non-loopback address, saying how to fix it', async () => {
    await expect(startTestCollector({ host: '0.0.0.0' })).rejects.toThrow(
      /^refusing to run open on 0\.0\.0\.0: no API key exists.*spanlite keys create --project NAME.*SPANLITE_HOST.*SPANLITE_ALLOW_OPEN=1/,
    );
  });

  it('starts open on a non-loopback address when SPANLITE_ALLOW_OPEN is set', async () => {
    const collector = await startTestCollector({ host: '0.0.0.0', allowOpen: true });
    try {
      const url = collector.url.replace('0.0.0.0', '127.0.0.1');
      expect((await callApi(url, 'GET', '/api/public/traces', {})).status).toBe(200);
    } finally {
      await collector.close();
    }
  });

  it('starts on a non-loopback address once a key exists, and requires it', async () => {
    const keyed = await startKeyedCollector(['edge'], { host: '0.0.0.0' });
    try {
      const url = keyed.collector.url.replace('0.0.0.0', '127.0.0.1');
      expect((await callApi(url, 'GET', '/api/public/traces', {})).status).toBe(401);
      expect((await callApi(url, 'GET', '/api/public/traces', basicAuth(keyed.keys.edge!))).status).toBe(200);
    } finally {
      await keyed.close();
    }
  });
});

describe('running open on loopback', () => {
  it('accepts requests without keys, ignores keys sent anyway, and requires keys once another process created one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanlite-open-'));
    const dbFile = join(dir, 'spanlite.db');
    const collector = await startTestCollector({ dbFile, keyRecheckMs: 100 });
    try {
      expect((await callApi(collector.url, 'GET', '/api/public/traces', {})).status).toBe(200);
      const langfuseStyle = { authorization: `Basic ${Buffer.from('pk-lf-123:sk-lf-456').toString('base64')}` };
      expect((await callApi(collector.url, 'GET', '/api/public/traces', langfuseStyle)).status).toBe(200);

      const { late } = await createKeys(dbFile, ['late']);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await callApi(collector.url, 'GET', '/api/public/traces', {})).status).toBe(401);
      expect((await callApi(collector.url, 'GET', '/api/public/traces', basicAuth(late!))).status).toBe(200);
    } finally {
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
