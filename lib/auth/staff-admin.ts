import 'server-only';
import type { AuditActor } from '@/lib/audit/store';
import { getCurrentStaff } from '@/lib/auth/session';
import { permissionRule, roleCan } from '@/lib/auth/policy';
import { StaffError, type Staff } from '@/lib/auth/staff-store';

export type StaffActionResult<T> =
  { ok: true; data: T } | { ok: false; message: string; fieldErrors?: Record<string, string>; rule?: string };

/**
 * The guard every staff-management action runs first: a live session (re-read from the store)
 * and the policy's mayManageStaff for the member's current role.
 */
export async function requireStaffManager(): Promise<
  { ok: true; staff: Staff; actor: AuditActor } | { ok: false; message: string; rule?: string }
> {
  const staff = await getCurrentStaff();
  if (!staff) return { ok: false, message: 'Your session has ended. Sign in again.' };
  if (!roleCan(staff.role, 'staff.manage')) {
    const rule = permissionRule(staff.role, 'staff.manage');
    return { ok: false, message: `The ${staff.role} role may not manage staff (rule ${rule}).`, rule };
  }
  return { ok: true, staff, actor: { staffId: staff.id, email: staff.email, role: staff.role, via: 'ui' } };
}

/** StaffError messages are written for people; anything else stays on the server. */
export function staffFailure(err: unknown): { ok: false; message: string; fieldErrors?: Record<string, string> } {
  if (err instanceof StaffError) {
    const field =
      err.code === 'invalid_email' || err.code === 'duplicate_email'
        ? 'email'
        : err.code === 'invalid_role'
          ? 'role'
          : err.code === 'invalid_password'
            ? 'password'
            : undefined;
    return { ok: false, message: err.message, fieldErrors: field ? { [field]: err.message } : undefined };
  }
  return { ok: false, message: 'Something went wrong on the server; nothing was changed.' };
}
