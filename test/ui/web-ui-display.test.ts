/**
 * How the web UI shows what is easy to get wrong, in a real browser (Debian's Chromium) against a
 * collector holding traces sent over OTLP: durations of hours and days, a cost that is not known
 * (the em dash everywhere, never $0), session turns marked with their error and scores, the
 * dashboard's first and last bars drawn whole and its charts kept while another period loads,
 * the UI's own page for an unknown address, and model names on one line.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import type { TestCollector } from '../helpers/collector.js';
import { sendTraces } from '../query/trace-builder.js';
import { closeSharedBrowser, describeInBrowser, openUiSuite } from './browser.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNPRICED_MODEL = 'acme-unpriced-1';
const SESSION = 'long-42';
/** The dashboard's first chart's bars: SERIES_COLOURS[0] of ui/src/components/chart.tsx. */
const BAR_RGB = [0x3b, 0x82, 0xf6];

afterAll(closeSharedBrowser);

describeInBrowser('web UI display', () => {
  const suite = openUiSuite();
  let collector: TestCollector;
  let page: Page;
  let turnIds: string[];

  beforeAll(async () => {
    ({ collector, page } = suite);
    const now = Date.now();
    const today = Math.floor(now / DAY) * DAY;
    const firstTurn = now - 3 * HOUR - 10 * MINUTE;
    turnIds = await sendTraces(collector.tracesEndpoint, [
      {
        name: 'support-chat',
        startMs: firstTurn,
        sessionId: SESSION,
        userId: 'erin',
        generations: [{ model: 'gpt-4o-mini', inputTokens: 400, outputTokens: 90 }],
        scores: [{ name: 'helpfulness', value: 0.3 }],
      },
      {
        name: 'support-chat',
        startMs: firstTurn + 3 * HOUR,
        sessionId: SESSION,
        userId: 'erin',
        generations: [{ model: UNPRICED_MODEL, inputTokens: 700, outputTokens: 120 }],
        error: 'the ticket tool crashed',
      },
      { name: 'nightly-batch', startMs: now - 2 * DAY - 5 * HOUR, durationMs: 2 * DAY + 4 * HOUR, userId: 'cron' },
      // The dashboard's 7-day period: its first day, a day between, and today.
      { name: 'first-day', startMs: today - 6 * DAY + 12 * HOUR },
      { name: 'between', startMs: today - 3 * DAY + 12 * HOUR },
      { name: 'today', startMs: Math.max(today, now - MINUTE) },
    ]);
  }, 60_000);

  const open = (path: string) => page.goto(collector.url + path);
  const traceRow = (id: string) => page.locator(`tr[data-trace-id="${id}"]`);
  /** The text of the `column`th cell (from 0) of the sessions list's row for `sessionId`. */
  const sessionCell = (sessionId: string, column: number) =>
    page.locator('tr', { has: page.getByRole('link', { name: sessionId }) }).locator('td').nth(column).textContent();

  it('shows a three-hour session as 3h 00m and a trace of two days and four hours as 2d 4h', async () => {
    await open('/sessions');
    await expect.poll(() => sessionCell(SESSION, 4)).toBe('3h 00m');
    await open('/');
    const batch = page.locator('tr', { has: page.getByRole('link', { name: 'nightly-batch' }) });
    await expect.poll(() => batch.locator('td').nth(6).textContent()).toBe('2d 4h');
  });

  it('shows an unknown cost as — in the traces list and in the dashboard, never $0', async () => {
    await open('/');
    await expect.poll(() => traceRow(turnIds[1]!).locator('td').nth(8).textContent()).toBe('—');
    expect(await traceRow(turnIds[0]!).locator('td').nth(8).textContent()).toMatch(/^\$0\.0\d+$/);

    await open('/dashboard');
    const byModel = (model: string) => page.locator('section', { has: page.getByRole('heading', { name: 'By model' }) }).locator('tr', { hasText: model });
    await expect.poll(() => byModel(UNPRICED_MODEL).locator('td').last().textContent()).toBe('—');
    expect(await byModel('gpt-4o-mini').locator('td').last().textContent()).toMatch(/^\$0\.0\d+$/);
  });

  it('marks the turns of a replayed session with their error and their scores', async () => {
    await open(`/sessions/${SESSION}`);
    const turns = page.locator('.turn');
    await expect.poll(() => turns.count()).toBe(2);
    await expect.poll(() => turns.nth(0).locator('.score-chip').textContent()).toBe('helpfulness0.3');
    expect(await turns.nth(0).locator('.level-badge').count()).toBe(0);
    expect(await turns.nth(1).locator('.level-badge.level-error').textContent()).toBe('error');
    expect(await turns.nth(1).locator('.score-chip').count()).toBe(0);
  });

  /** Widths in pixels of the runs of bar colour along a row just above the first chart's x axis. */
  const firstChartBarWidths = () =>
    page.evaluate<number[]>(`(() => {
      const [r, g, b] = ${JSON.stringify(BAR_RGB)};
      const chart = document.querySelector('.chart');
      const canvas = chart.querySelector('canvas');
      const plot = chart.querySelector('.u-over').getBoundingClientRect();
      const box = canvas.getBoundingClientRect();
      const scale = canvas.width / box.width;
      const y = Math.round((plot.bottom - box.top - 2) * scale);
      const left = Math.round((plot.left - box.left) * scale);
      const width = Math.round(plot.width * scale);
      const pixels = canvas.getContext('2d').getImageData(left, y, width, 1).data;
      const widths = [];
      let run = 0;
      for (let x = 0; x <= width; x++) {
        const i = x * 4;
        const bar = x < width && Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 40;
        if (bar) run++;
        else if (run > 0) {
          widths.push(run);
          run = 0;
        }
      }
      return widths;
    })()`);

  it('draws the first and last day of the dashboard whole, as wide as the days between', async () => {
    await open('/dashboard');
    await page.getByRole('button', { name: '7 days' }).click();
    await expect.poll(() => page.locator('.chart canvas').count()).toBe(4);
    await expect.poll(async () => (await firstChartBarWidths()).length).toBeGreaterThanOrEqual(3);
    const widths = await firstChartBarWidths();
    expect(widths.length).toBeLessThanOrEqual(7);
    expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(2);
  });

  it('keeps the charts while another period loads, then shows it', async () => {
    await open('/dashboard?fromTimestamp=' + encodeURIComponent(new Date(Math.floor(Date.now() / DAY) * DAY - 6 * DAY).toISOString()));
    await expect.poll(() => page.locator('.chart canvas').count()).toBe(4);
    const isMetrics = (url: URL) => url.pathname === '/api/public/metrics/daily';
    const held = new Promise<Route>((resolve) => void page.route(isMetrics, resolve));
    await page.getByRole('button', { name: '30 days' }).click();
    const route = await held;
    expect(await page.locator('.chart canvas').count()).toBe(4);
    expect(await page.locator('.dashboard-body').getAttribute('aria-busy')).toBe('true');
    expect(await page.getByRole('status').count()).toBe(0);
    await route.continue();
    await expect.poll(() => page.locator('.dashboard-body').getAttribute('aria-busy')).toBe(null);
    expect(await page.getByRole('button', { name: '30 days' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.chart canvas').count()).toBe(4);
    await page.unroute(isMetrics);
  });

  it("answers an unknown address with the UI's not-found page, and an unknown API path with JSON", async () => {
    const response = await open('/no/such/page');
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { name: 'No such page' }).waitFor();
    await page.getByRole('link', { name: 'Go to the traces' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');

    const api = await fetch(`${collector.url}/api/public/no-such-thing`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: 'not_found' });
  });

  it('keeps every model name on /models on one line', async () => {
    await open('/models');
    await expect.poll(() => page.locator('.models-table tbody tr').count()).toBeGreaterThan(20);
    const wrapped = await page.evaluate<string[]>(`[...document.querySelectorAll('.models-table tbody tr td:first-child strong')]
      .filter((name) => name.getClientRects().length > 1)
      .map((name) => name.textContent)`);
    expect(wrapped).toEqual([]);
  });
});
