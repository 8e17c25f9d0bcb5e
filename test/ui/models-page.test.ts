/**
 * The models page in a real browser (Debian's Chromium) against a collector holding the whole
 * model catalog: the server filters and pages, so every price, the 1,001st and later included, is
 * found by typing part of its name and reached by paging, and the page shows how many there are.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestCollector } from '../helpers/collector.js';
import { loadModelCatalog } from '../../collector/pricing/genai-prices.js';
import { catalogPrices } from '../../collector/pricing/model-catalog.js';
import { closeSharedBrowser, describeInBrowser, openUiSuite } from './browser.js';

/** The page's list length (ui/src/components/paged-list.tsx PAGE_SIZE). */
const PAGE_SIZE = 50;
const prices = catalogPrices(await loadModelCatalog());
const containing = (text: string) => prices.filter((price) => price.modelName.toLowerCase().includes(text.toLowerCase()));
/** A price beyond the first 1,000 whose name few others contain: its filter's matches fit one page. */
const deep = prices.slice(1000).find((price) => containing(price.modelName).length <= 5)!;
const last = prices.at(-1)!;
const count = (value: number) => value.toLocaleString('en-US');

afterAll(closeSharedBrowser);

describeInBrowser('models page', () => {
  const suite = openUiSuite();
  let collector: TestCollector;
  let page: Page;

  beforeAll(() => {
    ({ collector, page } = suite);
  });

  const open = (path: string) => page.goto(collector.url + path);
  const headCount = () => page.locator('.page-head .count').textContent();
  const rowOf = (price: { modelName: string; provider: string | null }) =>
    page.locator(`tr[data-model="${price.modelName}"][data-provider="${price.provider}"]`);
  const urlParam = (name: string) => new URL(page.url()).searchParams.get(name);
  const shownProviders = () => page.locator('.models-table tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-provider')));

  it('counts every price, not only the first 1,000', async () => {
    expect(prices.length).toBeGreaterThan(1000);
    await open('/models');
    await expect.poll(headCount).toBe(`${count(prices.length)} prices`);
    expect(await page.locator('.models-table tbody tr').count()).toBe(PAGE_SIZE);
    expect(await page.locator('.pager').innerText()).toContain(`1–${PAGE_SIZE} of ${count(prices.length)} prices`);
  });

  it('pages to the last price of the catalog', async () => {
    const lastPage = Math.ceil(prices.length / PAGE_SIZE);
    await open(`/models?page=${lastPage - 1}`);
    await page.locator('.models-table').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => urlParam('page')).toBe(String(lastPage));
    await rowOf(last).waitFor();
    expect(await page.locator('.pager').innerText()).toContain(`${count((lastPage - 1) * PAGE_SIZE + 1)}–${count(prices.length)} of ${count(prices.length)}`);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
  });

  it(`finds a price beyond the first 1,000 by typing part of its name`, async () => {
    await open('/models');
    await page.locator('.models-table').waitFor();
    await page.getByLabel('Filter models').pressSequentially(deep.modelName.toUpperCase());
    await rowOf(deep).waitFor();
    await expect.poll(() => urlParam('modelName')).toBe(deep.modelName.toUpperCase());
    await expect.poll(headCount).toBe(`${count(containing(deep.modelName).length)} prices`);
    expect(await page.locator('.models-table tbody tr').count()).toBe(containing(deep.modelName).length);
  });

  it('keeps one provider\'s prices and pages through them with the filter kept', async () => {
    const openrouter = prices.filter((price) => price.provider === 'openrouter');
    expect(openrouter.length).toBeGreaterThan(PAGE_SIZE);
    await open('/models');
    await page.locator('.models-table').waitFor();
    await page.getByLabel('Provider').selectOption('openrouter');
    await expect.poll(headCount).toBe(`${count(openrouter.length)} prices`);
    expect(new Set(await shownProviders())).toEqual(new Set(['openrouter']));
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.url()).toBe(`${collector.url}/models?provider=openrouter&page=2`);
    await rowOf(openrouter[PAGE_SIZE]!).waitFor();
    expect(await page.getByLabel('Provider').inputValue()).toBe('openrouter');
  });

  it('says so when nothing matches, with a way back to every price', async () => {
    await open('/models?modelName=no-model-is-called-this');
    await page.getByRole('heading', { name: 'No prices match these filters' }).waitFor();
    await page.getByRole('link', { name: 'Clear the filters' }).click();
    await expect.poll(headCount).toBe(`${count(prices.length)} prices`);
    expect(await page.getByLabel('Filter models').inputValue()).toBe('');
  });
});
