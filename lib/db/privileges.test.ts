import { verifyAuditChain } from '@/lib/audit/verify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { recordAction, recordMintIssued, recordMintRequested } from '@/lib/audit/store';
import { createStaff } from '@/lib/auth/staff-store';
import { createTestSchema, PG_SKIP_REASON, TEST_DATABASE_URL } from '@/test/pg';
import { RUNTIME_ROLE } from '@/scripts/postgres';
import { openDatabase } from './index';

/** TEST_DATABASE_URL with the runtime role that scripts/postgres.ts and .ci/run create. */
function runtimeUrl(): string {
  const u = new URL(TEST_DATABASE_URL!);
  u.username = RUNTIME_ROLE.name;
  u.password = RUNTIME_ROLE.password;
  return u.toString();
}

describe.skipIf(!TEST_DATABASE_URL)(`PostgreSQL runtime role${TEST_DATABASE_URL ? '' : ` (${PG_SKIP_REASON})`}`, () => {
  it('migrates as the owner; the console role may append to the log but not UPDATE, DELETE or TRUNCATE it, nor lift the triggers', async () => {
    const { schema, drop } = await createTestSchema();
    const handle = await openDatabase({ kind: 'postgres', url: runtimeUrl(), migrationUrl: TEST_DATABASE_URL, schema });
    try {
      expect((await sql<{ u: string }>`select current_user as u`.execute(handle.db)).rows[0].u).toBe(RUNTIME_ROLE.name);
      // The console works: staff, mints, completions, actions, verify.
      await createStaff({ email: 'ops@example.com', role: 'admin', password: 'a-long-password-1' }, undefined, handle);
      const { id } = await recordMintRequested(
        {
          actor: { staffId: 's', email: 's@example.com', role: 'support', via: 'ui' },
          roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/abcdEFGH1234',
          region: 'us-east-1',
          userId: 'u',
          attributes: {},
          capabilities: [],
          durationMinutes: 5,
        },
        handle,
      );
      await recordMintIssued(
        id,
        { fingerprint: 'fp', tokenExpiresAt: new Date('2030-01-01T00:00:00Z'), sessionExpiresAt: new Date('2030-01-01T00:05:00Z') },
        handle,
      );
      await recordAction(
        { actor: { staffId: 's', email: 's@example.com', role: 'admin', via: 'ui' }, action: 'staff.disabled', details: {} },
        handle,
      );
      expect(await verifyAuditChain(handle, { checkpointFile: null })).toMatchObject({ ok: true, problems: [] });

      for (const statement of [
        sql`update audit_log set user_id = 'x' where seq = 1`,
        sql`delete from audit_log where seq = 3`,
        sql`truncate audit_log`,
      ]) {
        await expect(statement.execute(handle.db)).rejects.toMatchObject({
          code: '42501',
          message: expect.stringMatching(/permission denied/),
        });
      }
      for (const statement of [sql`alter table audit_log disable trigger user`, sql`drop trigger audit_log_append_only on audit_log`]) {
        await expect(statement.execute(handle.db)).rejects.toMatchObject({
          code: '42501',
          message: expect.stringMatching(/must be owner/),
        });
      }
      expect(await verifyAuditChain(handle, { checkpointFile: null })).toMatchObject({ ok: true, rows: 4 });

      // A second start with the same configuration (grants again, migrates nothing).
      const again = await openDatabase({ kind: 'postgres', url: runtimeUrl(), migrationUrl: TEST_DATABASE_URL, schema });
      await again.close();
    } finally {
      await handle.close();
      await drop();
    }
  });
});
