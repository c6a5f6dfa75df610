/**
 * Temporary grants on request (issue 16) against the in-process emulator and a real SQLite file:
 * the request policy, who may decide (never the requester, by member and by key owner), minting
 * through the one mint path only inside a live window (capped to it, recorded with the approval),
 * the rights re-checked at use, two approvers for production rooms, auto-approval, unanswered
 * expiry, and the sweep that ends a window with an audited DisconnectUser seen by a chat client.
 */
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';
import type { Authorized } from '@/lib/contract/guard';
import type { Staff } from '@/lib/shared/staff/view';

const QA_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const PROD_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/MainStage001';
const MINUTE = 60_000;

let harness: ConsoleHarness;
let requests: typeof import('./requests');
let sweep: typeof import('./sweep');
let mint: typeof import('@/lib/mint/mint-token');
let staffStore: typeof import('@/lib/auth/staff-store');
let store: typeof import('@/lib/audit/store');
let apiKeys: typeof import('@/lib/api-keys/store');
let moderatorStaff: Staff;
let adminStaff: Staff;
let admin2Staff: Staff;

const asStaff = (staff: Staff): Authorized =>
  ({
    ok: true,
    principal: { kind: 'staff', staff, actor: { staffId: staff.id, email: staff.email, role: staff.role, via: 'ui' } },
    role: staff.role,
    actor: { staffId: staff.id, email: staff.email, role: staff.role, via: 'ui' },
  }) as Authorized;

async function asKey(name: string, role: 'admin' | 'moderator', ownerEmail: string): Promise<Authorized> {
  const created = await apiKeys.createApiKey({ name, role, owner: { kind: 'staff', email: ownerEmail } });
  const check = await apiKeys.checkApiKey(`Bearer ${created.key}`);
  if (!check.ok) throw new Error(check.message);
  const key = check.actor;
  return {
    ok: true,
    principal: {
      kind: 'apiKey',
      key,
      actor: { staffId: key.staffId, email: key.email, role: key.role, via: 'api', apiKeyName: key.apiKeyName },
    },
    role: key.role,
    actor: { staffId: key.staffId, email: key.email, role: key.role, via: 'api', apiKeyName: key.apiKeyName },
  } as Authorized;
}

const elevatedMint = (userId: string, roomArn = QA_ROOM, minutes = 60) =>
  mint.mintToken(
    { staffId: moderatorStaff.id, email: moderatorStaff.email, role: 'moderator', via: 'ui' },
    { roomArn, userId, capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'], sessionDurationInMinutes: minutes, reason: 'cleanup' },
  );

const ask = (over: Record<string, unknown> = {}) =>
  requests.createAccessRequest(asStaff(moderatorStaff), {
    roomArn: QA_ROOM,
    capabilities: ['DELETE_MESSAGE'],
    windowMinutes: 30,
    sessionDurationInMinutes: 30,
    reason: 'spam wave, ticket MOD-1',
    ...over,
  });

beforeAll(async () => {
  harness = await startConsoleHarness({
    name: 'approvals-test',
    env: { IVSCHAT_TIMEOUT_MS: '1000', IVSCHAT_MAX_ATTEMPTS: '2' },
    policy: (p) => {
      const roles = p.roles as Record<string, Record<string, unknown>>;
      roles.moderator!.capabilities = ['SEND_MESSAGE'];
      // No standing moderation: deleting or disconnecting needs a live approval (moderation-right.ts).
      roles.moderator!.mayModerate = false;
      roles.moderator!.mayDisconnectUsers = false;
      roles.moderator!.requests = {
        capabilities: ['DELETE_MESSAGE', 'DISCONNECT_USER'],
        maxWindowMinutes: 60,
        maxSessionMinutes: 30,
        disconnectAtEnd: true,
      };
      roles.admin!.requests = { capabilities: ['DELETE_MESSAGE'], maxWindowMinutes: 60 };
      p.approvals = {
        approverRoles: ['admin'],
        pendingExpiryMinutes: 60,
        twoApprovers: { capabilities: ['DISCONNECT_USER'], roomTags: { env: 'prod' } },
        autoApprove: [
          { name: 'oncall', roles: ['moderator'], reasonPattern: '^ONCALL-[0-9]+', capabilities: ['DELETE_MESSAGE'], maxWindowMinutes: 15 },
        ],
      };
    },
  });
  requests = await import('./requests');
  sweep = await import('./sweep');
  mint = await import('@/lib/mint/mint-token');
  staffStore = await import('@/lib/auth/staff-store');
  store = await import('@/lib/audit/store');
  apiKeys = await import('@/lib/api-keys/store');
  moderatorStaff = await staffStore.createStaff({ email: 'mod@example.com', role: 'moderator' });
  adminStaff = await staffStore.createStaff({ email: 'admin@example.com', role: 'admin' });
  admin2Staff = await staffStore.createStaff({ email: 'admin2@example.com', role: 'admin' });
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe('asking', () => {
  it('refuses what the role may not request, at the field, with the rule', async () => {
    const wide = await ask({ windowMinutes: 120 });
    expect(wide).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'roles.moderator.requests.maxWindowMinutes' });
    expect(!wide.ok && wide.fieldErrors.windowMinutes).toBeTruthy();
    const other = await ask({ userId: 'someone-else' });
    expect(other).toMatchObject({ ok: false, rule: 'roles.moderator.requests.anyUserId' });
    const support = await requests.createAccessRequest(asStaff({ ...moderatorStaff, role: 'support' }), {
      roomArn: QA_ROOM,
      capabilities: ['DELETE_MESSAGE'],
      windowMinutes: 5,
      sessionDurationInMinutes: 5,
      reason: 'x',
    });
    expect(support).toMatchObject({ ok: false, rule: 'roles.support.requests' });
    const blank = await ask({ reason: '\u200b' });
    expect(blank).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(!blank.ok && blank.fieldErrors.reason).toBeTruthy();
  });
});

describe('a request from ask to the end of its window', () => {
  it('is refused to its requester and to a key of its requester, approved by an admin, minted under, and ended with a disconnect', async () => {
    const asked = await ask();
    expect(asked.ok).toBe(true);
    if (!asked.ok) return;
    const id = asked.data.id;
    expect(asked.data).toMatchObject({ state: 'pending', userId: 'mod@example.com', approvalsRequired: 1 });

    // No window yet: the elevated grant is refused with the approval rule, and recorded.
    const early = await elevatedMint('mod@example.com');
    expect(early).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'approval.pending' });
    expect(!early.ok && early.auditId).toBeTruthy();
    const refusal = await store.getAuditRecord(!early.ok ? early.auditId! : '');
    expect(refusal).toMatchObject({ action: 'token.refused', details: expect.objectContaining({ rule: 'approval.pending' }) });

    // The moderator is no approver; a key the moderator owns, though its role is admin, is the requester.
    expect(await requests.decideAccessRequest(asStaff(moderatorStaff), id, { decision: 'approve' })).toMatchObject({
      ok: false,
      rule: 'approvals.approverRoles',
    });
    const modsAdminKey = await asKey('mods-admin-key', 'admin', 'mod@example.com');
    expect(await requests.decideAccessRequest(modsAdminKey, id, { decision: 'approve' })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      rule: 'approvals.selfApproval',
    });

    const approvedAt = Date.now();
    const approved = await requests.decideAccessRequest(asStaff(adminStaff), id, { decision: 'approve', comment: 'ok for 30 min' });
    expect(approved).toMatchObject({ ok: true, data: { state: 'approved', live: true } });
    if (!approved.ok) return;
    const windowEnds = Date.parse(approved.data.windowEndsAt!);
    expect(windowEnds - approvedAt).toBeGreaterThanOrEqual(30 * MINUTE - 1000);
    expect(windowEnds - approvedAt).toBeLessThanOrEqual(30 * MINUTE + 5000);
    expect(await requests.decideAccessRequest(asStaff(admin2Staff), id, { decision: 'deny' })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });

    // Within the window: through the one mint path, 60 minutes asked, capped to end with the
    // window (30 minutes from approval, a moment ago: 29 whole minutes left).
    const minted = await elevatedMint('mod@example.com');
    expect(minted.ok).toBe(true);
    if (!minted.ok) return;
    expect(minted.data.request.sessionDurationInMinutes).toBe(29);
    expect(Date.parse(minted.data.sessionExpirationTime)).toBeLessThanOrEqual(windowEnds + 1000);
    const record = await store.getAuditRecord(minted.data.auditId);
    expect(record).toMatchObject({ action: 'token.minted', durationMinutes: 29, details: { approvalId: id } });
    // SEND_MESSAGE came from the role; DISCONNECT_USER is neither the role's nor the approval's.
    const wider = await mint.mintToken(
      { staffId: moderatorStaff.id, email: moderatorStaff.email, role: 'moderator', via: 'ui' },
      {
        roomArn: QA_ROOM,
        userId: 'mod@example.com',
        capabilities: ['DELETE_MESSAGE', 'DISCONNECT_USER'],
        sessionDurationInMinutes: 5,
        reason: 'x',
      },
    );
    expect(wider).toMatchObject({ ok: false, rule: 'approval.capabilities' });
    expect(!wider.ok && wider.fieldErrors.capabilities).toBeTruthy();
    // Not for another userId, nor another room.
    expect(await elevatedMint('mod@example.com', PROD_ROOM)).toMatchObject({ ok: false, rule: 'approval.required' });

    // A chat client of that userId is in the room when the window ends.
    const sdk = new IvschatClient({
      endpoint: harness.emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const { token } = await sdk.send(
      new CreateChatTokenCommand({ roomIdentifier: QA_ROOM, userId: 'mod@example.com', capabilities: ['DELETE_MESSAGE'] }),
    );
    const ws = new WebSocket(harness.emulator.chatUrl, token!);
    const frames: Record<string, unknown>[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    const closed = new Promise<void>((r) => ws.on('close', () => r()));
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });

    const before = (await harness.stats()).operations.DisconnectUser?.succeeded ?? 0;
    // Before the end nothing happens; after it, one disconnect and 'access.ended', once.
    expect((await sweep.sweepApprovals(new Date(windowEnds - 1000))).ended).toEqual([]);
    const swept = await sweep.sweepApprovals(new Date(windowEnds + 1000));
    expect(swept.ended).toEqual([{ id, disconnected: true }]);
    expect((await sweep.sweepApprovals(new Date(windowEnds + 2000))).ended).toEqual([]);
    expect((await harness.stats()).operations.DisconnectUser?.succeeded ?? 0).toBe(before + 1);
    await closed;
    expect(JSON.stringify(frames)).toContain(`Temporary moderator approval #${id} ended`);

    const view = await requests.getAccessRequest(id);
    expect(view).toMatchObject({ state: 'ended', live: false });
    const timeline = await (await import('./timeline')).requestTimeline(view!);
    expect(timeline.map((e) => e.action)).toEqual([
      'access.requested',
      'access.approved',
      'token.minted',
      'user.disconnected',
      'access.ended',
    ]);
    expect(timeline.find((e) => e.action === 'user.disconnected')).toMatchObject({
      via: 'system',
      reason: `Temporary moderator approval #${id} ended`,
    });

    // After the window the elevated grant is refused again, naming the ended approval.
    expect(await elevatedMint('mod@example.com')).toMatchObject({ ok: false, rule: 'approval.expired' });
  });
});

describe('rights re-checked at use', () => {
  it("a disabled approver's approval stops counting; a requester whose role lost the request right cannot mint under it", async () => {
    const asked = await ask();
    if (!asked.ok) throw new Error(asked.message);
    const temp = await staffStore.createStaff({ email: 'temp-admin@example.com', role: 'admin' });
    expect((await requests.decideAccessRequest(asStaff(temp), asked.data.id, { decision: 'approve' })).ok).toBe(true);
    expect((await elevatedMint('mod@example.com')).ok).toBe(true);
    await staffStore.setStaffDisabled(temp.id, true);
    expect(await elevatedMint('mod@example.com')).toMatchObject({ ok: false, rule: 'approval.approverRevoked' });
    await staffStore.setStaffDisabled(temp.id, false);
    expect((await elevatedMint('mod@example.com')).ok).toBe(true);
    // As support (no `requests`), the same member cannot mint under it: support's own refusal stands.
    const asSupport = await mint.mintToken(
      { staffId: moderatorStaff.id, email: moderatorStaff.email, role: 'support', via: 'ui' },
      { roomArn: QA_ROOM, userId: 'mod@example.com', capabilities: ['DELETE_MESSAGE'], sessionDurationInMinutes: 10, reason: 'x' },
    );
    expect(asSupport).toMatchObject({ ok: false, rule: 'roles.support.capabilities' });
  });
});

describe('two approvers, auto-approval, expiry', () => {
  it('DISCONNECT_USER in a prod-tagged room needs two different approvers', async () => {
    const asked = await ask({ roomArn: PROD_ROOM, capabilities: ['DISCONNECT_USER'] });
    if (!asked.ok) throw new Error(asked.message);
    expect(asked.data.approvalsRequired).toBe(2);
    const first = await requests.decideAccessRequest(asStaff(adminStaff), asked.data.id, { decision: 'approve' });
    expect(first).toMatchObject({ ok: true, data: { state: 'pending' } });
    expect(await requests.decideAccessRequest(asStaff(adminStaff), asked.data.id, { decision: 'approve' })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    const adminsKey = await asKey('admins-key', 'admin', 'admin@example.com');
    expect(await requests.decideAccessRequest(adminsKey, asked.data.id, { decision: 'approve' })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(await requests.decideAccessRequest(asStaff(admin2Staff), asked.data.id, { decision: 'approve' })).toMatchObject({
      ok: true,
      data: { state: 'approved' },
    });
  });

  it('a matching on-call reason is approved by the rule, recorded as such', async () => {
    const asked = await ask({ capabilities: ['DELETE_MESSAGE'], windowMinutes: 10, reason: 'ONCALL-4411 spam' });
    expect(asked).toMatchObject({ ok: true, data: { state: 'approved', decisions: [{ rule: 'oncall', by: null }] } });
    const tooLong = await ask({ capabilities: ['DELETE_MESSAGE'], windowMinutes: 20, reason: 'ONCALL-4411 spam' });
    expect(tooLong).toMatchObject({ ok: true, data: { state: 'pending' } });
  });

  it('an unanswered request expires, once, and cannot be decided after', async () => {
    const asked = await ask({ userId: '' });
    if (!asked.ok) throw new Error(asked.message);
    const later = new Date(Date.parse(asked.data.expiresAt) + 1000);
    const swept = await sweep.sweepApprovals(later);
    expect(swept.expired).toContain(asked.data.id);
    expect((await sweep.sweepApprovals(later)).expired).not.toContain(asked.data.id);
    expect(await requests.decideAccessRequest(asStaff(adminStaff), asked.data.id, { decision: 'approve' })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
  });
});

describe('moderating under an approval', () => {
  it('the console deletes for a moderator without standing moderation only in the approved room, with the approved capability, while the approval counts', async () => {
    const { moderationRight } = await import('./moderation-right');
    const mod2 = await staffStore.createStaff({ email: 'mod2@example.com', role: 'moderator' });
    const as2 = asStaff(mod2);
    expect(await moderationRight(as2, 'moderate', 'DELETE_MESSAGE', QA_ROOM)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      rule: 'approval.required',
    });
    const asked = await requests.createAccessRequest(as2, {
      roomArn: QA_ROOM,
      capabilities: ['DELETE_MESSAGE'],
      windowMinutes: 30,
      sessionDurationInMinutes: 30,
      reason: 'spam wave, ticket MOD-2',
    });
    if (!asked.ok) throw new Error(asked.message);
    expect(await moderationRight(as2, 'moderate', 'DELETE_MESSAGE', QA_ROOM)).toMatchObject({ ok: false });
    const temp = await staffStore.createStaff({ email: 'temp-admin2@example.com', role: 'admin' });
    expect((await requests.decideAccessRequest(asStaff(temp), asked.data.id, { decision: 'approve' })).ok).toBe(true);
    expect(await moderationRight(as2, 'moderate', 'DELETE_MESSAGE', QA_ROOM)).toEqual({ ok: true, approvalId: Number(asked.data.id) });
    expect(await moderationRight(as2, 'users.disconnect', 'DISCONNECT_USER', QA_ROOM)).toMatchObject({ ok: false });
    expect(await moderationRight(as2, 'moderate', 'DELETE_MESSAGE', PROD_ROOM)).toMatchObject({ ok: false });
    await staffStore.setStaffDisabled(temp.id, true);
    expect(await moderationRight(as2, 'moderate', 'DELETE_MESSAGE', QA_ROOM)).toMatchObject({ ok: false });
  });
});
