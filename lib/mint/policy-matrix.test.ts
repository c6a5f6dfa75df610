/**
 * Role × action, through the entry points a browser or script uses: mintToken() (the one mint
 * path, against the real emulator and a real SQLite file) and roleCan() (what pages and actions
 * ask). Every cell states allowed or denied, and every denial names its rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';
import type { Role } from '@/lib/shared/policy/roles';

const QA_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const PROD_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/MainStage001';

let harness: ConsoleHarness;
let mint: typeof import('./mint-token');
let policy: typeof import('@/lib/auth/policy');
let store: typeof import('@/lib/audit/store');

const calls = () => harness.createChatTokenCalls();

beforeAll(async () => {
  harness = await startConsoleHarness({ name: 'policy-matrix' });
  mint = await import('./mint-token');
  policy = await import('@/lib/auth/policy');
  store = await import('@/lib/audit/store');
});

afterAll(async () => harness?.close());

const ROLES: Role[] = ['viewer', 'support', 'moderator', 'qa', 'admin'];
const actor = (role: Role) => ({ staffId: `matrix-${role}`, email: `${role}@matrix.test`, role, via: 'api' as const });

/** A denied cell names the rule (or INVALID_INPUT when the service's own limit refuses first). */
type Expect = 'allowed' | { rule: string } | 'invalid';
type MintCase = { action: string; request: Record<string, unknown>; expect: Record<Role, Expect> };

const base = { roomArn: QA_ROOM, userId: 'matrix-user', capabilities: [] as string[], sessionDurationInMinutes: 30 };
const noMint = { rule: 'roles.viewer.mayMint' };
const minters = (cell: Expect): Record<Role, Expect> => ({ viewer: noMint, support: cell, moderator: cell, qa: cell, admin: cell });

const MINT_CASES: MintCase[] = [
  { action: 'view only', request: base, expect: minters('allowed') },
  { action: 'SEND_MESSAGE', request: { ...base, capabilities: ['SEND_MESSAGE'] }, expect: minters('allowed') },
  {
    action: 'DELETE_MESSAGE with a reason',
    request: { ...base, capabilities: ['DELETE_MESSAGE'], reason: 'cleanup' },
    expect: { ...minters('allowed'), support: { rule: 'roles.support.capabilities' } },
  },
  {
    action: 'DISCONNECT_USER with a reason',
    request: { ...base, capabilities: ['DISCONNECT_USER'], reason: 'abuse' },
    expect: { ...minters('allowed'), support: { rule: 'roles.support.capabilities' } },
  },
  {
    action: 'DELETE_MESSAGE without a reason',
    request: { ...base, capabilities: ['DELETE_MESSAGE'] },
    expect: {
      viewer: noMint,
      support: { rule: 'roles.support.capabilities' },
      moderator: { rule: 'roles.moderator.reasonRequiredFor' },
      qa: 'allowed',
      admin: { rule: 'roles.admin.reasonRequiredFor' },
    },
  },
  {
    action: 'DISCONNECT_USER without a reason',
    request: { ...base, capabilities: ['DISCONNECT_USER'] },
    expect: {
      viewer: noMint,
      support: { rule: 'roles.support.capabilities' },
      moderator: { rule: 'roles.moderator.reasonRequiredFor' },
      qa: 'allowed',
      admin: { rule: 'roles.admin.reasonRequiredFor' },
    },
  },
  { action: 'the shortest session (1 min)', request: { ...base, sessionDurationInMinutes: 1 }, expect: minters('allowed') },
  {
    action: 'a 60 min session (support max)',
    request: { ...base, sessionDurationInMinutes: 60 },
    expect: minters('allowed'),
  },
  {
    action: 'a 61 min session (support max + 1)',
    request: { ...base, sessionDurationInMinutes: 61 },
    expect: { ...minters('allowed'), support: { rule: 'roles.support.maxSessionMinutes' } },
  },
  {
    action: 'a 180 min session (moderator, qa, admin max)',
    request: { ...base, sessionDurationInMinutes: 180 },
    expect: { ...minters('allowed'), support: { rule: 'roles.support.maxSessionMinutes' } },
  },
  {
    action: 'a 181 min session (max + 1: the service limit)',
    request: { ...base, sessionDurationInMinutes: 181 },
    expect: { viewer: 'invalid', support: 'invalid', moderator: 'invalid', qa: 'invalid', admin: 'invalid' },
  },
  {
    action: 'a room outside the qa scope (env=prod)',
    request: { ...base, roomArn: PROD_ROOM },
    expect: { ...minters('allowed'), qa: { rule: 'roles.qa.rooms.tags.env' } },
  },
];

describe('role × mint, through mintToken()', () => {
  for (const c of MINT_CASES) {
    for (const role of ROLES) {
      const cell = c.expect[role];
      const verdict = cell === 'allowed' ? 'allowed' : cell === 'invalid' ? 'denied (INVALID_INPUT)' : `denied by ${cell.rule}`;
      it(`${role}: mint ${c.action} → ${verdict}`, async () => {
        const before = await calls();
        const rowsBefore = await store.countAuditRecords({});
        // One actor per cell: refusals are recorded in full up to ten per actor and minute (lib/mint/refusals.ts).
        const result = await mint.mintToken({ ...actor(role), staffId: `matrix-${role}-${c.action}` }, c.request);
        if (cell === 'allowed') {
          expect(result.ok, JSON.stringify(result)).toBe(true);
          expect(await calls()).toBe(before + 1);
          return;
        }
        expect(result.ok).toBe(false);
        if (result.ok) return;
        if (cell === 'invalid') {
          expect(result.code).toBe('INVALID_INPUT');
        } else {
          expect(result).toMatchObject({ code: 'FORBIDDEN', rule: cell.rule });
          expect(result.message).toContain(cell.rule);
        }
        expect(await calls()).toBe(before);
        // A refusal by a rule is one 'token.refused' entry and no mint row; bad input writes nothing.
        expect(await store.countAuditRecords({})).toBe(rowsBefore + (cell === 'invalid' ? 0 : 1));
        if (cell !== 'invalid') expect(await store.getAuditRecord(result.auditId!)).toMatchObject({ action: 'token.refused' });
      });
    }
  }
});

const PERMISSIONS = {
  'read audit': ['audit.read', { viewer: true, support: true, moderator: true, qa: true, admin: true }],
  'manage staff': ['staff.manage', { viewer: false, support: false, moderator: false, qa: false, admin: true }],
  'manage API keys': ['apikeys.manage', { viewer: false, support: false, moderator: false, qa: false, admin: true }],
  'disconnect users': ['users.disconnect', { viewer: false, support: false, moderator: true, qa: true, admin: true }],
  mint: ['mint', { viewer: false, support: true, moderator: true, qa: true, admin: true }],
} as const;

describe('role × permission, through roleCan()', () => {
  for (const [name, [permission, expected]] of Object.entries(PERMISSIONS)) {
    for (const role of ROLES) {
      it(`${role}: ${name} → ${expected[role] ? 'allowed' : 'denied'}`, () => {
        expect(policy.roleCan(role, permission)).toBe(expected[role]);
      });
    }
  }
});

describe('the mint form sees the same policy', () => {
  it('filters the picker to in-scope rooms per role', async () => {
    const { roomInScope } = await import('@/lib/shared/policy/rules');
    const qa = policy.rolePolicy('qa');
    expect(roomInScope('qa', qa, { arn: QA_ROOM, tags: { env: 'qa' } })).toBe(true);
    expect(roomInScope('qa', qa, { arn: PROD_ROOM, tags: { env: 'prod' } })).toBe(false);
    expect(roomInScope('support', policy.rolePolicy('support'), { arn: PROD_ROOM, tags: { env: 'prod' } })).toBe(true);
  });
});
