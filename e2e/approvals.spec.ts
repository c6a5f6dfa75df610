/**
 * Temporary moderator sessions on request (issue 16), end to end: a console of its own (started
 * from the build the main console uses) whose policy lets the moderator grant only SEND_MESSAGE
 * outright and request DELETE_MESSAGE / DISCONNECT_USER, with a local webhook receiver and a
 * one-second sweep. Two browser contexts: the moderator asks, the admin approves from the inbox,
 * the moderator mints and connects with "Mint and connect here" and deletes a message; then the
 * window ends and the connected moderator is disconnected with the reason shown.
 *
 * The window is 30 minutes, as asked. The test does not wait them out: it moves the approval's end
 * to a moment ago in the database (the one field the sweep reads), which is what 30 minutes passing
 * would do; the console has no test-only hook for it.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import WebSocket from 'ws';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { launch, type Launched } from '../test/launcher';
import { E2E, PASSWORD } from './env';
import { SEED } from './helpers';

const port = E2E.port + 80;
const emulatorPort = E2E.emulatorPort + 80;
const hookPort = E2E.port + 81;
const url = `http://localhost:${port}`;
const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
const dataDir = `.data/e2e-${E2E.port}-approvals`;
const SECRET = 'webhook-secret-for-the-approvals-e2e';
const MOD = 'moderator@approvals.test';
const ADMIN = 'admin@approvals.test';
const SHOTS = '/work/shots/approve';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}
const deliveries: Delivery[] = [];
let hook: Server | undefined;
let consoleProc: Launched | undefined;

function cli(...args: string[]): string {
  return execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/staff.ts', ...args], {
    env: { ...process.env, CONSOLE_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  }).listen(hookPort, '127.0.0.1');

  const policy = JSON.parse(readFileSync('config/policy.json', 'utf8')) as { roles: Record<string, Record<string, unknown>> } & Record<
    string,
    unknown
  >;
  policy.roles.moderator!.capabilities = ['SEND_MESSAGE'];
  // No standing moderation either: the message delete below is allowed only by the live approval.
  policy.roles.moderator!.mayModerate = false;
  policy.roles.moderator!.mayDisconnectUsers = false;
  policy.roles.moderator!.requests = {
    capabilities: ['DELETE_MESSAGE', 'DISCONNECT_USER'],
    maxWindowMinutes: 60,
    maxSessionMinutes: 30,
    disconnectAtEnd: true,
  };
  policy.approvals = { approverRoles: ['admin'], pendingExpiryMinutes: 60 };
  const policyFile = resolve(dataDir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(policy));

  consoleProc = launch('the approvals console', ['--conditions=react-server', '--import', 'tsx', 'scripts/start.ts', '--no-build'], {
    env: {
      ...process.env,
      PORT: String(port),
      EMULATOR_PORT: String(emulatorPort),
      CONSOLE_DATA_DIR: dataDir,
      NEXT_DIST_DIR: `.next-e2e-${E2E.port}`,
      NEXTAUTH_URL: url,
      NEXT_TELEMETRY_DISABLED: '1',
      POLICY_FILE: policyFile,
      STAFF_CACHE_MS: '0',
      APPROVALS_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/hook`,
      APPROVALS_WEBHOOK_SECRET: SECRET,
      APPROVALS_SWEEP_INTERVAL_MS: '1000',
      SIGN_IN_CLIENT_FREE_ATTEMPTS: '1000',
      LOG_LEVEL: 'warn',
    },
    detached: true,
  });
  await consoleProc.waitFor(`${url}/signin`, 120_000);
  cli('add', MOD, 'moderator', '--password', PASSWORD);
  cli('add', ADMIN, 'admin', '--password', PASSWORD);
});

test.afterEach(async ({}, testInfo) => {
  // The second console's own log, for a failure's cause (Playwright shows only the main console's).
  if (testInfo.status !== testInfo.expectedStatus) console.log(consoleProc?.log().slice(-6000));
});

test.afterAll(async () => {
  await consoleProc?.stop();
  await new Promise((r) => (hook ? hook.close(() => r(null)) : r(null)));
});

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/mint$/);
  return page;
}

/** Picks a room through the searchable picker, retried until the page has hydrated. */
async function chooseRoom(page: Page) {
  await expect(async () => {
    const input = page.getByRole('combobox', { name: 'Room' });
    await input.fill('');
    await input.fill('qa-sandbox');
    await page.getByRole('option').filter({ hasText: 'qa-sandbox' }).first().click();
    await expect(input).toHaveValue(SEED.qaSandbox);
  }).toPass({ intervals: [250, 500, 1000], timeout: 20_000 });
}

function expectNothingSecret(d: Delivery, cookies: string[], keys: string[]) {
  for (const secret of [...cookies, ...keys, SECRET]) expect(d.body).not.toContain(secret);
  expect(d.body).not.toMatch(/ivsc_[A-Za-z0-9_-]{20,}/);
  expect(d.body).not.toMatch(/"(token|cookie|authorization|apiKey|fingerprint)"\s*:/i);
  expect(JSON.stringify(d.headers)).not.toMatch(/cookie|authorization/i);
  // The receiver can check where it came from.
  const ts = String(d.headers['x-console-timestamp']);
  expect(d.headers['x-console-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${d.body}`).digest('hex')}`);
}

test('a moderator asks, an admin approves, the moderator mints, connects and deletes; the window ends with a disconnect', async ({
  browser,
  playwright,
}) => {
  test.setTimeout(240_000);
  mkdirSync(SHOTS, { recursive: true });
  const mod = await signedIn(browser, MOD);
  const admin = await signedIn(browser, ADMIN);
  const modKey = (
    JSON.parse(cli('api-key', 'create', `mod-${randomUUID().slice(0, 6)}`, 'moderator', '--owner', MOD, '--json')) as { key: string }
  ).key;
  const modsAdminKey = (
    JSON.parse(cli('api-key', 'create', `mod-admin-${randomUUID().slice(0, 6)}`, 'admin', '--owner', MOD, '--json')) as { key: string }
  ).key;
  const api = await playwright.request.newContext({ baseURL: url });

  // An elevated mint without a live approval is refused with the rule, and recorded as a refusal.
  const elevated = {
    roomArn: SEED.qaSandbox,
    userId: MOD,
    capabilities: ['DELETE_MESSAGE'],
    sessionDurationInMinutes: 10,
    reason: 'cleanup',
  };
  const refused = await api.post('/api/v1/tokens', { headers: { Authorization: `Bearer ${modKey}` }, data: elevated });
  expect(refused.status()).toBe(403);
  const refusal = (await refused.json()) as { rule: string; auditId: string };
  expect(refusal.rule).toBe('approval.required');
  expect(refusal.auditId).toBeTruthy();

  // The moderator asks for DELETE_MESSAGE for 30 minutes in qa-sandbox.
  await mod.goto('/requests');
  await chooseRoom(mod);
  await expect(mod.getByRole('textbox', { name: 'userId' })).toHaveValue(MOD);
  await mod.getByRole('checkbox', { name: /Delete messages/ }).check();
  await mod.getByRole('textbox', { name: 'Window in minutes' }).fill('30');
  await mod.getByRole('textbox', { name: 'Longest session in minutes' }).fill('30');
  await mod.getByRole('textbox', { name: 'Reason or ticket' }).fill('Spam wave in qa-sandbox, MOD-4711');
  await mod.getByRole('button', { name: 'Send request' }).click();
  await expect(mod).toHaveURL(/\/requests\/\d+$/);
  const id = Number(mod.url().split('/').at(-1));
  await expect(mod.getByTestId('request-state')).toHaveText('Pending');

  // The admin's inbox badge shows it without a reload (it polls).
  await expect(admin.getByTestId('requests-badge')).toHaveText('1', { timeout: 20_000 });
  await admin.getByRole('link', { name: /Requests/ }).click();
  await expect(admin.getByRole('table', { name: 'Pending requests' })).toContainText(`#${id}`);
  await admin.screenshot({ path: join(SHOTS, 'inbox.png') });

  // Self-approval is refused: a key of the moderator's, though its role is admin, is the requester.
  const self = await api.post(`/api/v1/requests/${id}/decision`, {
    headers: { Authorization: `Bearer ${modsAdminKey}` },
    data: { decision: 'approve', comment: 'approving my own' },
  });
  expect(self.status()).toBe(403);
  expect(await self.json()).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'approvals.selfApproval' });

  await admin
    .getByRole('table', { name: 'Pending requests' })
    .getByRole('link', { name: `#${id}`, exact: true })
    .click();
  await admin.getByRole('textbox', { name: 'Comment' }).fill('OK for the spam wave');
  await admin.getByRole('button', { name: 'Approve' }).click();
  await expect(admin.getByTestId('request-state')).toHaveText('Approved (window open)');

  // The moderator mints and connects with "Mint and connect here", as DELETE_MESSAGE.
  await mod.goto('/mint');
  await expect(mod.getByTestId('live-approval')).toContainText(`Approval #${id} is live`);
  await chooseRoom(mod);
  await mod.getByRole('textbox', { name: 'userId' }).fill(MOD);
  await mod.getByRole('switch', { name: /Delete messages/ }).check();
  await mod.getByRole('textbox', { name: 'Reason' }).fill('Spam wave, approval #' + id);
  await mod.getByRole('button', { name: 'Mint and connect here' }).click();
  const panel = mod.getByTestId('test-connection');
  await expect(panel.getByTestId('connection-state')).toHaveText('Connected', { timeout: 20_000 });

  // A spammer posts; the moderator deletes the message from the stream.
  const sdk = new IvschatClient({
    endpoint: emulatorUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { token } = await sdk.send(
    new CreateChatTokenCommand({ roomIdentifier: SEED.qaSandbox, userId: 'spammer', capabilities: ['SEND_MESSAGE'] }),
  );
  const spammer = new WebSocket(emulatorUrl.replace('http', 'ws'), token!);
  await new Promise<void>((ok, fail) => {
    spammer.on('open', () => ok());
    spammer.on('error', fail);
  });
  spammer.send(JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: randomUUID(), Content: 'buy cheap followers' }));
  const line = panel.getByTestId('stream-message').filter({ hasText: 'buy cheap followers' });
  await expect(line).toBeVisible();
  await line.getByRole('button', { name: /Delete message/ }).click();
  await panel.getByRole('textbox', { name: 'Delete reason' }).fill('spam link');
  await panel.getByRole('button', { name: 'Confirm delete' }).click();
  await expect(panel.getByTestId('moderation-outcome')).toContainText('was deleted');
  await expect(line).toContainText('deleted: spam link');
  spammer.close();

  // The window ends (moved to a moment ago, as 30 minutes passing would): the sweep disconnects.
  const db = new Database(join(dataDir, 'console.db'));
  try {
    db.prepare('update access_requests set window_ends_at = ? where id = ?').run(new Date(Date.now() - 1000).toISOString(), id);
  } finally {
    db.close();
  }
  await expect(panel.getByTestId('connection-state')).toHaveText('Disconnected', { timeout: 20_000 });
  await expect(panel.getByTestId('connection-header')).toContainText(`Temporary moderator approval #${id} ended`);

  // After the window, the elevated grant is refused again, naming the ended approval.
  const after = await api.post('/api/v1/tokens', { headers: { Authorization: `Bearer ${modKey}` }, data: elevated });
  expect(after.status()).toBe(403);
  expect(await after.json()).toMatchObject({ rule: 'approval.expired' });

  // The request page: every step, from ask to disconnect.
  await admin.goto(`/requests/${id}`);
  await expect(admin.getByTestId('request-state')).toHaveText('Window ended');
  const timeline = admin.getByTestId('request-timeline');
  await expect(timeline).toContainText('window ended');
  for (const text of [
    'Asked for DELETE_MESSAGE',
    'approved',
    'OK for the spam wave',
    `under approval #${id}`,
    'Deleted message',
    `Disconnect of ${MOD} (accepted by IVS`,
    `IVS accepted the disconnect of ${MOD}`,
  ]) {
    await expect(timeline).toContainText(text);
  }
  console.log(`request #${id} timeline:\n${(await timeline.innerText()).trim()}`);
  await admin.screenshot({ path: join(SHOTS, 'request.png') });

  // The Activity view names the steps.
  await admin.goto(`/activity?action=access.approved`);
  await expect(admin.getByText(`Request #${id} approved`).first()).toBeVisible();

  // The webhook got the request and the decision, signed, with nothing secret in them.
  const cookies = [...(await mod.context().cookies()), ...(await admin.context().cookies())].map((c) => c.value);
  await expect
    .poll(() => deliveries.map((d) => d.headers['x-console-event']))
    .toEqual(expect.arrayContaining(['access.requested', 'access.approved']));
  const asked = deliveries.find((d) => d.headers['x-console-event'] === 'access.requested')!;
  const decided = deliveries.find((d) => d.headers['x-console-event'] === 'access.approved')!;
  for (const d of [asked, decided]) expectNothingSecret(d, cookies, [modKey, modsAdminKey]);
  expect(JSON.parse(asked.body)).toMatchObject({
    event: 'access.requested',
    request: { id, userId: MOD, capabilities: ['DELETE_MESSAGE'], windowMinutes: 30 },
  });
  expect(JSON.parse(decided.body)).toMatchObject({
    event: 'access.approved',
    decision: { decision: 'approve', by: { email: ADMIN }, comment: 'OK for the spam wave' },
  });
  await api.dispose();
});
