/** The mint form shows the role's policy; the admin page shows it and manages staff. */
import { expect, test } from '@playwright/test';
import { E2E, storageStateFor } from './env';
import { SEED, createChatTokenCalls, pickRoom } from './helpers';

test.describe('support', () => {
  test.use({ storageState: storageStateFor('support') });

  test('sees DELETE/DISCONNECT disabled with the reason, and at most 60 minutes', async ({ page }) => {
    await page.goto('/mint');
    for (const name of [/Delete messages/, /Disconnect users/]) {
      const sw = page.getByRole('switch', { name });
      await expect(sw).toBeDisabled();
    }
    await expect(page.getByText('Your role (support) may not grant this (roles.support.capabilities).')).toHaveCount(2);
    await expect(page.getByRole('switch', { name: /Send messages/ })).toBeEnabled();
    const slider = page.getByRole('slider', { name: 'Session duration' });
    await expect(slider).toHaveAttribute('aria-valuemax', '60');
    await slider.focus();
    await page.keyboard.press('End');
    await expect(page.getByTestId('duration-readout')).toHaveText('1 h');
    await expect(page.getByText(/1 to 60 minutes; the longest your role \(support\) may grant/)).toBeVisible();
    // Typing past the limit is a field error, before anything is sent.
    await pickRoom(page, 'main-stage', 'arn:aws:ivschat:us-east-1:123456789012:room/MainStage001');
    await page.getByRole('textbox', { name: 'userId' }).fill('support-user');
    await page.getByRole('textbox', { name: 'Session duration in minutes' }).fill('61');
    const before = await createChatTokenCalls();
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByText('The support role may grant sessions of at most 60 minutes.')).toBeVisible();
    expect(await createChatTokenCalls()).toBe(before);
  });

  test('has no Admin entry and no access to /admin', async ({ page }) => {
    await page.goto('/mint');
    await expect(page.getByRole('link', { name: /Mint a token/ })).toBeVisible();
    await expect(page.getByRole('link', { name: /Admin/ })).toHaveCount(0);
    await page.goto('/admin');
    await expect(page.getByText('Your role (support) may not manage staff (roles.support.mayManageStaff).')).toBeVisible();
    await expect(page.getByTestId('staff-table')).toHaveCount(0);
  });
});

test.describe('qa', () => {
  test.use({ storageState: storageStateFor('qa') });

  test('sees only env=qa rooms in the picker, and a pasted prod room is refused with its rule', async ({ page }) => {
    await page.goto('/mint');
    const room = page.getByRole('combobox', { name: 'Room' });
    await room.click();
    const options = page.getByRole('option');
    await expect(options.first()).toBeVisible();
    const texts = await options.allTextContents();
    expect(texts.length).toBe(3);
    for (const name of ['qa-sandbox', 'qa-load', 'support-repro']) expect(texts.join('\n')).toContain(name);
    for (const name of ['main-stage', 'eu-community', 'eu-staging']) expect(texts.join('\n')).not.toContain(name);
    await page.keyboard.press('Escape');

    const before = await createChatTokenCalls();
    await room.fill('arn:aws:ivschat:us-east-1:123456789012:room/MainStage001');
    await page.keyboard.press('Escape');
    await page.getByRole('textbox', { name: 'userId' }).fill('qa-user');
    // The room card reads the room (GetRoom) and names the rule before anything is submitted; the
    // field says it too, so the submit stops there. (Whether the card or the server answers first,
    // the words are the policy's: lib/mint/policy-matrix.test.ts holds the server's refusal.)
    const card = page.locator('[aria-labelledby="room-settings-title"]');
    await expect(card.getByRole('alert')).toContainText('(rule roles.qa.rooms.tags.env)');
    await expect(page.getByText(/may mint only for rooms tagged env=qa/).first()).toBeVisible();
    await expect(room).toHaveAttribute('aria-invalid', 'true');
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(room).toBeFocused();
    await expect(room).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('token-result')).toHaveCount(0);
    expect(await createChatTokenCalls()).toBe(before);
  });
});

test.describe('moderator', () => {
  test.use({ storageState: storageStateFor('moderator') });

  test('must type a reason to grant DELETE_MESSAGE', async ({ page }) => {
    await page.goto('/mint');
    await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
    await page.getByRole('textbox', { name: 'userId' }).fill('mod-user');
    await page.getByRole('switch', { name: /Delete messages/ }).check();
    const reason = page.getByRole('textbox', { name: 'Reason' });
    await expect(reason).toHaveAttribute('required', '');
    const before = await createChatTokenCalls();
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByText('A reason is required to grant DELETE_MESSAGE.')).toBeVisible();
    await expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(await createChatTokenCalls()).toBe(before);
    await reason.fill('Spam wave in the sandbox');
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('token-value')).toBeVisible();
  });
});

test.describe('admin page', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('shows the effective policy and adds, re-roles and disables staff', async ({ page }) => {
    await page.goto('/mint');
    await page.getByRole('link', { name: /Admin/ }).click();
    await expect(page).toHaveURL(/\/admin$/);
    const policy = page.getByTestId('policy-table');
    await expect(policy.locator('tr[data-role="support"]')).toContainText('60 min');
    await expect(policy.locator('tr[data-role="qa"]')).toContainText('env=qa');

    const email = `added-${Date.now()}@e2e.test`;
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('support');
    await page.getByRole('button', { name: 'Add staff member' }).click();
    await expect(page.getByTestId('staff-added')).toContainText(email);
    const password = (await page.getByTestId('generated-password').textContent())!.trim();
    expect(password.length).toBeGreaterThanOrEqual(20);

    const row = page.locator(`tr[data-email="${email}"]`);
    await expect(row).toContainText('active');
    await row.getByRole('combobox', { name: `Role of ${email}` }).selectOption('qa');
    await page
      .getByRole('dialog', { name: `Change the role of ${email}?` })
      .getByRole('button', { name: `Make ${email} qa` })
      .click();
    await expect(row.getByRole('combobox', { name: `Role of ${email}` })).toHaveValue('qa');
    await row.getByRole('button', { name: `Disable ${email}` }).click();
    await page
      .getByRole('dialog', { name: `Disable ${email}?` })
      .getByRole('button', { name: `Disable ${email}` })
      .click();
    await expect(row).toContainText('disabled');

    // The new member cannot sign in while disabled.
    const context = await page
      .context()
      .browser()!
      .newContext({ storageState: { cookies: [], origins: [] }, baseURL: E2E.baseUrl });
    const other = await context.newPage();
    await other.goto('/signin');
    await other.getByRole('textbox', { name: 'Email' }).fill(email);
    await other.getByRole('textbox', { name: 'Password' }).fill(password);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await expect(other).toHaveURL(/\/signin/);
    await context.close();
  });
});
