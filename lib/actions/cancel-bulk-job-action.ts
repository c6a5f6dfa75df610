'use server';

import { getCurrentStaff } from '@/lib/auth/session';
import { roleCan } from '@/lib/auth/policy';
import { cancelBulkJob } from '@/lib/bulk/runner';

export type CancelBulkJobActionResult = { ok: true } | { ok: false; message: string };

/** Stops a running bulk job of the signed-in member: rows in flight finish, the rest are skipped. */
export async function cancelBulkJobAction(id: unknown): Promise<CancelBulkJobActionResult> {
  const staff = await getCurrentStaff();
  if (!staff) return { ok: false, message: 'Your session has ended. Sign in again.' };
  if (!roleCan(staff.role, 'mint')) return { ok: false, message: `The ${staff.role} role may not mint tokens.` };
  if (typeof id !== 'string' || id.length > 64) return { ok: false, message: 'No such bulk job.' };
  return cancelBulkJob(staff.id, id)
    ? { ok: true }
    : { ok: false, message: 'This job is not running here (it has finished, or it is not yours).' };
}
