import { verifyAuditChain } from '@/lib/audit/verify';
import { beforeAll, expect, it } from 'vitest';
import { listAuditRecords, type AuditActor } from '@/lib/audit/store';
import type { DatabaseHandle } from '@/lib/db';
import { describeEachDatabase } from '@/test/pg';
import {
  countStaff,
  createStaff,
  getStaffByEmail,
  getStaffById,
  listStaff,
  setStaffDisabled,
  setStaffPassword,
  setStaffRole,
  StaffError,
  verifyStaffCredentials,
} from './staff-store';

const admin: AuditActor = { staffId: 'admin-1', email: 'root@example.com', role: 'admin', via: 'ui' };

describeEachDatabase('staff store', ({ fresh }) => {
  let db: DatabaseHandle;
  beforeAll(async () => {
    db = (await fresh()).handle;
  });

  it('creates staff with a lowercased email, never exposing the hash, and audits it', async () => {
    const s = await createStaff({ email: '  Ada@Example.COM ', role: 'support', name: 'Ada', password: 'hunter2hunter2' }, admin, db);
    expect(s).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'ada@example.com',
      name: 'Ada',
      role: 'support',
      disabled: false,
      hasPassword: true,
      sessionVersion: 0,
      mustChangePassword: false,
      createdAt: expect.any(String),
      updatedAt: s.createdAt,
    });
    expect(JSON.stringify(s)).not.toMatch(/scrypt|hunter2/);
    expect(await getStaffById(s.id, db)).toEqual(s);
    expect(await getStaffByEmail('ADA@example.com', db)).toEqual(s);
    const { rows } = await listAuditRecords({ action: 'staff.created', actor: 'admin-1' }, { limit: 10 }, db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'done',
      actorEmail: 'root@example.com',
      details: { resource: { type: 'staff', id: s.id, label: 'ada@example.com' }, new: { role: 'support', hasPassword: true } },
    });
    expect(JSON.stringify(rows[0])).not.toMatch(/scrypt|hunter2/);
  });

  it('refuses duplicates, bad roles, bad emails and short passwords, writing nothing', async () => {
    await createStaff({ email: 'dup@example.com', role: 'viewer' }, admin, db);
    const before = (await listAuditRecords({}, { limit: 500 }, db)).rows.length;
    const staffBefore = await countStaff(db);
    await expect(createStaff({ email: 'DUP@example.com', role: 'qa' }, admin, db)).rejects.toMatchObject({ code: 'duplicate_email' });
    await expect(createStaff({ email: 'x@example.com', role: 'owner' }, admin, db)).rejects.toMatchObject({ code: 'invalid_role' });
    await expect(createStaff({ email: 'not-an-email', role: 'qa' }, admin, db)).rejects.toMatchObject({ code: 'invalid_email' });
    await expect(createStaff({ email: 'y@example.com', role: 'qa', password: 'short' }, admin, db)).rejects.toBeInstanceOf(StaffError);
    // Concurrent creates of one email: exactly one wins.
    const raced = await Promise.allSettled([
      createStaff({ email: 'race@example.com', role: 'qa' }, admin, db),
      createStaff({ email: 'race@example.com', role: 'qa' }, admin, db),
    ]);
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await countStaff(db)).toBe(staffBefore + 1);
    expect((await listAuditRecords({}, { limit: 500 }, db)).rows.length).toBe(before + 1);
  });

  it('changes role, disabled and password with one audit entry per real change', async () => {
    const s = await createStaff({ email: 'mod@example.com', role: 'viewer' }, admin, db);
    expect(s.hasPassword).toBe(false);
    expect((await setStaffRole(s.id, 'moderator', admin, db)).role).toBe('moderator');
    await setStaffRole(s.id, 'moderator', admin, db); // no change, no entry
    await expect(setStaffRole(s.id, 'boss', admin, db)).rejects.toMatchObject({ code: 'invalid_role' });
    expect((await setStaffDisabled(s.id, true, admin, db)).disabled).toBe(true);
    expect((await setStaffDisabled(s.id, false, admin, db)).disabled).toBe(false);
    expect((await setStaffPassword(s.id, 'a-new-password', admin, db)).hasPassword).toBe(true);
    await expect(setStaffRole('missing', 'qa', admin, db)).rejects.toMatchObject({ code: 'not_found' });

    const entries = (await listAuditRecords({ q: '' }, { limit: 500 }, db)).rows.filter(
      (r) => (r.details as { resource?: { id?: string } } | null)?.resource?.id === s.id,
    );
    expect(entries.map((r) => r.action).reverse()).toEqual([
      'staff.created',
      'staff.role_changed',
      'staff.disabled',
      'staff.enabled',
      'staff.password_set',
    ]);
    expect(entries.at(-2)!.details).toMatchObject({ old: { role: 'viewer' }, new: { role: 'moderator' } });
    expect(JSON.stringify(entries)).not.toContain('a-new-password');
    const updated = await getStaffById(s.id, db);
    expect(updated!.updatedAt >= updated!.createdAt).toBe(true);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('verifies credentials: right password only, never for disabled or password-less staff', async () => {
    const s = await createStaff({ email: 'qa@example.com', role: 'qa', password: 'qa-password-1' }, admin, db);
    expect(await verifyStaffCredentials('QA@example.com', 'qa-password-1', db)).toMatchObject({ id: s.id, role: 'qa' });
    expect(await verifyStaffCredentials('qa@example.com', 'wrong-password', db)).toBeNull();
    expect(await verifyStaffCredentials('nobody@example.com', 'qa-password-1', db)).toBeNull();
    await setStaffDisabled(s.id, true, admin, db);
    expect(await verifyStaffCredentials('qa@example.com', 'qa-password-1', db)).toBeNull();
    const oidc = await createStaff({ email: 'oidc@example.com', role: 'admin' }, admin, db);
    expect(oidc.hasPassword).toBe(false);
    expect(await verifyStaffCredentials('oidc@example.com', '', db)).toBeNull();
  });

  it('lists staff by email', async () => {
    const { handle } = await fresh();
    expect(await countStaff(handle)).toBe(0);
    await createStaff({ email: 'b@example.com', role: 'viewer' }, admin, handle);
    await createStaff({ email: 'a@example.com', role: 'admin' }, undefined, handle);
    expect((await listStaff(handle)).map((s) => s.email)).toEqual(['a@example.com', 'b@example.com']);
    expect(await countStaff(handle)).toBe(2);
    const { rows } = await listAuditRecords({}, { limit: 10 }, handle);
    expect(rows.map((r) => r.actorId)).toEqual(['system', 'admin-1']);
  });
});
