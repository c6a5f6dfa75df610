import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import {
  ChatRoom,
  SendMessageRequest,
  type ChatMessage,
  type DeleteMessageEvent,
  type DisconnectReason,
  type DisconnectUserEvent,
} from 'amazon-ivs-chat-messaging';
import { WebSocket } from 'ws';
import { E2E, storageStateFor } from './env';
import { SEED, emulatorStats, pickRoom } from './helpers';

/**
 * Moderating from the console (issue 14): "Mint and connect here" is a moderation client, and
 * /moderation offers a way to find a message id, says what event attributes are, and takes the
 * deny list's end time in UTC. The other side of the room is the official chat SDK in this process,
 * with its own token minted at the emulator, so what it sees is what a real chat app would see.
 */

// Node 20 has no global WebSocket; the chat SDK looks it up globally.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const SHOTS = process.env.MODCLIENT_SHOTS ?? '/work/shots/modclient';
const SHOT_PREFIX = process.env.MODCLIENT_SHOT_PREFIX ?? 'after';
const QA_SANDBOX_MAX_LENGTH = 200; // emulator/seed.json

const tag = () => randomUUID().slice(0, 8);
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface Sender {
  userId: string;
  room: ChatRoom;
  messages: ChatMessage[];
  deletes: DeleteMessageEvent[];
  userDisconnects: DisconnectUserEvent[];
  disconnected: Promise<DisconnectReason>;
  send: (content: string) => Promise<ChatMessage>;
}

/** A chat app's user in qa-sandbox: the official SDK with a SEND_MESSAGE token minted at the emulator. */
async function sender(userId: string): Promise<Sender> {
  const sdk = new IvschatClient({
    endpoint: E2E.emulatorUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const room = new ChatRoom({
    regionOrUrl: E2E.emulatorUrl.replace('http', 'ws'),
    maxReconnectAttempts: 0,
    tokenProvider: async () => {
      const t = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: SEED.qaSandbox, userId, capabilities: ['SEND_MESSAGE'] }));
      return { token: t.token!, tokenExpirationTime: t.tokenExpirationTime, sessionExpirationTime: t.sessionExpirationTime };
    },
  });
  room.logger = silent;
  const s: Sender = {
    userId,
    room,
    messages: [],
    deletes: [],
    userDisconnects: [],
    disconnected: new Promise((resolve) => room.addListener('disconnect', resolve)),
    send: (content) => room.sendMessage(new SendMessageRequest(content)),
  };
  room.addListener('message', (m) => s.messages.push(m));
  room.addListener('messageDelete', (e) => s.deletes.push(e));
  room.addListener('userDisconnect', (e) => s.userDisconnects.push(e));
  await new Promise<void>((resolve, reject) => {
    room.addListener('connect', () => resolve());
    room.addListener('disconnect', (r) => reject(new Error(`the sender could not connect: ${r}`)));
    room.connect();
  });
  return s;
}

async function chooseRoom(page: Page) {
  await expect(async () => {
    await page.getByRole('combobox', { name: 'Room' }).fill('');
    await pickRoom(page, 'qa-sandbox', SEED.qaSandbox);
  }).toPass({ intervals: [250, 500, 1000], timeout: 15_000 });
}

async function activity(page: Page, filters: Record<string, string>) {
  await page.goto(`/activity?${new URLSearchParams(filters)}`);
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
  return page.getByTestId('activity-row');
}

async function shot(page: Page, name: string, testId = 'test-connection') {
  mkdirSync(SHOTS, { recursive: true });
  await page.getByTestId(testId).screenshot({ path: `${SHOTS}/${SHOT_PREFIX}-${name}.png` });
}

test.use({ storageState: storageStateFor('moderator'), viewport: { width: 1440, height: 900 } });

test.describe('moderating from the console', () => {
  test.setTimeout(180_000);
  const open: Sender[] = [];
  test.afterEach(() => {
    for (const s of open.splice(0)) if (s.room.state !== 'disconnected') s.room.disconnect();
  });

  test('"Mint and connect here" is a moderation client: send with a counter, delete with a reason, disconnect, deny, leave', async ({
    page,
    context,
  }) => {
    const me = `mod-${tag()}`;
    const spammer = await sender(`spam-${tag()}`);
    const troll = await sender(`troll-${tag()}`);
    open.push(spammer, troll);

    await page.goto('/mint');
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId' }).fill(me);
    await page.getByRole('switch', { name: /DELETE_MESSAGE/ }).check();
    await page.getByRole('switch', { name: /DISCONNECT_USER/ }).check();
    await page.getByRole('textbox', { name: 'Reason' }).fill('e2e: moderating qa-sandbox from the console');
    await page.getByRole('button', { name: 'Mint and connect here' }).click();
    const panel = page.getByTestId('test-connection');
    const header = panel.getByTestId('connection-header');
    await expect(panel.getByTestId('connection-state')).toHaveText('Connected');
    await expect(header).toContainText(`Connected as ${me}`);

    // The send box counts against the room's own maximumMessageLength (read from the room).
    const box = panel.getByRole('textbox', { name: 'Message' });
    const counter = panel.getByTestId('message-counter');
    await box.fill('hello');
    await expect(counter).toHaveText(`5 / ${QA_SANDBOX_MAX_LENGTH} characters`);
    await box.fill('é'.repeat(QA_SANDBOX_MAX_LENGTH + 1));
    await expect(counter).toHaveText(`${QA_SANDBOX_MAX_LENGTH + 1} / ${QA_SANDBOX_MAX_LENGTH} characters`);
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await expect(panel.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
    await box.fill('hello from the moderator');
    await panel.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(panel.getByTestId('room-stream')).toContainText(`${me}: hello from the moderator`);
    await expect.poll(() => spammer.messages.some((m) => m.content === 'hello from the moderator' && m.sender.userId === me)).toBe(true);
    await expect(box).toHaveValue('');
    await expect(counter).toHaveText(`0 / ${QA_SANDBOX_MAX_LENGTH} characters`);

    // Delete a message with a reason: the other side sees the deletion, with the reason.
    const spam = await spammer.send('buy cheap stuff at spam.example');
    const line = panel.getByTestId('stream-message').filter({ hasText: 'buy cheap stuff' });
    await expect(line).toContainText(spammer.userId);
    await expect(line).toContainText(spam.id);
    await shot(page, 'connected');
    await page.screenshot({ path: `${SHOTS}/${SHOT_PREFIX}-page-connected.png` });
    const opsBefore = (await emulatorStats()).operations;
    await line.getByRole('button', { name: `Delete message ${spam.id}` }).click();
    await panel.getByRole('textbox', { name: 'Delete reason' }).fill('spam link');
    await shot(page, 'delete-form');
    await panel.getByRole('button', { name: 'Confirm delete' }).click();
    await expect(panel.getByTestId('moderation-outcome')).toContainText(`Message ${spam.id} was deleted`);
    await expect.poll(() => spammer.deletes.find((d) => d.messageId === spam.id)?.reason).toBe('spam link');
    await expect(line).toContainText('deleted: spam link');

    // Disconnect the sender with a reason: they are disconnected, and the words do not claim they were there.
    await line.getByRole('button', { name: `Disconnect ${spammer.userId}` }).click();
    await panel.getByRole('textbox', { name: 'Disconnect reason' }).fill('flooding the room');
    await panel.getByRole('button', { name: 'Disconnect user' }).click();
    expect(await spammer.disconnected).toBe('serverDisconnect');
    const outcome = panel.getByTestId('moderation-outcome');
    await expect(outcome).toContainText(`DisconnectUser was sent for ${spammer.userId}`);
    await expect(outcome).toContainText('IVS does not say whether');
    // Through the console's server (DeleteMessage / DisconnectUser at the control plane), not the browser's socket.
    const opsAfter = (await emulatorStats()).operations;
    expect(opsAfter.DeleteMessage?.succeeded).toBe((opsBefore.DeleteMessage?.succeeded ?? 0) + 1);
    expect(opsAfter.DisconnectUser?.succeeded).toBe((opsBefore.DisconnectUser?.succeeded ?? 0) + 1);
    // The moderator's own connection stays up.
    await expect(panel.getByTestId('connection-state')).toHaveText('Connected');

    // Deny (this room) and disconnect now, from the sender's line.
    await troll.send('you all stink');
    const trollLine = panel.getByTestId('stream-message').filter({ hasText: 'you all stink' });
    await trollLine.getByRole('button', { name: `Deny ${troll.userId}` }).click();
    await panel.getByRole('textbox', { name: 'Deny reason' }).fill('abuse');
    await expect(panel.getByRole('checkbox', { name: 'Also disconnect now' })).toBeChecked();
    await shot(page, 'deny-form');
    await panel.getByRole('button', { name: 'Confirm deny' }).click();
    await expect(outcome).toContainText(`${troll.userId} is denied in this room`);
    expect(await troll.disconnected).toBe('serverDisconnect');

    // Leave: closes this browser's connection only, and the header says so.
    await panel.getByRole('button', { name: 'Leave' }).click();
    await expect(panel.getByTestId('connection-state')).toHaveText('Disconnected');
    await expect(header).toContainText('You left the room');
    await expect(header).not.toContainText(/connected as|connected to/i);
    await expect(panel.getByRole('button', { name: 'Connect again (mints a new token)' })).toBeVisible();
    await shot(page, 'left');

    // Every act is in the audit log with source connect-here, under the userId it concerned.
    const spamRows = await activity(page, { source: 'connect-here', userId: spammer.userId });
    await expect(spamRows).toHaveCount(2);
    await expect(spamRows.nth(0)).toHaveAttribute('data-action', 'user.disconnected');
    await expect(spamRows.nth(0)).toContainText('flooding the room');
    await expect(spamRows.nth(1)).toHaveAttribute('data-action', 'message.deleted');
    await expect(spamRows.nth(1)).toContainText('spam link');
    const trollRows = await activity(page, { source: 'connect-here', userId: troll.userId });
    await expect(trollRows.and(page.locator('[data-action="denylist.added"]'))).toHaveCount(1);
    await expect(trollRows.and(page.locator('[data-action="user.disconnected"]'))).toHaveCount(1);

    // A moderator elsewhere disconnects the console's user: the header gives the reason IVS sent.
    await page.goto('/mint');
    await chooseRoom(page);
    await page.getByRole('textbox', { name: 'userId' }).fill(me);
    await page.getByRole('button', { name: 'Mint and connect here' }).click();
    await expect(panel.getByTestId('connection-state')).toHaveText('Connected');
    const mod = await context.newPage();
    await mod.goto('/moderation');
    await chooseRoom(mod);
    await mod.getByRole('textbox', { name: 'userId to disconnect' }).fill(me);
    await mod.getByRole('textbox', { name: 'Disconnect reason' }).fill('e2e: shift over');
    await mod.getByRole('button', { name: 'Disconnect user' }).click();
    await expect(panel.getByTestId('connection-state')).toHaveText('Disconnected');
    await expect(header).toContainText('Disconnected by a moderator: e2e: shift over');
    await expect(header).not.toContainText(/connected as|connected to/i);
    await shot(page, 'kicked');
    await mod.close();
  });

  test.describe('on /moderation', () => {
    // Far from UTC, so a local-time field cannot pass for a UTC one.
    test.use({ timezoneId: 'America/Los_Angeles' });

    test('the event editor says what event attributes are, a room watch finds message ids to delete, and the deny list ends in UTC', async ({
      page,
    }) => {
      await page.goto('/moderation');
      await chooseRoom(page);

      const eventForm = page.getByRole('form', { name: 'Send an event' });
      await expect(eventForm).not.toContainText('Sent with every message this user sends');
      await expect(eventForm).toContainText('Sent once, with this event');

      // A live watch with a view-only token (minted through the one audited path) lists message ids with a delete action.
      const chatter = await sender(`chatter-${tag()}`);
      open.push(chatter);
      await page.getByRole('button', { name: 'Watch this room' }).click();
      const watch = page.getByTestId('room-watch');
      await expect(watch.getByTestId('connection-state')).toHaveText('Connected');
      const message = await chatter.send('a message to find');
      const line = watch.getByTestId('stream-message').filter({ hasText: 'a message to find' });
      await expect(line).toContainText(message.id);
      await line.getByRole('button', { name: `Delete message ${message.id}` }).click();
      await watch.getByRole('textbox', { name: 'Delete reason' }).fill('found it in the watch');
      await watch.getByRole('button', { name: 'Confirm delete' }).click();
      await expect(watch.getByTestId('moderation-outcome')).toContainText(`Message ${message.id} was deleted`);
      await expect.poll(() => chatter.deletes.find((d) => d.messageId === message.id)?.reason).toBe('found it in the watch');
      await expect(line).toContainText('deleted: found it in the watch');
      await shot(page, 'moderation-watch', 'room-watch');
      await page.getByRole('button', { name: 'Stop watching' }).click();
      await expect(watch.getByTestId('connection-state')).toHaveCount(0);

      // The deny list's end time is UTC, with local time beside it.
      const denied = `later-${tag()}`;
      await page.getByRole('textbox', { name: 'userId to deny' }).fill(denied);
      await page.getByRole('textbox', { name: 'Deny reason' }).fill('cool-off');
      const ends = page.getByLabel('Ends (UTC, optional)');
      await ends.fill('2030-01-02T03:04');
      await expect(page.getByTestId('denylist-end-local')).toContainText('2030');
      await expect(page.getByTestId('denylist-end-local')).toContainText('19:04');
      await page.getByRole('checkbox', { name: 'Disconnect now from the chosen room' }).uncheck();
      await page.screenshot({ path: `${SHOTS}/${SHOT_PREFIX}-moderation.png`, fullPage: true });
      await page.getByRole('button', { name: 'Deny this userId' }).click();
      await expect(page.getByTestId('denylist-outcome')).toContainText(`${denied} is denied`);
      await expect(page.getByRole('table', { name: 'Denied userIds' }).getByRole('row').filter({ hasText: denied })).toContainText(
        '2030-01-02 03:04:00 UTC',
      );

      // The watch's token was minted through the audited path, with no capabilities.
      const rows = await activity(page, { source: 'connect-here', action: 'mint.issued', userId: 'console-watch', room: SEED.qaSandbox });
      await expect(rows.first()).toBeVisible();
    });
  });
});
