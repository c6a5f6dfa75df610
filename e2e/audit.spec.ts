import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { E2E, storageStateFor } from './env';
import { SEED, pickRoom } from './helpers';

test.use({ storageState: storageStateFor('moderator') });

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Mints through the mint page, the way staff do; returns the token and its audit record id. */
async function mintViaUi(
  page: Page,
  userId: string,
  options: { attributes?: [string, string][]; reason?: string } = {},
): Promise<{ token: string; auditId: string }> {
  await page.goto('/mint');
  await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  await page.getByRole('textbox', { name: 'userId' }).fill(userId);
  for (const [i, [k, v]] of (options.attributes ?? []).entries()) {
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByRole('textbox', { name: `Attribute ${i + 1} key` }).fill(k);
    await page.getByRole('textbox', { name: `Attribute ${i + 1} value` }).fill(v);
  }
  if (options.reason) await page.getByRole('textbox', { name: 'Reason' }).fill(options.reason);
  await page.getByRole('button', { name: 'Mint token' }).click();
  const result = page.getByTestId('token-result');
  await expect(result).toBeVisible();
  const token = (await page.getByTestId('token-value').textContent())!.trim();
  const auditId = UUID.exec((await result.getByText(/Audit record/).textContent()) ?? '')?.[0];
  expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect(auditId).toBeTruthy();
  return { token, auditId: auditId! };
}

async function filterByUserId(page: Page, userId: string) {
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await page.getByRole('textbox', { name: 'userId' }).fill(userId);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/\/audit\?userId=/);
}

test.describe('audit history, detail and lookup', () => {
  test('mint, find it by userId, open the detail, look the token up and land on the same record', async ({ page }) => {
    const userId = `audit-user-${Date.now()}`;
    const { token, auditId } = await mintViaUi(page, userId, { attributes: [['displayName', 'Ann 😀']], reason: 'Support case 42' });

    await filterByUserId(page, userId);
    const rows = page.getByTestId('history-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-record-id', auditId);
    await expect(rows.first().getByTestId('history-user-id')).toHaveText(userId);
    await expect(rows.first().getByText('issued')).toBeVisible();
    expect(await page.content()).not.toContain(token);

    await rows.first().getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/audit/${auditId}$`));
    await expect(page.getByTestId('record-user-id')).toHaveText(userId);
    await expect(page.getByTestId('token-state')).toHaveText(/^Valid for (59 min|1 h)$/);
    await expect(page.getByTestId('token-expiry-countdown')).toHaveText(/^in (59 min|1 h)/);
    await expect(page.getByTestId('session-expiry-countdown')).toHaveText(/^in (59 min|1 h)/);
    const record = page.getByTestId('record-table');
    await expect(record).toContainText('moderator@e2e.test');
    await expect(record).toContainText(SEED.qaSandbox);
    await expect(record).toContainText('us-east-1');
    await expect(record).toContainText('Support case 42');
    await expect(page.getByTestId('record-attributes')).toContainText('Ann 😀');
    await expect(page.getByTestId('no-other-mints')).toBeVisible();
    expect(await page.content()).not.toContain(token);

    // Lookup: the token travels only in the server action's POST body, and no response echoes it.
    await page.goto('/audit/lookup');
    const bodies: string[] = [];
    page.on('response', async (res) => {
      if (res.request().method() === 'POST') bodies.push(await res.text().catch(() => ''));
    });
    const urls: string[] = [];
    page.on('request', (req) => urls.push(req.url()));
    await page.getByRole('textbox', { name: 'Token' }).fill(`${token.slice(0, 30)}\n${token.slice(30)}\n`);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(page).toHaveURL(new RegExp(`/audit/${auditId}$`));
    await expect(page.getByTestId('record-user-id')).toHaveText(userId);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expect(body).not.toContain(token);
    for (const url of urls) expect(url).not.toContain(token.slice(0, 24));
    expect(page.url()).not.toContain(token);
  });

  test('a second mint for the same user and room is listed on the first one', async ({ page }) => {
    const userId = `repeat-user-${Date.now()}`;
    const first = await mintViaUi(page, userId);
    const second = await mintViaUi(page, userId);
    await page.goto(`/audit/${first.auditId}`);
    const others = page.getByTestId('other-mints');
    await expect(others.getByRole('row')).toHaveCount(2); // header + the second mint
    await others.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/audit/${second.auditId}$`));
  });

  test('an unknown token: this console did not mint it, and what to check', async ({ page }) => {
    await page.goto('/audit/lookup');
    await page.getByRole('textbox', { name: 'Token' }).fill('AQICAHhNotARealTokenAtAll_' + 'x'.repeat(300));
    await page.getByRole('button', { name: 'Look up' }).click();
    const alert = page.getByTestId('lookup-not-found');
    await expect(alert).toContainText('This console did not mint this token');
    await expect(alert).toContainText('cannot be decoded');
    await expect(alert).toContainText('AWS CLI');
    await expect(alert).toContainText('truncated');
    await expect(alert).toContainText('FINGERPRINT_KEY');
    await expect(page).toHaveURL(/\/audit\/lookup$/);
  });

  test('export CSV of the filtered history: header, the row, formulas neutralized, no token', async ({ page }) => {
    const userId = `=1+2 export ${Date.now()}`;
    const { token, auditId } = await mintViaUi(page, userId, { attributes: [['note', '@SUM(A1)']] });
    await filterByUserId(page, userId);
    await expect(page.getByTestId('history-row')).toHaveCount(1);

    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/^token-mints-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^seq,id,at,action,status,actor_email,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(auditId);
    expect(lines[1]).toContain(`,'${userId},`);
    expect(lines[1]).toContain('moderator@e2e.test');
    expect(csv).not.toContain(token);

    const res = await page.request.get(`/api/audit/export?format=json&userId=${encodeURIComponent(userId)}`);
    expect(res.headers()['cache-control']).toBe('no-store');
    expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="token-mints-.*\.json"$/);
    const json = await res.json();
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ id: auditId, userId, attributes: { note: '@SUM(A1)' }, status: 'issued' });
  });

  test('user-controlled text renders as text: no script runs, no javascript: link', async ({ page }) => {
    const userId = '<img src=x onerror=window.__xss=1>';
    const { auditId } = await mintViaUi(page, userId, {
      attributes: [['link', 'javascript:alert(1)']],
      reason: '<script>window.__xss=2</script>',
    });
    await filterByUserId(page, userId);
    const row = page.locator(`[data-record-id="${auditId}"]`);
    await expect(row.getByTestId('history-user-id')).toHaveText(userId);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();

    await row.getByRole('link').click();
    await expect(page.getByTestId('record-user-id')).toHaveText(userId);
    await expect(page.getByTestId('record-attributes')).toContainText('javascript:alert(1)');
    await expect(page.getByTestId('record-table')).toContainText('<script>window.__xss=2</script>');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  });

  test('a viewer can read the history; a signed-out export is refused', async ({ browser, playwright }) => {
    const viewer = await browser.newContext({ storageState: storageStateFor('viewer') });
    const page = await viewer.newPage();
    await page.goto('/audit');
    await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Export CSV' })).toBeVisible();
    await viewer.close();

    // An explicit empty storage state: the request fixture otherwise inherits the spec's signed-in one.
    const anonymous = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
    expect((await anonymous.storageState()).cookies).toEqual([]);
    const res = await anonymous.get('/api/audit/export?format=csv');
    expect(res.status()).toBe(401);
    expect(await res.text()).not.toContain('seq,id,at');
    expect(res.headers()['cache-control']).toBe('no-store');
    await anonymous.dispose();
  });

  test('an unknown record id is a plain not-found page', async ({ page }) => {
    await page.goto('/audit/00000000-0000-4000-8000-000000000000');
    await expect(page.getByText('No such mint record')).toBeVisible();
    await page.getByRole('link', { name: 'Back to the history' }).click();
    await expect(page).toHaveURL(/\/audit$/);
  });

  test('bad filters are field errors, not a crash', async ({ page }) => {
    await page.goto('/audit?status=bogus&from=tomorrow');
    await expect(page.getByRole('alert').filter({ hasText: 'Some filters are not valid' })).toBeVisible();
    await expect(page.getByText('Status is pending, issued or failed.')).toBeVisible();
  });
});
