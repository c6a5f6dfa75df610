import 'server-only';
import type { AuditActor } from '@/lib/audit/store';
import { permissionRule, roleCan } from '@/lib/auth/policy';
import { getCurrentStaff } from '@/lib/auth/session';
import type { Staff } from '@/lib/auth/staff-store';
import { ApiKeyError } from './store';

export type ApiKeyActionResult<T> =
  { ok: true; data: T } | { ok: false; message: string; fieldErrors?: Record<string, string>; rule?: string };

/** The guard every API-key action runs first: a live session and the role's mayManageApiKeys. */
export async function requireApiKeyManager(): Promise<
  { ok: true; staff: Staff; actor: AuditActor } | { ok: false; message: string; rule?: string }
> {
  const staff = await getCurrentStaff();
  if (!staff) return { ok: false, message: 'Your session has ended. Sign in again.' };
  if (!roleCan(staff.role, 'apikeys.manage')) {
    const rule = permissionRule(staff.role, 'apikeys.manage');
    return { ok: false, message: `The ${staff.role} role may not manage API keys (rule ${rule}).`, rule };
  }
  return { ok: true, staff, actor: { staffId: staff.id, email: staff.email, role: staff.role, via: 'ui' } };
}

/** ApiKeyError messages are written for people; anything else stays on the server. */
export function apiKeyFailure(err: unknown): { ok: false; message: string; fieldErrors?: Record<string, string> } {
  if (err instanceof ApiKeyError) {
    const field =
      err.code === 'invalid_name' || err.code === 'duplicate_name'
        ? 'name'
        : err.code === 'invalid_role'
          ? 'role'
          : err.code === 'invalid_owner'
            ? 'owner'
            : undefined;
    return { ok: false, message: err.message, fieldErrors: field ? { [field]: err.message } : undefined };
  }
  return { ok: false, message: 'Something went wrong on the server; nothing was changed.' };
}
