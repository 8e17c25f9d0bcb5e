/**
 * The web UI in a real browser (Debian's Chromium through playwright-core) against a collector
 * on an ephemeral port, holding traces sent over OTLP by the real exporter: the list and its
 * filters, full-text search, the trace tree and detail, keyboard navigation, sessions, users,
 * scores, models, the dashboard, errors, and the API-key form. Under `npm run screenshots` it
 * also writes the README's screenshots.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { SEED } from '../helpers/seed-scenario.js';
import { sendTraces } from '../query/trace-builder.js';
import {
  closeSharedBrowser,
  describeInBrowser,
  ensureUiBuilt,
  openPage,
  openUiSuite,
  pageErrorsOf,
  saveScreenshot,
  SCREENSHOTS,
  sharedBrowser,
} from './browser.js';
import { AGENT, CHAT, CHINESE, FAILING, sendUiScenario, type UiScenario } from './ui-scenario.js';

const TOTAL_TRACES = 37;

const README_SCREENSHOTS = ['dashboard.png', 'session.png', 'trace-detail.png', 'traces.png'];

/** `name mtime` of each README screenshot there is. */
function screenshotTimes(): string[] {
  return README_SCREENSHOTS.filter((name) => existsSync(join(SCREENSHOTS, name))).map(
    (name) => `${name} ${statSync(join(SCREENSHOTS, name)).mtimeMs}`,
  );
}

afterAll(closeSharedBrowser);

describeInBrowser('web UI', () => {
  const suite = openUiSuite();
  let collector: TestCollector;
  let scenario: UiScenario;
  let browser: Browser;
  let page: Page;
  let screenshotsBefore: string[];

  beforeAll(async () => {
    ({ collector, browser, page } = suite);
    screenshotsBefore = screenshotTimes();
    scenario = await sendUiScenario(collector.tracesEndpoint);
  }, 60_000);

  const open = async (path: string) => {
    await page.goto(collector.url + path);
  };
  /** Trace ids in the table, in order; none while loading or when empty. */
  const shownTraceIds = () =>
    page.evaluate<string[] | null>(`document.querySelector('.loading') !== null
      ? null
      : [...document.querySelectorAll('.traces-table tbody tr')].map((row) => row.dataset.traceId)`);
  /** The API's answer for the page's own query string: what the list must show. */
  const apiTraceIds = async (search: string) => {
    const params = new URLSearchParams(search);
    params.set('limit', '1000');
    const body = await collector.getJson(`/api/public/traces?${params}`);
    return (body.data as Array<{ id: string }>).map((trace) => trace.id);
  };
  const urlParams = () => new URL(page.url()).searchParams;
  /** The REST API paths the page requests from now until `stop()`. */
  const recordApiRequests = () => {
    const paths: string[] = [];
    const record = (request: { url(): string }) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/')) paths.push(pathname);
    };
    page.on('request', record);
    return { paths, stop: () => page.off('request', record) };
  };

  it('lists the traces sent over OTLP, newest first, with their scores and error markers', async () => {
    const apiRequests = recordApiRequests();
    await open('/');
    await expect.poll(async () => (await shownTraceIds())?.length).toBe(TOTAL_TRACES);
    expect(await shownTraceIds()).toEqual(await apiTraceIds(''));
    expect(await page.locator('.page-head .count').textContent()).toBe(`${TOTAL_TRACES} traces`);

    const seedRow = page.locator(`tr[data-trace-id="${scenario.seedTraceId}"]`);
    await expect.poll(() => seedRow.locator('.score-chip').textContent()).toBe('helpfulness0.92');
    expect(await seedRow.locator('.name-cell').textContent()).toBe(SEED.traceName);
    expect(await seedRow.textContent()).toContain(SEED.userId);
    expect(await seedRow.textContent()).toContain('$0.000042');
    const failingRow = page.locator(`tr[data-trace-id="${scenario.failingTraceId}"]`);
    await expect.poll(() => failingRow.locator('.level-dot.level-error').count()).toBe(1);
    expect(await seedRow.locator('.level-dot').count()).toBe(0);
    // scores and levels come with the list: one request, none per row or per level
    apiRequests.stop();
    expect(apiRequests.paths).toEqual(['/api/public/traces']);
    await saveScreenshot(page, 'traces');
  });

  const FILTER_CASES: Array<{ param: string; set(page: Page): Promise<void>; url: string[] }> = [
    { param: 'name', set: (p) => p.getByLabel('Name', { exact: true }).fill('chat-turn'), url: ['chat-turn'] },
    { param: 'userId', set: (p) => p.getByLabel('User', { exact: true }).fill(CHAT.userId), url: [CHAT.userId] },
    { param: 'sessionId', set: (p) => p.getByLabel('Session', { exact: true }).fill(CHAT.sessionId), url: [CHAT.sessionId] },
    { param: 'model', set: (p) => p.getByLabel('Model', { exact: true }).fill(AGENT.model), url: [AGENT.model] },
    { param: 'tags', set: (p) => p.getByLabel('Tags', { exact: true }).fill('batch, zh'), url: ['batch', 'zh'] },
    { param: 'environment', set: (p) => p.getByLabel('Environment', { exact: true }).fill('staging'), url: ['staging'] },
    { param: 'level', set: (p) => p.locator('select[name="level"]').selectOption('ERROR').then(() => undefined), url: ['ERROR'] },
    { param: 'minLatencyMs', set: (p) => p.getByLabel('Min latency (ms)').fill('5000'), url: ['5000'] },
    { param: 'maxLatencyMs', set: (p) => p.getByLabel('Max latency (ms)').fill('1000'), url: ['1000'] },
    { param: 'minCost', set: (p) => p.getByLabel('Min cost ($)').fill('0.01'), url: ['0.01'] },
    { param: 'maxCost', set: (p) => p.getByLabel('Max cost ($)').fill('0.00005'), url: ['0.00005'] },
    { param: 'score', set: (p) => p.getByLabel('Scores', { exact: true }).fill('helpfulness<0.5'), url: ['helpfulness<0.5'] },
    { param: 'metadata', set: (p) => p.getByLabel('Metadata', { exact: true }).fill('plan=free'), url: ['plan=free'] },
  ];

  it.each(FILTER_CASES)('the $param filter narrows the list and the URL', async ({ param, set, url }) => {
    if (new URL(page.url()).pathname === '/') await page.getByRole('link', { name: 'Traces', exact: true }).click();
    else await open('/');
    await expect.poll(async () => (await shownTraceIds())?.length).toBe(TOTAL_TRACES);
    await page.getByRole('button', { name: /^Filters/ }).click();
    await set(page);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => urlParams().getAll(param)).toEqual(url);
    const expected = await apiTraceIds(new URL(page.url()).search);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(TOTAL_TRACES);
    await expect.poll(shownTraceIds).toEqual(expected);
  });

  it('the time range filter narrows the list and the URL', async () => {
    await open('/');
    await expect.poll(async () => (await shownTraceIds())?.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: /^Filters/ }).click();
    const local = (ms: number) => new Date(ms).toISOString().slice(0, 16); // the page runs in UTC
    await page.getByLabel('From', { exact: true }).fill(local(Date.now() - 2 * 3_600_000));
    await page.getByLabel('To', { exact: true }).fill(local(Date.now() + 60_000));
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => urlParams().has('fromTimestamp') && urlParams().has('toTimestamp')).toBe(true);
    const expected = await apiTraceIds(new URL(page.url()).search);
    expect(expected).toContain(scenario.seedTraceId);
    expect(expected.length).toBeLessThan(TOTAL_TRACES);
    await expect.poll(shownTraceIds).toEqual(expected);
  });

  it('keeps filters in the URL across a reload, and removes one with its chip', async () => {
    await open(`/?userId=${CHAT.userId}&tags=chat`);
    await expect.poll(shownTraceIds).toEqual(await apiTraceIds(`userId=${CHAT.userId}&tags=chat`));
    await page.reload();
    await expect.poll(async () => (await shownTraceIds())?.length).toBe(3);
    await page.getByRole('button', { name: /^Filters/ }).click();
    expect(await page.getByLabel('User', { exact: true }).inputValue()).toBe(CHAT.userId);

    await page.getByRole('button', { name: `Remove filter User ${CHAT.userId}` }).click();
    await expect.poll(() => page.url()).toBe(`${collector.url}/?tags=chat`);
    await expect.poll(shownTraceIds).toEqual(await apiTraceIds('tags=chat'));
  });

  it('finds a Chinese phrase and an English one with full-text search', async () => {
    await open('/');
    await page.getByRole('searchbox', { name: 'Search' }).fill(CHINESE.phrase);
    await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
    await expect.poll(() => urlParams().get('q')).toBe(CHINESE.phrase);
    await expect.poll(shownTraceIds).toEqual([scenario.chineseTraceId]);

    await page.getByRole('searchbox', { name: 'Search' }).fill('"reset my password"');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => urlParams().get('q')).toBe('"reset my password"');
    await expect.poll(shownTraceIds).toEqual([scenario.seedTraceId]);
  });

  it('says when no trace matches, and offers to clear the filters', async () => {
    await open('/?name=no-such-trace');
    await page.getByRole('heading', { name: 'No traces match these filters' }).waitFor();
    await page.getByRole('link', { name: 'clear them all' }).click();
    await expect.poll(async () => (await shownTraceIds())?.length).toBe(TOTAL_TRACES);
  });

  it('pages by cursor without repeating traces stored meanwhile', async () => {
    await open('/?limit=10');
    await expect.poll(async () => (await shownTraceIds())?.length).toBe(10);
    const before = await apiTraceIds('');
    await sendTraces(collector.tracesEndpoint, [{ name: 'late-arrival', startMs: Date.now(), userId: 'zoe' }]);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(async () => (await shownTraceIds())?.length).toBe(20);
    expect(await shownTraceIds()).toEqual(before.slice(0, 20));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(async () => (await shownTraceIds())?.[0]).not.toBe(before[0]);
    const ids = (await shownTraceIds()) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(1)).toEqual(before.slice(0, 20));
  });

  it('auto-refresh puts a new trace on top without a reload', async () => {
    await open('/');
    await expect.poll(async () => (await shownTraceIds())?.length).toBeGreaterThan(0);
    await page.getByLabel('Auto-refresh').check();
    const [newId] = await sendTraces(collector.tracesEndpoint, [{ name: 'auto-refreshed', startMs: Date.now(), userId: 'zoe' }]);
    await expect.poll(async () => (await shownTraceIds())?.[0], { timeout: 12_000, interval: 250 }).toBe(newId);
    await page.getByLabel('Auto-refresh').uncheck();
  }, 20_000);

  /** [depth, name] of each row of the observation tree, top to bottom. */
  const treeRows = () =>
    page.evaluate<Array<[number, string]>>(`[...document.querySelectorAll('[role="treeitem"]')].map((row) => [
      Number(row.getAttribute('aria-level')),
      row.querySelector('.tree-name .name').textContent,
    ])`);

  it("nests the seed trace's retrieval, its event and the generation under the root span", async () => {
    await open(`/traces/${scenario.seedTraceId}`);
    await page.getByRole('tree').waitFor();
    expect(await treeRows()).toEqual([
      [1, SEED.traceName],
      [2, 'handle-request'],
      [3, 'retrieval'],
      [4, 'rerank'],
      [3, 'llm-answer'],
    ]);
    const header = page.locator('.trace-header');
    expect(await header.locator('h1').textContent()).toBe(SEED.traceName);
    expect(await header.textContent()).toContain(SEED.userId);
    expect(await header.textContent()).toContain(SEED.sessionId);
  });

  it('shows the generation with its model, tokens, cost, parameters and messages', async () => {
    await open(`/traces/${scenario.seedTraceId}`);
    const row = page.getByRole('treeitem').filter({ hasText: 'llm-answer' });
    expect(await row.locator('.tree-meta').textContent()).toContain(SEED.model);
    expect(await row.locator('.tree-meta').textContent()).toContain('120 → 40');
    expect(await row.locator('.tree-meta').textContent()).toContain('$0.000042');
    await row.click();
    const id = (await row.getAttribute('data-observation-id')) ?? '';
    await expect.poll(() => urlParams().get('observation')).toBe(id);
    const detail = page.locator('article.detail');
    await detail.getByRole('heading', { name: 'llm-answer' }).waitFor();
    const facts = await detail.locator('.facts').textContent();
    expect(facts).toContain(SEED.model);
    const usage = await detail.locator('.usage-table').innerText();
    expect(usage).toMatch(/Input\s+120\s+\$0\.000018/);
    expect(usage).toMatch(/Output\s+40\s+\$0\.000024/);
    expect(usage).toMatch(/Total\s+160\s+\$0\.000042/);
    expect(await detail.locator('.key-values').innerText()).toMatch(/temperature\s+0\.2/);
    expect(await detail.locator('.message.role-user').textContent()).toContain(SEED.query);
    expect(await detail.locator('.message.role-assistant').textContent()).toContain(SEED.answer);
  });

  it('shows the score on the trace', async () => {
    await open(`/traces/${scenario.seedTraceId}`);
    await page.locator('.trace-header .score-chip').waitFor();
    expect(await page.locator('.trace-header .score-chip').textContent()).toBe('helpfulness0.92');
    const scores = await page.locator('article.detail .scores-table').innerText();
    expect(scores).toContain('helpfulness');
    expect(scores).toContain('0.92');
    expect(scores).toContain('answered with the exact steps');
  });

  it('moves through the tree with the arrow keys and selects with Enter', async () => {
    await open(`/traces/${scenario.seedTraceId}`);
    const tree = page.getByRole('tree');
    await tree.focus();
    const active = () => page.locator('[role="treeitem"].active .tree-name .name').textContent();
    await tree.press('Home');
    expect(await active()).toBe(SEED.traceName);
    await tree.press('ArrowDown');
    await tree.press('ArrowDown');
    expect(await active()).toBe('retrieval');
    await tree.press('ArrowRight');
    expect(await active()).toBe('rerank');
    await tree.press('ArrowLeft');
    expect(await active()).toBe('retrieval');
    await tree.press('ArrowLeft');
    expect((await treeRows()).map(([, name]) => name)).not.toContain('rerank');
    await tree.press('ArrowRight');
    expect((await treeRows()).map(([, name]) => name)).toContain('rerank');
    await tree.press('End');
    expect(await active()).toBe('llm-answer');
    await tree.press('Enter');
    await page.locator('article.detail').getByRole('heading', { name: 'llm-answer' }).waitFor();
    expect(urlParams().get('observation')).toBe(await page.getByRole('treeitem', { selected: true }).getAttribute('data-observation-id'));
    await tree.press('ArrowUp');
    await tree.press(' ');
    await page.locator('article.detail').getByRole('heading', { name: 'rerank' }).waitFor();
  });

  it('marks the failing observations and shows their status message', async () => {
    await open(`/traces/${scenario.failingTraceId}`);
    expect(await page.locator('.trace-header .level-badge').textContent()).toBe('2 errors');
    const failing = page.getByRole('treeitem').filter({ has: page.locator('.level-badge.level-error') });
    await expect.poll(() => failing.count()).toBe(3); // the trace, its root span, the generation
    await page.locator('[role="treeitem"][aria-level="2"]').click();
    expect(await page.locator('article.detail .status-message').textContent()).toBe(`Status: ${FAILING.error}`);
  });

  it('selects the observation named in the URL, and shows tool calls as a conversation', async () => {
    const trace = await collector.getJson(`/api/public/traces/${scenario.agentTraceId}`);
    const tool = trace.observations.find((o: { type: string }) => o.type === 'TOOL');
    const answer = trace.observations.filter((o: { type: string }) => o.type === 'GENERATION')[1];
    await open(`/traces/${scenario.agentTraceId}?observation=${tool.id}`);
    const detail = page.locator('article.detail');
    await detail.getByRole('heading', { name: AGENT.tool }).waitFor();
    expect(await detail.locator('.content-section').first().innerText()).toContain('Paris');

    await page.locator(`[data-observation-id="${answer.id}"]`).click();
    await detail.locator('.tool-call').first().waitFor();
    expect(await detail.locator('.tool-call-head').first().textContent()).toContain(AGENT.tool);
    expect(await detail.locator('.message.role-tool').textContent()).toContain('light rain');

    await saveScreenshot(page, 'trace-detail');
  });

  it('replays a session turn by turn, in order, each turn linking to its trace', async () => {
    await open('/sessions');
    const sessionRow = page.locator('tr', { has: page.getByRole('link', { name: CHAT.sessionId }) });
    expect(await sessionRow.locator('td').nth(1).textContent()).toBe('3');
    await sessionRow.getByRole('link', { name: CHAT.sessionId }).click();
    await expect.poll(() => page.locator('.turn').count()).toBe(3);
    const turns = page.locator('.turn');
    for (const [index, turn] of CHAT.turns.entries()) {
      const text = await turns.nth(index).innerText();
      expect(text).toContain(`Turn ${index + 1}`);
      expect(text).toContain(turn.question);
      expect(text).toContain(turn.answer);
      expect(await turns.nth(index).getByRole('link', { name: 'chat-turn' }).getAttribute('href')).toBe(`/traces/${scenario.chatTraceIds[index]}`);
    }
    await saveScreenshot(page, 'session');
    await turns.nth(1).getByRole('link', { name: 'chat-turn' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/traces/${scenario.chatTraceIds[1]}`);
    await page.getByRole('tree').waitFor();
  });

  it('lists users with their traces and cost, linking to their traces', async () => {
    await open('/users');
    const row = page.locator('tr', { has: page.getByRole('link', { name: CHAT.userId, exact: true }) });
    expect(await row.locator('td').nth(1).textContent()).toBe('3');
    await page.getByRole('button', { name: /^Traces/ }).click();
    await expect.poll(() => urlParams().get('orderBy')).toBe('countTraces.desc');
    await row.getByRole('link', { name: CHAT.userId, exact: true }).click();
    await expect.poll(() => urlParams().get('userId')).toBe(CHAT.userId);
    await expect.poll(shownTraceIds).toEqual(await apiTraceIds(`userId=${CHAT.userId}`));
  });

  it('filters scores, with the filters in the URL', async () => {
    await open('/scores');
    await expect.poll(() => page.locator('.data-table tbody tr').count()).toBe(4);
    await page.getByLabel('Name', { exact: true }).fill('helpfulness');
    await page.getByLabel('Max value').fill('0.5');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.url()).toBe(`${collector.url}/scores?name=helpfulness&maxValue=0.5`);
    await expect.poll(() => page.locator('.data-table tbody tr').count()).toBe(1);
    expect(await page.locator('.data-table tbody tr').innerText()).toContain('0.4');
  });

  it('shows the price table with custom prices marked', async () => {
    const response = await fetch(`${collector.url}/api/public/models`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ modelName: 'acme-7b', matchPattern: 'acme-7b', inputPrice: 0.0000005, outputPrice: 0.0000015 }),
    });
    expect(response.status).toBe(200);
    await open('/models');
    const custom = page.locator('tr[data-model="acme-7b"]');
    await custom.waitFor();
    expect(await custom.locator('.badge').textContent()).toBe('custom');
    expect(await custom.innerText()).toMatch(/\$0\.5\s+\$1\.5/);
    await page.getByLabel('Filter models').fill('gpt-4o-mini');
    await page.getByLabel('Provider').selectOption('openai');
    const builtIn = page.locator('tr[data-model="gpt-4o-mini"][data-provider="openai"]');
    await builtIn.waitFor();
    expect(await builtIn.locator('.badge').textContent()).toBe('built-in');
  });

  it('charts traces, errors, tokens and cost per day on the dashboard', async () => {
    const apiRequests = recordApiRequests();
    await open('/dashboard');
    await expect.poll(() => page.locator('.chart canvas').count()).toBe(4);
    const tiles = await page.locator('.tiles').innerText();
    expect(tiles).toMatch(/Traces\s+\d+/);
    // every scenario trace is within the default 30 days: the rate is all error traces over all traces
    const days = (await collector.getJson('/api/public/metrics/daily?limit=1000')).data as Array<{ countTraces: number; countErrorTraces: number }>;
    const rate = (100 * days.reduce((sum, day) => sum + day.countErrorTraces, 0)) / days.reduce((sum, day) => sum + day.countTraces, 0);
    expect(rate).toBeGreaterThan(0);
    await expect.poll(async () => page.locator('.tiles').innerText()).toContain(`Error rate\n${rate.toFixed(1)}%`);
    apiRequests.stop();
    expect(apiRequests.paths).toEqual(['/api/public/metrics/daily']);
    expect(await page.locator('.chart figcaption').allTextContents()).toEqual([
      'Traces per day',
      'Error rate per day (traces with an error)',
      'Tokens per day by model',
      'Cost per day by model (USD)',
    ]);
    expect(await page.locator('.chart').nth(2).locator('.u-legend').innerText()).toContain('gpt-4o-mini');
    await saveScreenshot(page, 'dashboard');
  });

  it('shows errors instead of a blank page', async () => {
    await open(`/traces/${'0'.repeat(31)}1`);
    await page.getByRole('heading', { name: 'Trace not found' }).waitFor();
    await open('/?minLatencyMs=abc');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('minLatencyMs');
  });

  it('writes the README screenshots only under npm run screenshots', () => {
    const written = screenshotTimes().filter((entry) => !screenshotsBefore.includes(entry));
    if (process.env.SPANLITE_SCREENSHOTS === '1') expect(written.map((entry) => entry.split(' ')[0])).toEqual(README_SCREENSHOTS);
    else expect(written).toEqual([]);
  });

  it('asks for an API key pair (pk-sl-…, sk-sl-…) on 401 and sends it as HTTP Basic on every request', async () => {
    const keyPage = await openPage(browser);
    const expected = `Basic ${Buffer.from('pk-sl-test:sk-sl-secret').toString('base64')}`;
    const seen: Array<string | undefined> = [];
    await keyPage.route('**/api/public/**', async (route) => {
      const authorization = route.request().headers().authorization;
      seen.push(authorization);
      if (authorization === expected) await route.continue();
      else await route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":"unauthorized","message":"API key required"}' });
    });
    await keyPage.goto(`${collector.url}/`);
    await keyPage.getByRole('heading', { name: 'API key required' }).waitFor();
    expect(await keyPage.getByLabel('Public key').getAttribute('placeholder')).toBe('pk-sl-…');
    expect(await keyPage.getByLabel('Secret key').getAttribute('placeholder')).toBe('sk-sl-…');
    await keyPage.getByLabel('Public key').fill('pk-sl-wrong');
    await keyPage.getByLabel('Secret key').fill('nope');
    await keyPage.getByRole('button', { name: 'Sign in' }).click();
    await keyPage.getByText('The collector refused these keys').waitFor();
    await keyPage.getByLabel('Public key').fill('pk-sl-test');
    await keyPage.getByLabel('Secret key').fill('sk-sl-secret');
    await keyPage.getByRole('button', { name: 'Sign in' }).click();
    await keyPage.locator('.traces-table').waitFor();
    await keyPage.getByRole('link', { name: 'Sessions' }).click();
    await keyPage.locator('.data-table').waitFor();
    expect(seen.at(-1)).toBe(expected);
    expect(await keyPage.evaluate(`sessionStorage.getItem('spanlite.authorization')`)).toBe(expected);
    expect(pageErrorsOf(keyPage)).toEqual([]);
    await keyPage.context().close();
  });
});

describeInBrowser('web UI on an empty collector', () => {
  let collector: TestCollector;
  let browser: Browser;

  beforeAll(async () => {
    ensureUiBuilt();
    [collector, browser] = await Promise.all([startTestCollector({ grpcPort: null }), sharedBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await collector?.close();
  }, 30_000);

  it('says how to send the first trace, with this collector as the endpoint', async () => {
    const page = await openPage(browser, { colorScheme: 'dark' });
    await page.goto(`${collector.url}/`);
    await page.getByRole('heading', { name: 'No traces yet' }).waitFor();
    expect(await page.locator('.empty-state').innerText()).toContain(`export OTEL_EXPORTER_OTLP_ENDPOINT=${collector.url}`);
    await page.goto(`${collector.url}/sessions`);
    await page.getByRole('heading', { name: 'No sessions yet' }).waitFor();
    await page.goto(`${collector.url}/dashboard`);
    await page.getByRole('heading', { name: 'No traces yet' }).waitFor();
    expect(pageErrorsOf(page)).toEqual([]);
    await page.context().close();
  });
});
