import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { storageStateFor } from './env';
import { SEED, pickRoom } from './helpers';

/**
 * Issue 14, "History at scale and on a phone": totals and numbered pages, source and batch filters,
 * whole rows that open (mouse and keyboard), badges and userIds shown whole at 1440 px, the
 * exact filter's case rule stated, relative time beside UTC, and cards with no sideways scroll on a
 * 390 px phone, light and dark. History and Activity share the filter form, the pager and the
 * table/card shell, so Activity is checked on the phone too.
 */

test.use({ storageState: storageStateFor('moderator') });

const tag = () => randomUUID().slice(0, 8);
const BULK_ROWS = 120;
const PHONE = { width: 390, height: 844 };
const WIDE = { width: 1440, height: 900 };
/** Set to a folder to keep the screenshots (e.g. HISTORY_SHOTS=/work/shots/history/after). */
const SHOTS = process.env.HISTORY_SHOTS;

/** A bulk run of BULK_ROWS mints as qa; returns its batch id (the job id) and the userId prefix. */
async function bulkRun(browser: Browser): Promise<{ batch: string; prefix: string }> {
  const context = await browser.newContext({ storageState: storageStateFor('qa') });
  const page = await context.newPage();
  const prefix = `hist-${tag()}`;
  await page.goto('/bulk');
  await expect(page.getByRole('heading', { name: 'Bulk mint', level: 1 })).toBeVisible();
  await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  await page.getByRole('textbox', { name: 'userId template' }).fill(`${prefix}-{n}`);
  await page.getByRole('textbox', { name: 'Start' }).fill('1');
  await page.getByRole('textbox', { name: 'Count' }).fill(String(BULK_ROWS));
  await page.getByRole('textbox', { name: 'Reason' }).fill('history e2e');
  await page.getByRole('button', { name: 'Start bulk mint' }).click();
  await expect(page).toHaveURL(/\/bulk\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await expect(page.getByTestId('bulk-status')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  const batch = new URL(page.url()).pathname.split('/').pop()!;
  await context.close();
  return { batch, prefix };
}

async function mintViaUi(page: Page, userId: string): Promise<void> {
  await page.goto('/mint');
  await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  await page.getByRole('textbox', { name: 'userId' }).fill(userId);
  await page.getByRole('button', { name: 'Mint token' }).click();
  await expect(page.getByTestId('token-result')).toBeVisible();
}

async function openHistory(page: Page, query = '') {
  await page.goto(query ? `/audit?${query}` : '/audit');
  await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible();
}

const summary = (page: Page) => page.getByTestId('history-summary');
const rows = (page: Page) => page.getByTestId('history-row');
const pageOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The element's right edge is on screen (a 900 px table in a scroll box is not). */
const fitsWidth = (locator: Locator) => locator.evaluate((el) => el.getBoundingClientRect().right <= window.innerWidth);

/** Lines a node's text takes on screen (1 when nothing wraps): the line boxes of its text nodes only, not its elements' boxes. */
const linesOf = (locator: Locator) =>
  locator.evaluate((el) => {
    const tops = new Set<number>();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.bottom));
    }
    return tops.size;
  });

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

test.describe('history', () => {
  test.setTimeout(120_000);
  let run: { batch: string; prefix: string };

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    run = await bulkRun(browser);
  });

  test('totals, numbered pages, and the source and batch filters', async ({ page }) => {
    await openHistory(page);
    await page.getByRole('textbox', { name: 'Batch' }).fill(run.batch);
    await page.getByRole('combobox', { name: 'Source' }).selectOption('bulk');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(new RegExp(`batch=${run.batch}`));
    await expect(summary(page)).toHaveText(`1–50 of ${BULK_ROWS} mints matching the filters`);
    await expect(rows(page)).toHaveCount(50);
    // Newest first: the last row of the batch is on top.
    await expect(rows(page).first().getByTestId('history-user-id')).toHaveText(`${run.prefix}-${BULK_ROWS}`);

    const pager = page.getByRole('navigation', { name: 'Pages' });
    await expect(pager.getByRole('link', { name: 'Page 2' })).toBeVisible();
    await pager.getByRole('link', { name: 'Page 3' }).click();
    await expect(summary(page)).toHaveText(`101–${BULK_ROWS} of ${BULK_ROWS} mints matching the filters`);
    await expect(rows(page)).toHaveCount(BULK_ROWS - 100);
    await expect(rows(page).last().getByTestId('history-user-id')).toHaveText(`${run.prefix}-1`);
    await expect(pager.locator('[aria-current="page"]')).toHaveText('3');
    await pager.getByRole('link', { name: /Previous/ }).click();
    await expect(summary(page)).toHaveText(`51–100 of ${BULK_ROWS} mints matching the filters`);

    // The same batch from another source matches nothing, and says so.
    await openHistory(page, new URLSearchParams({ batch: run.batch, source: 'ui' }).toString());
    await expect(summary(page)).toHaveText('No mints match these filters.');
    // The unfiltered history counts every mint.
    await openHistory(page);
    await expect(summary(page)).toHaveText(/^1–50 of [\d,]+ mints$/);
  });

  test('a whole row opens its record, by mouse and by keyboard', async ({ page }) => {
    const userId = `row-open-${tag()}`;
    await mintViaUi(page, userId);
    await openHistory(page, new URLSearchParams({ userId }).toString());
    const row = rows(page).first();
    await expect(rows(page)).toHaveCount(1);
    const id = await row.getAttribute('data-record-id');

    // A click on a cell that holds no link (the capabilities) opens the record.
    await row.getByTestId('history-capabilities').click();
    await expect(page).toHaveURL(new RegExp(`/audit/${id}$`));
    await page.goBack();
    await expect(rows(page)).toHaveCount(1);

    // The Disconnect button in the row does its own thing, not the row's.
    await rows(page)
      .first()
      .getByRole('button', { name: /^Disconnect/ })
      .click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expect(page).toHaveURL(/\/audit\?/);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // Keyboard: Tab from the filter form's last button reaches the row's link first; Enter opens.
    await page.getByRole('button', { name: 'Clear' }).focus();
    const link = rows(page)
      .first()
      .getByRole('link', { name: new RegExp(userId) });
    let tabs = 0;
    while (tabs < 8 && !(await link.evaluate((el) => el === document.activeElement))) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    await expect(link).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/audit/${id}$`));
  });

  test('at 1440 px a moderator sees whole status badges, unbroken userIds, relative time beside UTC, and the exact filter rule', async ({
    page,
  }) => {
    await page.setViewportSize(WIDE);
    const userId = `wide-check-user-${tag()}`;
    await mintViaUi(page, userId);
    await openHistory(page);
    const list = rows(page);
    await expect(list.first()).toBeVisible();
    const n = Math.min(await list.count(), 20);
    for (let i = 0; i < n; i++) {
      const badge = list.nth(i).locator('[data-status]');
      const label = badge.locator('[data-badge-label]');
      const clipped = await label.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      expect(clipped, `status badge of row ${i + 1} is cut off`).toBe(false);
    }
    const mine = list.filter({ hasText: userId });
    await expect(mine).toHaveCount(1);
    expect(await linesOf(mine.getByTestId('history-user-id')), 'the userId wraps inside itself').toBe(1);
    const time = mine.getByTestId('history-time');
    await expect(time).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    await expect(time).toContainText(/just now|\d+ (s|min) ago/);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);

    // The userId filter says it is exact and case-sensitive, and it is.
    const field = page.getByRole('textbox', { name: 'userId' });
    await expect(field).toHaveAccessibleDescription(/exact.*case-sensitive/i);
    await openHistory(page, new URLSearchParams({ userId: userId.toUpperCase() }).toString());
    await expect(summary(page)).toHaveText('No mints match these filters.');
    await openHistory(page, new URLSearchParams({ userId }).toString());
    await expect(summary(page)).toHaveText('1–1 of 1 mint matching the filters');
    await shot(page, 'history-1440-light-filtered');
  });

  for (const scheme of ['light', 'dark'] as const) {
    test.describe(`on a 390 px phone, ${scheme}`, () => {
      test.use({ viewport: PHONE, colorScheme: scheme, isMobile: true, hasTouch: true });

      test(`History is a list of cards with no sideways scroll, and a card opens its record (${scheme})`, async ({ page }) => {
        await openHistory(page, new URLSearchParams({ batch: run.batch }).toString());
        await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
        await expect(rows(page)).toHaveCount(50);
        expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
        const table = page.getByTestId('history-table');
        // Nothing inside scrolls sideways either: the list itself fits the screen.
        expect(await fitsWidth(table)).toBe(true);
        await expect(table.getByRole('columnheader').first()).toBeHidden();
        const card = rows(page).first();
        const box = (await card.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
        // A card names its fields, since there is no header row to read them from.
        await expect(card).toContainText('Room');
        await expect(card).toContainText('Status');
        expect(await linesOf(card.getByTestId('history-user-id'))).toBe(1);
        const axe = await new AxeBuilder({ page }).analyze();
        expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((x) => x.target.join(' ')).join(', ')}`)).toEqual([]);
        await shot(page, `history-390-${scheme}`);
        const id = await card.getAttribute('data-record-id');
        await card.getByTestId('history-capabilities').tap();
        await expect(page).toHaveURL(new RegExp(`/audit/${id}$`));
      });

      test(`Activity fits the phone in the same cards (${scheme})`, async ({ page }) => {
        await page.goto(`/activity?${new URLSearchParams({ batch: run.batch })}`);
        await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
        await expect(page.getByTestId('activity-row').first()).toBeVisible();
        expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
        const table = page.getByTestId('activity-table');
        expect(await fitsWidth(table)).toBe(true);
        await expect(table.getByRole('columnheader').first()).toBeHidden();
      });
    });
  }

  test('screenshots at 1440x900 and 390x844, light and dark', async ({ browser }) => {
    test.skip(!SHOTS, 'set HISTORY_SHOTS to keep screenshots');
    for (const [size, viewport] of [
      ['1440', WIDE],
      ['390', PHONE],
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        const context = await browser.newContext({ storageState: storageStateFor('moderator'), viewport, colorScheme: scheme });
        const page = await context.newPage();
        await openHistory(page);
        await expect(rows(page).first()).toBeVisible();
        await page.waitForLoadState('networkidle');
        await shot(page, `history-${size}-${scheme}`);
        await rows(page).first().scrollIntoViewIfNeeded();
        await page.waitForTimeout(200);
        await shot(page, `history-${size}-${scheme}-rows`);
        await context.close();
      }
    }
  });
});
