/**
 * Issue 12, the session and sign-in half, over real HTTP against the built console (and a second
 * process of the same build), in Chromium where the browser's own URL parsing is the point:
 * sessions that can be ended (sign-out, a new password, disabling, an admin's "sign out
 * everywhere") and that cannot be renewed past their lifetime; sign-in throttling per account and
 * per client address with the refusals shown to admins; return paths a browser would read as
 * another site; CR/LF/non-Latin-1 return paths; server-action origins from the runtime
 * configuration; real 404s on the detail pages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type APIRequestContext, type Browser, type Request } from '@playwright/test';
import { decode, encode } from 'next-auth/jwt';
import { ACCOUNTS, E2E, PASSWORD, storageStateFor } from './env';
import { SEED, pickRoom, staffCli } from './helpers';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SESSION_COOKIE = 'next-auth.session-token';
const run = Date.now().toString(36);
const ENDED = /Your session was ended elsewhere/;

function secrets(): { NEXTAUTH_SECRET: string; FINGERPRINT_KEY: string } {
  return JSON.parse(readFileSync(join(E2E.dataDir, 'secrets.json'), 'utf8'));
}

function staffRecord(email: string): { id: string; sessionVersion?: number } {
  const list = JSON.parse(staffCli('list', '--json')) as { id: string; email: string; sessionVersion?: number }[];
  return list.find((s) => s.email === email)!;
}

function addMember(prefix: string, role = 'support'): string {
  const email = `${prefix}-${run}@e2e.test`;
  staffCli('add', email, role, '--password', PASSWORD);
  return email;
}

/** Signs in through the form in a fresh context; returns the context and its session cookie. */
async function signedIn(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/mint$/);
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE)!;
  return { context, page, cookie: `${SESSION_COOKIE}=${cookie.value}` };
}

/** GET with exactly this cookie (a copied one), no redirects followed. */
async function getWith(request: APIRequestContext, path: string, cookie: string) {
  return request.get(path, { headers: { cookie }, maxRedirects: 0 });
}

const csrfTokens = new WeakMap<APIRequestContext, string>();

/** next-auth's credentials sign-in over HTTP, as the form does it; answers the error it reported (null: signed in). */
async function httpSignIn(
  request: APIRequestContext,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ error: string | null; cookie: string | null }> {
  // One CSRF token per request context (next-auth's double-submit cookie stays valid), so an
  // attempt is one request: the throttle's 1 s first wait is measured between attempts.
  let csrfToken = csrfTokens.get(request);
  if (!csrfToken) {
    csrfToken = ((await (await request.get('/api/auth/csrf', { headers })).json()) as { csrfToken: string }).csrfToken;
    csrfTokens.set(request, csrfToken);
  }
  const res = await request.post('/api/auth/callback/credentials', {
    headers,
    form: { csrfToken, email, password, json: 'true', callbackUrl: '/mint' },
    maxRedirects: 0,
  });
  const text = await res.text();
  let url: string;
  try {
    url = (JSON.parse(text) as { url: string }).url;
  } catch {
    url = res.headers().location ?? '';
  }
  const error = url ? new URL(url, E2E.baseUrl).searchParams.get('error') : `HTTP ${res.status()} ${text.slice(0, 200)}`;
  const cookie = res
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value.split(';')[0]!)
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`) && c.length > SESSION_COOKIE.length + 1);
  return { error, cookie: cookie ?? null };
}

test.describe('sessions that can be ended', () => {
  let anonymous: APIRequestContext;
  test.beforeAll(async ({ playwright }) => {
    anonymous = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
  });
  test.afterAll(async () => anonymous?.dispose());

  test('after sign-out a copied session cookie no longer works, and the other window is told why', async ({ browser }) => {
    const email = addMember('copy');
    const first = await signedIn(browser, email);
    const second = await signedIn(browser, email);
    // Control: the copied cookie works before sign-out.
    expect((await getWith(anonymous, '/mint', first.cookie)).status()).toBe(200);
    await first.page.getByRole('button', { name: 'Sign out' }).click();
    await expect(first.page).toHaveURL(/\/signin/);

    const res = await getWith(anonymous, '/mint', first.cookie);
    expect(res.status()).toBe(307);
    expect(res.headers().location).toContain('/signin?callbackUrl=%2Fmint');
    // The session endpoint does not renew it either.
    const session = await anonymous.get('/api/auth/session', { headers: { cookie: first.cookie } });
    expect(await session.json()).toEqual({});

    // The member's other window: sent to sign-in with the sentence and the path it was on.
    await second.page.goto('/audit/lookup');
    await expect(second.page).toHaveURL(/\/signin\?callbackUrl=%2Faudit%2Flookup&error=SessionEnded/);
    await expect(second.page.getByRole('alert', { name: 'Not signed in' })).toContainText(ENDED);
    await second.page.getByRole('textbox', { name: 'Email' }).fill(email);
    await second.page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await second.page.getByRole('button', { name: 'Sign in' }).click();
    await expect(second.page).toHaveURL(/\/audit\/lookup$/);
    await first.context.close();
    await second.context.close();
  });

  test('a new password, disabling (then enabling) and the CLI sign-out-everywhere each end the old sessions', async ({ browser }) => {
    const email = addMember('pw');
    for (const end of [
      () => staffCli('set-password', email, '--password', PASSWORD),
      () => {
        staffCli('disable', email);
        staffCli('enable', email);
      },
      () => staffCli('sign-out-everywhere', email),
    ]) {
      const { context, cookie } = await signedIn(browser, email);
      expect((await getWith(anonymous, '/mint', cookie)).status()).toBe(200);
      end();
      const res = await getWith(anonymous, '/mint', cookie);
      expect(res.status(), end.toString()).toBe(307);
      expect(res.headers().location).toMatch(/^\/signin\?callbackUrl=%2Fmint/);
      await context.close();
    }
  });

  test('an admin\'s "sign out everywhere" ends every session of the member at once', async ({ browser }) => {
    const email = addMember('admin-ends');
    const member = await signedIn(browser, email);
    const admin = await browser.newContext({ storageState: storageStateFor('admin') });
    const page = await admin.newPage();
    await page.goto('/admin');
    await page.getByRole('button', { name: `Sign out ${email} everywhere` }).click();
    await page
      .getByRole('dialog', { name: `Sign ${email} out everywhere?` })
      .getByRole('button', { name: `Sign ${email} out` })
      .click();
    await expect(page.getByRole('status').filter({ hasText: `Every session of ${email} has ended` })).toBeVisible();

    await member.page.goto('/audit/lookup?x=1');
    await expect(member.page).toHaveURL(/\/signin\?callbackUrl=%2Faudit%2Flookup%3Fx%3D1&error=SessionEnded/);
    await expect(member.page.getByRole('alert', { name: 'Not signed in' })).toContainText(ENDED);
    expect((await getWith(anonymous, '/mint', member.cookie)).status()).toBe(307);
    await admin.close();
    await member.context.close();
  });

  test('a session lives at most 12 hours from sign-in, however often it is renewed', async () => {
    const email = addMember('lifetime');
    const { id, sessionVersion } = staffRecord(email);
    const secret = secrets().NEXTAUTH_SECRET;
    const now = Math.floor(Date.now() / 1000);
    const claims = (authTime: number) => ({ sub: id, staffId: id, email, sessionVersion: sessionVersion ?? 0, authTime });

    // Signed in 11 h 59 min ago, renewed a minute ago: the endpoint renews it, but not past 12 h.
    const authTime = now - (12 * 3600 - 60);
    const young = await encode({ token: claims(authTime), secret, maxAge: 3600 });
    expect((await getWith(anonymous, '/mint', `${SESSION_COOKIE}=${young}`)).status()).toBe(200);
    const renewed = await anonymous.get('/api/auth/session', { headers: { cookie: `${SESSION_COOKIE}=${young}` } });
    expect((await renewed.json()).staffId).toBe(id);
    const setCookie = renewed
      .headersArray()
      .find((h) => h.name.toLowerCase() === 'set-cookie' && h.value.startsWith(`${SESSION_COOKIE}=`))!.value;
    const token = await decode({ token: setCookie.split(';')[0]!.slice(SESSION_COOKIE.length + 1), secret });
    // (+1: the expiry is computed in whole seconds a moment after the lifetime left was.)
    expect(token!.exp as number).toBeLessThanOrEqual(authTime + 12 * 3600 + 1);

    // Signed in 12 h and a minute ago: refused, although the cookie itself has not expired.
    const old = await encode({ token: claims(now - 12 * 3600 - 60), secret, maxAge: 3600 });
    const res = await getWith(anonymous, '/mint', `${SESSION_COOKIE}=${old}`);
    expect(res.status()).toBe(307);
    expect(res.headers().location).toContain('error=SessionExpired');
    expect(await (await anonymous.get('/api/auth/session', { headers: { cookie: `${SESSION_COOKIE}=${old}` } })).json()).toEqual({});
  });
});

test.describe('sign-in throttling', () => {
  test('per account: 5 free failures, then the right password waits too; unknown emails get the same answers', async ({ playwright }) => {
    const email = addMember('throttle');
    const nobody = `nobody-${run}@e2e.test`;
    const request = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
    for (const who of [email, nobody]) {
      for (let i = 0; i < 5; i++) expect((await httpSignIn(request, who, `wrong-${i}`)).error).toBe('CredentialsSignin');
      const locked = await httpSignIn(request, who, PASSWORD);
      expect(locked.error, who).toMatch(/^Throttled:\d{4}-\d\d-\d\dT/);
      const retryAt = Date.parse(locked.error!.slice('Throttled:'.length));
      expect(retryAt - Date.now()).toBeLessThanOrEqual(1_500);
    }
    // Once the wait is over the right password works, and the count starts over.
    await new Promise((r) => setTimeout(r, 1_200));
    const ok = await httpSignIn(request, email, PASSWORD);
    expect(ok.error).toBeNull();
    expect(ok.cookie).not.toBeNull();
    expect((await httpSignIn(request, email, 'wrong-again')).error).toBe('CredentialsSignin');
    await request.dispose();
  });

  test('the form says when to try again, and admins see every refusal with the email and the client address', async ({ browser }) => {
    const nobody = `form-${run}@e2e.test`;
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto('/signin');
    for (let i = 0; i < 6; i++) {
      await page.getByRole('textbox', { name: 'Email' }).fill(nobody);
      await page.getByRole('textbox', { name: 'Password' }).fill(`wrong-${i}`);
      // Each attempt answered before the next: the message from the one before is still on screen.
      const answered = page.waitForResponse((r) => r.url().includes('/api/auth/callback/credentials'));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await answered;
      await expect(page.getByRole('alert', { name: 'Not signed in' })).toBeFocused();
      if (i < 5) await expect(page.getByRole('alert', { name: 'Not signed in' })).toContainText('Email or password is not right');
    }
    await expect(page.getByRole('alert', { name: 'Not signed in' })).toContainText(/Too many failed sign-ins .* Try again in \d+ seconds/);
    await context.close();

    const admin = await browser.newContext({ storageState: storageStateFor('admin') });
    const adminPage = await admin.newPage();
    await adminPage.goto('/admin');
    const table = adminPage.getByRole('table', { name: 'Refused sign-ins' });
    const rows = table.getByRole('row').filter({ hasText: nobody });
    await expect(rows.filter({ hasText: 'wrong email or password' })).toHaveCount(5);
    await expect(rows.filter({ hasText: 'throttled' })).toHaveCount(1);
    await expect(rows.first()).toContainText('127.0.0.1');
    await admin.close();
  });

  test('X-Forwarded-For is ignored unless a trusted proxy is configured', async ({ playwright, browser }) => {
    const spoofed = `spoof-${run}@e2e.test`;
    const request = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
    expect((await httpSignIn(request, spoofed, 'wrong', { 'x-forwarded-for': '203.0.113.99' })).error).toBe('CredentialsSignin');
    await request.dispose();
    const admin = await browser.newContext({ storageState: storageStateFor('admin') });
    const page = await admin.newPage();
    await page.goto('/admin');
    const row = page.getByRole('table', { name: 'Refused sign-ins' }).getByRole('row').filter({ hasText: spoofed });
    await expect(row).toContainText('127.0.0.1');
    await expect(row).not.toContainText('203.0.113.99');
    await admin.close();
  });
});

test.describe('return paths', () => {
  test('callbackUrl=/%09/evil.example stays on the console after sign-in (Chromium)', async ({ browser }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    await context.route(
      (url) => url.hostname === 'evil.example',
      (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' }),
    );
    const page = await context.newPage();
    await page.goto('/signin?callbackUrl=/%09/evil.example');
    await page.getByRole('textbox', { name: 'Email' }).fill(ACCOUNTS.viewer);
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/signin');
    expect(new URL(page.url()).host).toBe(`localhost:${E2E.port}`);
    await expect(page.getByRole('heading', { level: 1 }).first()).not.toHaveText('evil');
    await context.close();
  });

  test('and when already signed in (Chromium), for every trick the browser parses as another host', async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStateFor('viewer') });
    await context.route(
      (url) => url.hostname === 'evil.example',
      (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' }),
    );
    const page = await context.newPage();
    for (const trick of [
      '/%09/evil.example',
      '/%0A/evil.example',
      '/%5C/evil.example',
      '/.//evil.example',
      '%2F%2Fevil.example',
      '/%0D%0A/evil.example',
    ]) {
      await page.goto(`/signin?callbackUrl=${trick}`);
      expect(new URL(page.url()).host, trick).toBe(`localhost:${E2E.port}`);
    }
    await context.close();
  });

  test('CR, LF and non-Latin-1 return paths never answer a server error', async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStateFor('viewer') });
    for (const value of [
      '%2Fmint%0D%0ASet-Cookie%3A%20a%3Db',
      '%2F%0A',
      '%2F%E6%97%A5%E6%9C%AC',
      '%2Faudit%3Fq%3D%E2%80%AE',
      '%2F%C3%A9',
    ]) {
      const signedIn = await context.request.get(`/signin?callbackUrl=${value}`, { maxRedirects: 0 });
      expect(signedIn.status(), value).toBe(307);
      expect(signedIn.headers().location).toMatch(/^\/[\x21-\x7e]*$/);
      const signedOut = await context.request.get(`/signin?callbackUrl=${value}`, { headers: { cookie: '' }, maxRedirects: 0 });
      expect(signedOut.status(), value).toBeLessThan(500);
    }
    await context.close();
  });
});

test.describe('not-found pages', () => {
  test("an unknown audit record and another member's bulk job answer 404", async ({ browser }) => {
    const qa = await browser.newContext({ storageState: storageStateFor('qa') });
    const started = await qa.request.post('/api/bulk/jobs', {
      data: { roomArn: SEED.qaSandbox, source: { kind: 'template', template: `nf-${run}-{n}`, start: 1, count: 1 } },
    });
    expect(started.status(), await started.text()).toBe(202);
    const { id } = (await started.json()) as { id: string };
    expect((await qa.request.get(`/bulk/${id}`)).status()).toBe(200);

    const admin = await browser.newContext({ storageState: storageStateFor('admin') });
    const other = await admin.request.get(`/bulk/${id}`);
    expect(other.status()).toBe(404);
    const unknown = await admin.request.get('/audit/00000000-0000-4000-8000-000000000000');
    expect(unknown.status()).toBe(404);
    expect(await unknown.text()).toContain('No such mint record');
    await qa.close();
    await admin.close();
  });
});

// The same build, started by hand as a second process on another port, as a replica behind a proxy is.
test.describe('server-action origins come from the runtime configuration', () => {
  const port = E2E.port + 30;
  const proxyOrigin = 'http://console.proxy.test';
  let child: ChildProcess | null = null;
  let output = '';

  test.beforeAll(async () => {
    const distDir = resolve(ROOT, `.next-e2e-${E2E.port}`);
    child = spawn(process.execPath, [join(distDir, 'standalone', 'server.js')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        ...secrets(),
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
        NEXTAUTH_URL: `http://localhost:${port}`,
        CONSOLE_ORIGINS: proxyOrigin,
        TRUST_PROXY_HOPS: '1',
        CONSOLE_DATA_DIR: resolve(ROOT, E2E.dataDir),
        POLICY_FILE: resolve(ROOT, 'config/policy.json'),
        IVSCHAT_ENDPOINT: E2E.emulatorUrl,
        IVSCHAT_ACCESS_KEY_ID: 'test',
        IVSCHAT_SECRET_ACCESS_KEY: 'test',
        IVSCHAT_REGIONS: 'us-east-1,us-west-2,eu-west-1',
        LOG_LEVEL: 'warn',
      },
    });
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const until = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`second console exited:\n${output}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) throw new Error(`second console did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  test.afterAll(async () => {
    child?.kill('SIGTERM');
  });

  test('its own origin and a configured proxy origin are accepted; a foreign Origin is refused', async ({ browser, playwright }) => {
    // A real getRoomAction POST, captured from the main console (same build, same action ids).
    const context = await browser.newContext({ storageState: storageStateFor('moderator') });
    const page = await context.newPage();
    await page.goto('/mint');
    const captured = page.waitForRequest((r: Request) => r.method() === 'POST' && !!r.headers()['next-action']);
    await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
    const action = await captured;
    const { cookie: _c, origin: _o, host: _h, ...headers } = await action.allHeaders();
    const body = action.postData() ?? '';
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await context.close();

    const request = await playwright.request.newContext({ storageState: { cookies: [], origins: [] } });
    const post = (extra: Record<string, string>) =>
      request.post(`http://127.0.0.1:${port}/mint`, { headers: { ...headers, cookie, ...extra }, data: body, maxRedirects: 0 });
    const accepted = async (extra: Record<string, string>) => {
      const res = await post(extra);
      const text = await res.text();
      return { status: res.status(), ran: res.status() === 200 && text.includes('QaSandbox001') };
    };

    // Its own origin on another port than the build's.
    expect(await accepted({ origin: `http://localhost:${port}`, host: `localhost:${port}` })).toEqual({ status: 200, ran: true });
    // Behind a proxy that rewrote Host to the internal address, with and without X-Forwarded-Host.
    expect(await accepted({ origin: proxyOrigin, host: `127.0.0.1:${port}` })).toEqual({ status: 200, ran: true });
    expect(await accepted({ origin: proxyOrigin, host: `127.0.0.1:${port}`, 'x-forwarded-host': 'console.proxy.test' })).toEqual({
      status: 200,
      ran: true,
    });
    // Foreign origins, also when the caller names the foreign host as the forwarded one.
    const foreign: Record<string, string>[] = [
      { origin: 'http://evil.example', host: `localhost:${port}` },
      { origin: `http://localhost:${E2E.port}`, host: `localhost:${port}` },
      { origin: 'null', host: `localhost:${port}` },
    ];
    for (const extra of foreign) {
      const res = await accepted(extra);
      expect(res.ran, JSON.stringify(extra)).toBe(false);
      expect(res.status, JSON.stringify(extra)).toBeGreaterThanOrEqual(400);
    }
    await request.dispose();
  });

  test('behind a trusted proxy, each client address has its own throttle (20 free failures)', async ({ playwright }) => {
    const request = await playwright.request.newContext({
      baseURL: `http://127.0.0.1:${port}`,
      storageState: { cookies: [], origins: [] },
    });
    const from = (address: string, spoof = '') => ({ 'x-forwarded-for': spoof ? `${spoof}, ${address}` : address });
    for (let i = 0; i < 20; i++) {
      expect((await httpSignIn(request, `addr-${i}-${run}@e2e.test`, 'wrong', from('198.51.100.7'))).error).toBe('CredentialsSignin');
    }
    // Further emails from the same address wait (sent together, so within the first 1 s wait even on
    // a busy machine); a left-most entry the client wrote itself changes nothing.
    const next = await Promise.all([
      httpSignIn(request, `addr-x-${run}@e2e.test`, 'wrong', from('198.51.100.7')),
      httpSignIn(request, `addr-y-${run}@e2e.test`, 'wrong', from('198.51.100.7', '192.0.2.1')),
      httpSignIn(request, `addr-w-${run}@e2e.test`, 'wrong', from('198.51.100.7', '192.0.2.2')),
    ]);
    expect(next.filter((r) => r.error?.startsWith('Throttled:')).length).toBeGreaterThanOrEqual(2);
    // Another client is not affected.
    expect((await httpSignIn(request, `addr-z-${run}@e2e.test`, 'wrong', from('198.51.100.8'))).error).toBe('CredentialsSignin');
    await request.dispose();
  });
});

test.describe('API keys belong to an owner', () => {
  test('a key outlives neither the admin who made it nor a disabled service account', async ({ browser, playwright }) => {
    // An admin creates a key in the admin page; it belongs to them.
    const keyAdmin = addMember('key-admin', 'admin');
    const { context, page } = await signedIn(browser, keyAdmin);
    await page.goto('/admin');
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByRole('textbox', { name: 'Key name' }).fill(`owned-${run}`);
    await form.getByRole('combobox', { name: 'Key role' }).selectOption('qa');
    await form.getByRole('button', { name: 'Create API key' }).click();
    const key = (await page.getByTestId('api-key-value').textContent())!.trim();
    await context.close();

    const api = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
    const rooms = (k: string) => api.get('/api/v1/rooms', { headers: { authorization: `Bearer ${k}` } });
    expect((await rooms(key)).status()).toBe(200);
    staffCli('disable', keyAdmin);
    const refused = await rooms(key);
    expect(refused.status()).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toContain(`suspended: its owner ${keyAdmin} is disabled`);

    // A service account's key, suspended from the admin page.
    staffCli('service-account', 'create', `svc-${run}`);
    const svcKey = (
      JSON.parse(staffCli('api-key', 'create', `svc-key-${run}`, 'qa', '--service', `svc-${run}`, '--json')) as { key: string }
    ).key;
    expect((await rooms(svcKey)).status()).toBe(200);
    const admin = await browser.newContext({ storageState: storageStateFor('admin') });
    const adminPage = await admin.newPage();
    await adminPage.goto('/admin');
    await adminPage.getByRole('button', { name: `Disable service account svc-${run}` }).click();
    await adminPage
      .getByRole('dialog', { name: `Disable the service account svc-${run}?` })
      .getByRole('button', { name: `Disable svc-${run}` })
      .click();
    await expect(adminPage.getByRole('button', { name: `Enable service account svc-${run}` })).toBeVisible();
    expect((await rooms(svcKey)).status()).toBe(401);
    for (const name of [`owned-${run}`, `svc-key-${run}`]) {
      await expect(adminPage.getByTestId('api-key-table').locator(`tr[data-api-key="${name}"]`)).toContainText(
        'suspended (owner disabled)',
      );
    }
    // Enabling the owner resumes its keys.
    staffCli('enable', keyAdmin);
    expect((await rooms(key)).status()).toBe(200);
    await admin.close();
    await api.dispose();
  });
});

test.describe('passwords', () => {
  const NEW_PASSWORD = 'a brand new passphrase 42';

  async function fillSignIn(page: import('@playwright/test').Page, email: string, password: string) {
    await page.goto('/signin');
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('textbox', { name: 'Password' }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function setNewPassword(page: import('@playwright/test').Page, current: string, next: string) {
    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill(current);
    await form.getByLabel('New password', { exact: true }).fill(next);
    await form.getByLabel('New password again').fill(next);
    await form.getByRole('button', { name: 'Set new password' }).click();
  }

  test('a printed password is one-time: until a new one is set, pages and routes refuse on the server', async ({ browser, playwright }) => {
    const email = `printed-${run}@e2e.test`;
    const printed = /password \(shown once\): (\S+)/.exec(staffCli('add', email, 'qa'))![1]!;
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await fillSignIn(page, email, printed);
    // Back to the start page, which sends each role where it can act (app/page.tsx).
    await expect(page).toHaveURL(/\/password\?callbackUrl=%2F$/);
    await expect(page.getByRole('heading', { name: 'Set a new password' })).toBeVisible();

    // Not only a redirect: the session itself is refused by pages and route handlers.
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const api = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
    const page404 = await api.get('/audit/lookup', { headers: { cookie }, maxRedirects: 0 });
    expect(page404.status()).toBe(307);
    expect(page404.headers().location).toMatch(/^\/password\?callbackUrl=/);
    const bulk = await api.post('/api/bulk/jobs', {
      // Same-origin, as the console's own page sends it: what is refused here is the session.
      headers: { cookie, origin: E2E.baseUrl },
      data: { roomArn: SEED.qaSandbox, source: { kind: 'template', template: `otp-${run}-{n}`, start: 1, count: 1 } },
    });
    // The guard refuses a one-time-password session with the rule that says why.
    expect(bulk.status()).toBe(403);
    expect(await bulk.json()).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'password.oneTime' });

    await setNewPassword(page, printed, NEW_PASSWORD);
    await expect(page).toHaveURL(/\/mint$/);
    await expect(page.getByRole('heading', { name: 'Mint a chat token' })).toBeVisible();
    expect((await httpSignIn(api, email, printed)).error).toBe('CredentialsSignin');
    expect((await httpSignIn(api, email, NEW_PASSWORD)).error).toBeNull();
    await api.dispose();
    await context.close();
  });

  test('a member changes their own password (other sessions end); an admin reset is shown once and is one-time', async ({ browser }) => {
    const email = addMember('change');
    const here = await signedIn(browser, email);
    const elsewhere = await signedIn(browser, email);
    await here.page.getByRole('link', { name: 'Change password' }).click();
    await setNewPassword(here.page, PASSWORD, NEW_PASSWORD);
    await expect(here.page).toHaveURL(/\/mint$/);
    await here.page.goto('/audit/lookup');
    await expect(here.page).toHaveURL(/\/audit\/lookup$/);
    await elsewhere.page.goto('/audit/lookup');
    await expect(elsewhere.page).toHaveURL(/error=SessionEnded/);

    const admin = await browser.newContext({ storageState: storageStateFor('admin') });
    const adminPage = await admin.newPage();
    await adminPage.goto('/admin');
    await adminPage.getByRole('button', { name: `Reset the password of ${email}` }).click();
    await adminPage
      .getByRole('dialog', { name: `Reset the password of ${email}?` })
      .getByRole('button', { name: `Reset the password of ${email}` })
      .click();
    const reset = (await adminPage.getByTestId('reset-password').textContent())!.trim();
    await adminPage.reload();
    await expect(adminPage.getByTestId('reset-password')).toHaveCount(0);
    await admin.close();

    await here.page.goto('/audit/lookup');
    await expect(here.page).toHaveURL(/error=SessionEnded/);
    const fresh = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await fresh.newPage();
    await fillSignIn(page, email, reset);
    await expect(page).toHaveURL(/\/password\?/);
    await here.context.close();
    await elsewhere.context.close();
    await fresh.close();
  });
});
