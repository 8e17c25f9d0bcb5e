/**
 * The README's examples work as pasted: its curl block, run by the shell against a collector on
 * an ephemeral port, stores a priced trace dated now; and its app snippet, saved as `app.mjs` in
 * an app that installed the `npm pack` tarball of this repository, runs with
 * `node --import spanlite/register` and sends its trace.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { collectorPerSuite } from '../helpers/collector.js';
import { REPO } from '../helpers/installed-app.js';

const run = promisify(execFile);
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const DEFAULT_ADDRESS = 'http://127.0.0.1:4318';

/** The first fenced block of `language` in the README section titled `heading`. */
function codeBlock(heading: string, language: string): string {
  const section = README.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  if (section === undefined) throw new Error(`README: no section "## ${heading}"`);
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section);
  if (block === null) throw new Error(`README: no \`\`\`${language} block in "## ${heading}"`);
  return block[1]!;
}

describe('the README', () => {
  const collector = collectorPerSuite();
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('curl example stores a trace dated now, priced, found by its user', async () => {
    const script = codeBlock('Try it with curl', 'sh').replaceAll(DEFAULT_ADDRESS, collector.url);
    const before = Date.now();

    const { stdout } = await run('sh', ['-c', script]);

    expect(stdout.startsWith('{}')).toBe(true);
    const listed = await collector.getJson('/api/public/traces?userId=user_123');
    expect(listed.data).toHaveLength(1);
    const trace = listed.data[0];
    expect(trace.id).toBe('5b8efff798038103d269b633813fc60c');
    expect(trace.totalCost).toBeCloseTo(120 * 0.15e-6 + 40 * 0.6e-6, 12);
    // Dated by the shell's clock when it ran, to the second.
    expect(Date.parse(trace.timestamp)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(Date.parse(trace.timestamp)).toBeLessThanOrEqual(Date.now());
  });

  it("app snippet runs with node --import spanlite/register in an app that installed the npm pack tarball", async () => {
    if (!existsSync(join(REPO, 'dist/instrumentation/register.js'))) {
      throw new Error('dist/ is not built: run `npm run build` (npm install does) before this test');
    }
    const packDir = tempDir('spanlite-pack-');
    // The package as published: compiled JavaScript from dist/, nothing built on install.
    const packed = JSON.parse((await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: REPO })).stdout);
    const files: string[] = packed[0].files.map((file: { path: string }) => file.path);
    expect(files).toEqual(expect.arrayContaining(['dist/instrumentation/register.js', 'dist/collector/cli.js']));
    expect(files.filter((file) => /^(test|bench|collector|instrumentation)\/|\.ts$|tsbuildinfo/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);

    const appDir = tempDir('spanlite-app-');
    writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'your-app', private: true, type: 'module' }));
    // From npm's cache (filled by this repo's install); better-sqlite3's native build is the
    // collector's and is skipped: the app only imports the instrumentation.
    await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(packDir, packed[0].filename)], {
      cwd: appDir,
    });
    writeFileSync(join(appDir, 'app.mjs'), codeBlock('Instrument your app', 'js'));

    const { stdout } = await run(process.execPath, ['--import', 'spanlite/register', 'app.mjs'], {
      cwd: appDir,
      env: { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url },
    });

    expect(stdout.trim()).toBe('You asked: How do I reset my password?');
    const listed = await collector.getJson('/api/public/traces?sessionId=session_abc');
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({ name: 'support-query', userId: 'user_123', tags: ['demo'] });
    const trace = await collector.getJson(`/api/public/traces/${listed.data[0].id}`);
    const generation = trace.observations.find((observation: { name: string }) => observation.name === 'llm-answer');
    expect(generation).toMatchObject({ type: 'GENERATION', model: 'gpt-4o-mini' });
    expect(generation.calculatedTotalCost).toBeCloseTo(120 * 0.15e-6 + 40 * 0.6e-6, 12);
  }, 120_000);
});
