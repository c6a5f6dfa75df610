/**
 * Several replicas on one PostgreSQL database each sweep approval windows; each window's end (its
 * DisconnectUser and its 'access.ended' entry) must happen once. Four sweeps race on separate pool
 * connections, as four replicas would, against the real emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';

// test/pg imports lib/db and with it lib/env, which reads the environment once: it is imported
// after the harness has set it.
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
const PG_SKIP_REASON = 'skipped: TEST_DATABASE_URL is not set';
import type { Authorized } from '@/lib/contract/guard';
import type { Staff } from '@/lib/shared/staff/view';

const QA_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';

const asStaff = (staff: Staff): Authorized =>
  ({
    ok: true,
    principal: { kind: 'staff', staff, actor: { staffId: staff.id, email: staff.email, role: staff.role, via: 'ui' } },
    role: staff.role,
    actor: { staffId: staff.id, email: staff.email, role: staff.role, via: 'ui' },
  }) as Authorized;

describe.skipIf(!TEST_DATABASE_URL)(`approval sweep claims on PostgreSQL${TEST_DATABASE_URL ? '' : ` (${PG_SKIP_REASON})`}`, () => {
  let harness: ConsoleHarness;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    harness = await startConsoleHarness({
      name: 'approvals-claim-test',
      policy: (p) => {
        const roles = p.roles as Record<string, Record<string, unknown>>;
        roles.moderator!.capabilities = ['SEND_MESSAGE'];
        roles.moderator!.requests = { capabilities: ['DELETE_MESSAGE'], maxWindowMinutes: 60, disconnectAtEnd: true };
      },
    });
    const { createTestSchema } = await import('@/test/pg');
    const schema = await createTestSchema();
    drop = schema.drop;
    const { openDatabase } = await import('@/lib/db');
    const handle = await openDatabase({ kind: 'postgres', url: schema.url, schema: schema.schema, poolSize: 10 });
    // The process-wide database (lib/db getDatabase) is this schema, as DATABASE_URL would make it.
    (globalThis as { __ivsConsoleDatabase?: Promise<unknown> }).__ivsConsoleDatabase = Promise.resolve(handle);
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
    await drop?.();
  });

  it('one of concurrent claims wins; a held claim waits for its lapse; racing sweeps end a window once', async () => {
    const requests = await import('./requests');
    const { sweepApprovals } = await import('./sweep');
    const { createStaff } = await import('@/lib/auth/staff-store');
    const { getDatabase } = await import('@/lib/db');
    const mod = await createStaff({ email: 'mod@example.com', role: 'moderator' });
    const admin = await createStaff({ email: 'admin@example.com', role: 'admin' });
    const asked = await requests.createAccessRequest(asStaff(mod), {
      roomArn: QA_ROOM,
      capabilities: ['DELETE_MESSAGE'],
      windowMinutes: 30,
      sessionDurationInMinutes: 30,
      reason: 'claim test',
    });
    if (!asked.ok) throw new Error(asked.message);
    const approved = await requests.decideAccessRequest(asStaff(admin), asked.data.id, { decision: 'approve' });
    expect(approved.ok).toBe(true);
    const { claimWindowEnd } = await import('./sweep');
    const after = new Date(Date.now() + 31 * 60_000);
    // Not before the window's end; then exactly one of eight concurrent claims wins, and a held
    // claim is not taken again until it lapses (a replica that died mid-way).
    expect(await claimWindowEnd(asked.data.id, new Date())).toBe(false);
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimWindowEnd(asked.data.id, after)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimWindowEnd(asked.data.id, new Date(after.getTime() + 30_000))).toBe(false);
    expect((await sweepApprovals(after)).ended).toEqual([]);

    const before = (await harness.stats()).operations.DisconnectUser?.succeeded ?? 0;
    const lapsed = new Date(after.getTime() + 61_000);
    const results = await Promise.all([0, 1, 2, 3].map(() => sweepApprovals(lapsed)));
    expect(results.flatMap((r) => r.ended)).toEqual([{ id: asked.data.id, disconnected: true }]);
    expect((await harness.stats()).operations.DisconnectUser?.succeeded ?? 0).toBe(before + 1);
    const handle = await getDatabase();
    const ended = await handle.db.selectFrom('audit_log').select('id').where('action', '=', 'access.ended').execute();
    expect(ended).toHaveLength(1);
    expect((await requests.getAccessRequest(asked.data.id))?.state).toBe('ended');
  });
});
