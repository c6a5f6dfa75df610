/**
 * Issue 12, server side, against the emulator over HTTP and a real SQLite file: input that means
 * something else than it shows (invisible reasons, bidi controls, unconfigured regions), room
 * details and the deny list within the role's room scope, the API's default session length, and
 * the SQLite file's permissions. Its own file: lib/env.ts reads the environment once.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';

const QA_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const PROD_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/MainStage001';
// A real emulator room, in a region this console is not configured for (IVSCHAT_REGIONS=us-east-1).
const WEST_ROOM = 'arn:aws:ivschat:us-west-2:123456789012:room/SupportRepr1';

let harness: ConsoleHarness;
let mint: typeof import('@/lib/mint/mint-token');
let client: typeof import('@/lib/ivschat/client');
let staffStore: typeof import('@/lib/auth/staff-store');

const moderator = { staffId: 'm-1', email: 'mod@example.com', role: 'moderator' as const, via: 'ui' as const };
const received = async () => (await harness.createChatTokenStats()).received;

beforeAll(async () => {
  harness = await startConsoleHarness({
    name: 'rights-and-input',
    policy: (policy) => {
      // A role whose longest session is under the 60-minute default.
      (policy.roles as Record<string, { maxSessionMinutes: number }>).support.maxSessionMinutes = 30;
    },
  });
  mint = await import('@/lib/mint/mint-token');
  client = await import('@/lib/ivschat/client');
  staffStore = await import('@/lib/auth/staff-store');
});

afterAll(async () => harness?.close());

describe('invisible and bidi characters', () => {
  const grants = { roomArn: QA_ROOM, capabilities: ['DELETE_MESSAGE', 'DISCONNECT_USER'], sessionDurationInMinutes: 30 };

  for (const [name, reason] of [
    ['a zero-width space', '\u200B'],
    ['the braille blank U+2800', '\u2800'],
    ['the Hangul filler U+3164', '\u3164'],
    ['a word joiner and a BOM among spaces', ' \u2060 \uFEFF '],
  ] as const) {
    it(`${name} is not a reason: no DELETE_MESSAGE/DISCONNECT_USER token, no call`, async () => {
      const before = await received();
      const result = await mint.mintToken(moderator, { ...grants, userId: 'viewer-1', reason });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.fieldErrors?.reason).toBeTruthy();
      expect(await received()).toBe(before);
    });
  }

  it('a visible reason still mints', async () => {
    const result = await mint.mintToken(moderator, { ...grants, userId: 'viewer-1', reason: 'spam wave in #general' });
    expect(result.ok).toBe(true);
  });

  for (const ch of ['\u202E', '\u202A', '\u2066', '\u2069', '\u200E', '\u200F', '\u061C']) {
    const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    it(`U+${hex} is refused at the field in a userId and a reason`, async () => {
      const before = await received();
      const user = await mint.mintToken(moderator, { roomArn: QA_ROOM, userId: `evil${ch}gpj.exe` });
      expect(user).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      if (!user.ok) expect(user.fieldErrors?.userId).toContain(`U+${hex}`);
      const reason = await mint.mintToken(moderator, { ...grants, userId: 'ok-user', reason: `ban ${ch}reversed` });
      expect(reason).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      if (!reason.ok) expect(reason.fieldErrors?.reason).toMatch(/bidirectional/);
      expect(await received()).toBe(before);
    });
  }

  it('the same rule in the moderation, deny-list and preset schemas', async () => {
    const { denylistEntrySchema, disconnectUserSchema } = await import('@/lib/shared/moderation/schema');
    const { presetSchema } = await import('@/lib/shared/presets/schema');
    expect(denylistEntrySchema.safeParse({ userId: 'u\u202E1', reason: 'spam' }).error?.issues[0]?.path).toEqual(['userId']);
    expect(denylistEntrySchema.safeParse({ userId: 'u1', reason: '\u200B\u3164' }).error?.issues[0]?.path).toEqual(['reason']);
    expect(disconnectUserSchema.safeParse({ roomArn: QA_ROOM, userId: 'u1', reason: '\u2800' }).success).toBe(false);
    const preset = { roles: ['qa'], sessionDurationInMinutes: 5 };
    expect(presetSchema.safeParse({ ...preset, name: 'QA \u202Egnitset' }).error?.issues[0]?.path).toEqual(['name']);
    expect(presetSchema.safeParse({ ...preset, name: '\u3164' }).error?.issues[0]?.path).toEqual(['name']);
    expect(presetSchema.safeParse({ ...preset, name: 'QA testing' }).success).toBe(true);
  });
});

describe('regions', () => {
  it('a room ARN in a region that is not configured is a field error, with no SDK client and no call', async () => {
    const before = await received();
    const west = await mint.mintToken(moderator, { roomArn: WEST_ROOM, userId: 'u1' });
    expect(west).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    if (!west.ok) expect(west.fieldErrors?.roomArn).toMatch(/not configured for region "us-west-2"/);
    const clients = client.ivschatClientCount();
    for (let i = 0; i < 50; i++) {
      const made = await mint.mintToken(moderator, { roomArn: `arn:aws:ivschat:zz${i}-x:123456789012:room/AbCdEfGhIjKl`, userId: 'u1' });
      expect(made).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    expect(client.ivschatClientCount()).toBe(clients);
    expect(() => client.ivschatClient('zz0-x')).toThrow(/not configured/);
    expect(await received()).toBe(before);
  });
});

describe('room details', () => {
  it('only roles that act on rooms, and only rooms in the role scope', async () => {
    const { roomDetailsFor } = await import('@/lib/auth/room-access');
    expect(await roomDetailsFor('viewer', QA_ROOM)).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'roles.viewer.mayMint' });
    const outOfScope = await roomDetailsFor('qa', PROD_ROOM);
    expect(outOfScope).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'roles.qa.rooms.tags.env' });
    expect(JSON.stringify(outOfScope)).not.toContain('main-stage');
    expect(await roomDetailsFor('qa', WEST_ROOM)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await roomDetailsFor('qa', QA_ROOM)).toMatchObject({ ok: true, data: { name: 'qa-sandbox' } });
    expect(await roomDetailsFor('moderator', PROD_ROOM)).toMatchObject({ ok: true, data: { name: 'main-stage' } });
  });
});

describe('the deny list within the room scope', () => {
  it('qa may deny in its env=qa rooms only, never in every room; admin may deny everywhere', async () => {
    const { checkDenylistScope } = await import('@/lib/moderation/denylist-scope');
    const qa = 'qa' as const;
    const admin = 'admin' as const;
    expect(await checkDenylistScope(qa, null)).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'roles.qa.rooms' });
    expect(await checkDenylistScope(qa, PROD_ROOM)).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'roles.qa.rooms.tags.env' });
    expect(await checkDenylistScope(qa, QA_ROOM)).toEqual({ ok: true });
    expect(await checkDenylistScope(admin, null)).toEqual({ ok: true });
    expect(await checkDenylistScope(admin, PROD_ROOM)).toEqual({ ok: true });
  });
});

describe('the API default session length', () => {
  it('a mint without sessionDurationInMinutes for a role whose longest session is 30 minutes gets 30', async () => {
    const { mintFromApi } = await import('@/lib/api/tokens');
    const actor = {
      staffId: 'apikey:k1',
      email: 'apikey+support-bot',
      role: 'support',
      via: 'api',
      apiKeyName: 'support-bot',
      apiKeyId: 'k1',
    } as const;
    const { response } = await mintFromApi(actor, { roomArn: QA_ROOM, userId: 'support-1', capabilities: ['SEND_MESSAGE'] });
    const body = (await response.json()) as {
      request?: { sessionDurationInMinutes: number };
      sessionExpirationTime?: string;
      rule?: string;
    };
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body.request?.sessionDurationInMinutes).toBe(30);
    // A moderator (180 minutes) still gets the service's default of 60.
    const { response: mod } = await mintFromApi({ ...actor, role: 'moderator' }, { roomArn: QA_ROOM, userId: 'mod-1' });
    expect(((await mod.json()) as { request: { sessionDurationInMinutes: number } }).request.sessionDurationInMinutes).toBe(60);
    // Asked for explicitly, more than the role allows is still refused with the rule.
    const { response: over } = await mintFromApi(actor, { roomArn: QA_ROOM, userId: 'support-2', sessionDurationInMinutes: 45 });
    expect(over.status).toBe(403);
    expect(((await over.json()) as { rule: string }).rule).toBe('roles.support.maxSessionMinutes');
  });
});

describe('the SQLite file', () => {
  it('is created 0600 with its -wal and -shm, in a 0700 folder, whatever the umask', async () => {
    const { openDatabase } = await import('@/lib/db');
    const root = mkdtempSync(join(tmpdir(), 'sqlite-mode-'));
    const previous = process.umask(0o022);
    try {
      const dir = join(root, 'data');
      const handle = await openDatabase({ kind: 'sqlite', path: join(dir, 'console.db') });
      await staffStore.createStaff({ email: 'mode@example.com', role: 'viewer' }, undefined, handle);
      // Mode bits, not access: root (which runs CI here) could read the file whatever they are.
      const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
      expect(mode(dir)).toBe('700');
      for (const f of ['console.db', 'console.db-wal', 'console.db-shm']) expect([f, mode(join(dir, f))]).toEqual([f, '600']);
      await handle.close();
    } finally {
      process.umask(previous);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
