/**
 * Screens that tell the truth (issue 14): one status for a token, input shown as it is, rooms
 * resolved at the field, token lookup that says what a paste is, one time format. Real console,
 * real emulator, real database; the browser clock is moved only to read a record later.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { E2E, storageStateFor } from './env';
import { SEED, createApiKeyCli, pickRoom } from './helpers';

test.use({ storageState: storageStateFor('admin'), viewport: { width: 1440, height: 900 } });

const SHOTS = process.env.TRUTH_SHOTS ?? '/work/shots/truth/after';
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });

const tag = () => randomUUID().slice(0, 8);
let api: APIRequestContext;
let key: string;

test.beforeAll(async ({ playwright }) => {
  api = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
  key = createApiKeyCli(`e2e-truth-${process.pid}-${Date.now().toString(36)}`, 'admin');
});
test.afterAll(async () => api?.dispose());

async function apiMint(data: Record<string, unknown>) {
  const res = await api.post('/api/v1/tokens', {
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    data: JSON.stringify(data),
  });
  return { status: res.status(), body: (await res.json()) as Record<string, unknown> & { fieldErrors?: Record<string, string> } };
}

async function mintInForm(page: Page, userId: string, minutes?: number) {
  await page.goto('/mint');
  await expect(async () => {
    await page.getByRole('combobox', { name: 'Room' }).fill('');
    await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  }).toPass({ intervals: [250, 500, 1000], timeout: 15_000 });
  await page.getByRole('textbox', { name: 'userId' }).fill(userId);
  if (minutes !== undefined) {
    const slider = page.getByRole('slider', { name: 'Session duration' });
    await slider.focus();
    await page.keyboard.press('Home');
    for (let i = 1; i < minutes; i++) await page.keyboard.press('ArrowRight');
  }
  await page.getByRole('button', { name: 'Mint token' }).click();
  const result = page.getByTestId('token-result');
  await expect(result).toBeVisible();
  const text = (await result.getByText(/^Audit record /).textContent()) ?? '';
  return /Audit record ([0-9a-f-]{36})/.exec(text)![1];
}

test.describe('one true status', () => {
  test('a 2-minute session: the result, the record and History count down to the session end, then say "session ended"', async ({
    page,
  }) => {
    const userId = `short-${tag()}`;
    const auditId = await mintInForm(page, userId, 2);
    const result = page.getByTestId('token-result');
    await shot(page, 'mint-result');
    // The token itself would be good for 60 min, but the session ends after 2: the earlier one wins.
    await expect(result.getByTestId('token-state')).toHaveText(/^Valid for (1 min|\d+ s)$/);
    // The timeline is in time order: issued, session ends (2 min), token expires (60 min).
    const steps = result.getByTestId('timeline-step');
    await expect(steps).toHaveText([/Issued/, /Session ends/, /Token expires/]);

    await page.goto(`/audit/${auditId}`);
    await expect(page.getByRole('heading', { name: 'Token mint' })).toBeVisible();
    await expect(page.getByTestId('token-state')).toHaveText(/^Valid for (1 min|\d+ s)$/);
    await shot(page, 'token-record');
    await expect(page.getByTestId('token-expiry-moot')).toContainText('The session end comes first');

    await page.goto(`/audit?userId=${encodeURIComponent(userId)}`);
    await expect(page.getByTestId('history-state')).toHaveText(/^valid for (1 min|\d+ s)$/);

    // Read again three minutes later (the browser's clock; the record is the same).
    await page.clock.install({ time: Date.now() + 180_000 });
    await page.goto(`/audit/${auditId}`);
    await expect(page.getByTestId('token-state')).toHaveText(/Session ended/);
    await expect(page.getByTestId('token-state')).not.toContainText('connect until');
  });

  test('denied and disconnected tokens say so on the record and in History', async ({ page }) => {
    const denied = `denied-${tag()}`;
    const kicked = `kicked-${tag()}`;
    const a = await apiMint({ roomArn: SEED.qaSandbox, userId: denied });
    const b = await apiMint({ roomArn: SEED.qaSandbox, userId: kicked });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);

    await page.goto('/moderation');
    await expect(async () => {
      await page.getByRole('combobox', { name: 'Room' }).fill('');
      await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
    }).toPass({ intervals: [250, 500, 1000], timeout: 15_000 });
    await page.getByRole('textbox', { name: 'userId to deny' }).fill(denied);
    await page.getByRole('textbox', { name: 'Deny reason' }).fill('spam');
    await page.getByRole('button', { name: 'Deny this userId' }).click();
    await expect(page.getByTestId('denylist-outcome')).toContainText(denied);
    await page.getByRole('textbox', { name: 'userId to disconnect' }).fill(kicked);
    await page.getByRole('textbox', { name: 'Disconnect reason' }).fill('flooding');
    await page.getByRole('button', { name: 'Disconnect user' }).click();
    await expect(page.getByTestId('disconnect-outcome')).toBeVisible();

    await page.goto(`/audit/${a.body.auditId as string}`);
    await expect(page.getByTestId('token-state')).toHaveText(/Denied in this room/);
    // IVS cannot revoke a token: the words must not claim the token is dead.
    await expect(page.getByTestId('token-state-detail')).toContainText('IVS cannot revoke');
    await page.goto(`/audit/${b.body.auditId as string}`);
    await expect(page.getByTestId('token-state')).toHaveText(/Disconnected by a moderator at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    await expect(page.getByTestId('token-state-detail')).toContainText('does not say whether');

    await page.goto(`/audit?room=${encodeURIComponent(SEED.qaSandbox)}`);
    await expect(page.locator(`[data-record-id="${a.body.auditId as string}"]`).getByTestId('history-state')).toHaveText(/denied/i);
    await expect(page.locator(`[data-record-id="${b.body.auditId as string}"]`).getByTestId('history-state')).toHaveText(/disconnected/i);
  });
});

test.describe('input as it is', () => {
  test('a userId with spaces at its ends is flagged at the field, in the form and the API alike', async ({ page }) => {
    await page.goto('/mint');
    await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
    await page.getByRole('textbox', { name: 'userId' }).fill(' ann ');
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByRole('textbox', { name: 'userId' })).toHaveAccessibleDescription(/^userId starts and ends with a space\./);
    await expect(page.getByTestId('token-result')).toHaveCount(0);

    const res = await apiMint({ roomArn: SEED.qaSandbox, userId: ' ann ' });
    expect(res.status).toBe(400);
    expect(res.body.fieldErrors?.userId).toMatch(/^userId starts and ends with a space\./);
  });

  test('spaces inside a userId are shown, marked, where exactness matters', async ({ page }) => {
    const userId = `ann  b-${tag()}`;
    const minted = await apiMint({ roomArn: SEED.qaSandbox, userId });
    expect(minted.status).toBe(201);
    await page.goto(`/audit/${minted.body.auditId as string}`);
    const shown = page.getByTestId('record-user-id');
    await expect(shown.locator('[data-exact-space]')).toHaveCount(2);
    expect(await shown.textContent()).toContain(userId);
    await page.goto(`/audit?userId=${encodeURIComponent(userId)}`);
    await expect(page.getByTestId('history-user-id').locator('[data-exact-space]')).toHaveCount(2);
  });

  test('the room field takes a bare room id or an exact name and mints for its ARN', async ({ page }) => {
    await page.goto('/mint');
    const room = page.getByRole('combobox', { name: 'Room' });
    await room.fill('QaSandbox001');
    await page.getByRole('textbox', { name: 'userId' }).fill(`byid-${tag()}`);
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('token-result')).toBeVisible();
    await expect(page.getByTestId('token-result').getByRole('table', { name: 'What was granted' })).toContainText(SEED.qaSandbox);

    await page.goto('/mint');
    await room.fill('qa-sandbox');
    await room.press('Escape');
    await page.getByRole('textbox', { name: 'userId' }).fill(`byname-${tag()}`);
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('token-result').getByRole('table', { name: 'What was granted' })).toContainText(SEED.qaSandbox);
  });

  test('an unknown room is flagged at the field before submit, a search with no match says so, and the API resolves too', async ({
    page,
  }) => {
    // Unknown: flagged at the field once the field is left, before any submit.
    await page.goto('/mint');
    const room = page.getByRole('combobox', { name: 'Room' });
    await room.fill('NoSuchRoom99');
    await page.getByRole('textbox', { name: 'userId' }).click();
    await expect(room).toHaveAccessibleDescription(/No room has the id or name/);
    await room.fill('arn:aws:ivschat:us-east-1:123456789012:room/NoSuchRoom01');
    await page.getByRole('textbox', { name: 'userId' }).click();
    await expect(room).toHaveAccessibleDescription(/No such room/);

    // A search with no match says so.
    await room.fill('zzz-nothing');
    await expect(page.getByTestId('room-search-empty')).toContainText('No room matches');

    // The API resolves the same way, on the server.
    const byId = await apiMint({ roomArn: 'QaSandbox001', userId: `api-byid-${tag()}` });
    expect(byId.status).toBe(201);
    const record = await api.get(`/api/v1/tokens/${byId.body.auditId as string}`, { headers: { Authorization: `Bearer ${key}` } });
    expect(JSON.stringify(await record.json())).toContain(SEED.qaSandbox);
    const unknown = await apiMint({ roomArn: 'NoSuchRoom99', userId: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fieldErrors?.roomArn).toMatch(/No room has the id or name/);
  });

  test('lookup strips what is pasted around a token and says what a non-token is', async ({ page }) => {
    const userId = `lookup-${tag()}`;
    const minted = await apiMint({ roomArn: SEED.qaSandbox, userId });
    expect(minted.status).toBe(201);
    const token = minted.body.token as string;
    await page.goto('/audit/lookup');
    const field = page.getByRole('textbox', { name: 'Token' });

    await field.fill('hello world');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.waitForTimeout(1500);
    await shot(page, 'lookup-hello-world');
    await expect(field).toHaveAccessibleDescription(/This is not a token/);
    await expect(page.getByTestId('lookup-not-found')).toHaveCount(0);

    const jwt = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"1"}').toString('base64url')}.c2ln`;
    await field.fill(jwt);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(field).toHaveAccessibleDescription(/This is a JWT, not an IVS chat token/);

    await field.fill(`Bearer "${token.slice(0, 40)}\n${token.slice(40)}"\n`);
    await page.getByRole('button', { name: 'Look up' }).click();
    await shot(page, 'lookup-bearer-paste');
    await expect(page).toHaveURL(new RegExp(`/audit/${minted.body.auditId as string}$`));
    await expect(page.getByTestId('token-state')).toHaveText(/Valid for/);
    await shot(page, 'lookup-result');
  });
});

test.describe('one time format', () => {
  test.use({ timezoneId: 'America/Los_Angeles' });
  test('UTC with local time and its zone name beside it, on the record and the API keys page', async ({ page }) => {
    const minted = await apiMint({ roomArn: SEED.qaSandbox, userId: `time-${tag()}` });
    await page.goto(`/audit/${minted.body.auditId as string}`);
    const time = page.getByTestId('record-table').getByTestId('time').first();
    await expect(time).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    await expect(time).toContainText('America/Los_Angeles');
    await expect(page.locator('body')).not.toContainText(/GMT[+-]\d/);

    await page.goto('/admin');
    const keys = page.getByTestId('api-key-table');
    await expect(keys.getByTestId('time').first()).toContainText(/UTC/);
    await expect(keys.getByTestId('time').first()).toContainText('America/Los_Angeles');
    await expect(keys).not.toContainText(/(AM|PM)\b/);
  });
});
