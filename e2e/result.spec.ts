/**
 * One result in view (issue 14): a token leaves the screen when the form changes or another request
 * is made, and the page says so; the mint actions stay in reach and what just appeared comes into
 * view clear of the fixed header (measured with getBoundingClientRect at 1440x900 and on a 390x844
 * phone); leaving with a token never copied asks first; each role starts where it can act; unknown
 * addresses are real 404s, inside the console when signed in; a session that ended keeps the form
 * and says how to come back.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type Locator, type Page, type Request } from '@playwright/test';
import { ACCOUNTS, PASSWORD, storageStateFor, type AccountRole } from './env';
import { SEED, armFault, clearFaults, pickRoom, staffCli } from './helpers';

const run = Date.now().toString(36);
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const SHOTS = process.env.RESULT_SHOTS_DIR;

test.afterEach(async () => clearFaults());

async function openMint(page: Page) {
  await page.goto('/mint');
  await expect(page.getByRole('heading', { name: 'Mint a chat token' })).toBeVisible();
}

async function chooseRoom(page: Page) {
  await expect(async () => {
    await page.getByRole('combobox', { name: 'Room' }).fill('');
    await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  }).toPass({ intervals: [250, 500, 1000], timeout: 15_000 });
}

async function mintFor(page: Page, userId: string) {
  await page.getByRole('textbox', { name: 'userId' }).fill(userId);
  await page.getByRole('button', { name: 'Mint token' }).click();
  await expect(page.getByTestId('token-value')).toBeVisible();
}

/** A member of its own (sessions, rate limits): added with the CLI and signed in through the form. */
async function ownMember(
  browser: Browser,
  role: string,
  viewport = DESKTOP,
): Promise<{ email: string; context: BrowserContext; page: Page }> {
  const email = `result-${role}-${run}-${Math.random().toString(36).slice(2, 7)}@e2e.test`;
  staffCli('add', email, role, '--password', PASSWORD);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, viewport });
  const page = await context.newPage();
  await signIn(page, email);
  return { email, context, page };
}

async function signIn(page: Page, email: string) {
  if (!page.url().includes('/signin')) await page.goto('/signin');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The fixed header's bottom edge and the viewport's height, as the browser lays them out. */
async function frame(page: Page): Promise<{ headerBottom: number; viewport: number }> {
  return page.evaluate(() => ({
    headerBottom: document.querySelector('header')!.getBoundingClientRect().bottom,
    viewport: window.innerHeight,
  }));
}

async function rect(locator: Locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom };
  });
}

/** Waits until `locator` sits wholly between the header and the bottom of the viewport (smooth scrolling settles). */
async function expectClearOfHeader(page: Page, locator: Locator, what: string) {
  await expect
    .poll(
      async () => {
        const [{ headerBottom, viewport }, r] = await Promise.all([frame(page), rect(locator)]);
        return r.top >= headerBottom - 0.5 && r.bottom <= viewport + 0.5
          ? 'clear'
          : `${what}: top ${r.top}, bottom ${r.bottom}, header ${headerBottom}, viewport ${viewport}`;
      },
      { timeout: 10_000 },
    )
    .toBe('clear');
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

test.describe('one result in view', () => {
  test.use({ storageState: storageStateFor('moderator'), viewport: DESKTOP });

  test("an edit, a refused mint for a denied userId and another attempt take alice's token off the screen, and say so", async ({
    page,
  }) => {
    const alice = `alice-${run}`;
    const troll = `troll-42-${run}`;
    await page.goto('/moderation');
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId to deny' }).fill(troll);
    await page.getByRole('textbox', { name: 'Deny reason' }).fill('spam links');
    await page.getByRole('button', { name: 'Deny this userId' }).click();
    await expect(page.getByTestId('denylist-outcome')).toContainText(`${troll} is denied in room`);

    await openMint(page);
    await chooseRoom(page);
    await mintFor(page, alice);
    await expect(page.getByTestId('granted-user-id')).toHaveText(alice);

    // An edit of the form: the token, its Copy button and the card naming alice go; the page says why.
    await page.getByRole('textbox', { name: 'userId' }).fill(troll);
    await expect(page.getByTestId('token-value')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Copy token' })).toHaveCount(0);
    await expect(page.getByTestId('token-result')).toHaveCount(0);
    const note = page.getByTestId('token-hidden-note');
    await expect(note).toHaveText(new RegExp(`The token for ${alice} was hidden because you changed the form`));

    // The refused mint for troll-42: its refusal, and nothing of alice's beside it.
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('mint-error')).toContainText('deny list');
    await expect(page.getByTestId('token-value')).toHaveCount(0);
    await expect(page.getByTestId('token-result')).toHaveCount(0);
    await expect(note).toContainText(alice);

    // A new attempt without any edit (AWS refuses it): the token shown before goes when it is sent.
    await mintFor(page, alice);
    await armFault({ operation: 'CreateChatToken', error: 'AccessDeniedException', count: 1 });
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('mint-error')).toContainText('not allowed to create chat tokens');
    await expect(page.getByTestId('token-value')).toHaveCount(0);
    await expect(page.getByTestId('token-result')).toHaveCount(0);
    await expect(note).toHaveText(new RegExp(`The token for ${alice} was hidden when you asked for a new token, before it was copied`));
  });

  test('screenshots of the mint page: opened, after a mint, after a refused mint', async ({ page }) => {
    test.skip(!SHOTS, 'set RESULT_SHOTS_DIR to take them');
    const troll = `troll-42-shot-${run}`;
    await page.goto('/moderation');
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId to deny' }).fill(troll);
    await page.getByRole('textbox', { name: 'Deny reason' }).fill('spam links');
    await page.getByRole('button', { name: 'Deny this userId' }).click();
    await expect(page.getByTestId('denylist-outcome')).toContainText(`${troll} is denied in room`);
    await openMint(page);
    await shot(page, 'mint-initial');
    await chooseRoom(page);
    await mintFor(page, 'alice');
    await page.waitForTimeout(1000);
    await shot(page, 'mint-after-mint');
    await page.getByRole('textbox', { name: 'userId' }).fill(troll);
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('mint-error')).toContainText('deny list');
    await page.waitForTimeout(500);
    await shot(page, 'mint-after-refused');
    await page.screenshot({ path: `${SHOTS}/mint-after-refused-full.png`, fullPage: true });
  });

  test('"Mint again" names the request it repeats', async ({ page }) => {
    await openMint(page);
    await chooseRoom(page);
    await page.getByRole('switch', { name: /Delete messages/ }).check();
    await page.getByRole('textbox', { name: 'Reason' }).fill('checking the again button');
    await mintFor(page, `again-${run}`);
    const again = page.getByRole('button', { name: 'Mint again with these settings' });
    const described = await again.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '');
    expect(described).toContain(`again-${run}`);
    expect(described).toContain('qa-sandbox');
    expect(described).toContain(SEED.qaSandbox);
    expect(described).toContain('SEND_MESSAGE, DELETE_MESSAGE');
    expect(described).toContain('1 h');
  });
});

test('a rate-limit refusal of "Mint again" takes the token off the screen', async ({ browser }) => {
  test.setTimeout(180_000);
  // Its own member: the 60-a-minute limit is per member (rateLimits.mintPerStaff), and reaching it must not stop other tests.
  const { context, page } = await ownMember(browser, 'support');
  await expect(page).toHaveURL(/\/mint$/);
  await chooseRoom(page);
  // The limit counts in fixed minutes of the clock: start early in one, so all of this falls in it.
  const second = new Date().getSeconds();
  if (second > 25) await page.waitForTimeout((61 - second) * 1000);
  const alice = `alice-rl-${run}`;
  const captured = page.waitForRequest(
    (r: Request) => r.method() === 'POST' && !!r.headers()['next-action'] && (r.postData() ?? '').includes(alice),
  );
  await mintFor(page, alice);
  const request = await captured;
  const { cookie: _cookie, ...headers } = await request.allHeaders();
  // The same server action, replayed over HTTP with the member's cookie until the limit refuses (60 a minute).
  let limited = false;
  for (let sent = 0; !limited && sent < 70; sent += 10) {
    const batch = Array.from({ length: 10 }, () =>
      context.request.post(request.url(), { headers, data: request.postData() ?? '' }).then((r) => r.text()),
    );
    limited = (await Promise.all(batch)).some((text) => text.includes('RATE_LIMITED'));
  }
  expect(limited).toBe(true);
  await expect(page.getByTestId('token-value')).toBeVisible();
  await page.getByRole('button', { name: 'Mint again with these settings' }).click();
  await expect(page.getByTestId('mint-again-error')).toContainText('Too many tokens minted');
  await expect(page.getByTestId('token-value')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Copy token' })).toHaveCount(0);
  await expect(page.getByTestId('token-hidden-note')).toContainText(`The token for ${alice} was hidden`);
  // Focus is on the refusal, not lost to the page body.
  await expect(page.getByTestId('mint-again-error')).toBeFocused();
  await context.close();
});

test.describe('actions in reach, results in view', () => {
  for (const role of ['admin', 'moderator', 'support', 'qa'] as AccountRole[]) {
    for (const [label, viewport] of [
      ['1440x900', DESKTOP],
      ['390x844 phone', PHONE],
    ] as const) {
      test(`${role} at ${label}: the Mint button is on the screen when the page opens`, async ({ browser }) => {
        const context = await browser.newContext({ storageState: storageStateFor(role), viewport });
        const page = await context.newPage();
        await openMint(page);
        const mint = page.getByRole('button', { name: 'Mint token' });
        await expect(mint).toBeVisible();
        await expectClearOfHeader(page, mint, 'Mint token');
        // It stays there while the form scrolls under it.
        await page.mouse.wheel(0, 400);
        await expectClearOfHeader(page, mint, 'Mint token after scrolling');
        await context.close();
      });
    }
  }

  for (const [label, viewport] of [
    ['1440x900', DESKTOP],
    ['390x844 phone', PHONE],
  ] as const) {
    test(`at ${label}: after a mint, focus is on the result heading, clear of the header`, async ({ browser }) => {
      const context = await browser.newContext({ storageState: storageStateFor('moderator'), viewport });
      const page = await context.newPage();
      await openMint(page);
      await chooseRoom(page);
      await mintFor(page, `focus-${run}`);
      const heading = page.getByRole('heading', { name: 'Token minted' });
      await expect(heading).toBeFocused();
      await expectClearOfHeader(page, heading, 'Token minted');
      await context.close();
    });

    test(`at ${label}: "Mint and connect here" brings its panel into view`, async ({ browser }) => {
      const context = await browser.newContext({ storageState: storageStateFor('moderator'), viewport });
      const page = await context.newPage();
      await openMint(page);
      await chooseRoom(page);
      await page.getByRole('textbox', { name: 'userId' }).fill(`connect-${run}`);
      await page.getByRole('button', { name: 'Mint and connect here' }).click();
      const panel = page.getByTestId('test-connection');
      await expect(panel).toBeVisible({ timeout: 15_000 });
      // The panel's top (its heading) below the header and on the screen; the panel may be taller than the view.
      await expect
        .poll(async () => {
          const [{ headerBottom, viewport }, r] = await Promise.all([frame(page), rect(panel)]);
          return r.top >= headerBottom - 0.5 && r.top + 60 <= viewport
            ? 'in view'
            : `top ${r.top}, header ${headerBottom}, viewport ${viewport}`;
        })
        .toBe('in view');
      await expect(page.getByRole('region', { name: 'Test connection' })).toBeFocused();
      await context.close();
    });

    test(`at ${label}: after a failed submit the focused field's label is clear of the header`, async ({ browser }) => {
      const context = await browser.newContext({ storageState: storageStateFor('moderator'), viewport });
      const page = await context.newPage();
      await openMint(page);
      await page.getByRole('textbox', { name: 'userId' }).fill(`no-room-${run}`);
      const room = page.getByRole('combobox', { name: 'Room' });
      // The page scrolled so that the Room label sits under the header and its input just below it.
      const label = page.locator('.mantine-InputWrapper-root', { has: room }).locator('label').first();
      await label.evaluate((el) => window.scrollTo({ top: window.scrollY + el.getBoundingClientRect().top - 20, behavior: 'instant' }));
      await page.getByRole('button', { name: 'Mint token' }).click();
      await expect(page.getByText('Choose a room or paste its ARN.')).toBeVisible();
      await expect(room).toBeFocused();
      await expectClearOfHeader(page, label, 'Room label');
      await context.close();
    });
  }
});

test.describe('leaving a token that was never copied', () => {
  test.use({ storageState: storageStateFor('moderator'), viewport: DESKTOP });

  test('a link in the console and a reload ask first; once the token is copied they do not', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const userId = `leave-${run}`;
    await openMint(page);
    await chooseRoom(page);
    await mintFor(page, userId);

    // A next/link in the navigation: a confirm naming the user; "Cancel" stays with the token.
    const confirm = page.waitForEvent('dialog');
    const click = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'History' }).click();
    const asked = await confirm;
    expect(asked.type()).toBe('confirm');
    expect(asked.message()).toContain(`The token for ${userId} was never copied`);
    await asked.dismiss();
    await click;
    await expect(page).toHaveURL(/\/mint$/);
    await expect(page.getByTestId('token-value')).toBeVisible();

    // A reload: the browser's own prompt (beforeunload); staying keeps the token.
    const unload = page.waitForEvent('dialog');
    await page.evaluate(() => setTimeout(() => window.location.reload(), 0));
    const prompt = await unload;
    expect(prompt.type()).toBe('beforeunload');
    await prompt.dismiss();
    await expect(page.getByTestId('token-value')).toBeVisible();

    // Copied: nothing left to lose, so the link just goes.
    await page.getByRole('button', { name: 'Copy token' }).click();
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'History' }).click();
    await expect(page).toHaveURL(/\/audit$/);
    expect(dialogs).toBe(0);
  });

  test('"Leave" on the confirm goes where the link pointed', async ({ page }) => {
    await openMint(page);
    await chooseRoom(page);
    await mintFor(page, `leave-ok-${run}`);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Look up a token' }).click();
    await expect(page).toHaveURL(/\/audit\/lookup$/);
  });
});

test.describe('each role starts where it can act', () => {
  for (const [role, landing] of [
    ['viewer', /\/audit$/],
    ['support', /\/mint$/],
    ['admin', /\/mint$/],
  ] as const) {
    test(`${role} at / lands on ${landing.source}`, async ({ browser }) => {
      const context = await browser.newContext({ storageState: storageStateFor(role), viewport: PHONE });
      const page = await context.newPage();
      await page.goto('/');
      await expect(page).toHaveURL(landing);
      if (role === 'viewer') {
        // No mint entry for a role that may not mint, and no disabled form as the start page.
        await page.getByRole('button', { name: 'Toggle navigation' }).click();
        const nav = page.getByRole('navigation', { name: 'Main navigation' });
        await expect(nav.getByRole('link', { name: 'History' })).toBeVisible();
        await expect(nav.getByRole('link', { name: 'Look up a token' })).toBeVisible();
        await expect(nav.getByRole('link', { name: 'Mint a token' })).toHaveCount(0);
        await expect(page.getByRole('button', { name: 'Mint token' })).toHaveCount(0);
      }
      await context.close();
    });
  }

  test('a viewer signing in with no return path lands on History', async ({ page }) => {
    await page.goto('/signin');
    await signIn(page, ACCOUNTS.viewer);
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  });
});

test.describe('unknown addresses', () => {
  for (const [label, viewport] of [
    ['1440x900', DESKTOP],
    ['390x844 phone', PHONE],
  ] as const) {
    test(`at ${label}: signed in, a 404 inside the console; signed out, a plain branded 404`, async ({ browser }) => {
      const member = await browser.newContext({ storageState: storageStateFor('support'), viewport });
      const page = await member.newPage();
      const res = await page.goto(`/no-such-page-${run}`);
      expect(res?.status()).toBe(404);
      await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
      await expect(page.getByText(`/no-such-page-${run}`)).toBeVisible();
      await expect(page.getByRole('banner')).toContainText('IVS Chat Token Console');
      await expect(page.getByRole('navigation', { name: 'Main navigation' })).toHaveCount(1);
      await expect(page.getByRole('link', { name: 'Your start page' })).toBeVisible();
      await member.close();

      const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] }, viewport });
      const out = await anonymous.newPage();
      const res2 = await out.goto(`/no-such-page-${run}`);
      expect(res2?.status()).toBe(404);
      await expect(out.getByRole('heading', { name: 'Page not found' })).toBeVisible();
      await expect(out.getByText('IVS Chat Token Console')).toBeVisible();
      await expect(out.getByRole('navigation')).toHaveCount(0);
      await expect(out.getByRole('link', { name: 'Sign in' })).toBeVisible();
      await anonymous.close();
    });
  }

  test('a console page that finds nothing answers 404 inside the console', async ({ browser }) => {
    const member = await browser.newContext({ storageState: storageStateFor('admin'), viewport: DESKTOP });
    const page = await member.newPage();
    const res = await page.goto('/bulk/00000000-0000-4000-8000-000000000000');
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('navigation', { name: 'Main navigation' })).toHaveCount(1);
    await member.close();
  });
});

test.describe('a session that ends while the form is filled', () => {
  for (const [label, viewport] of [
    ['1440x900', DESKTOP],
    ['390x844 phone', PHONE],
  ] as const) {
    test(`at ${label}: disabled mid-session, the form is kept, the link says why and comes back to it`, async ({ browser }) => {
      test.setTimeout(180_000);
      const { email, context, page } = await ownMember(browser, 'moderator', viewport);
      await expect(page).toHaveURL(/\/mint$/);
      const userId = `draft-${run}`;
      await chooseRoom(page);
      await page.getByRole('textbox', { name: 'userId' }).fill(userId);
      await page.getByRole('switch', { name: /Delete messages/ }).check();
      await page.getByRole('textbox', { name: 'Reason' }).fill('kept across the sign-in');

      staffCli('disable', email);
      await page.getByRole('button', { name: 'Mint token' }).click();
      const ended = page.getByTestId('session-ended');
      await expect(ended).toContainText('Your session ended, sign in again');
      await expect(ended).toBeFocused();
      const link = ended.getByRole('link', { name: 'Sign in again' });
      await expect(link).toHaveAttribute('href', '/signin?callbackUrl=%2Fmint&error=SessionDisabled');
      // The draft is the request only: nothing in storage looks like a token.
      const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
      expect(stored).toContain(userId);
      expect(stored).not.toMatch(/"token"/);

      await link.click();
      await expect(page.getByRole('alert', { name: 'Not signed in' })).toContainText('this account was disabled');
      staffCli('enable', email);
      await signIn(page, email);
      await expect(page).toHaveURL(/\/mint$/);
      await expect(page.getByTestId('draft-restored')).toBeVisible();
      await expect(page.getByRole('textbox', { name: 'userId' })).toHaveValue(userId);
      await expect(page.getByRole('combobox', { name: 'Room' })).toHaveValue(SEED.qaSandbox);
      await expect(page.getByRole('textbox', { name: 'Reason' })).toHaveValue('kept across the sign-in');
      await expect(page.getByRole('switch', { name: /Delete messages/ })).toBeChecked();
      // Read once: a reload starts from an empty form.
      await page.reload();
      await expect(page.getByRole('textbox', { name: 'userId' })).toHaveValue('');
      await context.close();
    });
  }

  test('signed out everywhere: the link says so; a disabled member who follows a link is told why', async ({ browser }) => {
    test.setTimeout(180_000);
    const { email, context, page } = await ownMember(browser, 'support');
    await expect(page).toHaveURL(/\/mint$/);
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId' }).fill(`everywhere-${run}`);
    staffCli('sign-out-everywhere', email);
    await page.getByRole('button', { name: 'Mint token' }).click();
    const link = page.getByTestId('session-ended').getByRole('link', { name: 'Sign in again' });
    await expect(link).toHaveAttribute('href', '/signin?callbackUrl=%2Fmint&error=SessionEnded');
    await link.click();
    await expect(page.getByRole('alert', { name: 'Not signed in' })).toContainText('Your session was ended elsewhere');

    await signIn(page, email);
    await expect(page).toHaveURL(/\/mint$/);
    staffCli('disable', email);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'History' }).click();
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faudit&error=SessionDisabled/);
    await expect(page.getByRole('alert', { name: 'Not signed in' })).toContainText('this account was disabled');
    await context.close();
  });
});
