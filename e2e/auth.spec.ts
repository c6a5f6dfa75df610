import { expect, test } from '@playwright/test';
import { ACCOUNTS, PASSWORD } from './env';
import { staffCli } from './helpers';

test.describe('sign-in', () => {
  test('a signed-out visitor is sent to sign-in and comes back where they were going', async ({ page }) => {
    const res = await page.request.get('/mint', { maxRedirects: 0 });
    expect(res.status()).toBe(307);
    expect(res.headers().location).toContain('/signin?callbackUrl=%2Fmint');

    await page.goto('/mint');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fmint/);
    await page.getByRole('textbox', { name: 'Email' }).fill(ACCOUNTS.support);
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/mint$/);
    await expect(page.getByRole('heading', { name: 'Mint a chat token' })).toBeVisible();
  });

  test('a wrong password is refused with a clear message', async ({ page }) => {
    await page.goto('/signin');
    await page.getByRole('textbox', { name: 'Email' }).fill(ACCOUNTS.admin);
    await page.getByRole('textbox', { name: 'Password' }).fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert', { name: 'Not signed in' })).toContainText('Email or password is not right');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('an off-site callbackUrl is not followed', async ({ page }) => {
    await page.goto('/signin?callbackUrl=https%3A%2F%2Fevil.example%2F');
    await page.getByRole('textbox', { name: 'Email' }).fill(ACCOUNTS.viewer);
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The start page of a role that may not mint is History (app/page.tsx).
    await expect(page).toHaveURL(/localhost:\d+\/audit$/);
  });

  test('sign-out ends the session', async ({ page }) => {
    // Its own account: signing out ends every session of the member, the shared qa sign-in included.
    const email = `signout-${Date.now().toString(36)}@e2e.test`;
    staffCli('add', email, 'qa', '--password', PASSWORD);
    await page.goto('/signin');
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/mint$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto('/mint');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  });
});
