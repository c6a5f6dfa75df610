import { expect, test, type Page, type Request } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import WebSocket from 'ws';
import { E2E, storageStateFor } from './env';
import { SEED, armFault, clearFaults, createChatTokenCalls, pickRoom } from './helpers';

test.use({ storageState: storageStateFor('moderator') });

async function openMint(page: Page) {
  await page.goto('/mint');
  await expect(page.getByRole('heading', { name: 'Mint a chat token' })).toBeVisible();
}

async function fillBasics(page: Page, userId: string) {
  await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  await page.getByRole('textbox', { name: 'userId' }).fill(userId);
}

/** Opens the token in a raw WebSocket against the emulator: proof that a real, usable token came back. */
function connects(token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(E2E.emulatorUrl.replace('http', 'ws'), token);
    ws.on('open', () => {
      ws.close();
      resolve(true);
    });
    ws.on('error', () => resolve(false));
    ws.on('unexpected-response', () => resolve(false));
  });
}

test.describe('mint page', () => {
  test.afterEach(async () => clearFaults());

  test('fill every field, mint, read the token and both decoded times, copy', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openMint(page);
    await fillBasics(page, 'viewer-🦊-42');
    await expect(page.getByTestId('userid-left')).toHaveText('117 left');
    await expect(page.getByTestId('room-settings')).toContainText('200 characters');

    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByRole('textbox', { name: 'Attribute 1 key' }).fill('displayName');
    await page.getByRole('textbox', { name: 'Attribute 1 value' }).fill('Ann 😀');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByRole('textbox', { name: 'Attribute 2 key' }).fill('color');
    await page.getByRole('textbox', { name: 'Attribute 2 value' }).fill('red');
    await expect(page.locator('#attributes-counter')).toHaveText('27 / 1024 bytes');

    await page.getByRole('switch', { name: /Delete messages/ }).check();
    await page.getByRole('switch', { name: /Disconnect users/ }).check();
    const slider = page.getByRole('slider', { name: 'Session duration' });
    await slider.focus();
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('duration-readout')).toHaveText('1 h 30 min');
    await page.getByRole('textbox', { name: 'Reason' }).fill('Temporary moderator for the Friday stream');

    const before = await createChatTokenCalls();
    const started = Date.now();
    await page.getByRole('button', { name: 'Mint token' }).click();
    const result = page.getByTestId('token-result');
    await expect(result).toBeVisible();
    expect(await createChatTokenCalls()).toBe(before + 1);

    const token = (await page.getByTestId('token-value').textContent())!.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    await expect(page.getByTestId('granted-user-id')).toHaveText('viewer-🦊-42');

    const sessionUtc = await page.getByTestId('session-expiry-utc').textContent();
    const tokenUtc = await page.getByTestId('token-expiry-utc').textContent();
    const parse = (s: string | null) => Date.parse(s!.replace(' UTC', 'Z').replace(' ', 'T'));
    expect(Math.abs(parse(sessionUtc) - (started + 90 * 60_000))).toBeLessThan(10_000);
    expect(Math.abs(parse(tokenUtc) - (started + 60 * 60_000))).toBeLessThan(10_000);
    await expect(page.getByTestId('session-expiry-local')).toHaveText(/\d{2}:\d{2}:\d{2}/);
    await expect(page.getByTestId('session-expiry-countdown')).toHaveText(/^in 1 h 29 min|^in 1 h 30 min/);
    await expect(page.getByTestId('token-expiry-countdown')).toHaveText(/^in 59 min|^in 1 h/);

    await page.getByRole('button', { name: 'Copy token' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await expect(page.getByRole('tab', { name: 'AWS CLI' })).toBeVisible();
    await expect(page.getByLabel('AWS CLI command', { exact: true })).toContainText('--session-duration-in-minutes 90');
    await expect(page.getByLabel('AWS CLI command', { exact: true })).not.toContainText(token);

    // The token is real: the emulator accepts it exactly once.
    expect(await connects(token)).toBe(true);
    expect(await connects(token)).toBe(false);

    // Not in the URL or in any browser storage.
    expect(page.url()).not.toContain(token);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    expect(stored).not.toContain(token);
  });

  test('mint again with these settings makes a second, different token', async ({ page }) => {
    await openMint(page);
    await fillBasics(page, 'again-user');
    await page.getByRole('button', { name: 'Mint token' }).click();
    const first = (await page.getByTestId('token-value').textContent())!;
    await page.getByRole('button', { name: 'Mint again with these settings' }).click();
    await expect(page.getByTestId('token-value')).not.toHaveText(first);
  });

  test('the attributes counter warns near 1 KB and refuses past it, with nothing minted', async ({ page }) => {
    await openMint(page);
    await fillBasics(page, 'counter-user');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByRole('textbox', { name: 'Attribute 1 key' }).fill('k');
    const value = page.getByRole('textbox', { name: 'Attribute 1 value' });
    await value.fill('x'.repeat(1000));
    const counter = page.locator('#attributes-counter');
    await expect(counter).toHaveText('1001 / 1024 bytes');
    await expect(counter).toHaveAttribute('data-state', 'warning');
    await value.fill('x'.repeat(1019) + '😀');
    await expect(counter).toHaveText('1024 / 1024 bytes');
    await value.pressSequentially('é');
    await expect(counter).toHaveText('1026 / 1024 bytes');
    await expect(counter).toHaveAttribute('data-state', 'error');

    const before = await createChatTokenCalls();
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.locator('#attributes-error')).toContainText('1026 bytes; the limit is 1024');
    await expect(page.getByTestId('token-result')).toHaveCount(0);
    expect(await createChatTokenCalls()).toBe(before);
  });

  test('empty and duplicate keys, a bad ARN and an empty userId are field errors', async ({ page }) => {
    await openMint(page);
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByRole('textbox', { name: 'Attribute 1 key' }).fill('a');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByRole('textbox', { name: 'Attribute 2 key' }).fill('a');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByRole('combobox', { name: 'Room' }).fill('arn:aws:ivschat:us-east-1:123:channel/x');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByText('Not a room ARN')).toBeVisible();
    await expect(page.getByText('Enter a userId.')).toBeVisible();
    await expect(page.getByText('Duplicate key "a"')).toBeVisible();
    await expect(page.getByText('Enter a key or remove this row.')).toBeVisible();
    const userId = page.getByRole('textbox', { name: 'userId' });
    await expect(userId).toHaveAttribute('aria-invalid', 'true');
    const describedBy = await userId.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
  });

  const awsErrors: {
    name: string;
    fault?: Record<string, unknown>;
    arn?: string;
    message: RegExp;
    field?: RegExp;
    title?: string;
    atField?: boolean;
  }[] = [
    {
      name: 'ResourceNotFoundException (a room that does not exist)',
      arn: 'arn:aws:ivschat:us-east-1:123456789012:room/NoSuchRoom12',
      // GetRoom (the room card) already knows: flagged at the field, and nothing is sent.
      message: /No such room/,
      atField: true,
    },
    { name: 'AccessDeniedException', fault: { error: 'AccessDeniedException', count: 1 }, message: /not allowed to create chat tokens/ },
    { name: 'PendingVerification', fault: { error: 'PendingVerification', count: 1 }, message: /pending verification/ },
    {
      name: 'ValidationException with a fieldList',
      fault: { error: 'ValidationException', count: 1, message: 'userId is not allowed' },
      message: /rejected the request as invalid/,
    },
    { name: 'ThrottlingException past the retries', fault: { error: 'ThrottlingException', count: 3 }, message: /throttling/ },
    { name: 'HTTP 500 past the retries', fault: { error: 'InternalServerError', count: 3 }, message: /internal error/ },
    // The request may have reached AWS: not retried (CreateChatToken is not idempotent), outcome unknown.
    {
      name: 'a timeout',
      fault: { delayMs: 2500, count: 1 },
      title: 'Outcome unknown',
      message: /did not answer in time, so AWS may have issued a token that was never delivered/,
    },
  ];
  for (const c of awsErrors) {
    test(`AWS error: ${c.name} shows its message and no token`, async ({ page }) => {
      if (c.fault) await armFault({ operation: 'CreateChatToken', ...c.fault });
      await openMint(page);
      if (c.arn) {
        await page.getByRole('combobox', { name: 'Room' }).fill(c.arn);
        await page.getByRole('textbox', { name: 'userId' }).fill('err-user');
      } else {
        await fillBasics(page, 'err-user');
      }
      const calls = await createChatTokenCalls();
      await page.getByRole('button', { name: 'Mint token' }).click();
      if (c.atField) {
        await expect(page.getByRole('combobox', { name: 'Room' })).toHaveAccessibleDescription(c.message);
        await expect(page.getByTestId('token-result')).toHaveCount(0);
        expect(await createChatTokenCalls()).toBe(calls);
        return;
      }
      const alert = page.getByRole('alert').filter({ hasText: c.title ?? 'No token was issued' });
      await expect(alert).toContainText(c.message, { timeout: 15_000 });
      if (c.field) await expect(page.getByText(c.field).first()).toBeVisible();
      await expect(page.getByTestId('token-result')).toHaveCount(0);
      if (c.title === 'Outcome unknown') {
        // Its record stays pending, and the history and the detail page say what that means.
        await page.goto('/audit?userId=err-user&status=pending');
        const row = page.getByTestId('history-row').first();
        await expect(row.getByText('pending (outcome unknown)')).toBeVisible();
        await row.getByRole('link').click();
        await expect(page.getByTestId('token-state')).toHaveText('Outcome unknown');
      }
    });
  }

  test('Hide token takes the token off the page for good, leaving the rest of the result', async ({ page }) => {
    await openMint(page);
    await fillBasics(page, 'hide-me');
    await page.getByRole('button', { name: 'Mint token' }).click();
    const token = (await page.getByTestId('token-value').textContent())!.trim();
    await page.getByRole('button', { name: 'Hide token' }).click();
    await expect(page.getByTestId('token-value')).toHaveCount(0);
    await expect(page.getByTestId('token-value-hidden')).toHaveText('The token is hidden and cannot be shown again.');
    await expect(page.getByRole('button', { name: 'Copy token' })).toHaveCount(0);
    await expect(page.getByTestId('token-result')).toBeVisible();
    expect(await page.content()).not.toContain(token);
  });

  test('the mint page has no serious accessibility violations', async ({ page }) => {
    await openMint(page);
    await fillBasics(page, 'a11y-user');
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  test('works at a phone width, with the navigation behind a menu button', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await openMint(page);
    await expect(page.getByRole('button', { name: 'Toggle navigation' })).toBeVisible();
    await fillBasics(page, 'phone-user');
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('token-value')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test.describe('who may mint', () => {
  /** Captures a real server-action POST made by the mint form, to replay it as someone else. */
  async function captureMintAction(page: Page): Promise<{ url: string; headers: Record<string, string>; body: string }> {
    await openMint(page);
    await fillBasics(page, 'replayed-user');
    const requestPromise = page.waitForRequest(
      (r: Request) => r.method() === 'POST' && !!r.headers()['next-action'] && (r.postData() ?? '').includes('replayed-user'),
    );
    await page.getByRole('button', { name: 'Mint token' }).click();
    const request = await requestPromise;
    await expect(page.getByTestId('token-result')).toBeVisible();
    const headers = await request.allHeaders();
    return { url: request.url(), headers, body: request.postData() ?? '' };
  }

  test('a viewer sees a read-only form, and the server refuses a viewer who posts anyway', async ({ page, browser }) => {
    const action = await captureMintAction(page);
    const viewer = await browser.newContext({ storageState: storageStateFor('viewer') });
    const viewerPage = await viewer.newPage();
    await viewerPage.goto('/mint');
    await expect(viewerPage.getByText('Your role (viewer) may not mint tokens.')).toBeVisible();
    await expect(viewerPage.getByRole('button', { name: 'Mint token' })).toBeDisabled();

    const before = await createChatTokenCalls();
    const { cookie: _ignored, ...headers } = action.headers;
    const res = await viewer.request.post(action.url, { headers, data: action.body });
    const text = await res.text();
    expect(text).toContain('may not mint');
    expect(text).not.toMatch(/"token":"[A-Za-z0-9_-]{40,}"/);
    expect(await createChatTokenCalls()).toBe(before);
    await viewer.close();
  });

  test('a signed-out POST to the mint action issues nothing', async ({ page, playwright }) => {
    const action = await captureMintAction(page);
    // Explicitly empty: request contexts made in a test otherwise inherit the project's storageState.
    const anonymous = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
    const before = await createChatTokenCalls();
    const { cookie: _ignored, ...headers } = action.headers;
    const res = await anonymous.post(action.url, { headers, data: action.body });
    const text = await res.text();
    expect(text).toContain('UNAUTHENTICATED');
    expect(text).not.toMatch(/"token":"[A-Za-z0-9_-]{40,}"/);
    expect(await createChatTokenCalls()).toBe(before);
    await anonymous.dispose();
  });
});
