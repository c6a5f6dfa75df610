import { mkdirSync } from 'node:fs';
import { expect, test as setup } from '@playwright/test';
import { ACCOUNTS, E2E, PASSWORD, storageStateFor, type AccountRole } from './env';
import { staffCli } from './helpers';

setup('create staff and sign in once per role', async ({ browser }) => {
  // Five CLI runs and five sign-ins: on a busy two-core machine each CLI start alone can take 20 s.
  setup.setTimeout(240_000);
  mkdirSync(`e2e/.auth/${E2E.port}`, { recursive: true });
  for (const [role, email] of Object.entries(ACCOUNTS) as [AccountRole, string][]) {
    staffCli('add', email, role, '--password', PASSWORD);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/signin');
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Each role lands where it can act: a viewer, who may not mint, on History.
    await expect(page).toHaveURL(role === 'viewer' ? /\/audit$/ : /\/mint$/);
    await context.storageState({ path: storageStateFor(role) });
    await context.close();
  }
});
