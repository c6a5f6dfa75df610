import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { storageStateFor, type AccountRole } from './env';
import { SEED, pickRoom } from './helpers';

/**
 * Issue 14, "Accessible, in both themes": axe (every rule it runs by default, WCAG 2.1 AA and best
 * practice) finds nothing on any page of the console, in the light theme and in the dark one, and
 * the keyboard reaches what it needs to: a skip link, focus on a sign-in error, policy-disabled
 * switches that stay focusable with their reason, and a session slider that pages.
 */

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const SIGNED_OUT = { cookies: [], origins: [] };

/** Every violation axe reports, one line each, so a failure reads as a list of what to fix. */
async function axeViolations(page: Page): Promise<string[]> {
  // Mantine's transitions start at opacity 0; a settled page is the one people read.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact}, ${v.nodes.length}): ${v.help} · ${v.nodes
        .slice(0, 4)
        .map((n) => `${n.target.join(' ')}${n.any[0]?.message ? ` [${n.any[0].message}]` : ''}`)
        .join(' | ')}`,
  );
}

async function mintOnce(page: Page, userId: string): Promise<string> {
  await page.goto('/mint');
  await expect(page.getByRole('heading', { name: 'Mint a chat token' })).toBeVisible();
  await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  await page.getByRole('textbox', { name: 'userId' }).fill(userId);
  await page.getByRole('button', { name: 'Mint token' }).click();
  const result = page.getByTestId('token-result');
  await expect(result).toBeVisible();
  const auditId = UUID.exec((await result.getByText(/Audit record/).textContent()) ?? '')?.[0];
  expect(auditId).toBeTruthy();
  return auditId!;
}

interface Visit {
  name: string;
  role: AccountRole;
  /** Opens the page in the state to check; the heading it waits for proves it is the right page. */
  open: (page: Page) => Promise<void>;
}

const h1 = (page: Page, name: string | RegExp) => expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

const CONSOLE_PAGES: Visit[] = [
  {
    name: 'mint',
    role: 'admin',
    open: async (page) => {
      await page.goto('/mint');
      await h1(page, 'Mint a chat token');
    },
  },
  {
    name: 'mint with policy-limited capabilities (support)',
    role: 'support',
    open: async (page) => {
      await page.goto('/mint');
      await h1(page, 'Mint a chat token');
    },
  },
  {
    name: 'mint result',
    role: 'admin',
    open: async (page) => {
      await mintOnce(page, `a11y-result-${Date.now()}`);
    },
  },
  {
    name: 'record',
    role: 'admin',
    open: async (page) => {
      const id = await mintOnce(page, `a11y-record-${Date.now()}`);
      await page.goto(`/audit/${id}`);
      await expect(page.getByTestId('record-user-id')).toBeVisible();
    },
  },
  {
    name: 'lookup',
    role: 'admin',
    open: async (page) => {
      await page.goto('/audit/lookup');
      await h1(page, /Look up/);
    },
  },
  {
    name: 'history',
    role: 'moderator',
    open: async (page) => {
      await page.goto('/audit');
      await h1(page, 'History');
    },
  },
  {
    name: 'activity',
    role: 'admin',
    open: async (page) => {
      await page.goto('/activity');
      await h1(page, 'Activity');
    },
  },
  {
    name: 'bulk',
    role: 'admin',
    open: async (page) => {
      await page.goto('/bulk');
      await h1(page, 'Bulk mint');
    },
  },
  {
    name: 'bulk job',
    role: 'qa',
    open: async (page) => {
      await page.goto('/bulk');
      await h1(page, 'Bulk mint');
      await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
      await page.getByRole('textbox', { name: 'Count' }).fill('3');
      await page.getByRole('textbox', { name: 'Reason' }).fill('a11y check');
      await page.getByRole('button', { name: 'Start bulk mint' }).click();
      await expect(page).toHaveURL(/\/bulk\/[0-9a-f-]{36}$/);
      await expect(page.getByTestId('bulk-status')).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    },
  },
  {
    name: 'moderation',
    role: 'admin',
    open: async (page) => {
      await page.goto('/moderation');
      await h1(page, /Moderation/);
    },
  },
  {
    name: 'presets',
    role: 'admin',
    open: async (page) => {
      await page.goto('/presets');
      await h1(page, /presets/i);
    },
  },
  {
    name: 'admin',
    role: 'admin',
    open: async (page) => {
      await page.goto('/admin');
      await h1(page, /Admin/);
    },
  },
  {
    name: 'password',
    role: 'admin',
    open: async (page) => {
      await page.goto('/password');
      await h1(page, 'Change password');
    },
  },
  {
    name: '404',
    role: 'admin',
    open: async (page) => {
      const res = await page.goto('/no-such-page-here');
      expect(res?.status()).toBe(404);
      await expect(page.locator('body')).toContainText(/not found|no such page|404/i);
    },
  },
];

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`axe, ${scheme} theme`, () => {
    test.use({ colorScheme: scheme });
    test.setTimeout(90_000);

    const inScheme = async (page: Page) =>
      expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme, { timeout: 5_000 });

    test.describe('signed out', () => {
      test.use({ storageState: SIGNED_OUT });

      test('sign-in', async ({ page }) => {
        await page.goto('/signin');
        await h1(page, 'IVS Chat Token Console');
        await inScheme(page);
        expect(await axeViolations(page)).toEqual([]);
      });

      test('sign-in after a wrong password', async ({ page }) => {
        await page.goto('/signin');
        await page.getByRole('textbox', { name: 'Email' }).fill('nobody@e2e.test');
        await page.getByRole('textbox', { name: 'Password' }).fill('wrong password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        // Next's route announcer is an alert too; this is the sign-in's own.
        await expect(page.getByRole('alert').filter({ hasText: 'not right' })).toBeVisible();
        await inScheme(page);
        expect(await axeViolations(page)).toEqual([]);
      });
    });

    for (const visit of CONSOLE_PAGES) {
      test.describe(visit.name, () => {
        test.use({ storageState: storageStateFor(visit.role) });
        test(`${visit.name} (${visit.role})`, async ({ page }) => {
          await visit.open(page);
          await inScheme(page);
          expect(await axeViolations(page)).toEqual([]);
        });
      });
    }
  });
}

test.describe('keyboard and screen readers', () => {
  test.describe('signed out', () => {
    test.use({ storageState: SIGNED_OUT });

    test('the sign-in page has a main landmark and a failed sign-in moves focus to what went wrong', async ({ page }) => {
      await page.goto('/signin');
      await expect(page.getByRole('main')).toHaveCount(1);
      await page.getByRole('textbox', { name: 'Email' }).fill('nobody@e2e.test');
      await page.getByRole('textbox', { name: 'Password' }).fill('wrong password');
      await page.getByRole('textbox', { name: 'Password' }).press('Enter');
      const alert = page.getByRole('alert').filter({ hasText: 'not right' });
      await expect(alert).toBeVisible();
      // Focus is on the message (or inside it), not left on the body.
      await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('[role="alert"]')), { timeout: 5_000 }).toBe(true);
    });
  });

  test.describe('as support', () => {
    test.use({ storageState: storageStateFor('support') });

    test('a skip link is the first Tab and lands in the page, a few Tabs from the Room field', async ({ page }) => {
      await page.goto('/mint');
      await h1(page, 'Mint a chat token');
      // From the top of a fresh page (a click on the fixed header would start the Tab order after the link).
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Skip to main content' });
      await expect(skip).toBeFocused();
      await expect(skip).toBeVisible();
      await page.keyboard.press('Enter');
      const room = page.getByRole('combobox', { name: 'Room' });
      let tabs = 0;
      while (tabs < 10 && !(await room.evaluate((el) => el === document.activeElement))) {
        await page.keyboard.press('Tab');
        tabs++;
      }
      await expect(room).toBeFocused();
      expect(tabs).toBeLessThanOrEqual(3);
    });

    test('a switch the policy forbids stays in the Tab order, says it is unavailable and why, and does not turn on', async ({ page }) => {
      await page.goto('/mint');
      await h1(page, 'Mint a chat token');
      const denied = page.getByRole('switch', { name: /Delete messages/ });
      await expect(denied).toHaveAttribute('aria-disabled', 'true');
      await expect(denied).not.toHaveAttribute('disabled');
      await expect(denied).toHaveAccessibleDescription(/Your role \(support\) may not grant this/);
      // Reached by Tab from Send messages (which support may grant) through Disconnect users, also forbidden: both stay in the Tab order.
      await page.getByRole('switch', { name: /Send messages/ }).focus();
      await page.keyboard.press('Tab');
      await expect(page.getByRole('switch', { name: /Disconnect users/ })).toBeFocused();
      await page.keyboard.press('Tab');
      await expect(denied).toBeFocused();
      await page.keyboard.press('Space');
      await expect(denied).not.toBeChecked();
      await denied.click({ force: true });
      await expect(denied).not.toBeChecked();
    });

    test('the session slider pages with PageUp and PageDown', async ({ page }) => {
      await page.goto('/mint');
      await h1(page, 'Mint a chat token');
      const slider = page.getByRole('slider', { name: 'Session duration' });
      await slider.focus();
      await page.keyboard.press('Home');
      await expect(slider).toHaveAttribute('aria-valuenow', '1');
      await page.keyboard.press('PageUp');
      await expect(slider).toHaveAttribute('aria-valuenow', '11');
      await page.keyboard.press('PageUp');
      await expect(slider).toHaveAttribute('aria-valuenow', '21');
      await page.keyboard.press('PageDown');
      await expect(slider).toHaveAttribute('aria-valuenow', '11');
      // Support's longest session is 60 minutes: paging stops there.
      for (let i = 0; i < 8; i++) await page.keyboard.press('PageUp');
      await expect(slider).toHaveAttribute('aria-valuenow', '60');
      await expect(page.getByTestId('duration-readout')).toHaveText('1 h');
    });
  });
});
