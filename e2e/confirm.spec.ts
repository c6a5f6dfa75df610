import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import WebSocket from 'ws';
import { E2E, storageStateFor } from './env';
import { SEED, armFault, clearFaults, createChatTokenCalls, pickRoom } from './helpers';

/**
 * Destructive acts that say what they do (issue 14): confirmations that name their object, outcomes
 * as the server gave them, disconnect words that claim only what IVS says, a ban everywhere with a
 * disconnect here, presets checked against the roles' policies and reason templates that are not
 * reasons. Screenshots at 1440x900 go to /work/shots/confirm (SHOT_TAG=before on the old code).
 */
const SHOTS = '/work/shots/confirm';
const TAG = process.env.SHOT_TAG ?? 'after';
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}-${TAG}.png` });

test.use({ viewport: { width: 1440, height: 900 } });

async function secondClient(userId: string): Promise<WebSocket> {
  const sdk = new IvschatClient({
    endpoint: E2E.emulatorUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { token } = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: SEED.qaSandbox, userId, capabilities: ['SEND_MESSAGE'] }));
  const ws = new WebSocket(E2E.emulatorUrl.replace('http', 'ws'), token!);
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  return ws;
}

/** pickRoom, retried: typing before the page has hydrated is lost when React takes over the input. */
async function chooseRoom(page: Page) {
  await expect(async () => {
    await page.getByRole('combobox', { name: 'Room' }).fill('');
    await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  }).toPass({ intervals: [250, 500, 1000], timeout: 15_000 });
}

test.describe('admin acts ask first and say what happened', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('a role change and a disable name the member, can be cancelled, and report the outcome', async ({ page }) => {
    const email = `confirm-${Date.now()}@e2e.test`;
    await page.goto('/admin');
    await page.getByRole('textbox', { name: 'Email' }).fill(email);
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('support');
    await page.getByRole('button', { name: 'Add staff member' }).click();
    await expect(page.getByTestId('staff-added')).toContainText(email);
    const row = page.locator(`tr[data-email="${email}"]`);
    const role = row.getByRole('combobox', { name: `Role of ${email}` });

    await role.selectOption('qa');
    const change = page.getByRole('dialog', { name: `Change the role of ${email}?` });
    await expect(change).toContainText('From support to qa');
    await change.getByRole('button', { name: 'Cancel' }).click();
    await expect(change).toHaveCount(0);
    await expect(role).toHaveValue('support');
    await page.reload();
    await expect(role).toHaveValue('support');

    // After a reload the select works once the page has hydrated.
    await expect(async () => {
      await role.selectOption('support');
      await role.selectOption('qa');
      await expect(change).toBeVisible({ timeout: 2_000 });
    }).toPass({ intervals: [250, 500, 1000], timeout: 15_000 });
    await change.getByRole('button', { name: `Make ${email} qa` }).click();
    await expect(page.getByTestId('staff-outcome')).toContainText(`${email} is now qa (was support).`);
    await expect(role).toHaveValue('qa');

    await row.getByRole('button', { name: `Disable ${email}` }).click();
    await page.waitForTimeout(1_000);
    await shot(page, 'staff-admin');
    const disable = page.getByRole('dialog', { name: `Disable ${email}?` });
    await expect(disable).toContainText(`This signs ${email} out everywhere`);
    await expect(disable).toContainText('suspends every API key they own');
    await expect(row).toContainText('active');
    await disable.getByRole('button', { name: `Disable ${email}` }).click();
    await expect(page.getByTestId('staff-outcome')).toContainText(`${email} is disabled: every session has ended`);
    await expect(row).toContainText('disabled');
  });

  test('revoking a key asks first, names it, and takes its shown-once panel off the screen', async ({ page }) => {
    const name = `confirm-key-${Date.now()}`;
    await page.goto('/admin');
    await page.getByRole('textbox', { name: 'Key name' }).fill(name);
    await page.getByRole('button', { name: 'Create API key' }).click();
    await expect(page.getByTestId('api-key-value')).toBeVisible();
    const key = (await page.getByTestId('api-key-value').textContent())!.trim();

    const row = page.getByTestId('api-key-table').locator(`tr[data-api-key="${name}"]`);
    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke the API key ${name}?` });
    await expect(dialog).toContainText(`${key.slice(0, 11)}…`);
    await expect(dialog).toContainText('cannot be restored');
    await dialog.getByRole('button', { name: `Revoke ${name}` }).click();
    await expect(page.getByTestId('api-key-outcome')).toContainText(`Revoked the API key ${name}: its next request is refused.`);
    await expect(row).toContainText('revoked');
    await expect(page.getByTestId('api-key-created')).toHaveCount(0);
    await expect(page.getByText(key)).toHaveCount(0);
  });

  test('deleting a preset names it and can be cancelled; a preset no named role could use is refused at its fields', async ({ page }) => {
    const name = `Confirm preset ${Date.now()}`;
    await page.goto('/presets');
    const form = page.getByRole('form', { name: 'New preset' });
    await form.getByRole('textbox', { name: 'Preset name' }).fill(name);
    await form.getByRole('checkbox', { name: 'support' }).check();
    await form.getByRole('checkbox', { name: 'Disconnect users' }).check();
    // support may grant only SEND_MESSAGE, for at most 60 minutes: it could never use this.
    await expect(page.getByTestId('preset-policy-warning')).toContainText('support: The support role may not grant DISCONNECT_USER.');
    await form.getByRole('button', { name: 'Create preset' }).click();
    await expect(form.getByText(/support could never use this preset/)).toBeVisible();
    await expect(
      form.getByText('The support role may not grant DISCONNECT_USER. (roles.support.capabilities)', { exact: true }),
    ).toBeVisible();
    await expect(page.getByRole('table', { name: 'Presets' })).not.toContainText(name);

    await form.getByRole('checkbox', { name: 'Disconnect users' }).uncheck();
    await expect(page.getByTestId('preset-policy-warning')).toHaveCount(0);
    await form.getByRole('button', { name: 'Create preset' }).click();
    await expect(page.getByTestId('preset-outcome')).toContainText(`Saved “${name}”.`);

    const table = page.getByRole('table', { name: 'Presets' });
    await table.getByRole('button', { name: `Delete ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete the preset “${name}”?` });
    await expect(dialog).toContainText('stops offering it to support');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(table).toContainText(name);
    await table.getByRole('button', { name: `Delete ${name}` }).click();
    await dialog.getByRole('button', { name: `Delete “${name}”` }).click();
    await expect(page.getByTestId('preset-outcome')).toContainText(`Deleted the preset “${name}”.`);
    await expect(table).not.toContainText(name);
  });
});

test.describe('moderation words and acts', () => {
  test.use({ storageState: storageStateFor('moderator') });
  test.setTimeout(90_000);

  test('a disconnect says what IVS said, and names the room', async ({ page }) => {
    const userId = `nobody-here-${randomUUID().slice(0, 6)}`;
    await page.goto('/moderation');
    await chooseRoom(page);
    const form = page.getByRole('form', { name: 'Disconnect a user' });
    await expect(form.getByTestId('disconnect-room')).toContainText('qa-sandbox');
    await expect(form.getByTestId('disconnect-room')).toContainText(SEED.qaSandbox);
    await form.getByRole('textbox', { name: 'userId to disconnect' }).fill(userId);
    await form.getByRole('textbox', { name: 'Disconnect reason' }).fill('e2e: a user who was never here');
    await form.getByRole('button', { name: 'Disconnect user' }).click();
    const outcome = page.getByTestId('disconnect-outcome');
    await expect(outcome).toBeVisible();
    await shot(page, 'disconnect-result');
    await expect(outcome).toContainText(`IVS accepted the disconnect for ${userId} in room qa-sandbox (QaSandbox001).`);
    await expect(outcome).toContainText('IVS does not report whether they were connected');
    await expect(outcome).not.toContainText(`Disconnected ${userId}`);
  });

  test('a failed mint offers no Disconnect; an issued one opens a dialog naming the room and its ARN', async ({ page }) => {
    const failedUser = `failed-${randomUUID().slice(0, 6)}`;
    const issuedUser = `issued-${randomUUID().slice(0, 6)}`;
    await page.goto('/mint');
    await chooseRoom(page);
    await armFault({ operation: 'CreateChatToken', error: 'AccessDeniedException', count: 3 });
    try {
      await page.getByRole('textbox', { name: 'userId' }).fill(failedUser);
      await page.getByRole('button', { name: 'Mint token' }).click();
      await expect(page.getByText(/AccessDeniedException/).first()).toBeVisible();
    } finally {
      await clearFaults();
    }
    await page.getByRole('textbox', { name: 'userId' }).fill(issuedUser);
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('token-result')).toContainText(issuedUser);

    await page.goto(`/audit?userId=${encodeURIComponent(failedUser)}`);
    const failedRow = page.getByTestId('history-row');
    await expect(failedRow).toHaveCount(1);
    await expect(failedRow.locator('[data-status="failed"]')).toBeVisible();
    await expect(failedRow.getByRole('button', { name: /^Disconnect/ })).toHaveCount(0);
    await failedRow.getByRole('link').first().click();
    await expect(page).toHaveURL(/\/audit\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('button', { name: 'Disconnect this user' })).toHaveCount(0);

    await page.goto(`/audit?userId=${encodeURIComponent(issuedUser)}`);
    await page.getByRole('button', { name: `Disconnect ${issuedUser} from QaSandbox001` }).click();
    const dialog = page.getByRole('dialog', { name: `Disconnect ${issuedUser} from QaSandbox001` });
    await expect(dialog.getByTestId('disconnect-room')).toContainText('qa-sandbox');
    await expect(dialog.getByTestId('disconnect-room')).toContainText(SEED.qaSandbox);
  });

  test('deny in every room with "Disconnect now" from the chosen room: one act, both audited', async ({ page }) => {
    const userId = `troll-${randomUUID().slice(0, 6)}`;
    const live = await secondClient(userId);
    const closed = new Promise<number>((resolve) => live.on('close', (code) => resolve(code)));
    await page.goto('/moderation');
    await chooseRoom(page);
    const form = page.getByRole('form', { name: 'Add to the deny list' });
    await form.getByRole('textbox', { name: 'userId to deny' }).fill(userId);
    await form.getByRole('textbox', { name: 'Deny reason' }).fill('e2e: spam in every room');
    await form.getByRole('checkbox', { name: 'In every room' }).check();
    await expect(form.getByRole('checkbox', { name: /Disconnect now from the chosen room/ })).toBeChecked();
    await form.getByRole('button', { name: 'Deny this userId' }).click();
    const outcome = page.getByTestId('denylist-outcome');
    await expect(outcome).toContainText(`${userId} is denied in every room: no new token will be minted.`);
    await expect(outcome).toContainText(`IVS accepted the disconnect for ${userId} in room QaSandbox001.`);
    await expect(form.getByRole('alert').filter({ hasText: 'Choose the room' })).toHaveCount(0);
    expect(await closed).toBe(1000);
    await expect(page.getByRole('table', { name: 'Denied userIds' }).getByRole('row').filter({ hasText: userId })).toContainText(
      'every room',
    );

    await page.goto(`/activity?userId=${encodeURIComponent(userId)}`);
    await expect(page.getByText(`Denied ${userId} in every room`)).toBeVisible();
    await expect(page.getByText(`Disconnect of ${userId} (accepted by IVS`)).toBeVisible();
  });

  test('a preset reason template left unedited is not the required reason', async ({ page }) => {
    await page.goto('/mint');
    await page.getByRole('button', { name: 'Use preset Temporary moderator, 30 min' }).click();
    await expect(page.getByRole('textbox', { name: 'Reason' })).toHaveValue('Temporary moderator for ');
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId' }).fill(`template-${randomUUID().slice(0, 6)}`);
    const calls = await createChatTokenCalls();
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByText(/is the preset's template as it was filled in; complete it/).first()).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Reason' })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('token-result')).toHaveCount(0);
    expect(await createChatTokenCalls()).toBe(calls);

    await page.getByRole('textbox', { name: 'Reason' }).fill('Temporary moderator for the e2e stream');
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('token-result')).toContainText('DISCONNECT_USER');
  });
});
