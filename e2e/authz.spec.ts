import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { E2E, storageStateFor } from './env';
import { SEED, createApiKeyCli, createChatTokenCalls } from './helpers';

/**
 * Issue 12 over real HTTP against the built console: the one bulk download cannot be spent by a
 * cross-site GET, bodies in invalid UTF-8 are refused, bidi and invisible characters are refused
 * at the field in the API and in Chromium's form, the deny list is readable by support, and a qa
 * member sees neither an every-room deny nor the settings of a room outside its scope.
 */

const PROD_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/MainStage001';
const sameOrigin = { origin: E2E.baseUrl };

async function finishedJob(request: APIRequestContext, count: number): Promise<string> {
  const started = await request.post('/api/bulk/jobs', {
    headers: sameOrigin,
    data: {
      roomArn: SEED.qaSandbox,
      capabilities: ['SEND_MESSAGE'],
      sessionDurationInMinutes: 5,
      source: { kind: 'template', template: `dl-${Date.now()}-{n}`, start: 1, count },
    },
  });
  expect(started.status(), await started.text()).toBe(202);
  const { id } = (await started.json()) as { id: string };
  await expect
    .poll(async () => ((await (await request.get(`/api/bulk/jobs/${id}`)).json()) as { job: { status: string } }).job.status)
    .toBe('completed');
  return id;
}

const tokensState = async (request: APIRequestContext, id: string) =>
  ((await (await request.get(`/api/bulk/jobs/${id}`)).json()) as { job: { tokens: string } }).job.tokens;

const rawJson = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

test.describe('as qa', () => {
  test.use({ storageState: storageStateFor('qa') });

  test('the one bulk download: a GET (a link on any site) cannot spend it, a cross-site POST is refused, the page downloads once', async ({
    page,
  }) => {
    const id = await finishedJob(page.request, 5);
    const url = `/api/bulk/jobs/${id}/download?format=csv`;
    // What a link or an image on another site makes the browser send, with the Lax session cookie.
    const linked = await page.request.get(url);
    expect(linked.status()).toBe(405);
    expect(await tokensState(page.request, id)).toBe('held');
    const crossSite = await page.request.post(url, { headers: { origin: 'http://evil.example' } });
    expect(crossSite.status()).toBe(403);
    expect(await crossSite.json()).toMatchObject({ ok: false, code: 'FORBIDDEN', fieldErrors: {} });
    // Without an Origin (no browser sends a POST without one): refused too.
    expect((await page.request.post(url)).status()).toBe(403);
    expect(await tokensState(page.request, id)).toBe('held');

    await page.goto(`/bulk/${id}`);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`bulk-${id}.csv`);
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines.slice(1).every((l) => /,issued,[A-Za-z0-9_-]{40,},/.test(l))).toBe(true);
    await expect(page.getByTestId('bulk-tokens')).toContainText(/no longer keeps these tokens|no longer kept/);
    expect((await page.request.post(url, { headers: sameOrigin })).status()).toBe(410);
  });

  test('a bulk body in invalid UTF-8 is a 400 at the field body, and nothing starts', async ({ page }) => {
    const before = await createChatTokenCalls();
    const res = await page.request.post('/api/bulk/jobs', {
      headers: { ...sameOrigin, 'content-type': 'application/json' },
      data: rawJson(`{"roomArn":"${SEED.qaSandbox}","source":{"kind":"csv","csv":"userId\\nqa-`, [0xff, 0xfe], `\\n"}}`),
    });
    expect(res.status()).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_INPUT', fieldErrors: { body: expect.any(String) } });
    expect(await createChatTokenCalls()).toBe(before);
  });

  test('no every-room deny for a role limited to some rooms, and no settings of a room outside its scope', async ({ page }) => {
    await page.goto('/moderation');
    await expect(page.getByRole('heading', { name: 'Deny list' })).toBeVisible();
    await expect(page.getByRole('checkbox', { name: 'In every room' })).toHaveCount(0);

    await page.goto('/mint');
    await page.getByRole('combobox', { name: 'Room' }).fill(PROD_ROOM);
    await page.keyboard.press('Escape');
    const settings = page.getByRole('region', { name: 'Room settings' }).or(page.locator('[aria-labelledby="room-settings-title"]'));
    await expect(settings.getByRole('alert')).toContainText('rule roles.qa.rooms.tags.env');
    await expect(page.getByTestId('room-settings')).toHaveCount(0);
    await expect(settings).not.toContainText('main-stage');
  });
});

test.describe('through the API', () => {
  test('a body in invalid UTF-8 is a 400, not a token for a repaired userId', async ({ request }) => {
    const key = createApiKeyCli(`utf8-${Date.now()}`, 'qa');
    const before = await createChatTokenCalls();
    const res = await request.post('/api/v1/tokens', {
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      data: rawJson(`{"roomArn":"${SEED.qaSandbox}","userId":"qa-`, [0xc3, 0x28], `"}`),
    });
    expect(res.status()).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_INPUT', fieldErrors: { body: 'Not valid UTF-8.' } });
    expect(await createChatTokenCalls()).toBe(before);
  });

  test('bidi controls and invisible reasons are refused at their field', async ({ request }) => {
    const key = createApiKeyCli(`bidi-${Date.now()}`, 'moderator');
    const headers = { authorization: `Bearer ${key}` };
    const before = await createChatTokenCalls();
    const bidi = await request.post('/api/v1/tokens', { headers, data: { roomArn: SEED.qaSandbox, userId: 'user\u202Egpj.exe' } });
    expect(bidi.status()).toBe(400);
    expect(((await bidi.json()) as { fieldErrors: Record<string, string> }).fieldErrors.userId).toContain('U+202E');
    for (const reason of ['\u200B', '\u2800', '\u3164']) {
      const res = await request.post('/api/v1/tokens', {
        headers,
        data: { roomArn: SEED.qaSandbox, userId: 'u1', capabilities: ['DELETE_MESSAGE', 'DISCONNECT_USER'], reason },
      });
      expect(res.status()).toBe(400);
      expect(((await res.json()) as { fieldErrors: Record<string, string> }).fieldErrors.reason).toBeTruthy();
    }
    expect(await createChatTokenCalls()).toBe(before);
  });
});

test.describe('in the mint form (Chromium)', () => {
  test.use({ storageState: storageStateFor('moderator') });

  test('a bidi control in the userId and an invisible reason are field errors before anything is sent', async ({ page }) => {
    await page.goto('/mint');
    await page.getByRole('combobox', { name: 'Room' }).fill(SEED.qaSandbox);
    await page.keyboard.press('Escape');
    const before = await createChatTokenCalls();
    await page.getByRole('textbox', { name: 'userId' }).fill('evil\u202Egpj.exe');
    await page.getByRole('switch', { name: /Delete messages/ }).check();
    await page.getByRole('textbox', { name: 'Reason' }).fill('\u200B\u3164');
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByText(/userId contains a bidirectional control character \(U\+202E\)/)).toBeVisible();
    await expect(page.getByText(/The reason has no visible text/)).toBeVisible();
    await expect(page.getByTestId('token-result')).toHaveCount(0);
    expect(await createChatTokenCalls()).toBe(before);
  });
});

test.describe('as support', () => {
  test.use({ storageState: storageStateFor('support') });

  test('reads the deny list, without the means to change it', async ({ page }) => {
    await page.goto('/moderation');
    await expect(page.getByRole('heading', { name: 'Deny list (read only)' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Denied userIds' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Deny this userId' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Remove .* from the deny list/ })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Deny list' })).toBeVisible();
  });
});
