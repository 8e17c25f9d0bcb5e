/**
 * `spanlite start` says which prices it uses: the model catalog package and its version, how
 * many models from how many providers, and the pricing file tried before it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollectorProcess } from '../../helpers/collector-process.js';
import { loadModelCatalog } from '../../../collector/pricing/genai-prices.js';

const dir = mkdtempSync(join(tmpdir(), 'spanlite-catalog-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spanlite start', () => {
  it('logs the model catalog with its version, and the pricing file', async () => {
    const { version, providers } = await loadModelCatalog();
    const pricingFile = join(dir, 'prices.json');
    writeFileSync(pricingFile, JSON.stringify({ models: [{ id: 'acme', modelName: 'acme', matchPattern: 'acme', prices: { input: 1e-6, output: 1e-6 } }] }));
    const running = await startCollectorProcess(join(dir, 'spanlite.db'), { SPANLITE_PRICING_FILE: pricingFile });
    try {
      const line = running.logs.map((text) => JSON.parse(text) as { msg: string; catalog?: unknown }).find((entry) => entry.msg.startsWith('Model prices: '));
      const models = providers.reduce((sum, provider) => sum + provider.models.length, 0);
      expect(line).toMatchObject({
        msg: `Model prices: @pydantic/genai-prices ${version.version} (${models} models from ${providers.length} providers), after 1 from ${pricingFile}`,
        catalog: { package: '@pydantic/genai-prices', version: version.version },
      });
    } finally {
      running.child.kill('SIGTERM');
      await running.exited;
    }
  });
});
