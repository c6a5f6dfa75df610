/**
 * The deny list in the one mint path, the deny-list and preset stores with their audit rows, and
 * the moderation wrappers (DisconnectUser, DeleteMessage, SendEvent) against the in-process
 * emulator, observed by a real chat WebSocket client in the room.
 */
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const OTHER_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/MainStage001';
let harness: ConsoleHarness;
let mint: typeof import('@/lib/mint/mint-token');
let denylist: typeof import('./denylist');
let moderation: typeof import('@/lib/ivschat/moderation');
let presets: typeof import('@/lib/presets/store');
let store: typeof import('@/lib/audit/store');
let policy: typeof import('@/lib/auth/policy');

const moderator = { staffId: 'staff-1', email: 'mod@example.com', role: 'moderator' as const, via: 'ui' as const };

const tokensIssued = () => harness.createChatTokenCalls();

/** A chat client in the room (token straight from the emulator), collecting every frame it receives. */
async function joinRoom(userId: string, roomArn = ROOM) {
  const sdk = new IvschatClient({
    endpoint: harness.emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { token } = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: roomArn, userId, capabilities: ['SEND_MESSAGE'] }));
  const ws = new WebSocket(harness.emulator.chatUrl, token!);
  const frames: Record<string, unknown>[] = [];
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })));
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  const waitFor = async (pred: (f: Record<string, unknown>) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const hit = frames.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
  };
  return { ws, frames, closed, waitFor };
}

beforeAll(async () => {
  harness = await startConsoleHarness({ name: 'moderation-test', env: { IVSCHAT_TIMEOUT_MS: '1000', IVSCHAT_MAX_ATTEMPTS: '2' } });
  // lib/env.ts reads process.env once, at import: import after setting it.
  mint = await import('@/lib/mint/mint-token');
  denylist = await import('./denylist');
  moderation = await import('@/lib/ivschat/moderation');
  presets = await import('@/lib/presets/store');
  store = await import('@/lib/audit/store');
  policy = await import('@/lib/auth/policy');
});

afterAll(async () => harness?.close());

describe('the deny list in mintToken', () => {
  it('refuses a userId denied in this room, with rule denylist on the userId field, calling and writing nothing', async () => {
    const entry = await denylist.addDenylistEntry({ userId: 'troll', roomArn: ROOM, reason: 'spam', expiresAt: null }, moderator);
    const before = await tokensIssued();
    const rows = await store.countAuditRecords({ action: 'token.minted' });
    const result = await mint.mintToken(moderator, { roomArn: ROOM, userId: 'troll' });
    expect(result).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'denylist' });
    if (result.ok) return;
    expect(result.fieldErrors?.userId).toMatch(/deny list in this room.*spam/);
    expect(await tokensIssued()).toBe(before);
    expect(await store.countAuditRecords({ action: 'token.minted' })).toBe(rows);
    // The refusal itself is recorded: who tried, for whom, which rule and entry; no fingerprint.
    expect(await store.getAuditRecord(result.auditId!)).toMatchObject({
      action: 'token.refused',
      actorEmail: 'mod@example.com',
      userId: 'troll',
      roomArn: ROOM,
      fingerprint: null,
      details: { code: 'FORBIDDEN', rule: 'denylist', denylistId: entry.id },
    });

    // Another room, and another userId, are not affected.
    expect((await mint.mintToken(moderator, { roomArn: OTHER_ROOM, userId: 'troll' })).ok).toBe(true);
    expect((await mint.mintToken(moderator, { roomArn: ROOM, userId: 'troll2' })).ok).toBe(true);

    // Removing the entry lets the userId be minted for again; both changes are audited.
    await denylist.removeDenylistEntry(entry.id, moderator, 'appeal accepted');
    expect((await mint.mintToken(moderator, { roomArn: ROOM, userId: 'troll' })).ok).toBe(true);
    const added = await store.listAuditRecords({ action: 'denylist.added' }, { limit: 10 });
    const removed = await store.listAuditRecords({ action: 'denylist.removed' }, { limit: 10 });
    expect(added.rows.some((r) => r.reason === 'spam' && r.actorEmail === 'mod@example.com')).toBe(true);
    expect(removed.rows.some((r) => r.reason === 'appeal accepted')).toBe(true);
  });

  it('an every-room entry refuses the userId in any room', async () => {
    await denylist.addDenylistEntry({ userId: 'everywhere', roomArn: null, reason: 'abuse', expiresAt: null }, moderator);
    for (const roomArn of [ROOM, OTHER_ROOM]) {
      expect(await mint.mintToken(moderator, { roomArn, userId: 'everywhere' })).toMatchObject({ ok: false, rule: 'denylist' });
    }
  });

  it('an entry with an end time stops refusing once it has passed', async () => {
    const soon = new Date(Date.now() + 300).toISOString();
    await denylist.addDenylistEntry({ userId: 'timeout', roomArn: ROOM, reason: 'cool down', expiresAt: soon }, moderator);
    expect(await mint.mintToken(moderator, { roomArn: ROOM, userId: 'timeout' })).toMatchObject({ ok: false, rule: 'denylist' });
    expect(await denylist.findActiveDenial('timeout', ROOM, new Date(Date.now() + 1000))).toBeNull();
    await new Promise((r) => setTimeout(r, 400));
    expect((await mint.mintToken(moderator, { roomArn: ROOM, userId: 'timeout' })).ok).toBe(true);
    expect((await denylist.listDenylist()).some((e) => e.userId === 'timeout')).toBe(false);
  });

  it('the policy is checked first: a viewer is refused by mayMint even when denied', async () => {
    const result = await mint.mintToken({ ...moderator, role: 'viewer' }, { roomArn: ROOM, userId: 'everywhere' });
    expect(result).toMatchObject({ ok: false, rule: 'roles.viewer.mayMint' });
  });
});

describe('moderation wrappers against the emulator', () => {
  it('DisconnectUser reaches a connected client: aws:DISCONNECT_USER with the reason, then a clean close', async () => {
    const target = await joinRoom('kick-me');
    const bystander = await joinRoom('watcher');
    const result = await moderation.disconnectUser({ roomArn: ROOM, userId: 'kick-me', reason: 'flooding' });
    expect(result.ok).toBe(true);
    const event = await bystander.waitFor((f) => f.EventName === 'aws:DISCONNECT_USER');
    expect(event.Attributes).toMatchObject({ UserId: 'kick-me', Reason: 'flooding' });
    expect((await target.closed).code).toBe(1000);
    expect(bystander.ws.readyState).toBe(WebSocket.OPEN);
    bystander.ws.close();
  });

  it('DeleteMessage tells the room, with both MessageId keys and the reason', async () => {
    const client = await joinRoom('reader');
    const result = await moderation.deleteMessage({ roomArn: ROOM, messageId: 'AbCdEf123456', reason: 'off topic' });
    expect(result.ok).toBe(true);
    const event = await client.waitFor((f) => f.EventName === 'aws:DELETE_MESSAGE');
    expect(event.Attributes).toMatchObject({ MessageId: 'AbCdEf123456', MessageID: 'AbCdEf123456', Reason: 'off topic' });
    client.ws.close();
  });

  it('SendEvent delivers the custom event and its attributes, and its id comes back', async () => {
    const client = await joinRoom('listener');
    const result = await moderation.sendEvent({ roomArn: ROOM, eventName: 'app:poll', attributes: { question: 'Ready? ✅' } });
    expect(result.ok).toBe(true);
    const event = await client.waitFor((f) => f.EventName === 'app:poll');
    expect(event.Attributes).toEqual({ question: 'Ready? ✅' });
    if (result.ok) expect(event.Id).toBe(result.data.id);
    client.ws.close();
  });

  it('describes a failure instead of throwing (a room that does not exist)', async () => {
    const result = await moderation.disconnectUser({
      roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/NoSuchRoom12',
      userId: 'x',
      reason: 'r',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'ResourceNotFoundException' } });
  });

  it('SendEvent over 1 KB of attributes is refused by the service', async () => {
    const result = await moderation.sendEvent({ roomArn: ROOM, eventName: 'app:big', attributes: { k: 'x'.repeat(1100) } });
    expect(result).toMatchObject({ ok: false, error: { code: 'ValidationException' } });
  });
});

describe('presets', () => {
  it('seeds the two defaults and offers each only to roles it names and whose policy allows it', async () => {
    const all = await presets.listPresets();
    expect(all.map((p) => p.name)).toEqual(expect.arrayContaining(['Temporary moderator, 30 min', 'QA chatter']));
    const names = (role: 'support' | 'moderator' | 'viewer') =>
      presets.presetsForRole(all, role, policy.rolePolicy(role)).map((p) => p.name);
    expect(names('moderator')).toEqual(expect.arrayContaining(['Temporary moderator, 30 min', 'QA chatter']));
    expect(names('support')).toEqual(['QA chatter']);
    expect(names('viewer')).toEqual([]);
  });

  it('create, update and delete are audited; names are unique', async () => {
    const input = {
      name: 'Load tester',
      roles: ['qa' as const],
      roomArn: '',
      capabilities: ['SEND_MESSAGE' as const],
      sessionDurationInMinutes: 15,
      attributes: [],
      reasonTemplate: 'load test',
    };
    const created = await presets.createPreset(input, moderator);
    await expect(presets.createPreset(input, moderator)).rejects.toBeInstanceOf(presets.PresetNameTakenError);
    const updated = await presets.updatePreset(created.id, { ...input, sessionDurationInMinutes: 20 }, moderator);
    expect(updated?.sessionDurationInMinutes).toBe(20);
    expect(await presets.deletePreset(created.id, moderator)).toBe(true);
    for (const action of ['preset.created', 'preset.updated', 'preset.deleted']) {
      expect(await store.countAuditRecords({ action })).toBeGreaterThanOrEqual(1);
    }
    expect((await (await import('@/lib/audit/verify')).verifyAuditChain()).ok).toBe(true);
  });
});
