import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import WebSocket from 'ws';
import { E2E, storageStateFor } from './env';
import { SEED, createApiKeyCli, emulatorStats, pickRoom, revokeApiKeyCli, staffCli } from './helpers';

/**
 * The Activity view (issue 13, "what support cannot see"): every kind of audit entry is on a page
 * and in the export, refused mints are entries, and moderation from "Mint and connect here" goes
 * through the audited server path.
 */

const tag = () => randomUUID().slice(0, 8);

async function chooseRoom(page: Page) {
  await expect(async () => {
    await page.getByRole('combobox', { name: 'Room' }).fill('');
    await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  }).toPass({ intervals: [250, 500, 1000], timeout: 15_000 });
}

/** Opens the Activity view with these filters and returns its rows. */
async function activity(page: Page, filters: Record<string, string>) {
  await page.goto(`/activity?${new URLSearchParams(filters)}`);
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
  return page.getByTestId('activity-row');
}

async function secondClient(userId: string) {
  const sdk = new IvschatClient({
    endpoint: E2E.emulatorUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { token } = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: SEED.qaSandbox, userId, capabilities: ['SEND_MESSAGE'] }));
  const ws = new WebSocket(E2E.emulatorUrl.replace('http', 'ws'), token!);
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  return { ws, closed };
}

test.describe('activity', () => {
  test.setTimeout(120_000);

  test.describe('as admin', () => {
    test.use({ storageState: storageStateFor('admin') });

    test('every kind of action appears in the Activity view by filter, with totals, numbered pages and the same rows in the export', async ({
      page,
    }) => {
      const t = tag();
      // Staff and API key changes (the server shell is one of the console's ways in: source cli).
      const email = `act-${t}@e2e.test`;
      staffCli('add', email, 'support', '--password', 'correct horse battery staple');
      staffCli('set-role', email, 'moderator');
      staffCli('disable', email);
      const keyName = `act-${t}`;
      const key = createApiKeyCli(keyName, 'qa');

      // 60 mints over the HTTP API, in one batch call (source api).
      const requests = Array.from({ length: 60 }, (_, i) => ({ roomArn: SEED.qaSandbox, userId: `act-${t}-${i}` }));
      const res = await page.request.post('/api/v1/tokens', {
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        data: { requests },
      });
      expect(res.status()).toBe(200);
      expect((await res.json()).issued).toBe(60);
      revokeApiKeyCli(keyName);

      // Each action type is found by its filter.
      const cases: [Record<string, string>, string, RegExp][] = [
        [{ action: 'staff.created', actor: 'cli@localhost' }, 'staff.created', new RegExp(`Added ${email} as support`)],
        [{ action: 'staff.role_changed' }, 'staff.role_changed', new RegExp(`${email}'s role from support to moderator`)],
        [{ action: 'staff.disabled' }, 'staff.disabled', new RegExp(`Disabled ${email}`)],
        [{ action: 'api_key.created' }, 'api_key.created', new RegExp(`Created API key ${keyName} \\(qa\\)`)],
        [{ action: 'api_key.revoked' }, 'api_key.revoked', new RegExp(`Revoked API key ${keyName}`)],
        [{ action: 'mint.issued', source: 'api', userId: `act-${t}-7` }, 'token.minted', new RegExp(`Token issued for act-${t}-7`)],
      ];
      for (const [filters, action, summary] of cases) {
        const rows = await activity(page, filters);
        const row = rows.filter({ hasText: summary }).first();
        await expect(row, JSON.stringify(filters)).toBeVisible();
        await expect(row).toHaveAttribute('data-action', action);
      }

      // Totals and numbered pages, for one actor's 60 mints.
      const actor = `${keyName}@api-key`;
      let rows = await activity(page, { actor, action: 'token.minted' });
      await expect(page.locator('p[data-testid="activity-summary"]')).toHaveText('1–50 of 60 entries matching the filters');
      await expect(rows).toHaveCount(50);
      // A click while the page is still hydrating can be dropped by the router: the click is retried.
      const summary = page.locator('p[data-testid="activity-summary"]');
      await expect(async () => {
        if ((await summary.textContent())?.startsWith('1–50')) {
          await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Page 2' }).click({ timeout: 2_000 });
        }
        await expect(summary).toHaveText('51–60 of 60 entries matching the filters', { timeout: 3_000 });
      }).toPass({ intervals: [250, 500, 1000], timeout: 20_000 });
      await expect(page).toHaveURL(/[?&]page=2(&|$)/);
      rows = page.getByTestId('activity-row');
      await expect(rows).toHaveCount(10);
      await expect(rows.last()).toContainText(`act-${t}-0`);

      // The filter form: choosing an action and applying puts it in the URL.
      await page.getByRole('combobox', { name: 'Action' }).selectOption('api_key.revoked');
      await page.getByRole('textbox', { name: 'Actor' }).fill('cli@localhost');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect(page).toHaveURL(/action=api_key\.revoked/);
      await expect(page.getByTestId('activity-row').filter({ hasText: `Revoked API key ${keyName}` })).toHaveCount(1);

      // The export holds the same entries: CSV and JSON.
      const csv = await page.request.get(
        `/api/audit/activity/export?${new URLSearchParams({ actor, action: 'token.minted', format: 'csv' })}`,
      );
      expect(csv.status()).toBe(200);
      const lines = (await csv.text())
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0].split(',').slice(0, 6)).toEqual(['seq', 'id', 'at', 'action', 'status', 'summary']);
      expect(lines).toHaveLength(61);
      const json = (await (
        await page.request.get(`/api/audit/activity/export?${new URLSearchParams({ actor, format: 'json' })}`)
      ).json()) as { action: string; userId: string; fingerprint: string | null }[];
      expect(json).toHaveLength(60);
      expect(new Set(json.map((e) => e.userId))).toEqual(new Set(requests.map((r) => r.userId)));
      expect(json.every((e) => e.action === 'token.minted' && e.fingerprint !== null)).toBe(true);
      const staffExport = await (
        await page.request.get(`/api/audit/activity/export?${new URLSearchParams({ actor: 'cli@localhost', format: 'json' })}`)
      ).json();
      const kinds = new Set(
        (staffExport as { action: string; summary: string }[]).filter((e) => e.summary.includes(t)).map((e) => e.action),
      );
      expect(kinds).toEqual(new Set(['staff.created', 'staff.role_changed', 'staff.disabled', 'api_key.created', 'api_key.revoked']));
    });
  });

  test('a mint refused by the deny list is recorded, and support finds the refusal and the entry', async ({ browser }) => {
    const userId = `troll-42-${tag()}`;
    const mod = await browser.newContext({ storageState: storageStateFor('moderator') });
    const page = await mod.newPage();
    await page.goto('/moderation');
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId to deny' }).fill(userId);
    await page.getByRole('textbox', { name: 'Deny reason' }).fill('spam links');
    // A deny alone (no "disconnect now", which would be a third entry for this userId).
    await page.getByRole('checkbox', { name: 'Disconnect now from the chosen room' }).uncheck();
    await page.getByRole('button', { name: 'Deny this userId' }).click();
    await expect(page.getByTestId('denylist-outcome')).toContainText(`${userId} is denied in room`);

    await page.goto('/mint');
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId' }).fill(userId);
    await page.getByRole('button', { name: 'Mint token' }).click();
    await expect(page.getByTestId('mint-error')).toContainText('deny list');
    await mod.close();

    const support = await browser.newContext({ storageState: storageStateFor('support') });
    const sp = await support.newPage();
    // History is about mints: none was made.
    await sp.goto(`/audit?userId=${encodeURIComponent(userId)}`);
    await expect(sp.getByTestId('history-summary')).toHaveText('No mints match these filters.');
    // The Activity view (in support's menu) shows who tried, for whom, and which rule refused.
    await sp
      .getByRole('link', { name: /Activity/ })
      .first()
      .click();
    await expect(sp).toHaveURL(/\/activity$/);
    const rows = await activity(sp, { userId });
    await expect(rows).toHaveCount(2);
    const refusal = sp.locator('[data-testid="activity-row"][data-action="token.refused"]');
    await expect(refusal).toHaveCount(1);
    await expect(refusal).toContainText(`Mint for ${userId} refused by rule denylist`);
    await expect(refusal).toContainText('moderator@e2e.test');
    await expect(sp.locator('[data-testid="activity-row"][data-action="denylist.added"]')).toContainText('Reason: spam links');

    // The refusal's page: no token, and the user's story in this room in time order.
    await refusal.getByRole('link').first().click();
    await expect(sp.getByRole('heading', { name: 'Audit entry: token.refused' })).toBeVisible();
    await expect(sp.getByTestId('entry-table')).toContainText('"rule": "denylist"');
    await expect(sp.getByTestId('entry-table')).not.toContainText('fingerprint');
    const timeline = sp.getByTestId('timeline-row');
    await expect(timeline).toHaveCount(2);
    await expect(timeline.nth(0)).toHaveAttribute('data-action', 'denylist.added');
    await expect(timeline.nth(1)).toHaveAttribute('data-action', 'token.refused');
    await support.close();
  });

  test.describe('as moderator', () => {
    test.use({ storageState: storageStateFor('moderator') });

    test('deleting a message and disconnecting a user from "Mint and connect here" go through DeleteMessage/DisconnectUser and are recorded', async ({
      page,
    }) => {
      const me = `connect-${tag()}`;
      const other = `chatter-${tag()}`;
      await page.goto('/mint');
      await chooseRoom(page);
      await page.getByRole('textbox', { name: 'userId' }).fill(me);
      await page.getByRole('switch', { name: /DELETE_MESSAGE/ }).check();
      await page.getByRole('switch', { name: /DISCONNECT_USER/ }).check();
      await page.getByRole('textbox', { name: 'Reason' }).fill('e2e moderation from the test connection');
      await page.getByRole('button', { name: 'Mint and connect here' }).click();
      const panel = page.getByTestId('test-connection');
      await expect(panel.getByTestId('connection-state')).toHaveText('Connected');

      const client = await secondClient(other);
      client.ws.send(JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: randomUUID(), Content: 'buy cheap stuff' }));
      await expect(panel.getByTestId('room-stream')).toContainText(`${other}: buy cheap stuff`);

      const before = (await emulatorStats()).operations;
      const message = panel.getByTestId('stream-message').filter({ hasText: 'buy cheap stuff' });
      await message.getByRole('button', { name: /^Delete message/ }).click();
      await panel.getByRole('textbox', { name: 'Delete reason' }).fill('spam link');
      await panel.getByRole('button', { name: 'Confirm delete' }).click();
      await expect(message).toContainText('deleted: spam link');

      await message.getByRole('button', { name: `Disconnect ${other}` }).click();
      await panel.getByRole('textbox', { name: 'Disconnect reason' }).fill('spam from the test connection');
      await panel.getByRole('button', { name: 'Disconnect user' }).click();
      await client.closed;
      // Through the control plane (the console's server), not the browser's chat socket.
      const after = (await emulatorStats()).operations;
      expect(after.DeleteMessage?.succeeded).toBe((before.DeleteMessage?.succeeded ?? 0) + 1);
      expect(after.DisconnectUser?.succeeded).toBe((before.DisconnectUser?.succeeded ?? 0) + 1);

      const rows = await activity(page, { source: 'connect-here', userId: other });
      await expect(rows).toHaveCount(2);
      await expect(rows.nth(0)).toHaveAttribute('data-action', 'user.disconnected');
      await expect(rows.nth(0)).toContainText('spam from the test connection');
      await expect(rows.nth(1)).toHaveAttribute('data-action', 'message.deleted');
      await expect(rows.nth(1)).toContainText(`sent by ${other}`);
      // The test connection's own mint is recorded with the same source.
      const mine = await activity(page, { source: 'connect-here', userId: me, action: 'mint.issued' });
      await expect(mine).toHaveCount(1);
      // History filters by source too.
      await page.goto(`/audit?${new URLSearchParams({ source: 'connect-here', userId: me })}`);
      await expect(page.getByTestId('history-row')).toHaveCount(1);
    });
  });
});
