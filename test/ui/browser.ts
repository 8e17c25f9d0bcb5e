/**
 * The browser the UI tests drive: Debian's Chromium (`apt-get install chromium`) through
 * playwright-core, never a downloaded one. Playwright gives each launch a fresh temporary
 * profile (its own --user-data-dir). The background-networking flags keep Chromium from
 * calling out to Google (there is no network).
 *
 * Without Chromium the suites fail with a clear message in CI (CI=true) and are skipped
 * locally with the reason printed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';

export const CHROMIUM = process.env.SPANLITE_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where `npm run screenshots` writes the README's screenshots. */
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

export const chromiumMissing: string | null = existsSync(CHROMIUM)
  ? null
  : `Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set SPANLITE_CHROMIUM to its path)`;

/** A describe that needs the browser: skipped locally without it, failing in CI. */
export function describeInBrowser(name: string, body: () => void): void {
  if (chromiumMissing === null) {
    describe(name, { timeout: 30_000 }, body);
  } else if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(chromiumMissing ?? '');
      });
    });
  } else {
    console.warn(`[web UI tests] skipped "${name}": ${chromiumMissing}`);
    describe.skip(`${name} (skipped: ${chromiumMissing})`, body);
  }
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 30_000 });
}

let shared: Promise<Browser> | undefined;

/** One browser for a test file's suites (a launch takes a second or two); close it in afterAll. */
export function sharedBrowser(): Promise<Browser> {
  shared ??= launchChromium();
  return shared;
}

export async function closeSharedBrowser(): Promise<void> {
  const browser = shared;
  shared = undefined;
  if (browser !== undefined) await (await browser).close();
}

const pageErrors = new WeakMap<Page, string[]>();

/** A page at a desktop size, in UTC, recording uncaught errors in the page (see pageErrorsOf). */
export async function openPage(browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
  return page;
}

/** Uncaught errors the page threw so far. */
export function pageErrorsOf(page: Page): readonly string[] {
  return pageErrors.get(page) ?? [];
}

/**
 * The UI bundle the collector serves (dist/ui), rebuilt when a UI source is newer, so the
 * tests never check a stale build. A lock folder keeps parallel test files from building at
 * once.
 */
export function ensureUiBuilt(): void {
  if (!uiBuildStale()) return;
  const lock = join(ROOT, 'dist', '.ui-build-lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (!uiBuildStale()) return;
      if (Date.now() > deadline || Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (uiBuildStale()) execFileSync(process.execPath, [join(ROOT, 'ui', 'build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function uiBuildStale(): boolean {
  const built = join(ROOT, 'dist', 'ui', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newest = (path: string): number => {
    const stats = statSync(path);
    if (!stats.isDirectory()) return stats.mtimeMs;
    return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
  };
  return newest(join(ROOT, 'ui')) > builtAt;
}

/**
 * Saves the page as the README's screenshot `name` (docs/screenshots/NAME.png), only under
 * `npm run screenshots` (SPANLITE_SCREENSHOTS=1): `npm test` leaves the working tree as it was.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.SPANLITE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export interface UiSuite {
  collector: TestCollector;
  browser: Browser;
  /** A page of the shared browser at desktop size (openPage). */
  page: Page;
}

/**
 * For the body of a describeInBrowser: before its tests, the UI built, a collector (no gRPC) and a
 * page of the shared browser; after each test, no uncaught error in the page; after all, both
 * closed. The fields are set once the suite's first beforeAll has run.
 */
export function openUiSuite(): UiSuite {
  const suite = {} as UiSuite;
  beforeAll(async () => {
    ensureUiBuilt();
    [suite.collector, suite.browser] = await Promise.all([startTestCollector({ grpcPort: null }), sharedBrowser()]);
    suite.page = await openPage(suite.browser);
  }, 60_000);
  afterAll(async () => {
    // The page's connections first: a collector's close waits for the requests it has begun.
    await suite.page?.context().close();
    await suite.collector?.close();
  }, 30_000);
  afterEach(() => {
    expect(pageErrorsOf(suite.page)).toEqual([]);
  });
  return suite;
}
