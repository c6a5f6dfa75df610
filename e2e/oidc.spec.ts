/**
 * OIDC sign-in for real: a local OpenID Provider (the maintained `oidc-provider` package, dev
 * interactions: any login, then consent) and a second console process started with OIDC_ISSUER
 * (it needs the provider at start, so the main e2e console cannot serve this). It runs the main
 * console's build (OIDC settings are read at start, not at build), so the suite builds once. A staff member
 * signs in through the provider; a person the staff table does not know is refused.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { launch, type Launched } from '../test/launcher';
import { E2E } from './env';

// Ports beside the main e2e console's, so runs on different E2E_PORTs never collide.
const consolePort = E2E.port + 50;
const idpPort = E2E.port + 60;
const consoleUrl = `http://localhost:${consolePort}`;
const issuer = `http://127.0.0.1:${idpPort}`;
const dataDir = `.data/e2e-${E2E.port}-oidc`;
const CLIENT = { id: 'ivs-chat-console', secret: 'oidc-e2e-client-secret-0123456789abcdef' };
const KNOWN = 'sso-moderator@e2e.test';

let idp: Server | undefined;
let console_: Launched | undefined;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [`${consoleUrl}/api/auth/callback/oidc`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The console reads claims from the ID token (idToken: true), so put them there.
    conformIdTokenClaims: false,
    // Dev interactions log in "any login": use it as the person's email.
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: id, email_verified: true, name: id }),
    }),
    cookies: { keys: ['oidc-e2e-cookie-key'] },
  });
  idp = provider.listen(idpPort);

  rmSync(dataDir, { recursive: true, force: true });
  const env = {
    ...process.env,
    PORT: String(consolePort),
    EMULATOR_PORT: String(E2E.emulatorPort + 50),
    CONSOLE_DATA_DIR: dataDir,
    // The build Playwright's webServer made for the main console (it is up before any spec runs).
    NEXT_DIST_DIR: `.next-e2e-${E2E.port}`,
    NEXTAUTH_URL: consoleUrl,
    NEXT_TELEMETRY_DISABLED: '1',
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT.id,
    OIDC_CLIENT_SECRET: CLIENT.secret,
    OIDC_NAME: 'Test IdP',
    LOG_LEVEL: 'warn',
  };
  console_ = launch('the OIDC console', ['--conditions=react-server', '--import', 'tsx', 'scripts/start.ts', '--no-build'], {
    env,
    detached: true,
  });
  await console_.waitFor(`${consoleUrl}/signin`, 60_000);
  // No password: this member signs in only through the provider.
  execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/staff.ts', 'add', KNOWN, 'moderator'], {
    env: { ...process.env, CONSOLE_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
});

test.afterAll(async () => {
  await console_?.stop();
  await new Promise((r) => (idp ? idp.close(() => r(null)) : r(null)));
});

async function signInAtProvider(page: Page, login: string) {
  await page.goto(`${consoleUrl}/signin`);
  await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
  await page.waitForURL(new RegExp(`^${issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('a staff member signs in through the OpenID Provider', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signInAtProvider(page, KNOWN);
  await expect(page).toHaveURL(`${consoleUrl}/mint`);
  await expect(page.getByText(KNOWN)).toBeVisible();
  const session = await (await context.request.get(`${consoleUrl}/api/auth/session`)).json();
  expect(session.user.email).toBe(KNOWN);
  await context.close();
});

test('a person the staff table does not know is refused', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signInAtProvider(page, 'stranger@elsewhere.test');
  await expect(page).toHaveURL(/\/signin\?error=NotStaff/);
  expect(await (await context.request.get(`${consoleUrl}/api/auth/session`)).json()).toEqual({});
  await page.goto(`${consoleUrl}/mint`);
  await expect(page).toHaveURL(/\/signin/);
  await context.close();
});
