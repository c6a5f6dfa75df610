'use server';

import { z } from 'zod';
import { requireStaffManager, staffFailure, type StaffActionResult } from '@/lib/auth/staff-admin';
import { setStaffRole, type Staff } from '@/lib/auth/staff-store';
import { ROLES } from '@/lib/shared/policy/roles';

const setStaffRoleSchema = z.strictObject({ staffId: z.string().min(1).max(100), role: z.enum(ROLES) });

export async function setStaffRoleAction(input: unknown): Promise<StaffActionResult<Staff>> {
  const guard = await requireStaffManager();
  if (!guard.ok) return guard;
  const parsed = setStaffRoleSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: `Choose one of ${ROLES.join(', ')}.` };
  // An admin demoting themselves could leave nobody able to manage staff.
  if (parsed.data.staffId === guard.staff.id) return { ok: false, message: 'You cannot change your own role.' };
  try {
    return { ok: true, data: await setStaffRole(parsed.data.staffId, parsed.data.role, guard.actor) };
  } catch (err) {
    return staffFailure(err);
  }
}
