import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAction, SYSTEM_ACTOR, type AuditActor } from '@/lib/audit/store';
import { getDatabase, isUniqueViolation, withWriteTransaction, type DatabaseHandle, type StaffRow } from '@/lib/db';
import { ROLES, type Role } from '@/lib/shared/policy/roles';
import { hashPassword, verifyPassword } from './password';

export { ROLES, type Role };

export type { Staff } from '@/lib/shared/staff/view';
import type { Staff } from '@/lib/shared/staff/view';

export type StaffErrorCode = 'invalid_email' | 'invalid_role' | 'invalid_password' | 'duplicate_email' | 'not_found' | 'wrong_password';

export class StaffError extends Error {
  override name = 'StaffError';
  constructor(
    readonly code: StaffErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export { PASSWORD_MIN_LENGTH } from '@/lib/shared/password-policy';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/shared/password-policy';

const emailSchema = z.email();

function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (!emailSchema.safeParse(normalized).success) throw new StaffError('invalid_email', `Not an email address: ${email}`);
  return normalized;
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function parseRole(role: string): Role {
  if (!isRole(role)) throw new StaffError('invalid_role', `Unknown role '${role}'; expected one of: ${ROLES.join(', ')}`);
  return role;
}

function checkPassword(password: string): string {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new StaffError('invalid_password', `A password needs ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`);
  }
  return password;
}

function toStaff(row: StaffRow): Staff {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    disabled: row.disabled !== 0,
    hasPassword: row.password_hash !== null,
    sessionVersion: Number(row.session_version),
    mustChangePassword: Number(row.must_change_password) !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const handleOf = async (db?: DatabaseHandle) => db ?? (await getDatabase());
const resource = (row: { id: string; email: string }) => ({ type: 'staff', id: row.id, label: row.email });

export async function createStaff(
  input: { email: string; role: string; name?: string | null; password?: string | null; oneTimePassword?: boolean },
  actor: AuditActor = SYSTEM_ACTOR,
  db?: DatabaseHandle,
): Promise<Staff> {
  const email = normalizeEmail(input.email);
  const role = parseRole(input.role);
  const name = input.name?.trim() || null;
  // Hashed before taking the write lock, which other writers wait on.
  const passwordHash = input.password != null ? await hashPassword(checkPassword(input.password)) : null;
  const now = new Date().toISOString();
  const row: StaffRow = {
    id: randomUUID(),
    email,
    name,
    role,
    password_hash: passwordHash,
    disabled: 0,
    created_at: now,
    updated_at: now,
    session_version: 0,
    must_change_password: input.oneTimePassword && passwordHash !== null ? 1 : 0,
  };
  const duplicate = () => new StaffError('duplicate_email', `A staff member with email ${email} already exists`);
  const handle = await handleOf(db);
  await withWriteTransaction(handle, async (trx) => {
    const existing = await trx.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) throw duplicate();
    try {
      await trx.insertInto('staff').values(row).execute();
    } catch (error) {
      throw isUniqueViolation(error) ? duplicate() : error;
    }
    await appendAction(trx, {
      actor,
      action: 'staff.created',
      details: { resource: resource(row), new: { email, name, role, disabled: false, hasPassword: passwordHash !== null } },
    });
  });
  return toStaff(row);
}

export async function getStaffById(id: string, db?: DatabaseHandle): Promise<Staff | null> {
  const handle = await handleOf(db);
  const row = await handle.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toStaff(row) : null;
}

export async function getStaffByEmail(email: string, db?: DatabaseHandle): Promise<Staff | null> {
  const handle = await handleOf(db);
  const row = await handle.db.selectFrom('staff').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  return row ? toStaff(row) : null;
}

export async function listStaff(db?: DatabaseHandle): Promise<Staff[]> {
  const handle = await handleOf(db);
  const rows = await handle.db.selectFrom('staff').selectAll().orderBy('email').execute();
  return rows.map(toStaff);
}

export async function countStaff(db?: DatabaseHandle): Promise<number> {
  const handle = await handleOf(db);
  const row = await handle.db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Loads the row inside the write transaction, applies `change` (null: nothing to change, no
 * audit entry), and records the audit entry in the same transaction.
 */
async function updateStaff(
  id: string,
  db: DatabaseHandle | undefined,
  change: (row: StaffRow) => { set: Partial<StaffRow>; audit: Parameters<typeof appendAction>[1] } | null,
): Promise<Staff> {
  const handle = await handleOf(db);
  return withWriteTransaction(handle, async (trx) => {
    const row = await trx.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new StaffError('not_found', `No staff member with id ${id}`);
    const planned = change(row);
    if (!planned) return toStaff(row);
    const set = { ...planned.set, updated_at: new Date().toISOString() };
    await trx.updateTable('staff').set(set).where('id', '=', id).execute();
    await appendAction(trx, planned.audit);
    return toStaff({ ...row, ...set });
  });
}

export async function setStaffRole(id: string, role: string, actor: AuditActor = SYSTEM_ACTOR, db?: DatabaseHandle): Promise<Staff> {
  const next = parseRole(role);
  return updateStaff(id, db, (row) =>
    row.role === next
      ? null
      : {
          set: { role: next },
          audit: {
            actor,
            action: 'staff.role_changed',
            details: { resource: resource(row), old: { role: row.role }, new: { role: next } },
          },
        },
  );
}

export async function setStaffDisabled(
  id: string,
  disabled: boolean,
  actor: AuditActor = SYSTEM_ACTOR,
  db?: DatabaseHandle,
): Promise<Staff> {
  return updateStaff(id, db, (row) =>
    (row.disabled !== 0) === disabled
      ? null
      : {
          // Disabling ends every session, so enabling again does not bring an old cookie back.
          set: disabled ? { disabled: 1, session_version: Number(row.session_version) + 1 } : { disabled: 0 },
          audit: {
            actor,
            action: disabled ? 'staff.disabled' : 'staff.enabled',
            details: { resource: resource(row), old: { disabled: !disabled }, new: { disabled } },
          },
        },
  );
}

export async function setStaffPassword(
  id: string,
  password: string,
  actor: AuditActor = SYSTEM_ACTOR,
  db?: DatabaseHandle,
  options: { oneTime?: boolean } = {},
): Promise<Staff> {
  const passwordHash = await hashPassword(checkPassword(password));
  return updateStaff(id, db, (row) => ({
    // A new password ends every session made with the old one (a copied cookie included).
    set: { password_hash: passwordHash, session_version: Number(row.session_version) + 1, must_change_password: options.oneTime ? 1 : 0 },
    // Never the password or its hash: only that it changed.
    audit: {
      actor,
      action: 'staff.password_set',
      details: { resource: resource(row), old: { hasPassword: row.password_hash !== null }, new: { hasPassword: true } },
    },
  }));
}

/**
 * Ends every session of the member at once (an admin's "sign out everywhere", the CLI's
 * sign-out-everywhere): their next request, on any replica, is sent to sign-in.
 */
export async function endStaffSessions(id: string, actor: AuditActor = SYSTEM_ACTOR, db?: DatabaseHandle): Promise<Staff> {
  return updateStaff(id, db, (row) => ({
    set: { session_version: Number(row.session_version) + 1 },
    audit: {
      actor,
      action: 'staff.sessions_ended',
      details: {
        resource: resource(row),
        old: { sessionVersion: Number(row.session_version) },
        new: { sessionVersion: Number(row.session_version) + 1 },
      },
    },
  }));
}

/**
 * Sign-out: ends every session of the member (a copied cookie of this one included) if the
 * cookie's version is still the current one; an already ended session changes nothing.
 */
export async function endSessionsOnSignOut(id: string, sessionVersion: number, db?: DatabaseHandle): Promise<void> {
  const handle = await handleOf(db);
  await handle.db
    .updateTable('staff')
    .set({ session_version: sessionVersion + 1 })
    .where('id', '=', id)
    .where('session_version', '=', sessionVersion)
    .execute();
}

/**
 * The member sets their own password: the current one must be right. Ends every other session
 * (the caller re-issues this browser's cookie with the new session version) and clears a one-time
 * password's flag.
 */
export async function changeOwnPassword(id: string, current: string, next: string, actor: AuditActor, db?: DatabaseHandle): Promise<Staff> {
  const handle = await handleOf(db);
  const row = await handle.db.selectFrom('staff').select(['password_hash']).where('id', '=', id).executeTakeFirst();
  if (!row?.password_hash || !(await verifyPassword(current, row.password_hash))) {
    throw new StaffError('wrong_password', 'The current password is not right.');
  }
  if (next === current) throw new StaffError('invalid_password', 'Choose a password other than the current one.');
  return setStaffPassword(id, next, actor, handle);
}

let dummyHash: Promise<string> | undefined;

/**
 * The staff member for these credentials, or null (unknown email, disabled, no password, wrong
 * password). Runs scrypt in every case so response time does not reveal which emails exist.
 */
export async function verifyStaffCredentials(email: string, password: string, db?: DatabaseHandle): Promise<Staff | null> {
  const handle = await handleOf(db);
  const row = await handle.db.selectFrom('staff').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  const usable = row && row.disabled === 0 && row.password_hash !== null;
  const hash = usable ? row.password_hash! : await (dummyHash ??= hashPassword(randomUUID()));
  const match = await verifyPassword(typeof password === 'string' ? password : '', hash);
  return usable && match ? toStaff(row) : null;
}
