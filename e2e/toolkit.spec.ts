import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import WebSocket from 'ws';
import { E2E, storageStateFor } from './env';
import { SEED, createChatTokenCalls, pickRoom } from './helpers';

test.use({ storageState: storageStateFor('moderator') });

/** A second chat client in the room, in the test process, with a token minted at the emulator directly. */
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

async function openMint(page: Page) {
  await page.goto('/mint');
  await expect(page.getByRole('heading', { name: 'Mint a chat token' })).toBeVisible();
}

/** pickRoom, retried: typing before the page has hydrated is lost when React takes over the input. */
async function chooseRoom(page: Page) {
  await expect(async () => {
    await page.getByRole('combobox', { name: 'Room' }).fill('');
    await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  }).toPass({ intervals: [250, 500, 1000], timeout: 15_000 });
}

test.describe('toolkit', () => {
  test.setTimeout(90_000);
  test('mint and connect here: connected, sees a second client’s message, is disconnected by a moderator with the reason shown', async ({
    page,
    context,
  }) => {
    const userId = `connect-${randomUUID().slice(0, 8)}`;
    await openMint(page);
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId' }).fill(userId);
    const before = await createChatTokenCalls();
    await page.getByRole('button', { name: 'Mint and connect here' }).click();

    const panel = page.getByTestId('test-connection');
    await expect(panel.getByTestId('connection-state')).toHaveText('Connected');
    await expect(panel).toContainText('A token connects once');
    expect(await createChatTokenCalls()).toBe(before + 1);
    // The token went to the chat client only: nothing on the page shows it.
    await expect(page.getByTestId('token-result')).toHaveCount(0);
    await expect(page.getByTestId('token-value')).toHaveCount(0);

    const other = await secondClient('second-client');
    other.send(JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: randomUUID(), Content: 'hello from the second client' }));
    await expect(panel.getByTestId('room-stream')).toContainText('second-client: hello from the second client');

    // The page's own client can send too (its token has SEND_MESSAGE).
    await panel.getByRole('textbox', { name: 'Message' }).fill('hello from the console');
    await panel.getByRole('button', { name: 'Send' }).click();
    await expect(panel.getByTestId('room-stream')).toContainText(`${userId}: hello from the console`);

    // A moderator disconnects this user from the moderation page (DisconnectUser, server action).
    const mod = await context.newPage();
    await mod.goto('/moderation');
    await chooseRoom(mod);
    await mod.getByRole('textbox', { name: 'userId to disconnect' }).fill(userId);
    await mod.getByRole('textbox', { name: 'Disconnect reason' }).fill('e2e kick: flooding');
    await mod.getByRole('button', { name: 'Disconnect user' }).click();
    await expect(mod.getByTestId('disconnect-outcome')).toContainText(`IVS accepted the disconnect for ${userId}`);

    await expect(panel.getByTestId('connection-state')).toHaveText('Disconnected');
    await expect(panel.getByTestId('connection-header')).toHaveText('Disconnected by a moderator: e2e kick: flooding');
    other.close();

    await mod.close();
  });

  test('a denied userId cannot be minted, and nothing reaches CreateChatToken', async ({ page }) => {
    const userId = `denied-${randomUUID().slice(0, 8)}`;
    await page.goto('/moderation');
    await expect(page.getByRole('heading', { name: 'Moderation' })).toBeVisible();
    await expect(page.getByText('IVS Chat cannot revoke a token')).toBeVisible();
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId to deny' }).fill(userId);
    await page.getByRole('textbox', { name: 'Deny reason' }).fill('spam links');
    await page.getByRole('button', { name: 'Deny this userId' }).click();
    await expect(page.getByTestId('denylist-outcome')).toContainText(`${userId} is denied in room`);
    await expect(page.getByRole('table', { name: 'Denied userIds' })).toContainText(userId);

    await openMint(page);
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId' }).fill(userId);
    const before = await createChatTokenCalls();
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('mint-error')).toContainText('deny list');
    await expect(page.getByRole('textbox', { name: 'userId' })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('token-result')).toHaveCount(0);
    expect(await createChatTokenCalls()).toBe(before);

    // Removing the entry lets it be minted again.
    await page.goto('/moderation');
    await page.getByRole('button', { name: `Remove ${userId} from the deny list` }).click();
    await expect(page.getByRole('table', { name: 'Denied userIds' })).not.toContainText(userId);
    await openMint(page);
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId' }).fill(userId);
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('token-result')).toBeVisible();
  });

  test('a preset fills the form in one click, and the limits still apply', async ({ page }) => {
    await openMint(page);
    await page.getByRole('button', { name: 'Use preset Temporary moderator, 30 min' }).click();
    await expect(page.getByRole('switch', { name: /Delete messages/ })).toBeChecked();
    await expect(page.getByRole('switch', { name: /Disconnect users/ })).toBeChecked();
    await expect(page.getByTestId('duration-readout')).toHaveText('30 min');
    await expect(page.getByRole('textbox', { name: 'Attribute 1 key' })).toHaveValue('role');
    await expect(page.locator('#attributes-counter')).toHaveText('13 / 1024 bytes');
    await expect(page.getByRole('textbox', { name: 'Reason' })).toHaveValue('Temporary moderator for ');

    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId' }).fill('preset-user');
    await page.getByRole('textbox', { name: 'Reason' }).fill('Temporary moderator for the e2e stream');
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('token-result')).toContainText('DISCONNECT_USER');

    // Another preset replaces the grants; the counter follows.
    await page.getByRole('button', { name: 'Use preset QA chatter' }).click();
    await expect(page.getByRole('switch', { name: /Delete messages/ })).not.toBeChecked();
    await expect(page.getByTestId('duration-readout')).toHaveText('1 h');
    await expect(page.getByRole('textbox', { name: 'Attribute 1 key' })).toHaveValue('displayName');
  });
});

test.describe('token detail', () => {
  test('a token’s detail offers “Disconnect this user”, which disconnects its user', async ({ page }) => {
    const userId = `detail-${randomUUID().slice(0, 8)}`;
    await openMint(page);
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId' }).fill(userId);
    await page.getByRole('button', { name: 'Mint token' }).click();
    const auditText = await page
      .getByTestId('token-result')
      .getByText(/^Audit record /)
      .textContent();
    const auditId = /Audit record ([0-9a-f-]{36})/.exec(auditText ?? '')![1];
    await page.goto(`/audit/${auditId}`);
    await page.getByRole('button', { name: 'Disconnect this user' }).click();
    await expect(page.getByRole('textbox', { name: 'userId to disconnect' })).toHaveValue(userId);
    await page.getByRole('textbox', { name: 'Disconnect reason' }).fill('from the token detail');
    await page.getByRole('button', { name: 'Disconnect user' }).click();
    await expect(page.getByTestId('disconnect-outcome')).toContainText(`IVS accepted the disconnect for ${userId}`);
  });
});

test.describe('history', () => {
  test('a history row offers "Disconnect", which closes that user\'s live connection', async ({ page }) => {
    const userId = `history-${randomUUID().slice(0, 8)}`;
    await openMint(page);
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId' }).fill(userId);
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('token-result')).toBeVisible();

    const live = await secondClient(userId);
    const closed = new Promise<number>((resolve) => live.on('close', (code) => resolve(code)));
    await page.goto(`/audit?userId=${encodeURIComponent(userId)}`);
    await page.getByRole('button', { name: `Disconnect ${userId} from QaSandbox001` }).click();
    const dialog = page.getByRole('dialog', { name: `Disconnect ${userId} from QaSandbox001` });
    await expect(dialog.getByRole('textbox', { name: 'userId to disconnect' })).toHaveValue(userId);
    await dialog.getByRole('textbox', { name: 'Disconnect reason' }).fill('from the history');
    await dialog.getByRole('button', { name: 'Disconnect user' }).click();
    await expect(dialog.getByTestId('disconnect-outcome')).toContainText(`IVS accepted the disconnect for ${userId}`);
    expect(await closed).toBe(1000);
  });
});

test.describe('presets per role', () => {
  test.use({ storageState: storageStateFor('support') });

  test('support is offered only the presets its role may use, and a read-only deny list instead of moderation', async ({ page }) => {
    await openMint(page);
    await expect(page.getByRole('button', { name: 'Use preset QA chatter' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Use preset Temporary moderator, 30 min' })).toHaveCount(0);
    await page.goto('/moderation');
    // Support reads the deny list (why a user cannot chat) but may not change it or moderate.
    await expect(page.getByText('may read the deny list but not change it or moderate rooms')).toBeVisible();
    await expect(page.getByRole('button', { name: /Disconnect/ })).toHaveCount(0);
  });
});
