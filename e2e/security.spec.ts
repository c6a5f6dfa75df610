/**
 * Hostile callers over real HTTP against the built console: replayed server-action POSTs with no,
 * expired, forged or foreign-origin credentials, smuggled roles, and a demoted member; XSS probes
 * on the result; the security header set on pages and the API. Each hostile case asserts that no
 * token came back and that CreateChatToken never reached the emulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type APIRequestContext, type Page, type Request } from '@playwright/test';
import { IvschatClient, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-ivschat';
import { encode } from 'next-auth/jwt';
import { ACCOUNTS, E2E, PASSWORD, storageStateFor } from './env';
import { SEED, createChatTokenCalls, pickRoom, staffCli } from './helpers';

const TOKEN_IN_BODY = /"token":"[A-Za-z0-9_-]{40,}"/;
const SESSION_COOKIE = 'next-auth.session-token';

interface CapturedAction {
  url: string;
  headers: Record<string, string>;
  /** The JSON-encoded argument list Next posts for `mintTokenAction(values)`. */
  args: Record<string, unknown>[];
}

/** Captures a real mint server-action POST made by the form, to replay it as someone else. */
async function captureMintAction(page: Page): Promise<CapturedAction> {
  await page.goto('/mint');
  await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  await page.getByRole('textbox', { name: 'userId' }).fill('captured-user');
  const requestPromise = page.waitForRequest(
    (r: Request) => r.method() === 'POST' && !!r.headers()['next-action'] && (r.postData() ?? '').includes('captured-user'),
  );
  await page.getByRole('button', { name: 'Mint token' }).click();
  const request = await requestPromise;
  await expect(page.getByTestId('token-result')).toBeVisible();
  const { cookie: _cookie, ...headers } = await request.allHeaders();
  return { url: request.url(), headers, args: JSON.parse(request.postData() ?? '[]') };
}

function secret(): string {
  return (JSON.parse(readFileSync(join(E2E.dataDir, 'secrets.json'), 'utf8')) as { NEXTAUTH_SECRET: string }).NEXTAUTH_SECRET;
}

function staffId(email: string): string {
  const list = JSON.parse(staffCli('list', '--json')) as { id: string; email: string }[];
  return list.find((s) => s.email === email)!.id;
}

/** Replays the action with exactly the given cookie and extra headers; returns the response text. */
async function replay(
  request: APIRequestContext,
  action: CapturedAction,
  options: { cookie?: string; headers?: Record<string, string>; args?: unknown[] } = {},
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { ...action.headers, ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  const res = await request.post(action.url, { headers, data: JSON.stringify(options.args ?? action.args), maxRedirects: 0 });
  return { status: res.status(), text: await res.text() };
}

async function expectNothingMinted(before: number, response: { text: string }) {
  expect(response.text).not.toMatch(TOKEN_IN_BODY);
  expect(await createChatTokenCalls()).toBe(before);
}

test.describe('hostile callers', () => {
  let action: CapturedAction;
  let anonymous: APIRequestContext;

  test.beforeAll(async ({ browser, playwright }) => {
    const context = await browser.newContext({ storageState: storageStateFor('moderator') });
    action = await captureMintAction(await context.newPage());
    await context.close();
    // Explicitly empty: request contexts made in a test otherwise inherit the project's storageState.
    anonymous = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
  });
  test.afterAll(async () => anonymous?.dispose());

  test('the captured action replays with a valid cookie (control case)', async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStateFor('moderator') });
    const before = await createChatTokenCalls();
    const res = await context.request.post(action.url, { headers: action.headers, data: JSON.stringify(action.args) });
    expect(await res.text()).toMatch(TOKEN_IN_BODY);
    expect(await createChatTokenCalls()).toBe(before + 1);
    await context.close();
  });

  test('no cookie', async () => {
    const before = await createChatTokenCalls();
    const res = await replay(anonymous, action);
    expect(res.text).toContain('UNAUTHENTICATED');
    await expectNothingMinted(before, res);
  });

  test('an expired session cookie (signed with the right secret)', async () => {
    const id = staffId(ACCOUNTS.moderator);
    // Control: the same claims, signed the same way but not expired, are accepted; so the refusal
    // below is the expiry's doing.
    const fresh = await encode({ token: { sub: id, staffId: id, email: ACCOUNTS.moderator }, secret: secret(), maxAge: 3600 });
    const accepted = await replay(anonymous, action, { cookie: `${SESSION_COOKIE}=${fresh}` });
    expect(accepted.text).toMatch(TOKEN_IN_BODY);
    const jwt = await encode({ token: { sub: id, staffId: id, email: ACCOUNTS.moderator }, secret: secret(), maxAge: -60 });
    const before = await createChatTokenCalls();
    const res = await replay(anonymous, action, { cookie: `${SESSION_COOKIE}=${jwt}` });
    expect(res.text).toContain('UNAUTHENTICATED');
    await expectNothingMinted(before, res);
  });

  test('a session cookie signed with another secret', async () => {
    const id = staffId(ACCOUNTS.admin);
    const jwt = await encode({
      token: { sub: id, staffId: id, email: ACCOUNTS.admin },
      secret: 'an-attacker-chosen-secret-of-32-characters!',
      maxAge: 3600,
    });
    const before = await createChatTokenCalls();
    const res = await replay(anonymous, action, { cookie: `${SESSION_COOKIE}=${jwt}` });
    expect(res.text).toContain('UNAUTHENTICATED');
    await expectNothingMinted(before, res);
  });

  test('a foreign Origin header, with a valid cookie', async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStateFor('moderator') });
    const before = await createChatTokenCalls();
    for (const origin of ['http://evil.example', 'null', `http://localhost:${E2E.port + 1}`]) {
      const res = await context.request.post(action.url, {
        headers: { ...action.headers, origin },
        data: JSON.stringify(action.args),
      });
      const text = await res.text();
      expect(res.ok(), `origin ${origin}`).toBe(false);
      await expectNothingMinted(before, { text });
    }
    await context.close();
  });

  test('a role smuggled into the posted arguments', async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStateFor('support') });
    const before = await createChatTokenCalls();
    const smuggled = [
      { ...action.args[0], role: 'admin', capabilities: ['DISCONNECT_USER'], reason: 'x' },
      { ...action.args[0], role: 'admin', staffId: staffId(ACCOUNTS.admin), sessionDurationInMinutes: 180 },
    ];
    for (const arg of smuggled) {
      const res = await context.request.post(action.url, { headers: action.headers, data: JSON.stringify([arg, { role: 'admin' }]) });
      const text = await res.text();
      expect(text).toContain('FORBIDDEN');
      expect(text).toMatch(/roles\.support\.(capabilities|maxSessionMinutes)/);
      await expectNothingMinted(before, { text });
    }
    await context.close();
  });

  test("a demoted staff member's next request, and a disabled one's", async ({ browser }) => {
    const email = `demoted-${Date.now()}@e2e.test`;
    staffCli('add', email, 'moderator', '--password', PASSWORD);
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto('/signin');
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/mint$/);

    let before = await createChatTokenCalls();
    const ok = await context.request.post(action.url, { headers: action.headers, data: JSON.stringify(action.args) });
    expect(await ok.text()).toMatch(TOKEN_IN_BODY);
    expect(await createChatTokenCalls()).toBe(before + 1);

    staffCli('set-role', email, 'viewer');
    // The role is re-read from the staff store (the e2e console does not cache it: STAFF_CACHE_MS=0).
    before = await createChatTokenCalls();
    const demoted = await context.request.post(action.url, { headers: action.headers, data: JSON.stringify(action.args) });
    const demotedText = await demoted.text();
    expect(demotedText).toContain('roles.viewer.mayMint');
    await expectNothingMinted(before, { text: demotedText });

    staffCli('set-role', email, 'moderator');
    staffCli('disable', email);
    const disabled = await context.request.post(action.url, { headers: action.headers, data: JSON.stringify(action.args) });
    const disabledText = await disabled.text();
    expect(disabledText).toContain('UNAUTHENTICATED');
    await expectNothingMinted(before, { text: disabledText });
    await context.close();
  });
});

test.describe('hostile callers of the staff actions', () => {
  test('a support member or a signed-out caller replaying "add staff" changes nothing', async ({ browser, playwright }) => {
    const admin = await browser.newContext({ storageState: storageStateFor('admin') });
    const page = await admin.newPage();
    await page.goto('/admin');
    const captured = `captured-${Date.now()}@e2e.test`;
    await page.getByRole('textbox', { name: 'Email' }).fill(captured);
    const requestPromise = page.waitForRequest(
      (r) => r.method() === 'POST' && !!r.headers()['next-action'] && (r.postData() ?? '').includes(captured),
    );
    await page.getByRole('button', { name: 'Add staff member' }).click();
    const request = await requestPromise;
    await expect(page.getByTestId('staff-added')).toBeVisible();
    const { cookie: _cookie, ...headers } = await request.allHeaders();
    await admin.close();

    const support = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: storageStateFor('support') });
    const anonymous = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
    for (const [who, ctx, expected] of [
      ['support', support, 'roles.support.mayManageStaff'],
      ['anonymous', anonymous, 'Your session has ended'],
    ] as const) {
      const email = `smuggled-${who}-${Date.now()}@e2e.test`;
      const res = await ctx.post(request.url(), { headers, data: JSON.stringify([{ email, role: 'admin', password: PASSWORD }]) });
      expect(await res.text()).toContain(expected);
      expect(staffCli('list')).not.toContain(email);
    }
    await support.dispose();
    await anonymous.dispose();
  });
});

test.describe('XSS probes on the result', () => {
  test.use({ storageState: storageStateFor('moderator') });

  const IMG = '<img src=x onerror=window.__xss=1>';
  const JS = 'javascript:alert(1)';

  test('userId, attributes and reason are shown literally, and no script runs', async ({ page }) => {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto('/mint');
    await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
    await page.getByRole('textbox', { name: 'userId' }).fill(IMG);
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByRole('textbox', { name: 'Attribute 1 key' }).fill('<script>window.__xss=2</script>');
    await page.getByRole('textbox', { name: 'Attribute 1 value' }).fill(JS);
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByRole('textbox', { name: 'Attribute 2 key' }).fill('link');
    await page.getByRole('textbox', { name: 'Attribute 2 value' }).fill(IMG);
    await page.getByRole('textbox', { name: 'Reason' }).fill(`${IMG} ${JS}`);
    await page.getByRole('button', { name: 'Mint token' }).click();
    const result = page.getByTestId('token-result');
    await expect(result).toBeVisible();

    await expect(page.getByTestId('granted-user-id')).toHaveText(IMG);
    await expect(result).toContainText('<script>window.__xss=2</script>');
    await expect(result).toContainText(JS);
    await expect(result).toContainText(`${IMG} ${JS}`);
    expect(await result.locator('img[src="x"], script').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
});

test.describe('XSS probes in room tags', () => {
  test.use({ storageState: storageStateFor('moderator') });

  test('a hostile tag set on the room through the API is shown literally in the room settings', async ({ page }) => {
    const IMG = '<img src=x onerror=window.__xss=3>';
    const ivschat = new IvschatClient({
      region: 'us-east-1',
      endpoint: E2E.emulatorUrl,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    await ivschat.send(new TagResourceCommand({ resourceArn: SEED.qaSandbox, tags: { probe: IMG, 'javascript:alert(1)': 'x' } }));
    try {
      await page.goto('/mint');
      await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
      const settings = page.getByTestId('room-settings');
      await expect(settings).toContainText(`probe=${IMG}`);
      await expect(settings).toContainText('javascript:alert(1)=x');
      expect(await settings.locator('img, script, a[href^="javascript:"]').count()).toBe(0);
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    } finally {
      await ivschat.send(new UntagResourceCommand({ resourceArn: SEED.qaSandbox, tagKeys: ['probe', 'javascript:alert(1)'] }));
    }
  });
});

test.describe('security headers', () => {
  function expectHeaderSet(headers: Record<string, string>, where: string) {
    const csp = headers['content-security-policy'] ?? '';
    const scriptSrc =
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('script-src')) ?? '';
    expect(scriptSrc, where).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
    expect(scriptSrc, where).not.toContain("'unsafe-inline'");
    expect(csp, where).toContain("frame-ancestors 'none'");
    expect(csp, where).toContain("object-src 'none'");
    expect(headers['x-content-type-options'], where).toBe('nosniff');
    expect(headers['x-frame-options'], where).toBe('DENY');
    expect(headers['referrer-policy'], where).toBe('same-origin');
    // http://localhost: no HSTS (it is set only in production behind an https NEXTAUTH_URL).
    expect(headers['strict-transport-security'], where).toBeUndefined();
    expect(headers['x-powered-by'], where).toBeUndefined();
  }

  test('on pages, signed in and out, and on the API', async ({ playwright }) => {
    const moderator = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: storageStateFor('moderator') });
    const anonymous = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
    const checks: [APIRequestContext, string][] = [
      [anonymous, '/signin'],
      [anonymous, '/api/auth/session'],
      [anonymous, '/api/auth/csrf'],
      [moderator, '/mint'],
      [moderator, '/audit'],
      [moderator, '/api/auth/session'],
    ];
    for (const [ctx, path] of checks) {
      const res = await ctx.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBeLessThan(400);
      expectHeaderSet(res.headers(), path);
    }
    const mint = await moderator.get('/mint');
    expect(mint.headers()['cache-control']).toContain('no-store');
    await moderator.dispose();
    await anonymous.dispose();
  });

  test("each page load gets a fresh nonce, on Next's scripts and Mantine's inline script", async ({ page }) => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await page.goto('/signin');
      const csp = res!.headers()['content-security-policy']!;
      const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
      nonces.push(nonce);
      const html = await res!.text();
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
      expect(inline.length).toBeGreaterThan(0);
      for (const attrs of inline) expect(attrs).toContain(`nonce="${nonce}"`);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  test('the page works under its CSP: no violations while minting', async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStateFor('moderator') });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto('/mint');
    await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
    await page.getByRole('textbox', { name: 'userId' }).fill('csp-user');
    const actionResponse = page.waitForResponse((r) => r.request().method() === 'POST' && !!r.request().headers()['next-action']);
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('token-value')).toBeVisible();
    // The server-action response carries the token: never cacheable.
    expect((await actionResponse).headers()['cache-control']).toContain('no-store');
    expect(violations).toEqual([]);
    await context.close();
  });
});
